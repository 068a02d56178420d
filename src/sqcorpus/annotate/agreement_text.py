"""The agreement report as text for the terminal (the report itself: :mod:`.agreement`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .agreement import LABEL_LAYERS, SPAN_LAYERS


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_agreement(report: Mapping[str, Any]) -> str:
    """A plain-text rendering of an agreement report."""
    lines = [
        f"{report['tasks']} tasks, {report['annotated_tasks']} annotated, "
        f"{report['doubly_annotated_tasks']} doubly annotated; "
        f"annotators: {', '.join(report['annotators']) or 'none'}"
    ]
    if report["pairwise"] is None:
        lines.append(report["note"])
    else:
        alpha = report["krippendorff_alpha"]
        lines.append(
            "Krippendorff's alpha (nominal): "
            + ", ".join(f"{layer} {_fmt(alpha[layer])}" for layer in LABEL_LAYERS)
        )
        for pair, result in report["pairwise"].items():
            lines.append(f"{pair} ({result['tasks']} tasks):")
            lines.append("  " + _span_line(result, lambda t: f"F1 {_fmt(t['f1'])}"))
            lines.append("  " + _label_line(result))
        count = len(report["disagreements"])
        lines.append(f"{count} sentence(s) with disagreements:")
        for item in report["disagreements"]:
            lines.append(f"  {item['sid']}:")
            for diff in item["differences"]:
                lines.append(f"    {_describe(diff)}")
    if report["versus_gold"]:
        lines.append("Against the gold:")
        for who, result in report["versus_gold"].items():
            lines.append(f"{who} ({result['tasks']} tasks):")
            lines.append(
                "  "
                + _span_line(
                    result,
                    lambda t: f"P {_fmt(t['precision'])} R {_fmt(t['recall'])} F1 {_fmt(t['f1'])}",
                )
            )
            lines.append("  " + _label_line(result))
    else:
        lines.append("No task has a gold annotation to compare with.")
    return "\n".join(lines)


def _span_line(result: Mapping[str, Any], show: Callable[[Mapping[str, Any]], str]) -> str:
    names = {
        "entities_exact": "entities exact",
        "entities_overlap": "entities overlap",
        "cues": "cues",
        "scopes": "scopes",
    }
    return "; ".join(f"{names[layer]} {show(result[layer])}" for layer in SPAN_LAYERS)


def _label_line(result: Mapping[str, Any]) -> str:
    parts = []
    for layer in LABEL_LAYERS:
        item = result[layer]
        parts.append(
            f"{layer} agreement {_fmt(item['observed_agreement'])} "
            f"kappa {_fmt(item['cohen_kappa'])} (n={item['items']})"
        )
    return "; ".join(parts)


def _describe(diff: Mapping[str, Any]) -> str:
    if "values" in diff:
        return f"{diff['layer']}: " + ", ".join(f"{k}={v}" for k, v in diff["values"].items())
    label = f" {diff['label']}" if "label" in diff else ""
    return (
        f"{diff['layer']} {diff['text']!r} [{diff['start']}, {diff['end']}){label}: "
        f"by {', '.join(diff['by'])}; not by {', '.join(diff['not_by'])}"
    )
