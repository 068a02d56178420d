"""Sections of benchmarks/RESULTS.md, one a benchmark script, each rewritten only by its own.

A section sits between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``; writing one keeps
the others as they are. The file is replaced in one step (temporary file, then rename).
"""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
OWN_PEAK_RSS_KIB = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
"""Python source for the peak resident memory (KiB) of the process that evaluates it.

Not ``ru_maxrss``: on Linux a child's ``ru_maxrss`` (``RUSAGE_SELF`` in the child, or
``wait4`` in the parent) starts from the parent's resident set, kept across fork and exec, so
a benchmark holding a large synthetic corpus would report its own size as every child's peak.
``VmHWM`` belongs to the address space that ``exec`` created, and to nothing before it."""
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
