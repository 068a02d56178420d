"""Stage 4, convert: Label Studio JSON exports ⇄ sentence annotations ⇄ release records.

Label Studio does not validate results (unknown labels, wrong offsets and mismatched text
are all accepted), so everything read here is checked: every span must lie on token
boundaries of the sentence, every label must be in the schema, every task must match a
corpus sentence. Offsets are Python code-point indices into ``data.text``; the span text is
rebuilt from the offsets, never taken from ``value.text``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from .. import schema
from ..errors import SqcorpusError
from ..models import SentenceAnnotation, Span, Token
from ..text.corpus import CorpusSentence
from .tasks import ExportedTask, annotator_name, gold_position, read_export

# --- SentenceAnnotation -> Label Studio results ------------------------------------------


def _span_result(span: Span, control: str, region_id: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "from_name": control,
        "to_name": schema.LS_TEXT,
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }


def _choice_result(control: str, choice: str) -> dict[str, Any]:
    return {
        "id": control,
        "from_name": control,
        "to_name": schema.LS_TEXT,
        "type": "choices",
        "value": {"choices": [choice]},
    }


def to_ls_results(annotation: SentenceAnnotation) -> list[dict[str, Any]]:
    """Label Studio ``result`` list for one sentence (used for predictions and tests)."""
    results = [
        _span_result(span, schema.LS_ENTITIES, f"ent{i}")
        for i, span in enumerate(annotation.entities)
    ]
    hedges = [*annotation.hedge_cues, *annotation.hedge_scopes]
    results += [_span_result(span, schema.LS_HEDGES, f"hedge{i}") for i, span in enumerate(hedges)]
    if annotation.stance is not None:
        results.append(_choice_result(schema.LS_STANCE, annotation.stance))
    if annotation.stance_holder is not None:
        results.append(_choice_result(schema.LS_HOLDER, annotation.stance_holder))
    if annotation.note:
        results.append(
            {
                "id": schema.LS_NOTE,
                "from_name": schema.LS_NOTE,
                "to_name": schema.LS_TEXT,
                "type": "textarea",
                "value": {"text": [annotation.note]},
            }
        )
    return results


# --- Label Studio results -> SentenceAnnotation ------------------------------------------

_SPAN_CONTROLS: dict[str, tuple[str, ...]] = {
    schema.LS_ENTITIES: schema.ENTITY_LABELS,
    schema.LS_HEDGES: schema.HEDGE_SPAN_LABELS,
}
_CHOICE_CONTROLS: dict[str, tuple[str, ...]] = {
    schema.LS_STANCE: schema.STANCE_LABELS,
    schema.LS_HOLDER: schema.HOLDER_LABELS,
}


@dataclass(frozen=True, slots=True)
class Where:
    """Where a result came from, for error messages."""

    file: object
    item: str | int | None

    def error(self, message: str, field: str | None = None) -> SqcorpusError:
        return SqcorpusError(message, file=self.file, item=self.item, field=field)


def _is_offset(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _aligned_span(
    value: Mapping[str, Any], text: str, tokens: Sequence[Token], where: Where, field: str
) -> Span:
    raw_start, raw_end, labels = value.get("start"), value.get("end"), value.get("labels")
    # Integers only: a string, a float (NaN, Infinity, 3.5) or a boolean is no offset.
    if not (_is_offset(raw_start) and _is_offset(raw_end)):
        raise where.error("span needs integer start and end", field)
    start, end = raw_start, raw_end
    if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
        raise where.error("span needs exactly one label (a string)", field)
    label = labels[0]
    if not 0 <= start < end <= len(text):
        raise where.error(
            f"span [{start}, {end}) is out of range of a {len(text)}-char text", field
        )
    # A mouse selection often takes a neighbouring space along: trim it, then insist on tokens.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    if start not in starts or end not in ends:
        raise where.error(
            f"span [{start}, {end}) {text[start:end]!r} does not align with token boundaries", field
        )
    return Span(start=start, end=end, text=text[start:end], label=label)


def from_ls_results(
    results: Iterable[Mapping[str, Any]],
    text: str,
    tokens: Sequence[Token],
    where: Where,
    *,
    allow_overlap: bool = False,
) -> SentenceAnnotation:
    """Validate one annotation's (or prediction's) ``result`` list and convert it.

    ``allow_overlap`` accepts overlapping spans of one layer: an annotator's annotation that a
    release would refuse can still be compared with another's and adjudicated (the gold
    never is read with it)."""
    annotation = SentenceAnnotation()
    choices: dict[str, list[str]] = {}
    region_controls: dict[Any, str] = {}
    for index, result in enumerate(results):
        name = result.get("from_name")
        field = f"result[{index}].{name}"
        if not isinstance(name, str):
            raise where.error("from_name must be a string", f"result[{index}].from_name")
        value = result.get("value")
        if not isinstance(value, Mapping):
            raise where.error("result has no 'value' object", field)
        if name in _SPAN_CONTROLS:
            # Label Studio lets one region take a label from each Labels control; an entity
            # that is also a hedge cue is a slip of the annotator, not a decision.
            region = result.get("id")
            if region is not None and region_controls.setdefault(region, name) != name:
                raise where.error(
                    f"region {region!r} carries both an entity and a hedge label", field
                )
            span = _aligned_span(value, text, tokens, where, field)
            if span.label not in _SPAN_CONTROLS[name]:
                raise where.error(f"unknown label {span.label!r}", field)
            if name == schema.LS_ENTITIES:
                annotation.entities.append(span)
            elif span.label == "CUE":
                annotation.hedge_cues.append(span)
            else:
                annotation.hedge_scopes.append(span)
        elif name in _CHOICE_CONTROLS:
            picked = value.get("choices")
            if not isinstance(picked, list):
                raise where.error("choices must be a list", field)
            for choice in picked:
                if choice not in _CHOICE_CONTROLS[name]:
                    raise where.error(f"unknown choice {choice!r}", field)
            choices.setdefault(name, []).extend(picked)
        elif name == schema.LS_NOTE:
            lines = value.get("text", [])
            lines = lines if isinstance(lines, list) else [lines]
            if not all(isinstance(line, str) for line in lines):
                raise where.error("a note is text", field)
            annotation.note = "\n".join(lines)
        else:
            raise where.error(f"unknown control {name!r}", field)
    for control, picked in choices.items():
        if len(picked) != 1:
            raise where.error(f"exactly one choice expected, got {picked}", control)
    annotation.stance = choices.get(schema.LS_STANCE, [None])[0]
    annotation.stance_holder = choices.get(schema.LS_HOLDER, [None])[0]
    if (annotation.stance is None) != (annotation.stance_holder is None):
        raise where.error("stance and holder must be set together", schema.LS_HOLDER)
    if not allow_overlap:
        _check_not_overlapping(annotation.entities, where, "entities")
        _check_not_overlapping(annotation.hedge_cues, where, "hedge cues")
    _check_distinct(annotation.hedge_scopes, where)
    for spans in (annotation.entities, annotation.hedge_cues, annotation.hedge_scopes):
        spans.sort(key=lambda s: (s.start, s.end, s.label))
    return annotation


def _check_not_overlapping(spans: Sequence[Span], where: Where, kind: str) -> None:
    """Entities are flat and cues are minimal, so neither may overlap its own kind."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for left, right in itertools.pairwise(ordered):
        if right.start < left.end:
            control = schema.LS_ENTITIES if kind == "entities" else schema.LS_HEDGES
            raise where.error(
                f"{kind} overlap: {left.text!r} [{left.start}, {left.end}) and "
                f"{right.text!r} [{right.start}, {right.end})",
                control,
            )


