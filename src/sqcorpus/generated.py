"""One mechanism for every generated file: render, compare, write unless ``check``, report.

The dataset card (README.md's YAML header), the datasheet's statistics block, CITATION.cff,
each release's croissant.json, README.md's baselines table and the Label Studio label config
are all generated. Each says where its generated part sits in its file (:class:`Part`: the whole
file, a block between marker lines, or the front matter), renders what that part should be, and
calls :func:`sync`, which writes the file atomically unless checking and returns a
:class:`Generated` naming the first differing line. The CLI reports every one the same way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .errors import SqcorpusError
from .files import write_atomic


@dataclass(frozen=True, slots=True)
class Part:
    """A file cut around its generated part: ``before + current + after`` is the file."""

    before: str
    current: str
    after: str
    offset: int = 0
    """Number of lines before the generated part (for line numbers in a difference)."""


@dataclass(frozen=True, slots=True)
class Generated:
    """What :func:`sync` found: whether the file differed (and was rewritten unless checking)."""

    command: str
    """The ``sqcorpus`` command that regenerates the file, e.g. ``cite --write-cff``."""
    path: Path
    changed: bool
    difference: str | None
    version: str | None = None

    def report(self, check: bool) -> tuple[int, str]:
        """Exit status and the line to show; every generated file reports alike."""
        if check and self.changed:
            return 1, f"{self.difference}: out of date (run `sqcorpus {self.command}`)"
        return 0, f"{self.path}: {'updated' if self.changed and not check else 'up to date'}"


def read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SqcorpusError(f"{what} not found", file=path) from None
    except (OSError, UnicodeDecodeError) as err:
        raise SqcorpusError(f"cannot read {what}: {err}", file=path) from None


def whole_file(path: Path) -> Part:
    """The whole file is generated; a missing file is empty."""
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Part("", current, "")


def marker_block(path: Path, begin: str, end: str, what: str) -> Part:
    """The lines strictly between a line holding ``begin`` and the next holding ``end``."""
    lines = read_text(path, what).splitlines(keepends=True)
    try:
        first = next(i for i, line in enumerate(lines) if line.strip() == begin)
        last = next(i for i in range(first + 1, len(lines)) if lines[i].strip() == end)
    except StopIteration:
        raise SqcorpusError(f"markers {begin} ... {end} not found", file=path) from None
    return Part(
        "".join(lines[: first + 1]),
        "".join(lines[first + 1 : last]),
        "".join(lines[last:]),
        offset=first + 1,
    )


def first_difference(expected: str, actual: str, *, file: Path, offset: int = 0) -> str | None:
    """A one-line description of the first line where ``actual`` differs, or None if equal."""
    if expected == actual:
        return None
    want, have = expected.splitlines(), actual.splitlines()
    matcher = difflib.SequenceMatcher(a=have, b=want, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found = have[i1] if i1 < len(have) else "<end of block>"
        wanted = want[j1] if j1 < len(want) else "<nothing>"
        return f"{file} line {offset + i1 + 1}: found {found!r}, expected {wanted!r}"
    return f"{file}: differs in line endings or trailing whitespace"


def sync(
    command: str,
    path: Path,
    part: Part,
    expected: str,
    *,
    check: bool,
    version: str | None = None,
) -> Generated:
    """Compare ``part`` with ``expected``; unless ``check``, write the file if they differ."""
    difference = first_difference(expected, part.current, file=path, offset=part.offset)
    if difference is not None and not check:
        write_atomic(path, part.before + expected + part.after)
    return Generated(command, path, difference is not None, difference, version)
