"""Agreement per layer with percentile bootstrap confidence intervals over sentences.

For the doubly annotated sentences: entity F1 (exact, and overlap with the same label), hedge
cue and scope F1 (exact), each pairwise and averaged over annotator pairs; Cohen's kappa
(scikit-learn, averaged over annotator pairs) and Krippendorff's alpha (nominal, all
annotators) for stance, holder and uncertain. The intervals resample the sentences with
replacement (seeded, so a report is reproducible) and take the 2.5th and 97.5th percentiles;
a resample where a figure is undefined (no spans, one category) is left out of its interval.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Final

import numpy as np

from .. import paths, schema
from ..generated import Generated, marker_block, sync
from .agreement import (
    LABEL_LAYERS,
    TaskCodings,
    _span_layers,
    agreement_report,
    cohen_kappa,
    export_paths,
    label_of,
    nominal_alpha,
    read_codings,
)

BOOTSTRAP: Final = 1000
SEED: Final = 20261201
LEVEL: Final = 0.95
SPAN_METRICS: Final = {
    "entities_exact": ("entities", "F1 exact"),
    "entities_overlap": ("entities", "F1 overlap"),
    "cues": ("hedge cues", "F1"),
    "scopes": ("hedge scopes", "F1"),
}


def _mean(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


class _Codings:
    """The doubly annotated sentences as arrays, so that a resample is an index vector."""

    def __init__(self, tasks: Sequence[TaskCodings]) -> None:
        self.coders = sorted({c.who for t in tasks for c in t.annotations})
        self.pairs = list(itertools.combinations(range(len(self.coders)), 2))
        n = len(tasks)
        # counts[layer][pair]: (matches, spans of a, spans of b) per sentence, 0 if not both.
        self.counts = {
            key: np.zeros((len(self.pairs), n, 3), dtype=np.int64) for key in SPAN_METRICS
        }
        # labels[layer]: the label index each coder gave each sentence, -1 for none.
        self.labels = {layer: np.full((len(self.coders), n), -1) for layer in LABEL_LAYERS}
        for column, task in enumerate(tasks):
            by_coder = {self.coders.index(c.who): c.annotation for c in task.annotations}
            for p, (a, b) in enumerate(self.pairs):
                if a in by_coder and b in by_coder:
                    for key, counts in _span_layers(by_coder[a], by_coder[b]).items():
                        self.counts[key][p, column] = counts
            for coder, annotation in by_coder.items():
                for layer in LABEL_LAYERS:
                    value = label_of(annotation, layer)
                    if value is not None:
                        self.labels[layer][coder, column] = schema.label_index(layer, value)

    def span_f1(self, key: str, idx: np.ndarray) -> float | None:
        """Mean over annotator pairs of each pair's F1, summed over the sentences."""
        scores = []
        for p in range(len(self.pairs)):
            matches, left, right = self.counts[key][p, idx].sum(axis=0)
            scores.append(2 * float(matches) / (left + right) if left + right else None)
        return _mean(scores)

    def kappa(self, layer: str, idx: np.ndarray) -> float | None:
        scores = []
        for a, b in self.pairs:
            left, right = self.labels[layer][a, idx], self.labels[layer][b, idx]
            both = (left >= 0) & (right >= 0)
            scores.append(cohen_kappa(left[both].tolist(), right[both].tolist()))
        return _mean(scores)

    def alpha(self, layer: str, idx: np.ndarray) -> float | None:
        """Krippendorff's alpha (nominal) as :func:`.agreement.krippendorff_alpha` computes it."""
        data = self.labels[layer][:, idx].astype(float)
        data[data < 0] = np.nan
        data = data[:, (~np.isnan(data)).sum(axis=0) >= 2]  # units two coders labelled
        if data.shape[1] == 0:
            return None
        return nominal_alpha(data, len(schema.SENTENCE_LABELS[layer]))


