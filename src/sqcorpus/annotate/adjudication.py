"""Adjudication: settle what the annotators of a sentence disagree on, with a rationale for
each decision, and mark the adjudicated annotation as the ground truth.

The API an (AI or human) adjudicator calls:

- :func:`pending` lists a document's sentences that have two or more annotations and no
  ground truth yet, each with its disagreements (a stable ``key`` per disagreement);
- :func:`adjudicate` records one :class:`Decision` per disagreement in
  ``annotation/adjudication/<doc_id>.json`` and adds the adjudicated annotation, marked
  ``ground_truth``, to ``annotation/exports/<doc_id>.json`` (the converter's ground-truth rule
  then makes it the gold). It refuses a missing or empty rationale, an unknown key, a sentence
  already adjudicated, and an annotation the converter would refuse; nothing is half-written.

After a round, :func:`gaps` collects the decisions no rule covered (a rationale that starts
with ``gap:``, guidelines 8.3): the maintainer's first draft of the next guidelines version.

The adjudicator is named by a pseudonym, never an e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from .. import paths, schema
from ..errors import SqcorpusError
from ..files import json_text, read_json, write_atomic
from ..models import SentenceAnnotation
from ..text.corpus import DOC_ID_PATTERN
from ..text.segmentation import tokenize
from .agreement import TaskCodings, disagreements, read_codings
from .convert import Where, from_ls_results, to_ls_results
from .studio.worker import decision_annotation

RECORDS_FORMAT: Final = 1
SOURCE_PROJECT: Final = "adjudication"
"""The ``sqcorpus_source.project`` of an adjudicated annotation (no pull ever replaces it)."""
PSEUDONYM: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
GAP: Final = re.compile(r"\s*gap\s*:", re.IGNORECASE)
"""The start of the rationale of a decision that no rule covered (guidelines 8.3)."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    sid: str
    layer: str
    key: str
    """Stable name of the disagreement; a :class:`Decision` refers to it."""
    detail: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Pending:
    """A sentence waiting for its ground truth."""

    sid: str
    text: str
    annotators: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    key: str
    decision: str
    """What was decided, e.g. "ORG, not GPE" or "stance neutral"."""
    rationale: str
    guidelines_section: str
    """The guidelines section the decision rests on, e.g. "3.2"."""


@dataclass(frozen=True, slots=True)
class Gap:
    """A recorded decision that no rule of the guidelines covered."""

    doc_id: str
    sid: str
    layer: str
    key: str
    decision: str
    rationale: str
    guidelines_section: str
    guidelines_version: str
    """The guidelines the decision was made under; the next version answers it."""


def _key(diff: Mapping[str, Any]) -> str:
    if "values" in diff:
        return str(diff["layer"])
    label = f" {diff['label']}" if "label" in diff else ""
    return f"{diff['layer']} [{diff['start']},{diff['end']}){label} {diff['text']!r}"


def export_file_of(doc_id: str, exports: Path | None) -> Path:
    if not DOC_ID_PATTERN.fullmatch(doc_id):
        raise SqcorpusError("not a valid document id", item=doc_id, field="doc_id")
    path = (exports or paths.exports_dir()) / f"{doc_id}.json"
    if not path.is_file():
        raise SqcorpusError("no export for this document (pull it first)", file=path)
    return path


def _pending(task: TaskCodings) -> Pending | None:
    if len(task.annotations) < 2 or task.gold is not None:
        return None
    found = tuple(
        Disagreement(task.sid, str(diff["layer"]), _key(diff), diff) for diff in disagreements(task)
    )
    annotators = tuple(c.who for c in task.annotations)
    return Pending(task.sid, task.text, annotators, found)


def pending(doc_id: str, *, exports: Path | None = None) -> list[Pending]:
    """The document's sentences with two or more annotations and no ground truth yet."""
    tasks = read_codings([export_file_of(doc_id, exports)])
    return [found for task in tasks if (found := _pending(task)) is not None]


def require_filled(decision: Decision, sid: str, names: Sequence[str]) -> None:
    """Refuse a decision with any of the fields ``names`` empty (or only blanks)."""
    for name in names:
        if not str(getattr(decision, name)).strip():
            listed = ", ".join(n.replace("_", " ") for n in names[:-1])
            raise SqcorpusError(
                f"every decision needs a non-empty {listed} and {names[-1].replace('_', ' ')}",
                item=sid,
                field=f"decisions[{decision.key!r}].{name}",
            )


