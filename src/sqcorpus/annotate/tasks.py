"""Label Studio exports, read once: the files, the tasks, who annotated, and which is the gold.

The release builder (:mod:`.convert`) and the agreement report (:mod:`.agreement`) read exports
through here, so both check the same task shape, name annotators the same way and apply the
same ground-truth rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import SqcorpusError
from ..files import read_json


@dataclass(frozen=True, slots=True)
class ExportedTask:
    """One task of an export: its sentence id, text, the raw task, and where it was read."""

    sid: str
    text: str
    task: Mapping[str, Any]
    file: Path

    @property
    def data(self) -> Mapping[str, Any]:
        data: Mapping[str, Any] = self.task["data"]
        return data

    def done(self) -> list[Mapping[str, Any]]:
        """The annotations that were submitted (not cancelled, i.e. not skipped)."""
        return [a for a in self.task.get("annotations") or [] if not a.get("was_cancelled")]

    def predictions(self) -> list[Mapping[str, Any]]:
        return list(self.task.get("predictions") or [])


def export_files(annotations: Path) -> list[Path]:
    """The export files named by ``--annotations``: one file, or every ``*.json`` of a folder."""
    if annotations.is_dir():
        return sorted(annotations.glob("*.json"))
    if annotations.is_file():
        return [annotations]
    raise SqcorpusError("no such file or directory", file=annotations)


def read_export(path: Path) -> list[ExportedTask]:
    """The tasks of one Label Studio JSON export, each checked for shape."""
    tasks = read_json(path, what="Label Studio export")
    if not isinstance(tasks, list):
        raise SqcorpusError("a Label Studio JSON export is a list of tasks", file=path)
    found = []
    for position, task in enumerate(tasks):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            raise SqcorpusError("task has no 'data' object", file=path, item=f"#{position}")
        for key in (schema.LS_SENTENCE_ID, schema.LS_TEXT):
            if not isinstance(data.get(key), str):
                item = _task_item(task, position)
                raise SqcorpusError(
                    "missing or not a string", file=path, item=item, field=f"data.{key}"
                )
        _check_shape(task, path, data[schema.LS_SENTENCE_ID])
        found.append(ExportedTask(data[schema.LS_SENTENCE_ID], data[schema.LS_TEXT], task, path))
    return found


def _task_item(task: Mapping[str, Any], position: int) -> str | int:
    task_id = task.get("id")
    return task_id if isinstance(task_id, str | int) else f"#{position}"


def _check_shape(task: Mapping[str, Any], path: Path, sid: str) -> None:
    """Every list and object the readers walk has the type they expect (values are checked
    where they are read): a malformed export is one error, never a crash half-way."""

    def fail(message: str, field: str) -> SqcorpusError:
        return SqcorpusError(message, file=path, item=sid, field=field)

    for key in ("annotations", "predictions"):
        entries = task.get(key, [])
        if not isinstance(entries, list):
            raise fail("must be a list", key)
        for index, entry in enumerate(entries):
            where = f"{key}[{index}]"
            if not isinstance(entry, dict):
                raise fail("must be an object", where)
            results = entry.get("result", [])
            if not isinstance(results, list):
                raise fail("must be a list", f"{where}.result")
            for number, result in enumerate(results):
                if not isinstance(result, dict):
                    raise fail("must be an object", f"{where}.result[{number}]")
                region = result.get("id")
                if region is not None and not isinstance(region, str | int):
                    raise fail("a region id is a string", f"{where}.result[{number}].id")


def annotator_name(completed_by: Any) -> str:
    """The (pseudonymous) annotator of an exported annotation.

    Exports pulled by ``sqcorpus studio pull`` carry pseudonyms only; an e-mail address (an
    export that was not pseudonymized) is replaced by a stable pseudonym here, so that it never
    reaches a release, a report or a log. No annotator at all (``null``) is ``""``.
    """
    if completed_by is None:
        return ""
    name = f"user-{completed_by}"
    if isinstance(completed_by, Mapping):
        for key in ("email", "username", "id"):
            if completed_by.get(key) not in (None, ""):
                name = str(completed_by[key])
                break
    if "@" in name:
        return "annotator-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return name


def gold_position(annotations: Sequence[Mapping[str, Any]], *, file: Path, item: str) -> int | None:
    """Which submitted annotation is the gold: the one marked ``ground_truth``, else a single
    unmarked one; ``None`` when there is none, or several unmarked (to adjudicate).

    More than one marked annotation is always an error (``file`` and ``item`` name the task).
    """
    marked = [i for i, a in enumerate(annotations) if a.get("ground_truth")]
    if len(marked) > 1:
        raise SqcorpusError(
            "more than one annotation is marked ground_truth",
            file=file,
            item=item,
            field="annotations",
        )
    if marked:
        return marked[0]
    return 0 if len(annotations) == 1 else None
