"""Stance targets: the proposition each document's stance labels are toward.

``annotation/stance_targets.json`` maps a doc_id to its target, fixed by a maintainer from the
headline and lead before the document's stance is annotated (guidelines 2.0), so that blind
annotators label stance toward the same proposition. A document without a target has no stance
annotation yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from ..errors import SqcorpusError
from ..files import parse_json

TARGETS_FORMAT: Final = 1


def read_stance_targets(path: Path) -> dict[str, str]:
    """``{doc_id: target}``; an absent file means no document has a target yet."""
    if not path.exists():
        return {}
    try:
        content = parse_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SqcorpusError(f"cannot read stance targets: {err}", file=path) from None
    if not isinstance(content, dict) or content.get("format") != TARGETS_FORMAT:
        raise SqcorpusError(f"expected format {TARGETS_FORMAT}", file=path, field="format")
    targets = content.get("targets")
    if not isinstance(targets, dict):
        raise SqcorpusError("expected an object of doc_id: {target}", file=path, field="targets")
    result = {}
    for doc_id, entry in targets.items():
        target = entry.get("target") if isinstance(entry, dict) else None
        if not isinstance(target, str) or not target.strip():
            raise SqcorpusError(
                "a target is a non-empty string", file=path, item=doc_id, field="target"
            )
        result[doc_id] = target
    return result
