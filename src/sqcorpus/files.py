"""Reading and writing the project's files: JSON in one layout, and every write atomic (a
temporary file, then a rename) so that a reader never sees half of one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import SqcorpusError


def write_atomic(path: Path, content: str | bytes, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``content`` in one step (text is UTF-8 with ``\\n`` line ends).

    The temporary file gets ``mode`` before any byte is written, so a private file (0o600)
    is never readable by others, not even for a moment.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(handle, mode)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def json_text(data: Any, *, sort_keys: bool = False) -> str:
    """The project's one JSON layout: UTF-8 characters kept, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def write_json(path: Path, data: Any, *, mode: int = 0o644) -> None:
    """Write ``data`` as JSON in the project's layout, atomically."""
    write_atomic(path, json_text(data), mode=mode)


def read_json(path: Path, *, what: str = "JSON file") -> Any:
    """Parse a UTF-8 JSON file; an unreadable or invalid file raises one clear error."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SqcorpusError(f"{what} not found", file=path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SqcorpusError(f"cannot read {what}: {err}", file=path) from None
