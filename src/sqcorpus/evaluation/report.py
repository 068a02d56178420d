"""Reports of a score: headline figures with intervals as text, and the full report as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..files import write_json
from .metrics import Figure

# --- text --------------------------------------------------------------------------


def headline(report: Mapping[str, Any]) -> list[tuple[str, Figure]]:
    """The headline figures of a report, in a fixed order, as (name, figure)."""
    metrics = report.get("metrics") or {}
    out: list[tuple[str, Figure]] = []
    names = {
        "entities": "entity (strict)",
        "entities_conll2003": "entity, CoNLL-2003 types",
        "uncertain": "uncertain sentences (CoNLL-2010 Task 1)",
        "cues": "hedge cues (exact)",
        "scopes": "hedge scopes (exact)",
    }
    for key, label in names.items():
        block = metrics.get(key)
        if block:
            out += [(f"{label} {m}", block[m]) for m in ("precision", "recall", "f1")]
    stance = metrics.get("stance")
    if stance:
        out += [
            ("stance accuracy", stance["accuracy"]),
            ("stance macro-F1 (scikit-learn, zero_division=0)", stance["macro_f1"]),
            ("stance F_avg (SemEval-2016 official)", stance["semeval2016_f_avg"]),
        ]
    holder = metrics.get("stance_holder")
    if holder:
        out += [
            ("stance holder accuracy", holder["accuracy"]),
            ("stance holder macro-F1", holder["macro_f1"]),
        ]
    return out


def format_figure(figure: Figure | None, digits: int = 3) -> str:
    """``0.812 [0.700, 0.900]``; ``n/a`` for an undefined figure."""
    if figure is None or figure["value"] is None:
        return "n/a"
    value = f"{figure['value']:.{digits}f}"
    if figure["ci95"] is None:
        return value
    low, high = figure["ci95"]
    return f"{value} [{low:.{digits}f}, {high:.{digits}f}]"


def _cell(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def format_report(report: Mapping[str, Any]) -> str:
    """A plain-text table of a report: headline figures with 95% intervals, then details."""
    lines = [
        f"sqcorpus {report.get('version', '?')}, config {report['config']}, "
        f"split {report['split']}: {report['scored']} of {report['sentences']} sentences scored"
        + (
            f" ({report['excluded_missing_gold']} excluded: gold label missing)"
            if report["excluded_missing_gold"]
            else ""
        ),
    ]
    if report.get("ignored_other_splits"):
        lines.append(f"{report['ignored_other_splits']} prediction lines for other splits ignored")
    if report.get("metrics") is None:
        lines.append(report.get("note", "nothing to score"))
        return "\n".join(lines)
    rows = [(name, format_figure(figure)) for name, figure in headline(report)]
    if report["metrics"].get("label_set") == "conll2003":
        lines.append("predictions use CoNLL-2003 types: scored after mapping only")
    width = max(len(name) for name, _ in rows)
    lines.append(f"{'metric':<{width}}  value [95% CI]")
    lines += [f"{name:<{width}}  {value}" for name, value in rows]
    details = report["metrics"].get("entities") or report["metrics"].get("entities_conll2003")
    per_type = details.get("per_type") if details else None
    if report["metrics"].get("stance"):
        per_type = report["metrics"]["stance"]["per_class"]
    if per_type:
        lines.append("")
        lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
        lines += [
            f"{label:<10} {_cell(s['precision'])} {_cell(s['recall'])} {_cell(s['f1'])}"
            f" {s['support']:8d}"
            for label, s in per_type.items()
        ]
    return "\n".join(lines)


def write_report(report: Mapping[str, Any], out: Path) -> None:
    """Write a report as JSON (temporary file renamed into place)."""
    write_json(out, report)
