"""Push: create the project and import every corpus sentence once, with its pre-annotation as
the prediction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from label_studio_sdk import LabelStudio
from tqdm import tqdm

from ... import schema
from ...errors import SqcorpusError
from ...text.corpus import CorpusSentence, corpus_sentences, read_corpus
from ..convert import to_ls_results
from ..labelconfig import label_config
from ..preannotate import MODEL_VERSION, preannotate
from .client import DEFAULT_PROJECT, checked_config, find_project
from .connection import Connection, connect, resolve_connection, server_id, translated

IMPORT_BATCH: Final = 100


@dataclass(frozen=True, slots=True)
class PushSummary:
    project_id: int
    project: str
    created: bool
    imported: int
    already_present: int

    @property
    def total(self) -> int:
        return self.imported + self.already_present


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_tasks(client: LabelStudio, project_id: int) -> dict[str, str]:
    """sid → text of the project's tasks; a sid present twice is an error."""
    found: dict[str, str] = {}
    tasks: Iterable[Any] = client.tasks.list(project=project_id, page_size=1000)
    for task in tasks:
        data = task.data or {}
        sid = data.get(schema.LS_SENTENCE_ID)
        if not isinstance(sid, str):
            raise SqcorpusError(
                "task has no sentence id", item=task.id, field=f"data.{schema.LS_SENTENCE_ID}"
            )
        if sid in found:
            raise SqcorpusError(
                f"sentence is in project {project_id} twice (task {task.id} is a duplicate)",
                item=sid,
                field=f"data.{schema.LS_SENTENCE_ID}",
            )
        found[sid] = str(data.get(schema.LS_TEXT, ""))
    return found


INSTRUCTIONS = (
    f"<p>Follow <b>annotation/guidelines.md</b> (version {schema.GUIDELINES_VERSION}) in the "
    "sqcorpus repository. Correct the pre-annotation: entity spans (keys 1-9), hedge CUE (c) "
    "and SCOPE (s), one stance (f/a/n) and its holder (j = author, q = source) on every "
    "sentence; write doubts in the note.</p><p>An entity label and a hedge label never share "
    "one region: click the active label again to turn it off before choosing from the other "
    "group. Turn on <i>Show region labels</i> in the settings (bottom left) to see the labels "
    "in the text.</p>"
)


def task_payload(sentence: CorpusSentence) -> dict[str, Any]:
    """One Label Studio task: the sentence, and its pre-annotation as a prediction."""
    annotation = preannotate(sentence.text, sentence.tokens)
    return {
        "data": {
            schema.LS_TEXT: sentence.text,
            schema.LS_SENTENCE_ID: sentence.id,
            "doc_id": sentence.doc_id,
            "sentence_index": sentence.index,
            # The guidelines in force when the task was pushed, so every exported
            # annotation says which rules it followed.
            "guidelines_version": schema.GUIDELINES_VERSION,
        },
        "predictions": [{"model_version": MODEL_VERSION, "result": to_ls_results(annotation)}],
    }


def push(
    *,
    project: str = DEFAULT_PROJECT,
    doc_id: str | None = None,
    connection: Connection | None = None,
    data_dir: Path | None = None,
    raw_dir: Path | None = None,
    batch_size: int = IMPORT_BATCH,
    progress: bool = True,
) -> PushSummary:
    """Create the project if needed and import every sentence not yet in it (idempotent)."""
    sentences = corpus_sentences(read_corpus(raw_dir))
    if doc_id is not None:
        sentences = [s for s in sentences if s.doc_id == doc_id]
        if not sentences:
            raise SqcorpusError("no such document in the raw store", item=doc_id, field="--doc")
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with translated(conn, f"pushing to project {project!r}"):
        found = find_project(client, project)
        created = found is None
        if found is None:
            found = client.projects.create(
                title=project,
                label_config=label_config(),
                description="sqcorpus: entities, stance and hedging in Albanian news sentences",
                expert_instruction=INSTRUCTIONS,
                show_instruction=True,
            )
        else:
            found = checked_config(client, found, update=True)
        project_id = server_id(found.id, "a project")
        existing = _existing_tasks(client, project_id)
        for sentence in sentences:
            if sentence.id in existing and existing[sentence.id] != sentence.text:
                raise SqcorpusError(
                    f"the task's text in project {project!r} differs from the corpus sentence",
                    item=sentence.id,
                    field="data.text",
                )
        new = [s for s in sentences if s.id not in existing]
        with tqdm(
            total=len(new), unit="task", desc="importing", disable=not progress or not new
        ) as bar:
            for batch in _batches(new, batch_size):
                # The SDK sends plain task dicts as they are; its type names only its model.
                payload: Any = [task_payload(s) for s in batch]
                client.projects.import_tasks(id=project_id, request=payload, return_task_ids=True)
                bar.update(len(batch))
    return PushSummary(
        project_id=project_id,
        project=project,
        created=created,
        imported=len(new),
        already_present=len(sentences) - len(new),
    )


def format_push(summary: PushSummary) -> str:
    action = "created" if summary.created else "updated"
    return (
        f"project {summary.project!r} (id {summary.project_id}) {action}: "
        f"{summary.imported} tasks imported, {summary.already_present} already present"
    )
