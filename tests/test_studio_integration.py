"""`sqcorpus studio` against a real Label Studio server, and its offline parts.

The tests marked ``studio`` share one server started for the session (``studio_server`` in
conftest.py). They push the real article, annotate it through the API as two annotators
would (spans on text with “ ” and ë), pull it back pseudonymized, build a release from the
pull and check every span survived with exact offsets.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from helpers import span
from sqcorpus import paths, schema
from sqcorpus.annotate import studio
from sqcorpus.annotate.convert import to_ls_results
from sqcorpus.annotate.studio.server import free_port
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation, Span
from sqcorpus.text.corpus import CorpusSentence, corpus_sentences

ARTICLE = "putin-north-korea-2024-06"
PROJECT = "sqcorpus-integration"
SECOND_EMAIL = "besa.annotatore@example.org"
SECOND_NAMES = ("Besa", "Annotatore", "besa_annotatore")
BAD_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def article_sentences() -> list[CorpusSentence]:
    return [s for s in corpus_sentences() if s.doc_id == ARTICLE]


def sentence_with(fragment: str) -> CorpusSentence:
    (found,) = [s for s in article_sentences() if fragment in s.text]
    return found


# --- what the two annotators do ---------------------------------------------------------------


def planned_annotations() -> dict[str, list[tuple[str, SentenceAnnotation, bool]]]:
    """sid → [(annotator: "admin" | "second", annotation, ground_truth)]."""
    kim = sentence_with("pretendohet të ketë thënë")  # an opening “ that never closes
    moscow = sentence_with("Koresë së Veriut Kim Jong-un në Phenian")
    role = sentence_with("“rolin e rëndësishëm")  # “ … ” around the quote
    arrival = sentence_with("Presidenti Vladimir Putin mbërriti")

    def entities(sentence: CorpusSentence, *pairs: tuple[str, str]) -> list[Span]:
        return [span(sentence.text, fragment, label) for fragment, label in pairs]

    moscow_gold = SentenceAnnotation(
        entities=entities(
            moscow,
            ("Putin", "PER"),
            ("Koresë së Veriut", "GPE"),
            ("Kim Jong-un", "PER"),
            ("Phenian", "GPE"),
            ("Moska", "GPE"),
            ("Shteteve të Bashkuara", "GPE"),
            ("Tass", "ORG"),
        ),
        stance="favor",
        stance_holder="source",
    )
    moscow_other = SentenceAnnotation(
        entities=entities(moscow, ("Putin", "PER"), ("Koresë së Veriut", "GPE")),
        stance="neutral",
        stance_holder="author",
    )
    arrival_gold = SentenceAnnotation(
        entities=entities(
            arrival,
            ("Vladimir Putin", "PER"),
            ("18 qershorit", "DATE"),
            ("Korenë e Veriut", "GPE"),
            ("Kim Jong Un", "PER"),
        ),
        stance="neutral",
        stance_holder="author",
    )
    arrival_other = SentenceAnnotation(
        entities=entities(arrival, ("Vladimir Putin", "PER"), ("Korenë e Veriut", "GPE")),
        stance="neutral",
        stance_holder="author",
    )
    kim_only = SentenceAnnotation(
        entities=entities(kim, ("Kim", "PER"), ("ruse", "NORP"), ("Ukrainë", "GPE")),
        stance="favor",
        stance_holder="source",
        hedge_cues=[span(kim.text, "pretendohet", "CUE")],
        hedge_scopes=[span(kim.text, "pretendohet të ketë thënë", "SCOPE")],
        note="thonjëza “ pa mbyllje",
    )
    role_only = SentenceAnnotation(
        entities=entities(role, ("Rusisë", "GPE")), stance="favor", stance_holder="source"
    )
    return {
        moscow.id: [("admin", moscow_gold, True), ("second", moscow_other, False)],
        arrival.id: [("admin", arrival_other, False), ("second", arrival_gold, True)],
        kim.id: [("second", kim_only, False)],
        role.id: [("second", role_only, False)],
    }


def gold_of(plan: list[tuple[str, SentenceAnnotation, bool]]) -> SentenceAnnotation:
    marked = [annotation for _, annotation, truth in plan if truth]
    return marked[0] if marked else plan[0][1]


CANCELLED_FRAGMENT = "Marrëdhëniet midis Rusisë"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(studio_server: studio.LocalServer) -> studio.LocalServer:
    return studio_server


@pytest.fixture(scope="module")
def pushed(server: studio.LocalServer) -> tuple[studio.PushSummary, studio.PushSummary]:
    # Small batches: the 28 sentences go in three import requests.
    first = studio.push(
        doc_id=ARTICLE,
        project=PROJECT,
        connection=server.connection,
        data_dir=server.data_dir,
        progress=False,
        batch_size=10,
    )
    second = studio.push(
        doc_id=ARTICLE,
        project=PROJECT,
        connection=server.connection,
        data_dir=server.data_dir,
        progress=False,
    )
    return first, second


def task_ids(client: Any, project_id: int) -> dict[str, int]:
    return {t.data["sid"]: t.id for t in client.tasks.list(project=project_id, page_size=1000)}


@pytest.fixture(scope="module")
def annotated(
    server: studio.LocalServer, pushed: tuple[studio.PushSummary, studio.PushSummary]
) -> dict[str, Any]:
    """Annotations made through the API, as the admin and a second annotator would."""
    client = studio.connect(server.connection)
    admin = client.users.whoami()
    first_name, last_name, username = SECOND_NAMES
    second = client.users.create(
        email=SECOND_EMAIL, username=username, first_name=first_name, last_name=last_name
    )
    users = {"admin": admin.id, "second": second.id}
    ids = task_ids(client, pushed[0].project_id)
    plan = planned_annotations()
    for sid, entries in plan.items():
        for who, annotation, truth in entries:
            client.annotations.create(
                id=ids[sid],
                result=to_ls_results(annotation),
                completed_by=users[who],
                ground_truth=truth,
                lead_time=30.0,
            )
    cancelled = sentence_with(CANCELLED_FRAGMENT)
    client.annotations.create(
        id=ids[cancelled.id], result=[], was_cancelled=True, completed_by=users["admin"]
    )
    return {"plan": plan, "cancelled": cancelled.id}


@pytest.fixture(scope="module")
def pulled(
    server: studio.LocalServer, annotated: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> tuple[studio.PullSummary, Path]:
    out = tmp_path_factory.mktemp("exports")
    summary = studio.pull(
        out=out, project=PROJECT, connection=server.connection, data_dir=server.data_dir
    )
    return summary, out


# --- push ----------------------------------------------------------------------------------


@pytest.mark.studio
def test_push_imports_every_sentence_once_with_a_prediction(
    server: studio.LocalServer, pushed: tuple[studio.PushSummary, studio.PushSummary]
) -> None:
    from sqcorpus.annotate.provenance import RULES_2 as MODEL_VERSION  # the frozen pre-annotator

    first, second = pushed
    sentences = article_sentences()
    assert first.created and first.imported == len(sentences) and first.already_present == 0
    # Running it again adds nothing.
    assert not second.created and second.imported == 0
    assert second.already_present == len(sentences)
    client = studio.connect(server.connection)
    tasks = list(client.tasks.list(project=first.project_id, page_size=1000, fields="all"))
    assert sorted(t.data["sid"] for t in tasks) == [s.id for s in sentences]
    by_sid = {t.data["sid"]: t for t in tasks}
    from sqcorpus.annotate.targets import read_stance_targets

    target = read_stance_targets(paths.stance_targets_file())[ARTICLE]
    for position, sentence in enumerate(sentences):
        data = by_sid[sentence.id].data
        assert data == {
            "text": sentence.text,
            "sid": sentence.id,
            "doc_id": ARTICLE,
            "sentence_index": sentence.index,
            "previous": sentences[position - 1].text if position else "",
            "next": sentences[position + 1].text if position + 1 < len(sentences) else "",
            "stance_target": target,
            "guidelines_version": schema.GUIDELINES_VERSION,
        }
    predictions = [p for t in tasks for p in (t.predictions or [])]
    assert len(predictions) == len(sentences)
    assert {p.model_version for p in predictions} == {MODEL_VERSION}


@pytest.mark.studio
def test_push_refuses_a_task_whose_text_differs_from_the_corpus(
    server: studio.LocalServer,
) -> None:
    title = "sqcorpus-edited-text"
    conn = server.connection
    summary = studio.push(
        doc_id=ARTICLE, project=title, connection=conn, data_dir=server.data_dir, progress=False
    )
    client = studio.connect(conn)
    sentence = article_sentences()[2]
    task_id = task_ids(client, summary.project_id)[sentence.id]
    edited = {"text": sentence.text + " (edited)", "sid": sentence.id, "doc_id": ARTICLE}
    client.tasks.update(id=task_id, data={**edited, "sentence_index": sentence.index})
    with pytest.raises(SqcorpusError, match="differs from the corpus") as caught:
        studio.push(
            doc_id=ARTICLE, project=title, connection=conn, data_dir=server.data_dir, progress=False
        )
    assert sentence.id in str(caught.value)


@pytest.mark.studio
def test_drifted_labeling_config_is_a_clear_error(server: studio.LocalServer) -> None:
    from sqcorpus.annotate.labelconfig import label_config

    title = "sqcorpus-drifted"
    drifted = "\n".join(line for line in label_config().splitlines() if 'value="DATE"' not in line)
    client = studio.connect(server.connection)
    client.projects.create(title=title, label_config=drifted)
    for action in (studio.push, studio.status):
        with pytest.raises(SqcorpusError, match="drifted") as caught:
            action(project=title, connection=server.connection, data_dir=server.data_dir)
        message = str(caught.value)
        assert "'DATE'" in message and title in message and "\n" not in message


# --- pull ----------------------------------------------------------------------------------


@pytest.mark.studio
def test_pull_writes_one_pseudonymized_file_per_document(
    server: studio.LocalServer, pulled: tuple[studio.PullSummary, Path], annotated: dict[str, Any]
) -> None:
    summary, out = pulled
    path = out / f"{ARTICLE}.json"
    assert summary.files == (path,)
    assert sorted(p.name for p in out.iterdir()) == [path.name]
    text = path.read_text(encoding="utf-8")
    assert "@" not in text
    for private in (SECOND_EMAIL, studio.ADMIN_USERNAME, *SECOND_NAMES):
        assert private not in text
    tasks = json.loads(text)
    assert [t["data"]["sentence_index"] for t in tasks] == [s.index for s in article_sentences()]
    annotators = {a["completed_by"]["username"] for t in tasks for a in t["annotations"]}
    assert annotators == {"annotator-01", "annotator-02"} == set(summary.annotators)
    for task in tasks:
        for annotation in task["annotations"]:
            assert isinstance(annotation["updated_by"], str | None)
    # The map stays private, in the data folder, and names the second annotator.
    mapping_file = server.data_dir / studio.PSEUDONYM_FILE
    assert stat.S_IMODE(mapping_file.stat().st_mode) == 0o600
    mapping = json.loads(mapping_file.read_text(encoding="utf-8"))["annotators"]
    by_sid = {t["data"]["sid"]: t for t in tasks}
    plan = annotated["plan"]
    names = {"admin": mapping[studio.ADMIN_USERNAME], "second": mapping[SECOND_EMAIL]}
    for sid, entries in plan.items():
        found = [
            (a["completed_by"]["username"], a["ground_truth"]) for a in by_sid[sid]["annotations"]
        ]
        assert found == [(names[who], truth) for who, _, truth in entries]
    cancelled = by_sid[annotated["cancelled"]]["annotations"]
    assert [a["was_cancelled"] for a in cancelled] == [True]


@pytest.mark.studio
def test_pull_is_deterministic(
    server: studio.LocalServer, pulled: tuple[studio.PullSummary, Path], tmp_path: Path
) -> None:
    _, first = pulled
    again = studio.pull(
        out=tmp_path, project=PROJECT, connection=server.connection, data_dir=server.data_dir
    )
    name = f"{ARTICLE}.json"
    assert again.files == (tmp_path / name,)
    assert (tmp_path / name).read_bytes() == (first / name).read_bytes()


@pytest.mark.studio
def test_release_from_the_pull_keeps_every_span_exactly(
    pulled: tuple[studio.PullSummary, Path], annotated: dict[str, Any], tmp_path: Path
) -> None:
    import shutil

    from sqcorpus.release.build import build_release
    from sqcorpus.release.splits import assign_split_file
    from sqcorpus.text.corpus import read_corpus

    _, exports = pulled
    releases = tmp_path / "releases"
    # The article alone: a release needs a split for every document of its raw store.
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in paths.raw_dir().glob(f"{ARTICLE}.*"):
        shutil.copy(path, raw / path.name)
    assign_split_file(read_corpus(raw), tmp_path / "splits.json")
    summary = build_release(
        "0.1.0",
        annotations=exports,
        out=releases,
        raw_dir=raw,
        splits_path=tmp_path / "splits.json",
    )
    manifest = summary.manifest
    assert manifest["annotation"]["annotated_sentences"] == len(annotated["plan"])
    assert set(manifest["annotation"]["annotators"]) == {"annotator-01", "annotator-02"}
    rows = {
        row["id"]: row
        for split in schema.SPLITS
        for row in pq.read_table(releases / "0.1.0" / "sentences" / f"{split}.parquet").to_pylist()
    }
    assert set(rows) == {s.id for s in article_sentences()}

    def spans(items: list[Span]) -> list[tuple[int, int, str]]:
        return sorted((s.start, s.end, s.text) for s in items)

    for sid, entries in annotated["plan"].items():
        gold, row = gold_of(entries), rows[sid]
        found = sorted(
            (e["start"], e["end"], e["text"], schema.ENTITY_LABELS[e["label"]])
            for e in row["entities"]
        )
        expected = sorted((s.start, s.end, s.text, s.label) for s in gold.entities)
        assert found == expected, sid
        for start, end, text, _ in found:
            assert row["text"][start:end] == text
        assert sorted((c["start"], c["end"], c["text"]) for c in row["hedge_cues"]) == spans(
            gold.hedge_cues
        )
        assert sorted((c["start"], c["end"], c["text"]) for c in row["hedge_scopes"]) == spans(
            gold.hedge_scopes
        )
        assert schema.STANCE_LABELS[row["stance"]] == gold.stance
        assert schema.HOLDER_LABELS[row["stance_holder"]] == gold.stance_holder
    # A task only cancelled has no gold: its layers stay empty and its labels missing.
    skipped = rows[annotated["cancelled"]]
    assert skipped["entities"] == [] and skipped["stance"] == schema.MISSING_LABEL


# --- status and the command line ------------------------------------------------------------


@pytest.mark.studio
def test_status_counts_tasks_and_annotators(
    server: studio.LocalServer,
    annotated: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = studio.status(project=PROJECT, connection=server.connection, data_dir=server.data_dir)
    total = len(article_sentences())
    assert (report.annotated, report.total) == (len(annotated["plan"]), total)
    by_sid = {t.sid: t for t in report.tasks}
    assert by_sid[annotated["cancelled"]].cancelled == 1
    assert by_sid[annotated["cancelled"]].done == 0
    plan = annotated["plan"]
    assert sum(report.done_by.values()) == sum(len(entries) for entries in plan.values())
    assert sum(report.cancelled_by.values()) == 1
    # The command reads connection.json from --data-dir when the environment names no server.
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    code = main(["studio", "status", "--project", PROJECT, "--data-dir", str(server.data_dir)])
    output = capsys.readouterr().out
    assert code == 0
    assert f"{len(plan)}/{total} tasks annotated" in output
    assert "@" not in output and server.connection.token not in output


@pytest.mark.studio
def test_bad_token_is_a_clear_error_without_the_token(
    server: studio.LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = studio.Connection(server.url, BAD_TOKEN)
    with pytest.raises(SqcorpusError, match="rejected the API token") as caught:
        studio.push(doc_id=ARTICLE, project=PROJECT, connection=bad, progress=False)
    assert BAD_TOKEN not in str(caught.value)
    monkeypatch.setenv("LABEL_STUDIO_URL", server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", BAD_TOKEN)
    assert main(["studio", "pull", "--project", PROJECT]) == 1
    captured = capsys.readouterr()
    assert "rejected the API token" in captured.err
    assert captured.err.count("\n") == 1
    assert BAD_TOKEN not in captured.err + captured.out


@pytest.mark.studio
def test_local_server_is_the_one_it_started(server: studio.LocalServer) -> None:
    saved = json.loads(server.connection_file.read_text(encoding="utf-8"))
    assert stat.S_IMODE(server.connection_file.stat().st_mode) == 0o600
    assert saved["url"] == server.url and saved["token"] == server.connection.token
    assert server.process is not None and server.process.poll() is None
    assert studio.connect(server.connection).users.whoami().email == studio.ADMIN_USERNAME


# --- offline parts (no server) ----------------------------------------------------------------


def test_server_down_is_a_clear_error(tmp_path: Path) -> None:
    down = studio.Connection(f"http://127.0.0.1:{free_port()}", BAD_TOKEN)
    started = time.monotonic()
    with pytest.raises(SqcorpusError, match="cannot reach Label Studio") as caught:
        studio.status(connection=down, data_dir=tmp_path)
    assert BAD_TOKEN not in str(caught.value)
    assert time.monotonic() - started < 30  # no endless retrying


def test_connection_comes_from_the_environment_or_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(SqcorpusError, match="studio serve"):
        studio.resolve_connection(tmp_path)
    saved = {"url": "http://127.0.0.1:9/", "token": "from-file"}
    (tmp_path / studio.CONNECTION_FILE).write_text(json.dumps(saved), encoding="utf-8")
    found = studio.resolve_connection(tmp_path)
    assert (found.url, found.token) == ("http://127.0.0.1:9", "from-file")
    assert "from-file" not in repr(found)
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://studio.example:8080")
    with pytest.raises(SqcorpusError, match="LABEL_STUDIO_API_KEY"):
        studio.resolve_connection(tmp_path)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "from-env")
    found = studio.resolve_connection(tmp_path)
    assert (found.url, found.token, found.source) == (
        "http://studio.example:8080",
        "from-env",
        "environment",
    )


def exported_task(annotator: dict[str, Any], note: str = "") -> dict[str, Any]:
    """A task shaped like Label Studio 1.23's full JSON export."""
    result = [{"from_name": "note", "type": "textarea", "value": {"text": [note]}}] if note else []
    return {
        "id": 7,
        "data": {"text": "Putin në Phenian.", "sid": "d-s001", "doc_id": "d", "sentence_index": 1},
        "annotations": [
            {
                "id": 3,
                "completed_by": annotator,
                "result": result,
                "updated_by": 1,
                "last_created_by": None,
                "created_username": f"{annotator.get('email')}, {annotator.get('id')}",
            }
        ],
        "drafts": [{"user": "admin@sqcorpus.local", "result": []}],
        "predictions": [{"id": 1, "result": [], "created_ago": "3 minutes"}],
        "updated_by": 1,
        "comment_authors": [{"id": 2, "email": "ana@example.org", "first_name": "Ana"}],
    }


