"""What the viewer shows, computed from release rows: pure functions, no I/O.

A release row stores labels as class indices (``-1`` = not annotated). Fields that later
releases add (``text_en``, ``text_license``, ``stance_target``, ``source``, ``outlet``) are
read when present; a missing or null value is shown as unknown, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ... import schema

NOT_ANNOTATED = "not annotated"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to draw over a sentence: ``kind`` is ``entity``, ``cue`` or ``scope``."""

    start: int
    end: int
    kind: str
    label: str = ""
    disputed: bool = False


@dataclass(frozen=True, slots=True)
class SentenceView:
    id: str
    doc_id: str
    index: int
    split: str
    text: str
    text_en: str | None
    marks: tuple[Mark, ...]
    stance: str
    holder: str
    target: str | None
    uncertain: str
    license: str
    outlet: str
    source: str
    token_count: int

    @property
    def entities(self) -> tuple[Mark, ...]:
        return tuple(m for m in self.marks if m.kind == "entity")

    @property
    def entity_labels(self) -> list[str]:
        return sorted({m.label for m in self.entities})


@dataclass(slots=True)
class DocumentView:
    doc_id: str
    title: str
    sentences: list[SentenceView] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        return _joined(s.outlet for s in self.sentences)

    @property
    def license(self) -> str:
        return _joined(s.license for s in self.sentences)

    @property
    def splits(self) -> str:
        return _joined(s.split for s in self.sentences)

    @property
    def entity_count(self) -> int:
        return sum(len(s.entities) for s in self.sentences)


def _joined(values: Iterable[str]) -> str:
    return ", ".join(sorted(set(values)))


def _name(value: Any, names: Sequence[str]) -> str:
    """A class index (or a label already spelled out) as its name; -1/None: not annotated."""
    if value is None or value == schema.MISSING_LABEL:
        return NOT_ANNOTATED
    return value if isinstance(value, str) else names[int(value)]


def _known(value: Any) -> str:
    return UNKNOWN if value in (None, "") else str(value)


def record_marks(row: Mapping[str, Any]) -> tuple[Mark, ...]:
    """Entities, hedge cues and hedge scopes of a release row as marks."""
    marks = [
        Mark(e["start"], e["end"], "entity", _name(e["label"], schema.ENTITY_LABELS))
        for e in row.get("entities") or []
    ]
    marks += [Mark(c["start"], c["end"], "cue", "CUE") for c in row.get("hedge_cues") or []]
    marks += [Mark(s["start"], s["end"], "scope", "SCOPE") for s in row.get("hedge_scopes") or []]
    return tuple(marks)


def sentence_view(
    row: Mapping[str, Any], split: str, document: Mapping[str, Any] | None = None
) -> SentenceView:
    """One release row as shown; ``document`` is its ``corpus/raw`` metadata, if known."""
    meta = document or {}
    rights: Mapping[str, Any] = meta.get("rights") or {}
    if not isinstance(rights, Mapping):  # older metadata states rights as one sentence
        rights = {}
    stance = _name(row.get("stance"), schema.STANCE_LABELS)
    target = row.get("stance_target") or (schema.STANCE_TARGET if stance != NOT_ANNOTATED else None)
    return SentenceView(
        id=row["id"],
        doc_id=row["doc_id"],
        index=int(row.get("sentence_index") or 0),
        split=split,
        text=row["text"],
        text_en=row.get("text_en") or None,
        marks=record_marks(row),
        stance=stance,
        holder=_name(row.get("stance_holder"), schema.HOLDER_LABELS),
        target=target,
        uncertain=_name(row.get("uncertain"), schema.UNCERTAINTY_LABELS),
        license=_known(row.get("text_license") or rights.get("text_license")),
        outlet=_known(row.get("outlet") or meta.get("outlet")),
        source=_known(row.get("source") or meta.get("source")),
        token_count=len(row.get("tokens") or row["text"].split()),
    )


def document_views(
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    metadata: Mapping[str, Mapping[str, Any]],
) -> list[DocumentView]:
    """Documents (sorted by id) with their sentences in order; the split is the file's."""
    documents: dict[str, DocumentView] = {}
    for split, rows in records.items():
        for row in rows:
            meta = metadata.get(row["doc_id"], {})
            doc = documents.setdefault(
                row["doc_id"], DocumentView(row["doc_id"], _known(meta.get("title")))
            )
            doc.sentences.append(sentence_view(row, split, meta))
    for doc in documents.values():
        doc.sentences.sort(key=lambda s: (s.index, s.id))
    return [documents[key] for key in sorted(documents)]


@dataclass(frozen=True, slots=True)
class Statistics:
    """What the plots show, counted from the documents."""

    labels_per_split: dict[str, dict[str, int]]
    sentences_per_document: dict[str, int]
    sentences_per_outlet: dict[str, int]
    sentence_tokens: list[int]


def statistics(documents: Sequence[DocumentView], splits: Sequence[str]) -> Statistics:
    labels: dict[str, Counter[str]] = {split: Counter() for split in splits}
    outlets: Counter[str] = Counter()
    lengths = []
    for doc in documents:
        for sentence in doc.sentences:
            labels.setdefault(sentence.split, Counter()).update(m.label for m in sentence.entities)
            outlets[sentence.outlet] += 1
            lengths.append(sentence.token_count)
    return Statistics(
        labels_per_split={
            split: {label: counts[label] for label in schema.ENTITY_LABELS}
            for split, counts in labels.items()
        },
        sentences_per_document={doc.doc_id: len(doc.sentences) for doc in documents},
        sentences_per_outlet=dict(sorted(outlets.items())),
        sentence_tokens=lengths,
    )
