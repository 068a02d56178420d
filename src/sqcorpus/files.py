"""Reading and writing the project's files: JSON in one layout, and every write atomic (a
temporary file, then a rename) so that a reader never sees half of one.

Every write goes through :func:`write_atomic`, which is also where releases are kept
write-once: no output may land inside a published release (see :func:`refuse_inside_release`),
and a symlink is written through to its target, never replaced.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from . import paths
from .errors import SqcorpusError

RELEASE_FOLDER: Final = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(?:-rc\.[0-9]+)?")
"""A folder named like a version; with a ``manifest.json`` in it, it is a published release.
(The strict version grammar lives in ``release.store``; this only has to recognise one.)"""
STAGING_PREFIX: Final = "."
"""The builder stages a new release in ``<releases>/.<version>-XXXX`` and renames it into
place: the only writes allowed under a releases folder."""


def releases_roots() -> tuple[Path, ...]:
    """Every folder that holds published releases: the project's, and the packaged copy."""
    roots = {paths.build_dir(), paths.releases_dir(), paths.PACKAGE_DIR / "data" / "releases"}
    return tuple(sorted(root.resolve() for root in roots))


def refuse_inside_release(path: Path, *, staging: bool = False) -> Path:
    """``path`` resolved (symlinks too); refuse it if it lies inside a published release.

    Inside means under a releases folder of the project (:func:`releases_roots`), or under any
    version folder holding a ``manifest.json`` (a release built with ``--out`` elsewhere).
    ``staging=True`` is the builder's own: then ``path`` must lie in a hidden staging folder of
    a releases folder, and nowhere else inside one.
    """
    resolved = Path(os.path.realpath(path))
    for root in releases_roots():
        if resolved == root or not resolved.is_relative_to(root):
            continue
        first = resolved.relative_to(root).parts[0]
        if (
            staging
            and first.startswith(STAGING_PREFIX)
            and len(resolved.parts) > len(root.parts) + 1
        ):
            return resolved
        raise SqcorpusError(
            "refusing to write inside the releases folder: releases are write-once "
            "(only `sqcorpus build` adds a new version)",
            file=path,
        )
    for folder in (resolved, *resolved.parents):
        if RELEASE_FOLDER.fullmatch(folder.name) and (folder / "manifest.json").is_file():
            if staging and folder.parent.name.startswith(STAGING_PREFIX):
                break
            raise SqcorpusError(
                f"refusing to write inside release {folder.name}: releases are write-once",
                file=path,
            )
    return resolved


def output_path(path: Path, *, staging: bool = False) -> Path:
    """Where writing ``path`` really lands: its resolved target (a symlink is written through),
    checked to be outside every release and to be a regular file or nothing yet."""
    target = refuse_inside_release(path, staging=staging)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as err:
        raise SqcorpusError(f"cannot write: {err.strerror}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise SqcorpusError("is a directory, not a file", file=path)
    if not stat.S_ISREG(info.st_mode):
        # A device node or a FIFO is never replaced by a regular file.
        raise SqcorpusError("not a regular file; refusing to replace it", file=path)
    return target


def write_atomic(
    path: Path, content: str | bytes, *, mode: int = 0o644, staging: bool = False
) -> None:
    """Replace ``path`` with ``content`` in one step (text is UTF-8 with ``\\n`` line ends).

    The temporary file gets ``mode`` before any byte is written, so a private file (0o600)
    is never readable by others, not even for a moment. A symlink is written through: its
    target is replaced atomically and the link stays. Writing inside a release is refused
    (``staging`` is for the builder's staging folder only). An OS error (no permission, disk
    full) is one :class:`SqcorpusError`, and no temporary file is left behind.
    """
    target = output_path(path, staging=staging)
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
        temporary = None
    except OSError as err:
        reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        raise SqcorpusError(f"cannot write: {reason}", file=path) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def json_text(data: Any, *, sort_keys: bool = False) -> str:
    """The project's one JSON layout: UTF-8 characters kept, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def write_json(path: Path, data: Any, *, mode: int = 0o644) -> None:
    """Write ``data`` as JSON in the project's layout, atomically."""
    write_atomic(path, json_text(data), mode=mode)


def write_or_print(text: str, out: Path | None) -> None:
    """``text`` into ``out`` in one step, or on stdout when no file is given."""
    if out is not None:
        write_atomic(out, text)
    else:
        sys.stdout.write(text)


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and no offset or score can be.
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str) -> Any:
    """Strict JSON: ``NaN``/``Infinity`` refused; too deep a nesting is a ``ValueError`` too."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def read_json(path: Path, *, what: str = "JSON file") -> Any:
    """Parse a UTF-8 JSON file; an unreadable or invalid file raises one clear error."""
    try:
        return parse_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SqcorpusError(f"{what} not found", file=path) from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SqcorpusError(f"cannot read {what}: {err}", file=path) from None
