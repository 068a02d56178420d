"""What one annotator's session uses: its tasks as words, and its decisions submitted as words.

A scripted annotator (an AI agent, or a person working from a file) reads its own project's
tasks with :func:`fetch_tasks` — each sentence with its neighbours, its document's stance
target and the pre-annotation — and writes one decision per sentence::

    {"sid": "ntrex-bbc-381790-s002", "entities": [["Uellsit", "GPE"], ["MWP", "ORG", 1]],
     "stance": "neutral", "holder": "author", "cues": ["mund të"],
     "scopes": ["kjo mund të nxisë talljet"], "note": ""}

A span is given by its words, with an optional 0-based occurrence when the same words stand
more than once in the sentence as whole tokens (matches inside longer words do not count).
:func:`submit` finds every span in the sentence, refuses one that does not start and end on a
token boundary (naming the sentence id and the words), builds the Label Studio result the
converter reads, and creates the annotation with the connection's token — the annotator's own
— in the annotator's own project. Submitting a sentence again updates that annotator's
earlier annotation of it in place, so a session can correct itself.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from label_studio_sdk import LabelStudio

from ... import schema
from ...errors import SqcorpusError
from ...files import write_or_print
from ...models import SentenceAnnotation, Span
from ...text.segmentation import tokenize
from ..convert import Where, from_ls_results, to_ls_results
from .client import find_project
from .connection import Connection, connect, server_id, translated

DECISION_KEYS: Final = frozenset({"sid", "entities", "stance", "holder", "cues", "scopes", "note"})


def _fragments(text: str, spans: Iterable[Mapping[str, Any]], labelled: bool) -> list[list[Any]]:
    """Spans of a Label Studio result as ``[words, label, occurrence]`` (or ``[words, occ]``).

    A span that does not lie on token boundaries (one drawn by hand in the interface) has no
    occurrence number a decision could give back; it is shown with ``null`` in its place.
    """
    out: list[list[Any]] = []
    for value in spans:
        start, end = int(value["start"]), int(value["end"])
        words = text[start:end]
        found = _occurrences(text, words)
        occurrence = found.index(start) if start in found else None
        item: list[Any] = [words, value["labels"][0]] if labelled else [words]
        if occurrence != 0:
            item.append(occurrence)
        out.append(item)
    return out


@functools.lru_cache(maxsize=256)
def _boundaries(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Token starts and ends of a sentence, kept: every span of a sentence asks for them."""
    tokens = tokenize(text)
    return frozenset(t.start for t in tokens), frozenset(t.end for t in tokens)


def _occurrences(text: str, words: str) -> list[int]:
    """Where ``words`` stand in ``text`` as whole tokens, in order.

    Only matches that start and end on token boundaries count, so "Rusi" inside "Rusisë"
    is not an occurrence: occurrence 1 of "Rusi" is the second time it stands as a word,
    whatever longer words around it contain it.
    """
    starts, ends = _boundaries(text)
    found, at = [], text.find(words)
    while at != -1:
        if at in starts and at + len(words) in ends:
            found.append(at)
        at = text.find(words, at + 1)
    return found


