"""Pull and status: export every task with full annotations, pseudonymize its users and write
``annotation/exports/<doc_id>.json``; report annotation progress."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from label_studio_sdk import LabelStudio

from ... import paths, schema
from ...errors import SqcorpusError
from ...files import json_text, parse_json, write_atomic
from ...text.corpus import DOC_ID_PATTERN
from ..tasks import annotator_name
from .client import DEFAULT_PROJECT, checked_project
from .connection import (
    POLL_INTERVAL,
    Connection,
    connect,
    resolve_connection,
    server_id,
    translated,
)
from .pseudonyms import EMAIL_PATTERN, PSEUDONYM_FILE, Pseudonyms, pseudonymize

EXPORT_TIMEOUT: Final = 300.0


def _export_tasks(client: LabelStudio, conn: Connection, project_id: int) -> list[dict[str, Any]]:
    """A full snapshot export: annotations with their users, predictions with their results."""
    # A plain dict with the server's own option names (the integration tests check that the
    # export then holds full users and prediction results); the SDK types it as its model.
    options: Any = {
        "predictions": {"only_id": False},
        "annotations__completed_by": {"only_id": False},
    }
    with translated(conn, "exporting"):
        export: Any = client.projects.exports.create(
            project_id, title="sqcorpus pull", serialization_options=options
        )
        export_id = server_id(export.id, "an export")
        deadline = time.monotonic() + EXPORT_TIMEOUT
        while export.status not in ("completed", "failed"):
            if time.monotonic() > deadline:
                raise SqcorpusError(
                    f"the export of project {project_id} did not finish in {EXPORT_TIMEOUT:.0f} s"
                )
            time.sleep(POLL_INTERVAL)
            export = client.projects.exports.get(project_id, export_id)
        if export.status == "failed":
            raise SqcorpusError(f"Label Studio failed to export project {project_id}")
        content = b"".join(
            client.projects.exports.download(project_id, export_id, export_type="JSON")
        )
        client.projects.exports.delete(project_id, export_id)
    try:
        tasks = parse_json(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise SqcorpusError(f"the export is not JSON: {err}", item=project_id) from None
    if not isinstance(tasks, list):
        raise SqcorpusError("the export is not a list of tasks", item=project_id)
    return tasks


def _users(client: LabelStudio, conn: Connection) -> dict[int, str]:
    with translated(conn, "listing users"):
        return {int(u.id): u.email or "" for u in client.users.list() if u.id is not None}


def _sort_key(task: Mapping[str, Any]) -> tuple[int, str]:
    data = task.get("data", {})
    index = data.get("sentence_index")
    return (index if isinstance(index, int) else sys.maxsize, str(data.get("sid", "")))


def _tidy(task: dict[str, Any]) -> dict[str, Any]:
    """Fix the order of lists whose order the server does not guarantee."""
    for name in ("annotations", "predictions"):
        items = task.get(name)
        if isinstance(items, list):
            task[name] = sorted(
                items, key=lambda item: (str(item.get("created_at")), str(item.get("id")))
            )
    return task


def _pulled_tasks(
    client: LabelStudio, conn: Connection, project: Any, data_dir: Path
) -> list[dict[str, Any]]:
    raw = _export_tasks(client, conn, int(project.id))
    pseudonyms = Pseudonyms.load(data_dir / PSEUDONYM_FILE)
    tasks = pseudonymize(raw, pseudonyms, _users(client, conn))
    pseudonyms.save()
    return [_tidy(task) for task in checked_tasks(tasks)]


def checked_tasks(tasks: list[Any]) -> list[dict[str, Any]]:
    """``tasks`` if each is an object with a document id that can name a file, else one error.

    The doc id names the file a pull writes: anyone who can edit a task on the server could
    otherwise make a pull write ``../anything.json`` or an absolute path.
    """
    for task in tasks:
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("doc_id"), str):
            raise SqcorpusError(
                "task has no document id (was it imported by `sqcorpus studio push`?)",
                item=_task_id(task),
                field="data.doc_id",
            )
        if not DOC_ID_PATTERN.fullmatch(data["doc_id"]):
            raise SqcorpusError(
                "not a document id (lower-case ASCII words joined by '-'); nothing was written",
                item=_task_id(task),
                field="data.doc_id",
            )
    return tasks


def _task_id(task: Any) -> str | int | None:
    task_id = task.get("id") if isinstance(task, dict) else None
    return task_id if isinstance(task_id, str | int) else None


def export_path(folder: Path, doc_id: str) -> Path:
    """``<folder>/<doc_id>.json``, for a doc id that is a full match of the pattern and whose
    file, resolved, lies inside ``folder``."""
    if not DOC_ID_PATTERN.fullmatch(doc_id):
        raise SqcorpusError("not a document id", item=doc_id, field="data.doc_id")
    path = folder / f"{doc_id}.json"
    if not path.resolve().is_relative_to(folder.resolve()):
        raise SqcorpusError("the export file would lie outside its folder", file=path)
    return path


def export_json(tasks: Sequence[Mapping[str, Any]]) -> str:
    """The deterministic text of an export file."""
    return json_text(list(tasks), sort_keys=True)


@dataclass(frozen=True, slots=True)
class PullSummary:
    project: str
    files: tuple[Path, ...]
    tasks: int
    annotations: int
    annotators: tuple[str, ...]


def pull(
    *,
    out: Path | None = None,
    project: str = DEFAULT_PROJECT,
    connection: Connection | None = None,
    data_dir: Path | None = None,
) -> PullSummary:
    """Export the project and write ``<out>/<doc_id>.json`` per document, pseudonymized."""
    folder = data_dir or paths.studio_data_dir()
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with translated(conn, f"reading project {project!r}"):
        found = checked_project(client, project)
    tasks = _pulled_tasks(client, conn, found, folder)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(task["data"]["doc_id"], []).append(task)
    target = out or paths.exports_dir()
    contents = {
        export_path(target, doc): export_json(sorted(items, key=_sort_key))
        for doc, items in sorted(by_doc.items())
    }
    for path, content in contents.items():
        # The same guard on the exact bytes about to be written.
        if EMAIL_PATTERN.search(content):
            raise SqcorpusError(
                "an e-mail address would be written; nothing was written", file=path
            )
    for path, content in contents.items():
        write_atomic(path, content)
    annotations = [a for t in tasks for a in t.get("annotations", [])]
    return PullSummary(
        project=project,
        files=tuple(contents),
        tasks=len(tasks),
        annotations=len(annotations),
        annotators=tuple(sorted({_annotator(a) for a in annotations} - {""})),
    )


def _annotator(annotation: Mapping[str, Any]) -> str:
    return annotator_name(annotation.get("completed_by"))


@dataclass(frozen=True, slots=True)
class TaskProgress:
    sid: str
    done: int
    cancelled: int
    annotators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusReport:
    project: str
    tasks: tuple[TaskProgress, ...]
    done_by: dict[str, int]
    cancelled_by: dict[str, int]

    @property
    def annotated(self) -> int:
        return sum(1 for task in self.tasks if task.done)

    @property
    def total(self) -> int:
        return len(self.tasks)


def status(
    *,
    project: str = DEFAULT_PROJECT,
    connection: Connection | None = None,
    data_dir: Path | None = None,
) -> StatusReport:
    """Per-task progress and totals, annotators by pseudonym."""
    folder = data_dir or paths.studio_data_dir()
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with translated(conn, f"reading project {project!r}"):
        found = checked_project(client, project)
    tasks = sorted(_pulled_tasks(client, conn, found, folder), key=_sort_key)
    done_by: Counter[str] = Counter()
    cancelled_by: Counter[str] = Counter()
    rows = []
    for task in tasks:
        annotations = task.get("annotations", [])
        done = [a for a in annotations if not a.get("was_cancelled")]
        cancelled = [a for a in annotations if a.get("was_cancelled")]
        done_by.update(_annotator(a) for a in done)
        cancelled_by.update(_annotator(a) for a in cancelled)
        rows.append(
            TaskProgress(
                sid=str(task["data"].get(schema.LS_SENTENCE_ID, task.get("id"))),
                done=len(done),
                cancelled=len(cancelled),
                annotators=tuple(sorted({_annotator(a) for a in done})),
            )
        )
    return StatusReport(
        project=project,
        tasks=tuple(rows),
        done_by=dict(sorted(done_by.items())),
        cancelled_by=dict(sorted(cancelled_by.items())),
    )


def format_status(report: StatusReport) -> str:
    """A plain-text progress table with totals."""
    width = max([len("sentence"), *(len(t.sid) for t in report.tasks)])
    lines = [f"{'sentence':<{width}}  done  cancelled  annotators"]
    for task in report.tasks:
        names = ", ".join(task.annotators) or "-"
        lines.append(f"{task.sid:<{width}}  {task.done:>4}  {task.cancelled:>9}  {names}")
    lines.append("")
    lines.append(f"project {report.project!r}: {report.annotated}/{report.total} tasks annotated")
    for name in sorted({*report.done_by, *report.cancelled_by}):
        done, cancelled = report.done_by.get(name, 0), report.cancelled_by.get(name, 0)
        lines.append(f"  {name}: {done} annotations, {cancelled} cancelled")
    return "\n".join(lines)


def format_pull(summary: PullSummary) -> str:
    lines = [
        f"pulled {summary.tasks} tasks ({summary.annotations} annotations) from project "
        f"{summary.project!r}; annotators: {', '.join(summary.annotators) or 'none'}"
    ]
    lines += [f"  wrote {path}" for path in summary.files]
    return "\n".join(lines)
