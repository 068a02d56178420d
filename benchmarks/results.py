"""Sections of benchmarks/RESULTS.md, one a benchmark script, each rewritten only by its own.

A section sits between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``; writing one keeps
the others as they are. The file is replaced in one step (temporary file, then rename).
"""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
# The section the file held before sections existed (written by segmentation.py).
LEGACY = "segmentation"


def _sections(text: str) -> dict[str, str]:
    found = {
        m.group(1): m.group(2)
        for m in re.finditer(r"<!-- begin (\S+) -->\n(.*?)<!-- end \1 -->\n", text, re.DOTALL)
    }
    if not found and text.strip():
        found[LEGACY] = text if text.endswith("\n") else text + "\n"
    return found


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or add) section ``name`` of ``path`` with ``body``."""
    sections = _sections(path.read_text(encoding="utf-8")) if path.exists() else {}
    sections[name] = body if body.endswith("\n") else body + "\n"
    text = "\n".join(f"<!-- begin {n} -->\n{b}<!-- end {n} -->\n" for n, b in sections.items())
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
