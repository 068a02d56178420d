"""The corpus in figures: SVG plots drawn with matplotlib, byte-identical from run to run.

matplotlib draws off-screen (Agg), writes text as paths (no font is needed to view the SVG),
takes its element ids from a fixed salt, and leaves out the date and creator metadata, so
regenerating a figure from the same release gives the same bytes and a ``--check`` can
compare them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from ... import schema
from .model import Statistics

SALT = "sqcorpus"
_COLOURS = {"train": "#4e79a7", "validation": "#f28e2b", "test": "#59a14f"}
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = SALT
    matplotlib.rcParams["svg.fonttype"] = "path"
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=_METADATA)
    return buffer.getvalue()


def labels_per_split(counts: Mapping[str, Mapping[str, int]]) -> str:
    """Entities of each type, one bar per split."""
    figure, axes = _figure(7, 3.2)
    labels = list(schema.ENTITY_LABELS)
    splits = list(counts)
    width = 0.8 / max(len(splits), 1)
    for n, split in enumerate(splits):
        positions = [i + (n - (len(splits) - 1) / 2) * width for i in range(len(labels))]
        values = [counts[split].get(label, 0) for label in labels]
        axes.bar(positions, values, width, label=split, color=_COLOURS.get(split))
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel("entities")
    axes.set_title("Entities per type and split")
    axes.legend(frameon=False)
    return _svg(figure)


def _horizontal_bars(values: Mapping[str, int], title: str, xlabel: str, limit: int = 40) -> str:
    """Bars sorted by value; beyond ``limit`` items the rest are summed into one bar."""
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) > limit:
        rest = items[limit - 1 :]
        items = [*items[: limit - 1], (f"{len(rest)} others", sum(v for _, v in rest))]
    figure, axes = _figure(7, 1.2 + 0.28 * len(items))
    names = [name if len(name) <= 40 else name[:39] + "…" for name, _ in reversed(items)]
    axes.barh(names, [v for _, v in reversed(items)], color="#4e79a7")
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    return _svg(figure)


def sentences_per_document(values: Mapping[str, int]) -> str:
    return _horizontal_bars(values, "Sentences per document", "sentences")


def sentences_per_outlet(values: Mapping[str, int]) -> str:
    return _horizontal_bars(values, "Sentences per outlet", "sentences")


def sentence_lengths(lengths: Sequence[int]) -> str:
    figure, axes = _figure(7, 3)
    top = max(lengths, default=1)
    step = max(1, (top + 24) // 25)
    axes.hist(lengths, bins=range(0, top + step + 1, step), color="#4e79a7", edgecolor="white")
    axes.set_xlabel("tokens per sentence")
    axes.set_ylabel("sentences")
    axes.set_title("Sentence lengths")
    return _svg(figure)


AGREEMENT_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("entities_exact", "f1", "entities (exact F1)"),
    ("entities_overlap", "f1", "entities (overlap F1)"),
    ("cues", "f1", "hedge cues (F1)"),
    ("scopes", "f1", "hedge scopes (F1)"),
    ("stance", "cohen_kappa", "stance (kappa)"),
    ("stance_holder", "cohen_kappa", "holder (kappa)"),
    ("uncertain", "cohen_kappa", "uncertain (kappa)"),
)


def agreement_per_layer(pairwise: Mapping[str, Mapping[str, Any]]) -> str:
    """Span F1 and Cohen's kappa per layer, one bar per annotator pair; n/a when undefined."""
    figure, axes = _figure(7, 3.4)
    pairs = list(pairwise)
    width = 0.8 / max(len(pairs), 1)
    for n, pair in enumerate(pairs):
        for i, (layer, measure, _) in enumerate(AGREEMENT_MEASURES):
            x = i + (n - (len(pairs) - 1) / 2) * width
            value = pairwise[pair][layer][measure]
            if value is None:
                axes.text(x, 0.02, "n/a", ha="center", fontsize=7)
            else:
                bars = axes.bar(x, value, width, color=f"C{n}", label=pair if i == 0 else None)
                axes.bar_label(bars, fmt="%.2f", fontsize=7)
    axes.set_xticks(range(len(AGREEMENT_MEASURES)), [m[2] for m in AGREEMENT_MEASURES])
    axes.tick_params(axis="x", labelrotation=25, labelsize=8)
    axes.set_ylim(min(0, *_values(pairwise)), 1.1)
    axes.axhline(0, color="#888888", linewidth=0.8)
    axes.set_title("Inter-annotator agreement per layer")
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure)


def _values(pairwise: Mapping[str, Mapping[str, Any]]) -> list[float]:
    return [
        v
        for result in pairwise.values()
        for layer, measure, _ in AGREEMENT_MEASURES
        if (v := result[layer][measure]) is not None
    ]


def figures(stats: Statistics, agreement: Mapping[str, Any] | None) -> dict[str, str]:
    """``{file name: SVG}`` of every figure that has data to show."""
    out = {
        "labels-per-split.svg": labels_per_split(stats.labels_per_split),
        "sentences-per-document.svg": sentences_per_document(stats.sentences_per_document),
        "sentence-lengths.svg": sentence_lengths(stats.sentence_tokens),
    }
    if set(stats.sentences_per_outlet) - {"unknown"}:
        out["sentences-per-outlet.svg"] = sentences_per_outlet(stats.sentences_per_outlet)
    if agreement and agreement.get("pairwise"):
        out["agreement-per-layer.svg"] = agreement_per_layer(agreement["pairwise"])
    return out
