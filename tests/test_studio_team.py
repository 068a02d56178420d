"""A team Label Studio against real servers: PostgreSQL (Debian) and Label Studio.

One test walks the whole path a maintainer and two annotators take: accounts, a push of the
seed article with context to each annotator's own project, blind annotation through the API
with each annotator's own token, pulls that merge into the committed exports without losing
anything, and the refusals (a region with two kinds of label, a second server).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from helpers import span
from sqcorpus import paths, schema
from sqcorpus.annotate import studio
from sqcorpus.annotate.convert import to_ls_results
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation
from sqcorpus.text.corpus import corpus_sentences

pytestmark = pytest.mark.studio

ARTICLE = "putin-north-korea-2024-06"
ANNOTATORS = ("alice", "bob")


def annotator_client(server: studio.LocalServer, name: str) -> LabelStudio:
    conn = studio.annotator_connection(name, server.data_dir)
    return LabelStudio(base_url=conn.url, api_key=conn.token)


def tasks_by_sid(client: LabelStudio, name: str) -> dict[str, Any]:
    project = studio.find_project(client, studio.project_title(name))
    assert project is not None
    return {t.data["sid"]: t for t in client.tasks.list(project=project.id)}


def annotate(client: LabelStudio, task: Any, annotation: SentenceAnnotation) -> int:
    created = client.annotations.create(id=task.id, result=to_ls_results(annotation))
    assert created.id is not None
    return int(created.id)


def read_tasks(path: Path) -> dict[str, dict[str, Any]]:
    return {t["data"]["sid"]: t for t in json.loads(path.read_text(encoding="utf-8"))}


def by_project(task: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for annotation in task["annotations"]:
        project = annotation.get("sqcorpus_source", {}).get("project", "committed")
        found.setdefault(project, []).append(annotation)
    return found


def test_a_team_annotates_blind_and_no_pull_loses_an_annotation(
    team_server: studio.LocalServer, tmp_path: Path
) -> None:
    server = team_server
    # A second server on the same data folder is refused before anything starts.
    with pytest.raises(SqcorpusError, match="already running on this data folder"):
        studio.LocalServer(server.data_dir, install_missing=False).start()

    # Two accounts: e-mail under .invalid, secrets only in the private users file.
    added = [studio.add_user(name, data_dir=server.data_dir) for name in ANNOTATORS]
    assert [a.email for a in added] == [f"{n}@annotators.sqcorpus.invalid" for n in ANNOTATORS]
    users_file = server.data_dir / "users.json"
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert sorted(studio.read_users(server.data_dir)) == list(ANNOTATORS)
    with pytest.raises(SqcorpusError, match="already has an account"):
        studio.add_user("alice", data_dir=server.data_dir)

    # The seed article into each annotator's own project, with context and target.
    for name in ANNOTATORS:
        pushed = studio.push(
            annotator=name, doc_ids=[ARTICLE], data_dir=server.data_dir, progress=False
        )
        assert (pushed.project, pushed.imported) == (f"sqcorpus-{name}", 28)
    again = studio.push(annotator="alice", doc_ids=[ARTICLE], data_dir=server.data_dir)
    assert (again.imported, again.already_present) == (0, 28)
    sentences = [s for s in corpus_sentences() if s.doc_id == ARTICLE]
    alice, bob = (annotator_client(server, name) for name in ANNOTATORS)
    assert alice.users.whoami().email == added[0].email  # her own token
    alice_tasks, bob_tasks = tasks_by_sid(alice, "alice"), tasks_by_sid(bob, "bob")
    second = alice_tasks[sentences[1].id].data
    assert second[schema.LS_PREVIOUS] == sentences[0].text
    assert second[schema.LS_NEXT] == sentences[2].text
    assert alice_tasks[sentences[0].id].data[schema.LS_PREVIOUS] == ""
    assert alice_tasks[sentences[-1].id].data[schema.LS_NEXT] == ""
    assert second["guidelines_version"] == schema.GUIDELINES_VERSION
    assert isinstance(second[schema.LS_TARGET], str) and second[schema.LS_TARGET]
    prediction = alice.predictions.list(task=alice_tasks[sentences[1].id].id)[0]
    assert prediction.model_version and prediction.result

    # Blind: each annotates with their own token, different labels.
    first, other = [s for s in sentences[1:] if "Putin" in s.text][:2]
    putin = span(first.text, "Putin", "PER")
    alice_ids = [
        annotate(
            alice,
            alice_tasks[s.id],
            SentenceAnnotation(
                entities=[putin] if s is first else [], stance="favor", stance_holder="author"
            ),
        )
        for s in (first, other)
    ]
    for s in (first, other):
        annotate(
            bob,
            bob_tasks[s.id],
            SentenceAnnotation(entities=[], stance="against", stance_holder="source"),
        )
    # Bob's own project shows him only his own annotations.
    seen = bob.annotations.list(id=bob_tasks[first.id].id)
    assert [a.completed_by for a in seen] == [bob.users.whoami().id]

    # Pull into a copy of the committed exports: everything merged, nothing committed lost.
    exports = tmp_path / "exports"
    exports.mkdir()
    # The article as committed before 2.0: its 1.x gold by annotator-01 alone, so that the
    # two annotators here are the only ones to compare and adjudicate.
    seed = json.loads((paths.exports_dir() / f"{ARTICLE}.json").read_text(encoding="utf-8"))
    for task in seed:
        task["annotations"] = [
            a for a in task["annotations"] if a["completed_by"].get("username") == "annotator-01"
        ]
    (exports / f"{ARTICLE}.json").write_text(json.dumps(seed, ensure_ascii=False), "utf-8")
    committed = read_tasks(exports / f"{ARTICLE}.json")
    summary = studio.pull(out=exports, data_dir=server.data_dir)
    assert set(summary.projects) == {"sqcorpus-alice", "sqcorpus-bob"}
    # Every committed annotation of the article (from other projects and adjudications) stays.
    before = sum(len(task["annotations"]) for task in committed.values())
    assert (summary.merge.added, summary.merge.kept, summary.merge.elsewhere) == (4, [], before)
    merged = read_tasks(exports / f"{ARTICLE}.json")
    assert set(merged) == set(committed)
    for sid, task in committed.items():
        assert merged[sid]["annotations"][: len(task["annotations"])] == task["annotations"]
    groups = by_project(merged[first.id])
    assert [len(groups[p]) for p in ("sqcorpus-alice", "sqcorpus-bob")] == [1, 1]
    names = {groups[p][0]["completed_by"]["username"] for p in ("sqcorpus-alice", "sqcorpus-bob")}
    assert len(names) == 2 and all(n.startswith("annotator-") for n in names)
    # The committed gold's annotator-01 is someone else: new people get new pseudonyms.
    assert "annotator-01" not in names
    text = (exports / f"{ARTICLE}.json").read_text(encoding="utf-8")
    assert "@" not in text and added[0].token not in text

    # A second pull, from a server that lost one of Alice's annotations, keeps it.
    alice.annotations.delete(id=alice_ids[1])
    summary = studio.pull(out=exports, data_dir=server.data_dir)
    assert len(summary.merge.kept) == 1 and other.id in summary.merge.kept[0]
    assert by_project(read_tasks(exports / f"{ARTICLE}.json")[other.id])["sqcorpus-alice"]

    # A region with both an entity and a hedge label is refused at pull, by sid and words,
    # and nothing is written.
    before = (exports / f"{ARTICLE}.json").read_bytes()
    both = [
        {**result, "id": "both"}
        for result in to_ls_results(
            SentenceAnnotation(
                entities=[putin], hedge_cues=[span(first.text, "Putin", "CUE")], stance="neutral"
            )
        )
        if result["from_name"] in (schema.LS_ENTITIES, schema.LS_HEDGES)
    ]
    bad = bob.annotations.create(id=bob_tasks[first.id].id, result=both)
    with pytest.raises(SqcorpusError, match="both an entity and a hedge label") as refused:
        studio.pull(out=exports, data_dir=server.data_dir)
    assert first.id in str(refused.value) and "'Putin'" in str(refused.value)
    assert (exports / f"{ARTICLE}.json").read_bytes() == before
    assert bad.id is not None
    bob.annotations.delete(id=bad.id)

    # Agreement of everyone who annotated these sentences, with bootstrap intervals.
    from sqcorpus.annotate.adjudication import Decision, adjudicate, annotation_of, pending
    from sqcorpus.annotate.agreement import read_codings
    from sqcorpus.annotate.agreement_ci import agreement_with_intervals

    export = exports / f"{ARTICLE}.json"
    report = agreement_with_intervals([export], bootstrap=200)
    alice_name, bob_name = (
        groups[p][0]["completed_by"]["username"] for p in ("sqcorpus-alice", "sqcorpus-bob")
    )
    pair = report["pairwise"][" / ".join(sorted([alice_name, bob_name]))]
    assert pair["tasks"] == 2 and pair["entities_exact"]["f1"] == 0.0
    assert pair["stance"]["observed_agreement"] == 0.0
    layers = {(row["layer"], row["metric"]) for row in report["layers"]}
    assert ("entities", "F1 overlap") in layers and ("stance", "Krippendorff's alpha") in layers
    assert {row["sentences"] for row in report["layers"]} == {2}

    # Adjudication: a decision with a rationale per disagreement, else nothing is written.
    waiting = {item.sid: item for item in pending(ARTICLE, exports=exports)}
    assert set(waiting) == {first.id, other.id}
    keys = [d.key for d in waiting[first.id].disagreements]
    assert "stance" in keys and any(k.startswith("entity") for k in keys)
    gold = annotation_of(ARTICLE, first.id, "annotator-01", exports=exports)
    before = export.read_bytes()
    decisions = [Decision(k, "as the committed gold", f"guidelines on {k}", "2") for k in keys]
    with pytest.raises(SqcorpusError, match="no decision with a rationale"):
        adjudicate(
            ARTICLE,
            first.id,
            gold,
            decisions[1:],
            adjudicator="adjudicator-01",
            exports=exports,
            records=tmp_path / "adjudication",
        )
    assert export.read_bytes() == before and not (tmp_path / "adjudication").exists()
    adjudicate(
        ARTICLE,
        first.id,
        gold,
        decisions,
        adjudicator="adjudicator-01",
        exports=exports,
        records=tmp_path / "adjudication",
    )
    records = json.loads((tmp_path / "adjudication" / f"{ARTICLE}.json").read_text())
    assert {r["key"] for r in records["records"]} == set(keys)
    assert all(r["rationale"] and r["adjudicator"] == "adjudicator-01" for r in records["records"])

    # Pulled again: the adjudication and every earlier annotation survive, and it is the gold.
    counted = sum(len(t["annotations"]) for t in read_tasks(export).values())
    summary = studio.pull(out=exports, data_dir=server.data_dir)
    after = read_tasks(export)
    assert sum(len(t["annotations"]) for t in after.values()) == counted
    (task,) = [t for t in read_codings([export]) if t.sid == first.id]
    assert task.gold is not None and task.gold.who == "adjudicator-01"
    assert first.id not in {item.sid for item in pending(ARTICLE, exports=exports)}

    # The committed annotations go to the adjudication project for review; pulling them back
    # adds nothing (unchanged copies), and the adjudicated gold stays the only ground truth.
    reviewed = studio.push(
        gold=True, doc_ids=[ARTICLE], exports=exports, data_dir=server.data_dir, progress=False
    )
    assert (reviewed.project, reviewed.imported) == (studio.ADJUDICATION_PROJECT, 28)
    summary = studio.pull(out=exports, data_dir=server.data_dir)
    assert studio.ADJUDICATION_PROJECT in summary.projects
    assert summary.merge.added == 0 and summary.merge.copies_skipped >= 28
    assert sum(len(t["annotations"]) for t in read_tasks(export).values()) == counted
