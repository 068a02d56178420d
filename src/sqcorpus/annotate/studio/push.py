"""Push: create the project and import every corpus sentence once, with its pre-annotation as
the prediction, its neighbours as read-only context and its document's stance target.

``--annotator NAME`` pushes to that annotator's own project (``sqcorpus-NAME``): Label Studio
Community shows every annotation of a task to everyone who can open it, so blind double
annotation needs one project per annotator (see :mod:`.users`). ``--gold`` pushes the
committed annotations into ``sqcorpus-adjudication`` for review and adjudication.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from label_studio_sdk import LabelStudio
from tqdm import tqdm

from ... import paths, schema
from ...errors import SqcorpusError
from ...text.corpus import CorpusSentence, corpus_sentences, read_corpus
from ..convert import to_ls_results
from ..labelconfig import label_config
from ..premodel import preannotate_batch, to_annotation
from ..targets import read_stance_targets
from .client import DEFAULT_PROJECT, checked_config, find_project
from .connection import Connection, connect, resolve_connection, server_id, translated
from .gold import ADJUDICATION_PROJECT, gold_annotations
from .users import project_title, read_users

IMPORT_BATCH: Final = 100
NO_TARGET: Final = "(no stance target fixed yet: ask the maintainer before labelling stance)"


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


PRE_ANNOTATOR: Final = "rules"
"""The frozen rule pre-annotator (``sqcorpus-rules-2.0``) proposes every pushed task."""
GUIDELINES_LINK: Final = "annotation/guidelines.md"
INSTRUCTIONS = (
    f"<p>Follow the guidelines, <b>{GUIDELINES_LINK}</b> (version {schema.GUIDELINES_VERSION})"
    " in the sqcorpus repository. The previous and next sentences are context only: annotate "
    "the framed sentence. Stance is toward the document's target shown above it.</p>"
    "<p><b>Blind annotation:</b> work only in your own project (sqcorpus-YOUR-NAME) and with "
    "your own account and token; do not open other annotators' projects.</p>"
    "<p>Correct the pre-annotation: entity spans (keys 1-9), hedge CUE (c) "
    "and SCOPE (s), one stance (f/a/n) and its holder (j = author, q = source) on every "
    "sentence; write doubts in the note.</p><p>An entity label and a hedge label never share "
    "one region: click the active label again to turn it off before choosing from the other "
    "group. Turn on <i>Show region labels</i> in the settings (bottom left) to see the labels "
    "in the text.</p>"
)


def task_payload(
    sentence: CorpusSentence,
    *,
    previous: str = "",
    following: str = "",
    target: str = NO_TARGET,
    prediction: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One Label Studio task: the sentence with its context and stance target, and its
    pre-annotation as a prediction (with the pre-annotator's model version). Without
    ``prediction`` the frozen rule pre-annotator proposes one."""
    if prediction is None:
        prediction = preannotate_batch([sentence], PRE_ANNOTATOR)[0]
    annotation = to_annotation(prediction, sentence.text)
    return {
        "data": {
            schema.LS_TEXT: sentence.text,
            schema.LS_SENTENCE_ID: sentence.id,
            "doc_id": sentence.doc_id,
            "sentence_index": sentence.index,
            # Read-only context: the guidelines make the stance holder depend on it.
            schema.LS_PREVIOUS: previous,
            schema.LS_NEXT: following,
            schema.LS_TARGET: target,
            # The guidelines in force when the task was pushed, so every exported
            # annotation says which rules it followed.
            "guidelines_version": schema.GUIDELINES_VERSION,
        },
        "predictions": [
            {"model_version": prediction["model_version"], "result": to_ls_results(annotation)}
        ],
    }


