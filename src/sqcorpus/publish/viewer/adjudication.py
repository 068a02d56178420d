"""The adjudication view's data: each doubly annotated sentence, every annotator's layers
beside the adjudicated one, and what they disagree on.

The exports are read by :func:`sqcorpus.agreement.read_codings` and the disagreements come
from :func:`sqcorpus.annotate.agreement.disagreements`: this module only arranges them per document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...annotate.agreement import LABEL_LAYERS, TaskCodings, disagreements, label_of
from ...models import SentenceAnnotation
from .model import NOT_ANNOTATED, Mark

_SPAN_LAYER = {"entity": "entity", "hedge cue": "cue", "hedge scope": "scope"}


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One annotator's (or the adjudicated) layers of one sentence."""

    who: str
    adjudicated: bool
    marks: tuple[Mark, ...]
    labels: dict[str, str]
    disputed_labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class AdjudicationItem:
    sid: str
    doc_id: str
    text: str
    rows: tuple[CodingRow, ...]
    differences: tuple[dict[str, Any], ...]
    adjudicated: bool


def _disputed_spans(differences: Sequence[Mapping[str, Any]]) -> set[tuple[str, int, int, str]]:
    return {
        (_SPAN_LAYER[d["layer"]], d["start"], d["end"], d.get("label", ""))
        for d in differences
        if d["layer"] in _SPAN_LAYER
    }


def _marks(
    annotation: SentenceAnnotation, disputed: set[tuple[str, int, int, str]]
) -> tuple[Mark, ...]:
    layers = (
        ("entity", annotation.entities, True),
        ("cue", annotation.hedge_cues, False),
        ("scope", annotation.hedge_scopes, False),
    )
    marks = []
    for kind, spans, labelled in layers:
        for span in spans:
            label = span.label if labelled else ""
            marks.append(
                Mark(
                    span.start,
                    span.end,
                    kind,
                    span.label,
                    disputed=(kind, span.start, span.end, label) in disputed,
                )
            )
    return tuple(marks)


def _row(
    who: str,
    annotation: SentenceAnnotation,
    adjudicated: bool,
    spans: set[tuple[str, int, int, str]],
    labels: set[str],
) -> CodingRow:
    values = {layer: label_of(annotation, layer) or NOT_ANNOTATED for layer in LABEL_LAYERS}
    return CodingRow(who, adjudicated, _marks(annotation, spans), values, frozenset(labels))


def adjudication_items(
    tasks: Sequence[TaskCodings], doc_of: Mapping[str, str]
) -> dict[str, list[AdjudicationItem]]:
    """``{doc_id: items}`` for the tasks with two or more annotations, in sentence-id order.

    ``doc_of`` maps sentence ids to documents (from the release); a task whose sentence is
    not in the release is left out. The adjudicated row is the export's gold (the annotation
    marked ground truth); without one the sentence is shown as not adjudicated yet.
    """
    out: dict[str, list[AdjudicationItem]] = {}
    for task in sorted(tasks, key=lambda t: t.sid):
        if len(task.annotations) < 2 or task.sid not in doc_of:
            continue
        differences = disagreements(task)
        spans = _disputed_spans(differences)
        labels = {d["layer"] for d in differences if "values" in d}
        gold = task.gold
        rows = [_row(c.who, c.annotation, False, spans, labels) for c in task.annotations]
        if gold is not None:
            rows.append(_row(f"adjudicated ({gold.who})", gold.annotation, True, spans, labels))
        doc_id = doc_of[task.sid]
        out.setdefault(doc_id, []).append(
            AdjudicationItem(
                sid=task.sid,
                doc_id=doc_id,
                text=task.text,
                rows=tuple(rows),
                differences=tuple(differences),
                adjudicated=gold is not None,
            )
        )
    return out


def describe(difference: Mapping[str, Any]) -> str:
    """One disagreement in words."""
    if "values" in difference:
        values = "; ".join(f"{who}: {value}" for who, value in difference["values"].items())
        return f"{difference['layer']}: {values}"
    label = f" {difference['label']}" if "label" in difference else ""
    return (
        f"{difference['layer']}{label} “{difference['text']}” "
        f"[{difference['start']}, {difference['end']}) marked by {', '.join(difference['by'])}, "
        f"not by {', '.join(difference['not_by'])}"
    )


def default_exports(exports_dir: Path) -> list[Path]:
    return sorted(exports_dir.glob("*.json")) if exports_dir.is_dir() else []
