"""Pull and status: export every sqcorpus project's tasks with full annotations, pseudonymize
their users and merge them into ``annotation/exports/<doc_id>.json`` without losing a committed
annotation (see :mod:`.merge`); report annotation progress."""

from __future__ import annotations

import json
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
from ...files import json_text, parse_json, read_json, write_atomic
from ...text.corpus import DOC_ID_PATTERN
from ..tasks import annotator_name
from .client import DEFAULT_PROJECT, checked_config, checked_project
from .connection import (
    POLL_INTERVAL,
    Connection,
    connect,
    resolve_connection,
    server_id,
    translated,
)
from .merge import MergeReport, check_regions, combine_projects, merge_document, tag_source
from .pseudonyms import PSEUDONYM_FILE, Pseudonyms, corpus_text, find_email, pseudonymize

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


def committed_pseudonyms(exports: Path) -> set[str]:
    """The annotator pseudonyms the committed exports already use."""
    found: set[str] = set()
    for path in sorted(exports.glob("*.json")) if exports.is_dir() else []:
        tasks = read_json(path, what="Label Studio export")
        for task in tasks if isinstance(tasks, list) else []:
            for annotation in task.get("annotations") or [] if isinstance(task, dict) else []:
                name = annotator_name(annotation.get("completed_by"))
                if name:
                    found.add(name)
    return found


def _pulled_tasks(
    client: LabelStudio,
    conn: Connection,
    project: Any,
    data_dir: Path,
    reserved: set[str] | None = None,
) -> list[dict[str, Any]]:
    raw = _export_tasks(client, conn, int(project.id))
    pseudonyms = Pseudonyms.load(data_dir / PSEUDONYM_FILE)
    pseudonyms.reserved = set(reserved or ())
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


def export_json(tasks: Sequence[Mapping[str, Any]]) -> str:
    """The deterministic text of an export file."""
    return json_text(list(tasks), sort_keys=True)


@dataclass(frozen=True, slots=True)
class PullSummary:
    projects: tuple[str, ...]
    files: tuple[Path, ...]
    tasks: int
    annotations: int
    annotators: tuple[str, ...]
    merge: MergeReport

    @property
    def project(self) -> str:
        return ", ".join(self.projects)


def sqcorpus_projects(client: LabelStudio) -> list[Any]:
    """The projects a pull reads: ``sqcorpus`` and every ``sqcorpus-*`` (one per annotator)."""
    listed: list[Any] = list(client.projects.list())
    found = [
        p
        for p in listed
        if p.title == DEFAULT_PROJECT or str(p.title or "").startswith(DEFAULT_PROJECT + "-")
    ]
    titles = [p.title for p in found]
    for title in sorted({t for t in titles if titles.count(t) > 1}):
        raise SqcorpusError(f"two projects are titled {title!r}; rename all but one")
    return sorted(found, key=lambda p: str(p.title))


def export_path(target: Path, doc_id: Any) -> Path:
    """``<target>/<doc_id>.json`` for a doc_id the server sent, refusing anything else."""
    if not isinstance(doc_id, str) or not DOC_ID_PATTERN.fullmatch(doc_id):
        raise SqcorpusError("not a valid document id", item=str(doc_id), field="data.doc_id")
    path = (target / f"{doc_id}.json").resolve()
    if path.parent != target.resolve():
        raise SqcorpusError("the document id leads outside the exports folder", item=doc_id)
    return target / f"{doc_id}.json"


def pull(
    *,
    out: Path | None = None,
    project: str | None = None,
    connection: Connection | None = None,
    data_dir: Path | None = None,
    replace: bool = False,
) -> PullSummary:
    """Export every sqcorpus project (or only ``project``) and merge each document into
    ``<out>/<doc_id>.json``, pseudonymized; nothing is written if any check fails."""
    folder = data_dir or paths.studio_data_dir()
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with translated(conn, "listing projects"):
        if project is not None:
            projects = [checked_project(client, project)]
        else:
            projects = [checked_config(client, p) for p in sqcorpus_projects(client)]
    if not projects:
        raise SqcorpusError("no sqcorpus project on the server: run `sqcorpus studio push` first")
    target = out or paths.exports_dir()
    reserved = committed_pseudonyms(target)
    pulled: list[dict[str, Any]] = []
    for found in projects:
        for task in _pulled_tasks(client, conn, found, folder, reserved):
            check_regions(task, str(found.title))
            pulled.append(tag_source(task, str(found.title)))
    tasks = combine_projects(pulled)
    by_doc: dict[Path, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(export_path(target, task["data"]["doc_id"]), []).append(task)
    report = MergeReport()
    contents = {}
    texts: dict[Path, tuple[str, ...]] = {}
    for path, items in sorted(by_doc.items()):
        committed = read_json(path, what="Label Studio export") if path.exists() else []
        if not isinstance(committed, list):
            raise SqcorpusError("a Label Studio JSON export is a list of tasks", file=path)
        titles = frozenset(str(p.title) for p in projects)
        merged, part = merge_document(committed, items, titles, replace=replace)
        report.absorb(part)
        contents[path] = export_json(sorted(merged, key=_sort_key))
        texts[path] = tuple(text for task in merged for text in corpus_text(task))
    for path, content in contents.items():
        # The same guard on the exact data about to be written; e-mail addresses the corpus
        # text itself prints (a help line in a news story) are the text, not annotator data.
        if find_email(json.loads(content), corpus=texts[path]) is not None:
            raise SqcorpusError(
                "an e-mail address would be written; nothing was written", file=path
            )
    for path, content in contents.items():
        write_atomic(path, content)
    annotations = [a for t in tasks for a in t.get("annotations", [])]
    return PullSummary(
        projects=tuple(str(p.title) for p in projects),
        files=tuple(contents),
        tasks=len(tasks),
        annotations=len(annotations),
        annotators=tuple(sorted({_annotator(a) for a in annotations} - {""})),
        merge=report,
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
    merge = summary.merge
    lines = [
        f"pulled {summary.tasks} tasks ({summary.annotations} annotations) from "
        f"{len(summary.projects)} project(s) ({summary.project}); annotators: "
        f"{', '.join(summary.annotators) or 'none'}",
        f"merged: {merge.added} added, {merge.updated} updated, {merge.unchanged} unchanged"
        + (
            f", {merge.copies_skipped} unchanged gold copies skipped"
            if merge.copies_skipped
            else ""
        ),
    ]
    if merge.elsewhere:
        lines.append(
            f"kept {merge.elsewhere} committed annotation(s) from other projects or servers"
        )
    if merge.kept:
        lines.append(
            f"kept {len(merge.kept)} committed annotation(s) the server does not have: "
            + "; ".join(merge.kept[:5])
            + (" ..." if len(merge.kept) > 5 else "")
        )
    if merge.dropped or merge.overridden:
        lines.append(
            f"WARNING (--replace): dropped {len(merge.dropped)} committed annotation(s) the "
            f"server does not have and overrode {len(merge.overridden)} newer committed one(s)"
            "; `git diff annotation/exports` shows them, `git checkout` restores them"
        )
    lines += [f"  wrote {path}" for path in summary.files]
    return "\n".join(lines)