def test_pseudonymize_replaces_every_user_reference(tmp_path: Path) -> None:
    users = {1: "admin@sqcorpus.local", 2: "ana@example.org"}
    annotator = {"id": 2, "email": "ana@example.org", "first_name": "Ana", "last_name": "K"}
    path = tmp_path / studio.PSEUDONYM_FILE
    pseudonyms = studio.Pseudonyms.load(path)
    (task,) = studio.pseudonymize([exported_task(annotator)], pseudonyms, users)
    text = json.dumps(task, ensure_ascii=False)
    assert "@" not in text and "Ana" not in text and "created_ago" not in text
    assert "drafts" not in task
    (annotation,) = task["annotations"]
    # Annotators are numbered first, so the one who annotated is annotator-01.
    assert annotation["completed_by"] == {"username": "annotator-01"}
    assert annotation["created_username"] == "annotator-01"
    assert annotation["updated_by"] == task["updated_by"] == "annotator-02"
    assert task["comment_authors"] == ["annotator-01"]
    pseudonyms.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # A later pull keeps the names, and a new annotator gets the next number.
    newcomer = {"id": 3, "email": "new@example.org"}
    again = studio.Pseudonyms.load(path)
    (task,) = studio.pseudonymize([exported_task(newcomer)], again, {**users, 3: newcomer["email"]})
    assert task["annotations"][0]["completed_by"] == {"username": "annotator-03"}
    assert again.name("ana@example.org") == "annotator-01"


def test_pseudonymize_refuses_an_email_it_cannot_place(tmp_path: Path) -> None:
    annotator = {"id": 2, "email": "ana@example.org"}
    task = exported_task(annotator, note="write to ana@example.org")
    with pytest.raises(SqcorpusError, match="e-mail address remains") as caught:
        studio.pseudonymize([task], studio.Pseudonyms(tmp_path / "map.json"), {})
    assert "ana@example.org" not in str(caught.value)
    assert "result[0].value.text[0]" in str(caught.value)