def task_payloads(
    sentences: Sequence[CorpusSentence], targets: dict[str, str]
) -> list[dict[str, Any]]:
    """The tasks of ``sentences`` (whole documents, in order), each with its neighbours.

    Pre-annotated as a batch, so the rules' per-document memory of surnames applies."""
    predictions = preannotate_batch(sentences, PRE_ANNOTATOR)
    payloads = []
    for position, sentence in enumerate(sentences):
        before = sentences[position - 1] if position > 0 else None
        after = sentences[position + 1] if position + 1 < len(sentences) else None
        payloads.append(
            task_payload(
                sentence,
                previous=before.text if before and before.doc_id == sentence.doc_id else "",
                following=after.text if after and after.doc_id == sentence.doc_id else "",
                target=targets.get(sentence.doc_id, NO_TARGET),
                prediction=predictions[position],
            )
        )
    return payloads


def _selected(raw_dir: Path | None, doc_ids: Sequence[str] | None) -> list[CorpusSentence]:
    sentences = corpus_sentences(read_corpus(raw_dir))
    if not doc_ids:
        return sentences
    known = {s.doc_id for s in sentences}
    for doc_id in doc_ids:
        if doc_id not in known:
            raise SqcorpusError("no such document in the raw store", item=doc_id, field="--docs")
    return [s for s in sentences if s.doc_id in set(doc_ids)]


def push(
    *,
    project: str = DEFAULT_PROJECT,
    doc_id: str | None = None,
    doc_ids: Sequence[str] | None = None,
    annotator: str | None = None,
    gold: bool = False,
    connection: Connection | None = None,
    data_dir: Path | None = None,
    raw_dir: Path | None = None,
    exports: Path | None = None,
    targets_file: Path | None = None,
    batch_size: int = IMPORT_BATCH,
    progress: bool = True,
) -> PushSummary:
    """Create the project if needed and import every sentence not yet in it (idempotent).

    ``annotator`` pushes to ``sqcorpus-<annotator>`` (the account must exist); ``gold`` pushes
    the sentences that have committed annotations, with those annotations, to
    ``sqcorpus-adjudication``.
    """
    wanted = [*(doc_ids or ()), *([doc_id] if doc_id else [])]
    sentences = _selected(raw_dir, wanted)
    if annotator is not None:
        if annotator not in read_users(data_dir):
            raise SqcorpusError(
                "no such annotator: add it with `sqcorpus studio users add NAME`",
                item=annotator,
                field="--annotator",
            )
        project = project_title(annotator)
    payloads = task_payloads(
        sentences, read_stance_targets(targets_file or paths.stance_targets_file())
    )
    if gold:
        project = ADJUDICATION_PROJECT if annotator is None else project
        committed = gold_annotations(exports or paths.exports_dir())
        payloads = [
            {**p, "annotations": committed[p["data"][schema.LS_SENTENCE_ID]]}
            for p in payloads
            if p["data"][schema.LS_SENTENCE_ID] in committed
        ]
        if not payloads:
            raise SqcorpusError("no committed annotations for these documents", field="--gold")
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
        for payload in payloads:
            sid, text = payload["data"][schema.LS_SENTENCE_ID], payload["data"][schema.LS_TEXT]
            if sid in existing and existing[sid] != text:
                raise SqcorpusError(
                    f"the task's text in project {project!r} differs from the corpus sentence",
                    item=sid,
                    field="data.text",
                )
        new = [p for p in payloads if p["data"][schema.LS_SENTENCE_ID] not in existing]
        with tqdm(
            total=len(new), unit="task", desc="importing", disable=not progress or not new
        ) as bar:
            for batch in _batches(new, batch_size):
                # The SDK sends plain task dicts as they are; its type names only its model.
                request: Any = list(batch)
                client.projects.import_tasks(id=project_id, request=request, return_task_ids=True)
                bar.update(len(batch))
    return PushSummary(
        project_id=project_id,
        project=project,
        created=created,
        imported=len(new),
        already_present=len(payloads) - len(new),
    )


def format_push(summary: PushSummary) -> str:
    action = "created" if summary.created else "updated"
    return (
        f"project {summary.project!r} (id {summary.project_id}) {action}: "
        f"{summary.imported} tasks imported, {summary.already_present} already present"
    )
