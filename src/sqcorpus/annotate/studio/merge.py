"""Merging pulled tasks into committed exports without losing an annotation (pure functions).

An annotation is identified by where it was made: its Label Studio project, its id there and
its creation time (ids restart on a fresh server, creation times do not repeat). Merging a
document's pulled tasks into its committed file:

- a committed annotation the server does not have is kept; if it came from one of the pulled
  projects, the pull says so (the server lost it); annotations from elsewhere (an earlier
  server, another project) are kept silently;
- a new annotation is added; an unchanged one is left as committed;
- a changed one replaces the committed one only if the server's copy is newer (``updated_at``),
  otherwise the merge refuses (``replace`` lets the server win, and drops what a pulled
  project lacks);
- an unchanged copy that ``push --gold`` put into the adjudication project is not added twice.

Tasks of several projects (one per annotator) with the same sentence id become one task.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ... import schema
from ...errors import SqcorpusError
from .gold import ADJUDICATION_PROJECT

SOURCE: Final = "sqcorpus_source"
"""Added to each pulled annotation: the project it came from and the task's guidelines."""


@dataclass(slots=True)
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    copies_skipped: int = 0
    kept: list[str] = field(default_factory=list)
    """``sid (annotator, project)`` of committed annotations a pulled project lacks (kept)."""
    elsewhere: int = 0
    """Committed annotations from projects not pulled (or from before projects were recorded)."""
    dropped: list[str] = field(default_factory=list)
    """The same, dropped because ``replace`` was asked."""
    overridden: list[str] = field(default_factory=list)
    """Committed annotations newer than the server's, replaced because ``replace`` was asked."""

    def absorb(self, other: MergeReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.copies_skipped += other.copies_skipped
        self.kept += other.kept
        self.elsewhere += other.elsewhere
        self.dropped += other.dropped
        self.overridden += other.overridden


def _sid(task: Mapping[str, Any]) -> str:
    return str(task["data"][schema.LS_SENTENCE_ID])


def source_project(annotation: Mapping[str, Any]) -> str:
    source = annotation.get(SOURCE)
    return str(source.get("project", "")) if isinstance(source, Mapping) else ""


def annotation_key(annotation: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        source_project(annotation),
        str(annotation.get("id")),
        str(annotation.get("created_at")),
    )


def _content(annotation: Mapping[str, Any]) -> str:
    """What an annotator decides: the result and the flags; not ids or timestamps."""
    kept = {k: annotation.get(k) for k in ("result", "ground_truth", "was_cancelled")}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def _result(annotation: Mapping[str, Any]) -> str:
    return json.dumps(annotation.get("result"), sort_keys=True, ensure_ascii=False)


def _who(sid: str, annotation: Mapping[str, Any]) -> str:
    user = annotation.get("completed_by")
    name = user.get("username") if isinstance(user, Mapping) else user
    project = source_project(annotation) or "committed"
    return f"{sid} ({name or 'unknown'}, {project})"


def tag_source(task: dict[str, Any], project: str) -> dict[str, Any]:
    """Record on each annotation which project it came from and under which guidelines."""
    guidelines = task.get("data", {}).get("guidelines_version")
    for annotation in task.get("annotations") or []:
        annotation[SOURCE] = {"project": project, "guidelines_version": guidelines}
    return task


def check_regions(task: Mapping[str, Any], project: str) -> None:
    """Refuse a region carrying both an entity and a hedge label, naming sentence and words."""
    text = str(task.get("data", {}).get(schema.LS_TEXT, ""))
    for annotation in task.get("annotations") or []:
        controls: dict[str, set[str]] = {}
        words: dict[str, str] = {}
        for result in annotation.get("result") or []:
            region = str(result.get("id"))
            controls.setdefault(region, set()).add(str(result.get("from_name")))
            value = result.get("value") or {}
            start, end = value.get("start"), value.get("end")
            if isinstance(start, int) and isinstance(end, int):
                words[region] = text[start:end]
        for region, names in controls.items():
            if {schema.LS_ENTITIES, schema.LS_HEDGES} <= names:
                raise SqcorpusError(
                    f"a region carries both an entity and a hedge label ({words.get(region)!r}, "
                    f"by {_who(_sid(task), annotation)}); give each its own region in project "
                    f"{project!r} and pull again",
                    item=_sid(task),
                    field="annotations.result",
                )


def combine_projects(tasks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One task per sentence id: the annotations and predictions of every project's copy."""
    by_sid: dict[str, dict[str, Any]] = {}
    for task in tasks:
        sid = _sid(task)
        if sid not in by_sid:
            by_sid[sid] = {**task, "annotations": list(task.get("annotations") or [])}
            by_sid[sid]["predictions"] = list(task.get("predictions") or [])
            continue
        into = by_sid[sid]
        if into["data"].get(schema.LS_TEXT) != task["data"].get(schema.LS_TEXT):
            raise SqcorpusError(
                "the sentence's text differs between two projects", item=sid, field="data.text"
            )
        into["annotations"] += task.get("annotations") or []
        into["predictions"] += task.get("predictions") or []
    for task in by_sid.values():
        seen: set[str] = set()
        unique = []
        for prediction in task["predictions"]:
            mark = json.dumps(
                [prediction.get("model_version"), prediction.get("result")], sort_keys=True
            )
            if mark not in seen:
                seen.add(mark)
                unique.append(prediction)
        task["predictions"] = unique
    return list(by_sid.values())


def _merge_task(
    committed: dict[str, Any],
    pulled: Mapping[str, Any],
    projects: frozenset[str],
    *,
    replace: bool,
) -> tuple[dict[str, Any], MergeReport]:
    sid = _sid(committed)
    report = MergeReport()
    if committed["data"].get(schema.LS_TEXT) != pulled["data"].get(schema.LS_TEXT):
        raise SqcorpusError(
            "the server's sentence text differs from the committed export",
            item=sid,
            field="data.text",
        )
    old = {annotation_key(a): a for a in committed.get("annotations") or []}
    new = {annotation_key(a): a for a in pulled.get("annotations") or []}
    results = {_result(a) for a in old.values()}
    merged = []
    for key, annotation in old.items():
        if key not in new and source_project(annotation) not in projects:
            report.elsewhere += 1
            merged.append(annotation)
            continue
        if key not in new:
            if replace:
                report.dropped.append(_who(sid, annotation))
            else:
                report.kept.append(_who(sid, annotation))
                merged.append(annotation)
            continue
        server = new[key]
        if _content(server) == _content(annotation):
            report.unchanged += 1
            merged.append(annotation)
        elif str(server.get("updated_at")) > str(annotation.get("updated_at")):
            report.updated += 1
            merged.append(server)
        elif replace:
            report.overridden.append(_who(sid, annotation))
            merged.append(server)
        else:
            raise SqcorpusError(
                f"the committed annotation by {_who(sid, annotation)} is newer than the "
                "server's and differs from it; nothing was written (--replace lets the server "
                "win)",
                item=sid,
                field="annotations",
            )
    for key, annotation in new.items():
        if key in old:
            continue
        is_copy = (
            source_project(annotation) == ADJUDICATION_PROJECT
            and not annotation.get("ground_truth")
            and _result(annotation) in results
        )
        if is_copy:
            report.copies_skipped += 1
            continue
        report.added += 1
        merged.append(annotation)
    task = {**committed, "annotations": merged}
    predictions = list(committed.get("predictions") or [])
    marks = {json.dumps([p.get("model_version"), p.get("result")]) for p in predictions}
    for prediction in pulled.get("predictions") or []:
        if json.dumps([prediction.get("model_version"), prediction.get("result")]) not in marks:
            predictions.append(prediction)
    task["predictions"] = predictions
    return task, report


def merge_document(
    committed: Sequence[dict[str, Any]],
    pulled: Sequence[dict[str, Any]],
    projects: frozenset[str],
    *,
    replace: bool,
) -> tuple[list[dict[str, Any]], MergeReport]:
    """A document's committed tasks merged with its pulled tasks (one per sentence id) from
    ``projects`` (the projects pulled)."""
    report = MergeReport()
    pulled_by_sid = {_sid(t): t for t in pulled}
    result = []
    for task in committed:
        sid = _sid(task)
        if sid in pulled_by_sid:
            merged, part = _merge_task(task, pulled_by_sid.pop(sid), projects, replace=replace)
            report.absorb(part)
            result.append(merged)
        else:
            result.append(task)  # a task the server does not have stays as committed
            for annotation in task.get("annotations") or []:
                if source_project(annotation) in projects:
                    report.kept.append(_who(sid, annotation))
                else:
                    report.elsewhere += 1
    for task in pulled_by_sid.values():
        report.added += len(task.get("annotations") or [])
        result.append(task)
    for task in result:
        marked = [a for a in task.get("annotations") or [] if a.get("ground_truth")]
        if len(marked) > 1:
            who = "; ".join(_who(_sid(task), a) for a in marked)
            raise SqcorpusError(
                f"more than one annotation would be ground truth ({who}); unmark all but one "
                "(in Label Studio or the export) and pull again; nothing was written",
                item=_sid(task),
                field="annotations.ground_truth",
            )
    return result, report