def stamp_of(now: datetime | None = None) -> str:
    """The time of a decision as the exports write it (UTC, microseconds)."""
    return (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def gold_entry(
    annotation_id: str, adjudicator: str, result: list[dict[str, Any]], stamp: str, **source: Any
) -> dict[str, Any]:
    """An adjudicator's annotation as the export holds it, marked ground truth (``source``
    adds to its ``sqcorpus_source``)."""
    return {
        "id": annotation_id,
        "completed_by": {"username": adjudicator},
        "result": result,
        "ground_truth": True,
        "was_cancelled": False,
        "created_at": stamp,
        "updated_at": stamp,
        "sqcorpus_source": {
            "project": SOURCE_PROJECT,
            "guidelines_version": schema.GUIDELINES_VERSION,
            **source,
        },
    }


def _check_decisions(waiting: Pending, decisions: Sequence[Decision]) -> None:
    keys = {d.key for d in waiting.disagreements}
    given = {}
    for decision in decisions:
        if decision.key not in keys:
            raise SqcorpusError(
                f"no such disagreement (expected one of: {', '.join(sorted(keys)) or 'none'})",
                item=waiting.sid,
                field=f"decisions[{decision.key!r}]",
            )
        require_filled(decision, waiting.sid, ("decision", "rationale", "guidelines_section"))
        given[decision.key] = decision
    missing = sorted(keys - set(given))
    if missing:
        raise SqcorpusError(
            f"no decision with a rationale for: {'; '.join(missing)}; nothing was written",
            item=waiting.sid,
            field="decisions",
        )


def _records_content(path: Path) -> dict[str, Any]:
    """An adjudication records file, checked for its format and its list of records."""
    content = read_json(path, what="adjudication records")
    if not isinstance(content, dict) or content.get("format") != RECORDS_FORMAT:
        raise SqcorpusError(f"expected format {RECORDS_FORMAT}", file=path, field="format")
    if not isinstance(content.get("records"), list):
        raise SqcorpusError("expected a list of records", file=path, field="records")
    return content


def read_records(doc_id: str, records: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """A document's adjudication records file and its content (empty when there is none)."""
    records_file = (records or paths.adjudication_dir()) / f"{doc_id}.json"
    if not records_file.is_file():
        return records_file, {"format": RECORDS_FORMAT, "doc_id": doc_id, "records": []}
    return records_file, _records_content(records_file)


def require_pseudonym(adjudicator: str) -> None:
    if not PSEUDONYM.fullmatch(adjudicator):
        raise SqcorpusError(
            "the adjudicator is a pseudonym (lower-case letters, digits, hyphens)",
            item=adjudicator,
            field="adjudicator",
        )


def decisions_of(entry: Mapping[str, Any], *, source: Path, sid: str) -> list[Decision]:
    """The ``decisions`` of an ``--apply`` or ``--correct`` entry, each checked for shape."""
    decisions = entry.get("decisions", [])
    fields = ("key", "decision", "rationale", "guidelines_section")
    if not isinstance(decisions, list) or not all(
        isinstance(d, dict) and all(isinstance(d.get(f), str) for f in fields) for d in decisions
    ):
        raise SqcorpusError(
            f"decisions are objects with string {', '.join(fields)}",
            file=source,
            item=sid,
            field="decisions",
        )
    return [Decision(**{f: d[f] for f in fields}) for d in decisions]


def annotation_in_words(
    doc_id: str, entry: Mapping[str, Any], *, source: Path, exports: Path | None = None
) -> SentenceAnnotation | None:
    """The annotation an entry gives as ``words`` (as in :mod:`.studio.worker`) or as Label
    Studio ``result``; ``None`` when it gives neither."""
    sid = str(entry.get("sid"))
    if not isinstance(entry.get("words"), dict) and not isinstance(entry.get("result"), list):
        return None
    export_file = export_file_of(doc_id, exports)
    texts = [t.text for t in read_codings([export_file]) if t.sid == sid]
    if not texts:
        raise SqcorpusError("no such sentence in the export", file=export_file, item=sid)
    if isinstance(entry.get("words"), dict):
        return decision_annotation(texts[0], {"sid": sid, **entry["words"]})
    return from_ls_results(entry["result"], texts[0], tokenize(texts[0]), Where(source, sid))


def adjudicate(
    doc_id: str,
    sid: str,
    annotation: SentenceAnnotation,
    decisions: Sequence[Decision],
    *,
    adjudicator: str,
    exports: Path | None = None,
    records: Path | None = None,
    now: datetime | None = None,
) -> tuple[Path, Path]:
    """Record the decisions and write the ground-truth annotation; returns both files."""
    require_pseudonym(adjudicator)
    export_file = export_file_of(doc_id, exports)
    waiting = {p.sid: p for p in pending(doc_id, exports=exports)}
    if sid not in waiting:
        raise SqcorpusError(
            "not waiting for adjudication (fewer than two annotations, or already has a "
            "ground truth)",
            file=export_file,
            item=sid,
        )
    _check_decisions(waiting[sid], decisions)
    text = waiting[sid].text
    result = to_ls_results(annotation)
    # The converter's own checks: offsets on word boundaries, stance with holder, no overlap.
    from_ls_results(result, text, tokenize(text), Where(export_file, f"{sid} (adjudication)"))
    stamp = stamp_of(now)
    tasks = read_json(export_file, what="Label Studio export")
    for task in tasks:
        if task["data"][schema.LS_SENTENCE_ID] == sid:
            entry = gold_entry(f"adjudication-{sid}", adjudicator, result, stamp)
            task["annotations"].append(entry)
    records_file, content = read_records(doc_id, records)
    for decision in decisions:
        content["records"].append(
            {
                "sid": sid,
                "layer": next(d.layer for d in waiting[sid].disagreements if d.key == decision.key),
                **asdict(decision),
                "adjudicator": adjudicator,
                "guidelines_version": schema.GUIDELINES_VERSION,
                "annotators": list(waiting[sid].annotators),
                "decided_at": stamp,
            }
        )
    if not decisions:  # the annotators agreed: record that the agreement was accepted
        agreed = annotation_of(doc_id, sid, waiting[sid].annotators[0], exports=exports)
        corrected = differs(agreed, annotation)
        content["records"].append(
            {
                "sid": sid,
                "layer": "all",
                "key": "",
                "decision": (
                    "the annotators agree, but their annotation is corrected (see rationale)"
                    if corrected
                    else "the annotators agree; their annotation is the ground truth"
                ),
                "rationale": (annotation.note or "corrected by the guidelines")
                if corrected
                else "no disagreement",
                "guidelines_section": "",
                "adjudicator": adjudicator,
                "guidelines_version": schema.GUIDELINES_VERSION,
                "annotators": list(waiting[sid].annotators),
                "decided_at": stamp,
            }
        )
    export_text, records_text = json_text(tasks, sort_keys=True), json_text(content)
    write_atomic(records_file, records_text)
    write_atomic(export_file, export_text)
    return export_file, records_file


def _gaps_of(path: Path) -> list[Gap]:
    content = _records_content(path)
    recorded = [f.name for f in fields(Gap) if f.name != "doc_id"]
    found = []
    for number, record in enumerate(content["records"]):
        if not isinstance(record, dict) or not isinstance(record.get("rationale"), str):
            raise SqcorpusError(
                "each record is an object with a string rationale",
                file=path,
                field=f"records[{number}]",
            )
        if GAP.match(record["rationale"]):
            text = {name: str(record.get(name, "")) for name in recorded}
            found.append(Gap(doc_id=str(content.get("doc_id", path.stem)), **text))
    return found


def gaps(doc_id: str | None = None, *, records: Path | None = None) -> list[Gap]:
    """The ``gap:`` decisions of one document's adjudication records, or of every document's,
    ordered by document and sentence (a sentence's decisions in the order they were made)."""
    folder = records or paths.adjudication_dir()
    if doc_id is None:
        files = sorted(folder.glob("*.json"))
    else:
        if not DOC_ID_PATTERN.fullmatch(doc_id):
            raise SqcorpusError("not a valid document id", item=doc_id, field="doc_id")
        files = [folder / f"{doc_id}.json"]
        if not files[0].is_file():
            raise SqcorpusError("no adjudication records for this document", file=files[0])
    found = [gap for path in files for gap in _gaps_of(path)]
    return sorted(found, key=lambda gap: (gap.doc_id, gap.sid))


def differs(left: SentenceAnnotation, right: SentenceAnnotation) -> bool:
    """Whether two annotations differ in any layer (notes aside)."""
    return any(
        getattr(left, name) != getattr(right, name)
        for name in ("entities", "stance", "stance_holder", "hedge_cues", "hedge_scopes")
    )


def annotation_of(doc_id: str, sid: str, annotator: str, *, exports: Path | None = None) -> Any:
    """One annotator's annotation of a sentence (a start for the adjudicated one)."""
    for task in read_codings([export_file_of(doc_id, exports)]):
        if task.sid == sid:
            for coding in task.annotations:
                if coding.who == annotator:
                    return coding.annotation
    raise SqcorpusError("no annotation by this annotator", item=f"{sid} ({annotator})")


def apply_entry(
    doc_id: str, entry: Any, *, source: Path, exports: Path | None = None
) -> tuple[Path, Path]:
    """One adjudication from a JSON object (``sqcorpus adjudicate --apply``): ``sid``,
    ``adjudicator``, the annotation (``take``: an annotator's; ``words``: entities, stance,
    holder, cues, scopes and note as words, as in :mod:`.studio.worker`; or ``result``: Label
    Studio results) and ``decisions``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("sid"), str):
        raise SqcorpusError("each adjudication is an object with a 'sid'", file=source)
    sid = entry["sid"]
    decisions = decisions_of(entry, source=source, sid=sid)
    if isinstance(entry.get("take"), str):
        annotation = annotation_of(doc_id, sid, entry["take"], exports=exports)
    else:
        given = annotation_in_words(doc_id, entry, source=source, exports=exports)
        if given is None:
            raise SqcorpusError(
                "needs 'take' (an annotator), 'words' or 'result'", file=source, item=sid
            )
        annotation = given
    return adjudicate(
        doc_id,
        sid,
        annotation,
        decisions,
        adjudicator=str(entry.get("adjudicator", "")),
        exports=exports,
    )
