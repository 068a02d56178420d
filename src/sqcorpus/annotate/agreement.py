"""Inter-annotator agreement and annotator-versus-gold comparison from Label Studio exports.

Wherever a task has two or more non-cancelled annotations: pairwise entity span F1 (exact,
and overlap with the same label), hedge cue and scope F1 (exact), Cohen's kappa
(scikit-learn) for stance, holder and uncertainty per annotator pair, Krippendorff's alpha
(the ``krippendorff`` package, nominal) over all annotators, and a per-sentence list of the
disagreements to adjudicate. Every annotator, and every pre-annotation model version, is also
compared with the gold: the annotation marked ``ground_truth`` or a task's single annotation.

Span F1 between two annotators is symmetric: 2·matches / (spans of one + spans of the other).
Undefined figures (no spans on either side, a single category for kappa) are ``None``.
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from .. import paths, schema
from ..errors import SqcorpusError
from ..models import SentenceAnnotation, Span
from ..text.segmentation import tokenize
from .convert import Where, from_ls_results
from .tasks import annotator_name, export_files, gold_position, read_export

LABEL_LAYERS: tuple[str, ...] = tuple(schema.SENTENCE_LABELS)
ADJUDICATION_SOURCES: frozenset[str] = frozenset({"adjudication", "sqcorpus-adjudication"})
"""Annotations from these sources (``sqcorpus_source.project``) are adjudications, not
independent annotations: they are the gold, never a party to inter-annotator agreement."""


@dataclass(slots=True)
class Coding:
    """One annotator's (or one model's) annotation of one task."""

    who: str
    annotation: SentenceAnnotation
    gold: bool = False
    guidelines: str | None = None
    """The guidelines version the annotation followed (its pull's record, else the task's)."""


@dataclass(slots=True)
class TaskCodings:
    sid: str
    text: str
    file: Path
    annotations: list[Coding] = field(default_factory=list)
    predictions: list[Coding] = field(default_factory=list)
    adjudications: list[Coding] = field(default_factory=list)

    @property
    def gold(self) -> Coding | None:
        """The ground-truth rule of :func:`.tasks.gold_position`, applied when reading."""
        return next((c for c in [*self.adjudications, *self.annotations] if c.gold), None)


def label_of(annotation: SentenceAnnotation, layer: str) -> str | None:
    """A sentence-level label of an annotation (uncertainty follows from the cues)."""
    if layer == "uncertain":
        return schema.label_name("uncertain", int(bool(annotation.hedge_cues)))
    value = getattr(annotation, layer)
    return None if value is None else str(value)


# --- reading -------------------------------------------------------------------------------


def read_codings(files: Iterable[Path]) -> list[TaskCodings]:
    """Every task of the exports with its annotations and predictions, each checked."""
    tasks: list[TaskCodings] = []
    for path in files:
        for task in read_export(path):
            tokens = tokenize(task.text)
            codings = TaskCodings(sid=task.sid, text=task.text, file=path)
            done = task.done()
            gold = gold_position(done, file=path, item=task.sid)
            seen: Counter[str] = Counter()
            for position, entry in enumerate(done):
                where = Where(path, f"{task.sid} (annotation {entry.get('id')})")
                annotation = from_ls_results(
                    entry.get("result") or [], task.text, tokens, where, allow_overlap=True
                )
                who = annotator_name(entry.get("completed_by"))
                source = entry.get("sqcorpus_source")
                version = (
                    source.get("guidelines_version") if isinstance(source, dict) else None
                ) or task.data.get("guidelines_version")
                version = str(version) if version is not None else None
                if isinstance(source, dict) and source.get("project") in ADJUDICATION_SOURCES:
                    codings.adjudications.append(Coding(who, annotation, position == gold, version))
                    continue
                seen[who] += 1
                if seen[who] > 1:  # the same person twice: keep both, distinguishable
                    who = f"{who}#{seen[who]}"
                codings.annotations.append(Coding(who, annotation, position == gold, version))
            for entry in task.predictions():
                where = Where(path, f"{task.sid} (prediction {entry.get('id')})")
                annotation = from_ls_results(
                    entry.get("result") or [], task.text, tokens, where, allow_overlap=True
                )
                model = entry.get("model_version") or "unknown"
                codings.predictions.append(Coding(f"model {model}", annotation))
            tasks.append(codings)
    return tasks


# --- span and label agreement ----------------------------------------------------------------


def _exact(spans: Sequence[Span]) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in spans}


def overlap_matches(left: Sequence[Span], right: Sequence[Span]) -> int:
    """One-to-one matches of same-label spans that share at least one character.

    Greedy by end offset, which is a maximum matching for intervals.
    """
    used: set[int] = set()
    matches = 0
    for a in sorted(left, key=lambda s: (s.end, s.start)):
        for j, b in sorted(enumerate(right), key=lambda item: (item[1].end, item[1].start)):
            if j not in used and a.label == b.label and a.start < b.end and b.start < a.end:
                used.add(j)
                matches += 1
                break
    return matches


@dataclass(slots=True)
class SpanTally:
    """Summed span counts over tasks: matches, spans on the left, spans on the right."""

    matches: int = 0
    left: int = 0
    right: int = 0

    def add(self, matches: int, left: int, right: int) -> None:
        self.matches += matches
        self.left += left
        self.right += right

    def f1(self) -> float | None:
        total = self.left + self.right
        return None if total == 0 else 2 * self.matches / total

    def as_dict(self, left: str = "left", right: str = "right") -> dict[str, Any]:
        out: dict[str, Any] = {"f1": self.f1(), "matches": self.matches}
        out[left], out[right] = self.left, self.right
        return out


def _span_layers(a: SentenceAnnotation, b: SentenceAnnotation) -> dict[str, tuple[int, int, int]]:
    """Match counts (matches, |a|, |b|) per span layer."""
    return {
        "entities_exact": (
            len(_exact(a.entities) & _exact(b.entities)),
            len(a.entities),
            len(b.entities),
        ),
        "entities_overlap": (
            overlap_matches(a.entities, b.entities),
            len(a.entities),
            len(b.entities),
        ),
        "cues": (
            len(_exact(a.hedge_cues) & _exact(b.hedge_cues)),
            len(a.hedge_cues),
            len(b.hedge_cues),
        ),
        "scopes": (
            len(_exact(a.hedge_scopes) & _exact(b.hedge_scopes)),
            len(a.hedge_scopes),
            len(b.hedge_scopes),
        ),
    }


SPAN_LAYERS: tuple[str, ...] = ("entities_exact", "entities_overlap", "cues", "scopes")


def cohen_kappa(left: Sequence[str], right: Sequence[str]) -> float | None:
    """Cohen's kappa (scikit-learn); ``None`` when undefined (no items, one category)."""
    if not left:
        return None
    with warnings.catch_warnings():
        # Undefined (one category) is reported as None below, not as a warning per call.
        warnings.simplefilter("ignore")
        value = float(cohen_kappa_score(left, right))
    return None if value != value else value  # NaN: both used one and the same category