def _check_distinct(scopes: Sequence[Span], where: Where) -> None:
    """Scopes may nest, but the same scope twice is a duplicate, refused like the other layers."""
    seen: set[tuple[int, int]] = set()
    for scope in scopes:
        if (scope.start, scope.end) in seen:
            raise where.error(
                f"duplicate hedge scope {scope.text!r} [{scope.start}, {scope.end})",
                schema.LS_HEDGES,
            )
        seen.add((scope.start, scope.end))


# --- reading exports ----------------------------------------------------------------------


@dataclass(slots=True)
class TaskAnnotations:
    """The gold and every individual annotation of one exported task."""

    sid: str
    file: Path
    gold: SentenceAnnotation | None
    annotations: list[SentenceAnnotation] = field(default_factory=list)
    guidelines_version: str | None = None
    annotated_at: str | None = None


def read_annotations(
    files: Iterable[Path], sentences: Mapping[str, CorpusSentence]
) -> dict[str, TaskAnnotations]:
    """Read exports, check every task against the corpus, and pick each task's gold annotation.

    The gold is the non-cancelled annotation marked ``ground_truth``; a task with a single
    non-cancelled annotation needs no mark; several without a mark must be adjudicated first.
    """
    by_sid: dict[str, TaskAnnotations] = {}
    for path in files:
        for task in read_export(path):
            where = Where(path, task.sid)
            if task.sid not in sentences:
                raise where.error("unknown sentence id (not in corpus/raw)", "data.sid")
            if task.sid in by_sid:
                raise where.error(f"sentence is exported twice (also in {by_sid[task.sid].file})")
            sentence = sentences[task.sid]
            if task.text != sentence.text:
                raise where.error("task text does not match the corpus sentence", "data.text")
            by_sid[task.sid] = _task_annotations(task, sentence)
    return by_sid