def _project(client: LabelStudio, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise SqcorpusError(f"no project titled {title!r}", field="--project")
    return project


def fetch_tasks(connection: Connection, project_title: str) -> list[dict[str, Any]]:
    """Every task of the project as words: sid, text, context, target and pre-annotation."""
    client = connect(connection)
    with translated(connection, "reading tasks"):
        project = _project(client, project_title)
        tasks: list[Any] = list(
            client.tasks.list(project=server_id(project.id, "a project"), fields="all")
        )
    rows = []
    for task in tasks:
        data = task.data or {}
        text = str(data.get(schema.LS_TEXT, ""))
        proposal: dict[str, Any] = {"entities": [], "cues": [], "scopes": []}
        for prediction in task.predictions or []:
            result = prediction.result if hasattr(prediction, "result") else prediction["result"]
            for region in result:
                value = region.get("value", {})
                if region.get("from_name") == schema.LS_ENTITIES:
                    proposal["entities"] += _fragments(text, [value], labelled=True)
                elif region.get("from_name") == schema.LS_HEDGES:
                    key = "cues" if value.get("labels") == ["CUE"] else "scopes"
                    proposal[key] += _fragments(text, [value], labelled=False)
        rows.append(
            {
                "sid": data.get(schema.LS_SENTENCE_ID),
                "doc_id": data.get("doc_id"),
                "sentence_index": data.get("sentence_index"),
                "previous": data.get(schema.LS_PREVIOUS, ""),
                "text": text,
                "next": data.get(schema.LS_NEXT, ""),
                "stance_target": data.get(schema.LS_TARGET),
                "tokens": [t.text for t in tokenize(text)],
                "pre_annotation": proposal,
            }
        )
    return sorted(rows, key=lambda r: (str(r["doc_id"]), int(r["sentence_index"] or 0)))


@dataclass(frozen=True, slots=True)
class SubmitSummary:
    created: int
    replaced: int


def _span(text: str, item: Any, label: str | None, where: str, field: str) -> Span:
    if isinstance(item, str):
        item = [item] if label is not None else None  # cues and scopes may be plain words
    if not isinstance(item, list) or not item or not isinstance(item[0], str):
        raise SqcorpusError(
            f"a span is [words{', LABEL' if label is None else ''}, occurrence?]",
            item=where,
            field=field,
        )
    words = item[0]
    rest = item[1:]
    if label is None:
        if not rest or not isinstance(rest[0], str):
            raise SqcorpusError("an entity is [words, LABEL, occurrence?]", item=where, field=field)
        label, rest = rest[0], rest[1:]
    occurrence = rest[0] if rest else 0
    found = _occurrences(text, words) if words else []
    if words and words in text and not found:
        raise SqcorpusError(
            f"{words!r} does not start and end on token boundaries", item=where, field=field
        )
    if isinstance(occurrence, bool) or not isinstance(occurrence, int):
        raise SqcorpusError(
            f"the occurrence of {words!r} must be a whole number", item=where, field=field
        )
    if not 0 <= occurrence < len(found):
        raise SqcorpusError(
            f"{words!r} occurs {len(found)} time(s) as whole words in the sentence, not at "
            f"occurrence {occurrence}",
            item=where,
            field=field,
        )
    start = found[occurrence]
    end = start + len(words)
    return Span(start, end, words, label)


def decision_annotation(text: str, decision: Mapping[str, Any]) -> SentenceAnnotation:
    """One decision (see the module docstring) as a checked :class:`SentenceAnnotation`."""
    sid = str(decision.get("sid"))
    unknown = set(decision) - DECISION_KEYS
    if unknown:
        raise SqcorpusError(f"unknown keys {sorted(unknown)}", item=sid, field="decision")
    entities = [_span(text, e, None, sid, "entities") for e in decision.get("entities") or []]
    for span in entities:
        if span.label not in schema.ENTITY_LABELS:
            raise SqcorpusError(f"unknown entity label {span.label!r}", item=sid, field="entities")
    cues = [_span(text, c, "CUE", sid, "cues") for c in decision.get("cues") or []]
    scopes = [_span(text, s, "SCOPE", sid, "scopes") for s in decision.get("scopes") or []]
    stance, holder = decision.get("stance"), decision.get("holder")
    if stance not in schema.STANCE_LABELS:
        raise SqcorpusError(
            f"stance must be one of {schema.STANCE_LABELS}", item=sid, field="stance"
        )
    if holder not in schema.HOLDER_LABELS:
        raise SqcorpusError(
            f"holder must be one of {schema.HOLDER_LABELS}", item=sid, field="holder"
        )
    note = decision.get("note") or ""
    if not isinstance(note, str):
        raise SqcorpusError("a note is a string", item=sid, field="note")
    return SentenceAnnotation(
        entities=entities,
        stance=stance,
        stance_holder=holder,
        hedge_cues=cues,
        hedge_scopes=scopes,
        note=note,
    )


def read_decisions(path: Path) -> list[dict[str, Any]]:
    """Decisions, one JSON object a line."""
    decisions = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SqcorpusError(f"cannot read decisions: {err}", file=path) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            decision = json.loads(line)
        except json.JSONDecodeError as err:
            raise SqcorpusError(f"invalid JSON: {err.msg}", file=f"{path}:{number}") from None
        if not isinstance(decision, dict) or not isinstance(decision.get("sid"), str):
            raise SqcorpusError("a decision is an object with a 'sid'", file=f"{path}:{number}")
        decisions.append(decision)
    return decisions


def submit(
    connection: Connection, project_title: str, decisions: Sequence[Mapping[str, Any]]
) -> SubmitSummary:
    """Check every decision against its task, then create (or replace) the annotations.

    Nothing is sent when any decision is refused.
    """
    client = connect(connection)
    with translated(connection, "submitting annotations"):
        project = _project(client, project_title)
        listed: list[Any] = list(
            client.tasks.list(project=server_id(project.id, "a project"), fields="all")
        )
        tasks = {(t.data or {}).get(schema.LS_SENTENCE_ID): t for t in listed}
        planned = []
        for decision in decisions:
            task = tasks.get(decision["sid"])
            if task is None:
                raise SqcorpusError("no task in the project", item=decision["sid"], field="sid")
            text = str((task.data or {}).get(schema.LS_TEXT, ""))
            result = to_ls_results(decision_annotation(text, decision))
            # The converter's own checks (no overlapping spans of one layer, scopes with their
            # cues...), so nothing is sent that a release build would refuse.
            from_ls_results(result, text, tokenize(text), Where("decisions", decision["sid"]))
            planned.append((task, result))
        created = replaced = 0
        for task, result in planned:
            task_id = server_id(task.id, "a task")
            mine = list(client.annotations.list(id=task_id))
            if mine:
                # Updated in place, not deleted and created again: a pull then sees a newer
                # version of the same annotation and takes it, instead of keeping the old one
                # as committed work the server lost.
                client.annotations.update(id=server_id(mine[0].id, "an annotation"), result=result)
                replaced += 1
            else:
                client.annotations.create(id=task_id, result=result)
                created += 1
    return SubmitSummary(created=created, replaced=replaced)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sqcorpus.annotate.studio.worker tasks|submit``, connected with
    ``$LABEL_STUDIO_URL`` and ``$LABEL_STUDIO_API_KEY`` (the annotator's own token)."""
    import argparse
    import sys

    from .connection import resolve_connection

    parser = argparse.ArgumentParser(prog="python -m sqcorpus.annotate.studio.worker")
    actions = parser.add_subparsers(dest="action", required=True)
    tasks = actions.add_parser("tasks", help="your project's tasks as JSON Lines")
    tasks.add_argument("--project", required=True, help="your project, sqcorpus-NAME")
    tasks.add_argument("--out", type=Path, help="file (default: stdout)")
    send = actions.add_parser("submit", help="submit decisions (JSON Lines) to your project")
    send.add_argument("--project", required=True, help="your project, sqcorpus-NAME")
    send.add_argument("decisions", type=Path)
    args = parser.parse_args(argv)
    try:
        connection = resolve_connection()
        if args.action == "tasks":
            lines = "".join(
                json.dumps(row, ensure_ascii=False) + "\n"
                for row in fetch_tasks(connection, args.project)
            )
            write_or_print(lines, args.out)
            return 0
        done = submit(connection, args.project, read_decisions(args.decisions))
        print(f"submitted {done.created} annotations ({done.replaced} earlier ones replaced)")
        return 0
    except SqcorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