def layer_table(
    tasks: Sequence[TaskCodings], *, bootstrap: int = BOOTSTRAP, seed: int = SEED
) -> list[dict[str, Any]]:
    """One row per layer and metric: value, interval bounds and the number of sentences."""
    multi = [t for t in tasks if len(t.annotations) >= 2]
    codings = _Codings(multi)
    rng = np.random.default_rng(seed)
    everything = np.arange(len(multi))
    samples = [rng.integers(0, len(multi), len(multi)) for _ in range(bootstrap)] if multi else []
    metrics: list[tuple[str, str, Callable[[np.ndarray], float | None]]] = []
    for key, (layer, metric) in SPAN_METRICS.items():
        metrics.append((layer, metric, partial(codings.span_f1, key)))
    for layer in LABEL_LAYERS:
        metrics.append((layer, "Cohen's kappa", partial(codings.kappa, layer)))
        metrics.append((layer, "Krippendorff's alpha", partial(codings.alpha, layer)))
    rows = []
    tail = (1 - LEVEL) / 2 * 100
    for layer, metric, compute in metrics:
        value = compute(everything) if multi else None
        draws = [v for idx in samples if (v := compute(idx)) is not None]
        low, high = (
            (float(np.percentile(draws, tail)), float(np.percentile(draws, 100 - tail)))
            if draws and value is not None
            else (None, None)
        )
        rows.append(
            {
                "layer": layer,
                "metric": metric,
                "value": value,
                "ci_low": low,
                "ci_high": high,
                "sentences": len(multi),
                "annotator_pairs": len(codings.pairs),
            }
        )
    return rows


def agreement_with_intervals(
    files: Sequence[Path] | None = None,
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
    guidelines: str | None = None,
) -> dict[str, Any]:
    """The agreement report (:func:`.agreement.agreement`) with its per-layer table.

    ``guidelines`` keeps only annotations made under that guidelines version (agreement is
    between annotators following the same rules)."""
    expanded = export_paths(files)
    tasks = read_codings(expanded)
    if guidelines is not None:
        for task in tasks:
            task.annotations = [c for c in task.annotations if c.guidelines == guidelines]
    report = agreement_report(tasks)
    report["files"] = [str(f) for f in expanded]
    report["bootstrap"] = {"resamples": bootstrap, "seed": seed, "level": LEVEL}
    report["guidelines"] = guidelines
    report["layers"] = layer_table(tasks, bootstrap=bootstrap, seed=seed)
    return report


def format_layer_table(rows: Sequence[dict[str, Any]], bootstrap: int, seed: int) -> str:
    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"Agreement per layer (doubly annotated sentences; {LEVEL:.0%} percentile bootstrap "
        f"over sentences, {bootstrap} resamples, seed {seed}):",
        f"{'layer':<14} {'metric':<22} {'value':>6}  {'95% CI':<15} {'n':>5}",
    ]
    for row in rows:
        interval = (
            f"[{show(row['ci_low'])}, {show(row['ci_high'])}]" if row["ci_low"] is not None else "-"
        )
        lines.append(
            f"{row['layer']:<14} {row['metric']:<22} {show(row['value']):>6}  {interval:<15} "
            f"{row['sentences']:>5}"
        )
    return "\n".join(lines)


DATASHEET_BEGIN: Final = "<!-- agreement:begin -->"
DATASHEET_END: Final = "<!-- agreement:end -->"


def datasheet_block(report: Mapping[str, Any]) -> str:
    """The agreement table of DATASHEET.md (Markdown, without its marker lines)."""
    rows = report["layers"]
    boot = report["bootstrap"]
    version = report.get("guidelines")
    sentences = rows[0]["sentences"] if rows else 0
    pairs = rows[0]["annotator_pairs"] if rows else 0

    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"<!-- generated by `sqcorpus agreement{f' --guidelines {version}' if version else ''}"
        " --write-datasheet`: do not edit -->",
        "",
        f"Inter-annotator agreement on the {sentences} sentences annotated blind by two or more "
        f"annotators{f' under guidelines {version}' if version else ''} ({pairs} annotator "
        f"pairs); {boot['level']:.0%} percentile bootstrap intervals over sentences "
        f"({boot['resamples']} resamples, seed {boot['seed']}). Span layers: F1 of one "
        "annotator's spans against the other's, averaged over pairs; sentence-level layers: "
        "Cohen's kappa (averaged over pairs) and Krippendorff's alpha (nominal).",
        "",
        "| layer | metric | value | 95% CI |",
        "|---|---|---:|---|",
    ]
    for row in rows:
        interval = (
            f"[{show(row['ci_low'])}, {show(row['ci_high'])}]"
            if row["ci_low"] is not None
            else "n/a"
        )
        lines.append(f"| {row['layer']} | {row['metric']} | {show(row['value'])} | {interval} |")
    return "\n".join(lines) + "\n"


def update_datasheet_agreement(
    report: Mapping[str, Any], *, check: bool = False, path: Path | None = None
) -> Generated:
    """Write (or with ``check``, compare) DATASHEET.md's agreement block."""
    target = path or paths.datasheet_file()
    part = marker_block(target, DATASHEET_BEGIN, DATASHEET_END, "datasheet")
    return sync("agreement --write-datasheet", target, part, datasheet_block(report), check=check)
