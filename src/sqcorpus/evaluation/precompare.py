"""Pre-annotation against final gold, per layer and per batch (the datasheet's figures).

:func:`compare` is pure: prediction objects (``sqcorpus preannotate`` output) and gold records
(a release's ``sentences`` rows) in, figures out. It scores with :func:`.score.score`,
so the figures are the ones ``sqcorpus evaluate`` gives: entities strict P/R/F1 (seqeval,
IOB2), hedge cues and scopes exact-span P/R/F1, the sentence ``uncertain`` flag P/R/F1, each
with a 95% percentile-bootstrap interval over sentences.

A batch is a set of documents pre-annotated together; by default each document is one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from .. import paths
from ..errors import SqcorpusError
from ..generated import Generated, marker_block, sync
from .score import is_scored, score

Record = Mapping[str, Any]

LAYERS: Final[tuple[tuple[str, str, str], ...]] = (
    ("entities", "ner", "entities"),
    ("hedge cues", "hedging", "cues"),
    ("hedge scopes", "hedging", "scopes"),
    ("uncertain", "hedging", "uncertain"),
)
"""(layer name, evaluation config, metrics key)."""
ALL: Final = "all"


def compare(
    predictions: Sequence[Record], gold: Sequence[Record], *, source: str = "<predictions>"
) -> dict[str, Any]:
    """Per-layer figures of ``predictions`` on the annotated sentences of ``gold``.

    Every annotated gold sentence needs a prediction; predictions for other sentences are
    ignored (a batch is scored on what has gold so far).
    """
    annotated = [r for r in gold if is_scored("ner", r)]
    wanted = {r["id"] for r in annotated}
    rows = [p for p in predictions if p.get("id") in wanted]
    predicted = {p.get("id") for p in rows}
    missing = [r["id"] for r in annotated if r["id"] not in predicted]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise SqcorpusError(
            f"no pre-annotation for this gold sentence{more}",
            file=source,
            item=missing[0],
            field="id",
        )
    result: dict[str, Any] = {"sentences": len(annotated), "layers": {}}
    if not annotated:
        return result
    reports = {config: score(config, annotated, rows, split=ALL) for config in ("ner", "hedging")}
    for layer, config, key in LAYERS:
        figures = reports[config]["metrics"][key]
        if figures is not None:
            result["layers"][layer] = {
                name: figures[name] for name in ("precision", "recall", "f1", "support")
            } | {"predicted": figures.get("predicted")}
    result["entity_types"] = reports["ner"]["metrics"]["entities"]["per_type"]
    return result


def compare_batches(
    predictions: Sequence[Record],
    gold: Sequence[Record],
    batch_of: Callable[[Record], str] | None = None,
    *,
    source: str = "<predictions>",
) -> dict[str, dict[str, Any]]:
    """:func:`compare` for each batch (default: each document) and for all together."""
    key = batch_of or (lambda record: str(record["doc_id"]))
    batches: dict[str, list[Record]] = {}
    for record in gold:
        batches.setdefault(key(record), []).append(record)
    result = {
        name: compare(predictions, records, source=source)
        for name, records in sorted(batches.items())
    }
    if len(batches) > 1:
        result[ALL] = compare(predictions, gold, source=source)
    return result


def read_batches(path: Path) -> dict[str, str]:
    """``doc_id<TAB>batch`` lines (``#`` comments allowed) as a mapping."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SqcorpusError(f"cannot read batches: {err}", file=path) from None
    mapping: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not all(f.strip() for f in fields):
            raise SqcorpusError("expected doc_id<TAB>batch", file=path, item=f"line {number}")
        mapping[fields[0].strip()] = fields[1].strip()
    return mapping


def batch_lookup(mapping: Mapping[str, str], source: Path | str) -> Callable[[Record], str]:
    def batch_of(record: Record) -> str:
        doc_id = record["doc_id"]
        if doc_id not in mapping:
            raise SqcorpusError("document has no batch", file=source, item=doc_id, field="doc_id")
        return mapping[doc_id]

    return batch_of


def figure_cell(figure: Mapping[str, Any], digits: int = 2) -> str:
    """``value [low, high]`` of a figure, ``n/a`` when undefined."""
    value, interval = figure["value"], figure["ci95"]
    if value is None:
        return "n/a"
    if interval is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def format_comparison(results: Mapping[str, Mapping[str, Any]], title: str = "") -> str:
    """A Markdown table: one row per batch and layer."""
    lines = [title, ""] if title else []
    lines += [
        "| batch | sentences | layer | gold | predicted | P [95% CI] | R [95% CI] | F1 [95% CI] |",
        "|---|---:|---|---:|---:|---|---|---|",
    ]
    for batch, result in results.items():
        if not result["layers"]:
            lines.append(f"| {batch} | 0 | — | — | — | n/a | n/a | n/a |")
        for layer, figures in result["layers"].items():
            lines.append(
                f"| {batch} | {result['sentences']} | {layer} | {figures['support']} | "
                f"{figures['predicted'] if figures['predicted'] is not None else '—'} | "
                f"{figure_cell(figures['precision'])} | {figure_cell(figures['recall'])} | "
                f"{figure_cell(figures['f1'])} |"
            )
    return "\n".join(lines) + "\n"


DATASHEET_BEGIN: Final = "<!-- preannotation:begin -->"
DATASHEET_END: Final = "<!-- preannotation:end -->"


def update_datasheet_comparison(
    table: str, command: str, *, check: bool = False, path: Path | None = None
) -> Generated:
    """Write (or with ``check``, compare) DATASHEET.md's pre-annotation block: ``table``
    (from :func:`format_comparison`) under a line naming the ``command`` that made it."""
    target = path or paths.datasheet_file()
    part = marker_block(target, DATASHEET_BEGIN, DATASHEET_END, "datasheet")
    block = f"<!-- generated by `{command}`: do not edit -->\n\n{table}"
    return sync("preannotate --compare ... --write-datasheet", target, part, block, check=check)
