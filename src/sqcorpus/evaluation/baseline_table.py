"""The README's baseline table: every baseline (:mod:`.runs`) scored on one split, each cell a
figure with its 95% bootstrap interval, and the README block that holds it."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import paths, schema
from ..generated import Generated, marker_block, sync
from ..release.store import is_prerelease, list_versions, open_release
from .baselines import BASELINES
from .metrics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, Figure
from .runs import BaselineRun, run_baseline
from .score import is_scored, score

README_BEGIN = "<!-- baselines:begin -->"
README_END = "<!-- baselines:end -->"

TABLE_ROWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("ner", ("entities", "f1"), "NER entity F1 (strict, micro)"),
    ("ner", ("entities_conll2003", "f1"), "NER entity F1, CoNLL-2003 types"),
    ("stance", ("stance", "accuracy"), "Stance accuracy"),
    ("stance", ("stance", "macro_f1"), "Stance macro-F1 (zero_division=0)"),
    ("stance", ("stance", "semeval2016_f_avg"), "Stance F_avg (SemEval-2016 official)"),
    ("stance", ("stance_holder", "macro_f1"), "Stance holder macro-F1"),
    ("hedging", ("uncertain", "f1"), "Uncertain-sentence F1 (CoNLL-2010 Task 1)"),
    ("hedging", ("cues", "f1"), "Hedge cue F1 (exact span)"),
)


def _cell(figure: Figure | None) -> str:
    if figure is None:
        return "—"  # the baseline does not predict this layer
    if figure["value"] is None:
        return "n/a"
    if figure["ci95"] is None:
        return f"{figure['value']:.2f}"
    low, high = figure["ci95"]
    return f"{figure['value']:.2f} [{low:.2f}, {high:.2f}]"


def _lookup(metrics: Mapping[str, Any], path: Sequence[str]) -> Figure | None:
    """The figure at ``path``; None when the predictions lack that layer."""
    value: Any = metrics
    for key in path:
        if value.get(key) is None:
            return None
        value = value[key]
    return value


def _cells(name: str, run: BaselineRun | None, split: str) -> dict[str, str]:
    """The table cells of one baseline (``run`` None: it could not be trained)."""
    out = {}
    for config, path, label in TABLE_ROWS:
        if config not in BASELINES[name]:
            out[label] = "—"
            continue
        if run is None or not run.scored:
            out[label] = "n/a"
            continue
        metrics = score(config, run.scored, run.predictions, split=split)["metrics"]
        out[label] = "n/a" if metrics is None else _cell(_lookup(metrics, path))
    return out


def baseline_runs(
    records: Mapping[str, Sequence[Any]], split: str = "test"
) -> dict[str, BaselineRun | None]:
    """Every baseline run on ``split``; None for a trained one when ``train`` is unannotated."""
    trained = any(is_scored("hedging", r) for r in records["train"])
    return {
        name: run_baseline(name, records, split) if trained or name == "rules" else None
        for name in BASELINES
    }


def baseline_table(
    version: str | None = None, split: str = "test", *, releases_dir: Path | None = None
) -> str:
    """A Markdown table of every baseline on ``split`` with 95% bootstrap intervals.

    ``version=None`` is the latest release that is not a pre-release: a pre-release's test
    split may hold no annotated sentence yet.
    """
    schema.require_split(split)
    if version is None:
        finals = [v for v in list_versions(releases_dir) if not is_prerelease(v)]
        version = finals[-1] if finals else None
    release = open_release(version, releases_dir)
    records = release.records()
    target = records[split]
    runs = baseline_runs(records, split)
    cells = {name: _cells(name, run, split) for name, run in runs.items()}
    scored = {config: sum(is_scored(config, r) for r in target) for config in ("ner", "stance")}
    documents = len({r["doc_id"] for r in target})
    header = (
        f"Baselines on the `{split}` split of sqcorpus {release.version} ({documents} "
        f"document{'s' * (documents != 1)}, {scored['ner']} annotated sentences, "
        f"{scored['stance']} with a stance), "
        "trained on `train`, `linear` tuned on `validation`. Each cell: value [95% CI], "
        f"percentile bootstrap over sentences ({BOOTSTRAP_RESAMPLES} resamples, seed "
        f"{BOOTSTRAP_SEED}); — the baseline does not predict it; n/a undefined (no gold and "
        "no predicted item, or nothing left to score). Regenerate with "
        "`sqcorpus baseline --table --write-readme`."
    )
    lines = [*textwrap.wrap(header, width=100), "", "| metric | " + " | ".join(BASELINES) + " |"]
    lines.append("|---|" + "---|" * len(BASELINES))
    for _, _, label in TABLE_ROWS:
        lines.append(f"| {label} | " + " | ".join(cells[n][label] for n in BASELINES) + " |")
    notes = []
    rules = runs.get("rules")
    if rules is not None:
        notes.append(
            f"`rules` is scored on {len({r['doc_id'] for r in rules.scored})} of {documents} "
            f"documents ({len(rules.scored)} sentences): {len(rules.excluded_documents)} "
            "left out because its lexicons were written from them."
        )
    if any(run is None for run in runs.values()):
        notes.append("No annotated sentence in `train`: the trained baselines cannot run.")
    if notes:
        lines += ["", *textwrap.wrap(" ".join(notes), width=100)]
    return "\n".join(lines) + "\n"


def update_readme(table: str, *, check: bool = False, path: Path | None = None) -> Generated:
    """Put ``table`` between README.md's baseline markers (with ``check``, only compare)."""
    path = path or paths.readme_file()
    part = marker_block(path, README_BEGIN, README_END, "README")
    return sync("baseline --table --write-readme", path, part, table, check=check)