def krippendorff_alpha(
    units: Sequence[Mapping[str, str]], coders: Sequence[str], layer: str
) -> float | None:
    """Krippendorff's alpha (nominal) over units coded by two or more coders."""
    names = schema.SENTENCE_LABELS[layer]
    pairable = [u for u in units if len(u) >= 2]
    if not pairable:
        return None
    data = np.full((len(coders), len(pairable)), np.nan)
    for column, unit in enumerate(pairable):
        for coder, value in unit.items():
            data[coders.index(coder), column] = schema.label_index(layer, value)
    return nominal_alpha(data, len(names))


def nominal_alpha(data: np.ndarray, categories: int) -> float | None:
    """Krippendorff's alpha of a coders-by-units matrix of class indices (NaN: not coded);
    None where it is undefined (no variation at all)."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        alpha = float(
            krippendorff.alpha(
                reliability_data=data,
                level_of_measurement="nominal",
                value_domain=list(range(categories)),
            )
        )
    return None if alpha != alpha else alpha


# --- disagreements ---------------------------------------------------------------------------


def _span_differences(
    codings: Sequence[Coding], layer: str, attribute: str, labelled: bool
) -> list[dict[str, Any]]:
    having: dict[tuple[int, int, str], list[str]] = {}
    texts: dict[tuple[int, int, str], str] = {}
    for coding in codings:
        for span in getattr(coding.annotation, attribute):
            key = (span.start, span.end, span.label if labelled else "")
            having.setdefault(key, []).append(coding.who)
            texts[key] = span.text
    everyone = [c.who for c in codings]
    out = []
    for key in sorted(having):
        if sorted(having[key]) != sorted(everyone):
            item: dict[str, Any] = {
                "layer": layer,
                "start": key[0],
                "end": key[1],
                "text": texts[key],
                "by": sorted(having[key]),
                "not_by": sorted(set(everyone) - set(having[key])),
            }
            if labelled:
                item["label"] = key[2]
            out.append(item)
    return out


def disagreements(task: TaskCodings) -> list[dict[str, Any]]:
    """What the annotators of one task disagree on (empty when they agree)."""
    codings = task.annotations
    out = _span_differences(codings, "entity", "entities", labelled=True)
    out += _span_differences(codings, "hedge cue", "hedge_cues", labelled=False)
    out += _span_differences(codings, "hedge scope", "hedge_scopes", labelled=False)
    for layer in LABEL_LAYERS:
        values = {c.who: label_of(c.annotation, layer) for c in codings}
        if len(set(values.values())) > 1:
            out.append({"layer": layer, "values": dict(sorted(values.items()))})
    return out


# --- the report ------------------------------------------------------------------------------


def _compare(
    pairs: Iterable[tuple[SentenceAnnotation, SentenceAnnotation]],
) -> dict[str, Any]:
    """Span F1 and label agreement of (reference, other) annotation pairs."""
    tallies = {layer: SpanTally() for layer in SPAN_LAYERS}
    labels: dict[str, tuple[list[str], list[str]]] = {layer: ([], []) for layer in LABEL_LAYERS}
    tasks = 0
    for reference, other in pairs:
        tasks += 1
        for layer, counts in _span_layers(reference, other).items():
            tallies[layer].add(*counts)
        for layer in LABEL_LAYERS:
            a, b = label_of(reference, layer), label_of(other, layer)
            if a is not None and b is not None:
                labels[layer][0].append(a)
                labels[layer][1].append(b)
    result: dict[str, Any] = {"tasks": tasks}
    for layer, tally in tallies.items():
        result[layer] = tally.as_dict()
    for layer, (left, right) in labels.items():
        agreeing = sum(x == y for x, y in zip(left, right, strict=True))
        result[layer] = {
            "items": len(left),
            "observed_agreement": agreeing / len(left) if left else None,
            "cohen_kappa": cohen_kappa(left, right),
        }
    return result


def agreement_report(tasks: Sequence[TaskCodings]) -> dict[str, Any]:
    """The agreement report of exported tasks (see the module docstring)."""
    multi = [t for t in tasks if len(t.annotations) >= 2]
    report: dict[str, Any] = {
        "tasks": len(tasks),
        "annotated_tasks": sum(1 for t in tasks if t.annotations),
        "doubly_annotated_tasks": len(multi),
        "annotators": sorted({c.who for t in tasks for c in t.annotations}),
    }
    if not multi:
        report["pairwise"] = None
        report["krippendorff_alpha"] = None
        report["disagreements"] = []
        report["note"] = "no doubly-annotated tasks: inter-annotator agreement cannot be measured"
    else:
        coders = sorted({c.who for t in multi for c in t.annotations})
        pairwise = {}
        for a, b in itertools.combinations(coders, 2):
            pairs = []
            for task in multi:
                by_who = {c.who: c.annotation for c in task.annotations}
                if a in by_who and b in by_who:
                    pairs.append((by_who[a], by_who[b]))
            if pairs:
                pairwise[f"{a} / {b}"] = _compare(pairs)
        report["pairwise"] = pairwise
        report["krippendorff_alpha"] = {
            layer: krippendorff_alpha(
                [
                    {
                        c.who: value
                        for c in t.annotations
                        if (value := label_of(c.annotation, layer)) is not None
                    }
                    for t in multi
                ],
                coders,
                layer,
            )
            for layer in LABEL_LAYERS
        }
        report["disagreements"] = [
            {"sid": t.sid, "file": str(t.file), "text": t.text, "differences": diffs}
            for t in multi
            if (diffs := disagreements(t))
        ]
    report["versus_gold"] = _versus_gold(tasks)
    return report


def _versus_gold(tasks: Sequence[TaskCodings]) -> dict[str, Any]:
    """Each annotator's and each model version's agreement with the gold (gold as reference)."""
    pairs: dict[str, list[tuple[SentenceAnnotation, SentenceAnnotation]]] = {}
    for task in tasks:
        gold = task.gold
        if gold is None:
            continue
        for coding in [*task.annotations, *task.predictions]:
            if coding is not gold:  # an adjudication is never in these lists
                pairs.setdefault(coding.who, []).append((gold.annotation, coding.annotation))
    out = {}
    for who in sorted(pairs):
        result = _compare(pairs[who])
        for layer in SPAN_LAYERS:  # gold on the left: precision/recall read naturally
            tally = result[layer]
            tally["gold"], tally["predicted"] = tally.pop("left"), tally.pop("right")
            tally["precision"] = (
                tally["matches"] / tally["predicted"] if tally["predicted"] else None
            )
            tally["recall"] = tally["matches"] / tally["gold"] if tally["gold"] else None
        out[who] = result
    return out


def export_paths(files: Sequence[Path] | None = None) -> list[Path]:
    """The export files named (files or folders), default every annotation/exports/*.json."""
    if not files:
        directory = paths.exports_dir()
        files = sorted(directory.glob("*.json")) if directory.is_dir() else []
        if not files:
            raise SqcorpusError("no Label Studio export (*.json) found", file=directory)
    return [f for path in files for f in export_files(Path(path))]


def agreement(files: Sequence[Path] | None = None) -> dict[str, Any]:
    """The agreement report of Label Studio JSON exports (default: annotation/exports/*.json)."""
    expanded = export_paths(files)
    report = agreement_report(read_codings(expanded))
    report["files"] = [str(f) for f in expanded]
    return report
