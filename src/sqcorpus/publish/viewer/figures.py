"""DATASHEET.md's figures: SVG files beside it in ``docs/figures/``, written and checked
together with its statistics block by ``sqcorpus datasheet`` (``--check`` compares bytes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ... import schema
from ...files import write_atomic
from ...release.store import Release
from .data import release_view
from .model import statistics
from .plots import figures
from .render import PLOT_TITLES

FIGURES_DIR = Path("docs") / "figures"
"""Relative to the folder of DATASHEET.md."""


def release_figures(release: Release, *, raw_dir: Path | None = None) -> dict[str, str]:
    """``{file name: SVG}`` of a release (agreement from ``annotation/exports``, if any)."""
    view = release_view(release, raw_dir=raw_dir)
    return figures(statistics(view.documents, schema.SPLITS), view.agreement)


def figures_markdown(names: list[str]) -> str:
    """The lines of the statistics block that show the figures."""
    lines = ["", f"Figures (SVG, in `{FIGURES_DIR.as_posix()}/`):"]
    for name in names:
        lines += ["", f"![{PLOT_TITLES.get(name, name)}]({(FIGURES_DIR / name).as_posix()})"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class FiguresResult:
    changed: bool
    difference: str | None


def update_figures(
    svgs: Mapping[str, str], directory: Path, *, check: bool = False
) -> FiguresResult:
    """Write the figures into ``directory`` (removing stale ``*.svg``), or with ``check``
    report the first one that is missing, differs or should not be there."""
    problems = []
    for name, svg in svgs.items():
        path = directory / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != svg:
            problems.append(f"{path}: {'missing' if current is None else 'out of date'}")
            if not check:
                write_atomic(path, svg)
    stale = sorted(p for p in directory.glob("*.svg") if p.name not in svgs)
    for path in stale:
        problems.append(f"{path}: not a figure of this release")
        if not check:
            path.unlink()
    return FiguresResult(bool(problems), problems[0] if problems else None)
