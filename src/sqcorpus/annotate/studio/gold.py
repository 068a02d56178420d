"""Committed annotations as Label Studio annotations, for review and adjudication (``push
--gold``): the gold of each sentence, or every submitted annotation where none is gold yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from ..tasks import export_files, gold_position, read_export

ADJUDICATION_PROJECT: Final = "sqcorpus-adjudication"


def gold_annotations(exports: Path) -> dict[str, list[dict[str, Any]]]:
    """``{sid: [annotation to import]}`` from the committed exports (missing folder: none)."""
    if not exports.exists():
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for path in export_files(exports):
        for task in read_export(path):
            done = task.done()
            position = gold_position(done, file=path, item=task.sid)
            chosen = done if position is None else [done[position]]
            if chosen:
                found[task.sid] = [
                    {
                        "result": list(a.get("result") or []),
                        # A review copy, not a decision: marking one is the adjudicator's act.
                        "ground_truth": False,
                        "was_cancelled": False,
                    }
                    for a in chosen
                ]
    return found