def _task_annotations(task: ExportedTask, sentence: CorpusSentence) -> TaskAnnotations:
    done = task.done()
    position = gold_position(done, file=task.file, item=sentence.id)
    converted = []
    for index, annotation in enumerate(done):
        where = Where(task.file, f"{sentence.id} (annotation {annotation.get('id')})")
        # Only the gold must be a valid release annotation; an adjudicated annotator's
        # overlapping spans are kept as they were made.
        result = from_ls_results(
            annotation.get("result", []),
            sentence.text,
            sentence.tokens,
            where,
            allow_overlap=index != position,
        )
        result.annotator = annotator_name(annotation.get("completed_by"))
        converted.append(result)
    if position is None and converted:
        raise Where(task.file, sentence.id).error(
            f"{len(converted)} annotations and none is marked ground_truth: adjudicate first",
            "annotations",
        )
    dates = sorted(str(a.get("updated_at") or a.get("created_at") or "") for a in done)
    return TaskAnnotations(
        sid=sentence.id,
        file=task.file,
        gold=None if position is None else converted[position],
        annotations=converted,
        guidelines_version=_guidelines_version(task, None if position is None else done[position]),
        annotated_at=(dates[-1] or None) if dates else None,
    )


def _guidelines_version(task: ExportedTask, gold: Mapping[str, Any] | None) -> str | None:
    """The guidelines the gold followed: its pull's record (an adjudication made under newer
    guidelines than the task was pushed with), else the task's."""
    source = gold.get("sqcorpus_source") if gold is not None else None
    version = source.get("guidelines_version") if isinstance(source, Mapping) else None
    if version is None:
        version = task.data.get("guidelines_version")
    if version is not None and not isinstance(version, str):
        raise Where(task.file, task.sid).error("must be a string", "data.guidelines_version")
    return version


# --- sentence + annotation -> release record ------------------------------------------------


def _spans(items: Sequence[Span]) -> list[schema.SpanRecord]:
    return [{"start": s.start, "end": s.end, "text": s.text} for s in items]


def _entities(items: Sequence[Span]) -> list[schema.EntityRecord]:
    return [
        {
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "label": schema.label_index("entities", s.label),
        }
        for s in items
    ]


def to_record(
    sentence: CorpusSentence,
    annotation: SentenceAnnotation | None,
    stance_target: str | None = None,
) -> schema.Record:
    """One release row (labels as class indices, as stored in Parquet).

    ``stance_target`` is the document's target; it is kept only for an annotated sentence.
    """
    layer = annotation or SentenceAnnotation()
    tokens = [(t.start, t.end) for t in sentence.tokens]
    # The converter has already refused overlapping spans of one layer.
    ner = schema.iob2_tags(tokens, [(s.start, s.end, s.label) for s in layer.entities])
    hedge = schema.iob2_tags(tokens, [(s.start, s.end, "CUE") for s in layer.hedge_cues])
    # Uncertain exactly when the sentence has a hedge cue (CoNLL-2010); unset if unannotated.
    uncertain = None if annotation is None else ("uncertain" if layer.hedge_cues else "certain")
    return {
        "id": sentence.id,
        "doc_id": sentence.doc_id,
        "sentence_index": sentence.index,
        "text": sentence.text,
        "text_en": sentence.original,
        "start": sentence.start,
        "end": sentence.end,
        "tokens": [t.text for t in sentence.tokens],
        "token_starts": [t.start for t in sentence.tokens],
        "token_ends": [t.end for t in sentence.tokens],
        "entities": _entities(layer.entities),
        "ner_tags": schema.class_label("ner_tags").str2int(ner),
        "stance_target": stance_target if annotation is not None else None,
        "stance": schema.label_index("stance", layer.stance),
        "stance_holder": schema.label_index("stance_holder", layer.stance_holder),
        "hedge_cues": _spans(layer.hedge_cues),
        "hedge_scopes": _spans(layer.hedge_scopes),
        "hedge_tags": schema.class_label("hedge_tags").str2int(hedge),
        "uncertain": schema.label_index("uncertain", uncertain),
        "source": sentence.source,
        "outlet": sentence.outlet,
        "text_license": sentence.text_license,
    }
