"""Corrections for a PATCH release: a gold annotation replaced under newer guidelines, with a
rationale per change, the earlier gold kept, and nothing written when any correction is bad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import MINI_DOC, MiniProject, ls_task, span
from sqcorpus import schema
from sqcorpus.annotate.adjudication import Decision
from sqcorpus.annotate.agreement import read_codings
from sqcorpus.annotate.corrections import Correction, correct, doc_id_of, read_corrections
from sqcorpus.annotate.studio.merge import merge_document
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation
from sqcorpus.release.loading import load

FIX = Decision("ent Vladimir Putin", "PER (was ORG)", "a person (§3.2)", "3.2")


def single_gold(mini: MiniProject) -> tuple[Path, list[Any]]:
    """Every sentence annotated once (the gold), the first with Putin wrongly an ORG."""
    sentences = mini.sentences()
    wrong = SentenceAnnotation(
        entities=[span(sentences[0].text, "Vladimir Putin", "ORG")],
        stance="favor",
        stance_holder="author",
    )
    rest = [SentenceAnnotation(stance="neutral", stance_holder="author") for _ in sentences[1:]]
    tasks = [ls_task(s, a) for s, a in zip(sentences, [wrong, *rest], strict=True)]
    return mini.write_export(tasks), sentences


def corrected(text: str) -> SentenceAnnotation:
    return SentenceAnnotation(
        entities=[span(text, "Vladimir Putin", "PER")], stance="favor", stance_holder="author"
    )


def test_a_correction_becomes_the_gold_and_keeps_the_earlier_one(
    mini_project: MiniProject, tmp_path: Path
) -> None:
    export, sentences = single_gold(mini_project)
    records = tmp_path / "adjudication"
    first = sentences[0]
    written = correct(
        [Correction(first.id, corrected(first.text), (FIX,), "adjudicator-03")],
        exports=mini_project.exports,
        records=records,
    )
    assert set(written) == {export, records / f"{MINI_DOC}.json"}
    (task,) = [t for t in read_codings([export]) if t.sid == first.id]
    assert task.gold is not None and task.gold.who == "adjudicator-03"
    assert [s.label for s in task.gold.annotation.entities] == ["PER"]
    assert task.gold.guidelines == schema.GUIDELINES_VERSION
    # The earlier gold is still there, unmarked; the record names the annotation it corrects.
    assert [c.annotation.entities[0].label for c in task.annotations] == ["ORG"]
    saved = json.loads((records / f"{MINI_DOC}.json").read_text(encoding="utf-8"))["records"]
    (entry,) = saved
    assert entry["layer"] == "correction" and entry["rationale"] == "a person (§3.2)"
    assert entry["guidelines_version"] == schema.GUIDELINES_VERSION
    exported = json.loads(export.read_text(encoding="utf-8"))
    annotations = next(t for t in exported if t["data"]["sid"] == first.id)["annotations"]
    assert entry["corrects"] == annotations[0]["id"] and not annotations[0]["ground_truth"]
    assert annotations[0]["updated_at"] == annotations[-1]["created_at"]  # unmarked then
    # A release built from the export carries the corrected label.
    mini_project.build("1.0.0")
    ner = load("sentences", releases_dir=mini_project.releases)
    rows = {r["id"]: r for split in ner.values() for r in split}
    label = ner["train"].features["entities"].feature["label"]
    assert [label.int2str(e["label"]) for e in rows[first.id]["entities"]] == ["PER"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decisions": ()}, "at least one decision"),
        ({"decisions": (Decision("ent x", "PER", " ", "3.2"),)}, "non-empty"),
        ({"adjudicator": "someone@example.org"}, "pseudonym"),
        ({"same": True}, "changes nothing"),
    ],
)
def test_a_bad_correction_writes_nothing(
    mini_project: MiniProject, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    export, sentences = single_gold(mini_project)
    before = export.read_bytes()
    first, second = sentences[:2]
    good = Correction(first.id, corrected(first.text), (FIX,), "adjudicator-03")
    annotation = SentenceAnnotation(
        stance="neutral" if change.get("same") else "against", stance_holder="author"
    )
    bad = Correction(
        second.id,
        annotation,
        change.get("decisions", (FIX,)),
        change.get("adjudicator", "adjudicator-03"),
    )
    records = tmp_path / "adjudication"
    with pytest.raises(SqcorpusError, match=message) as refused:
        correct([good, bad], exports=mini_project.exports, records=records)
    assert second.id in str(refused.value) or "pseudonym" in message
    assert export.read_bytes() == before and not records.exists()


def test_a_sentence_without_gold_or_corrected_twice_is_refused(mini_project: MiniProject) -> None:
    sentences = mini_project.sentences()
    a = SentenceAnnotation(stance="favor", stance_holder="author")
    b = SentenceAnnotation(stance="against", stance_holder="author")
    mini_project.write_export([ls_task(s, a, b) for s in sentences])  # two each, no gold
    first = sentences[0]
    fix = Correction(first.id, corrected(first.text), (FIX,), "adjudicator-03")
    with pytest.raises(SqcorpusError, match="adjudicate it first"):
        correct([fix], exports=mini_project.exports)
    with pytest.raises(SqcorpusError, match="corrected twice"):
        correct([fix, fix], exports=mini_project.exports)
    with pytest.raises(SqcorpusError, match="not a sentence id"):
        doc_id_of("no-sentence-number")


def test_cli_applies_a_corrections_file_in_words(
    mini_project: MiniProject, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    export, sentences = single_gold(mini_project)
    monkeypatch.setenv("SQCORPUS_ROOT", str(mini_project.root))
    first = sentences[0]
    plan = tmp_path / "corrections.json"
    entry = {
        "sid": first.id,
        "adjudicator": "adjudicator-03",
        "words": {
            "entities": [["Vladimir Putin", "PER"]],
            "stance": "favor",
            "holder": "author",
            "note": 'ADJ ent "Vladimir Putin": PER — a person (§3.2)',
        },
        "decisions": [
            {"key": "ent Vladimir Putin", "decision": "PER", "rationale": "a person", "section": ""}
        ],
    }
    plan.write_text(json.dumps([entry]), encoding="utf-8")
    assert main(["adjudicate", "--correct", str(plan)]) == 1  # "section" is not a field
    assert "decisions are objects with string" in capsys.readouterr().err
    entry["decisions"] = [
        {
            "key": "ent Vladimir Putin",
            "decision": "PER",
            "rationale": "a person",
            "guidelines_section": "3.2",
        }
    ]
    plan.write_text(json.dumps([entry]), encoding="utf-8")
    assert read_corrections(plan)[0].annotation.entities[0].label == "PER"
    assert main(["adjudicate", "other-doc", "--correct", str(plan)]) == 1
    assert "not a sentence of other-doc" in capsys.readouterr().err
    assert main(["adjudicate", "--gaps", "--correct", str(plan)]) == 1
    assert "one of --gaps, --apply and --correct" in capsys.readouterr().err
    assert main(["adjudicate", "--correct", str(plan)]) == 0
    assert f"corrected {first.id}: 1 decision(s) by adjudicator-03" in capsys.readouterr().out
    (task,) = [t for t in read_codings([export]) if t.sid == first.id]
    assert task.gold is not None and task.gold.annotation.entities[0].label == "PER"


def test_a_pull_never_marks_the_corrected_gold_again(
    mini_project: MiniProject, tmp_path: Path
) -> None:
    """The server still has the earlier gold marked; merging it back would give two golds."""
    export, sentences = single_gold(mini_project)
    tasks = json.loads(export.read_text(encoding="utf-8"))
    for task in tasks:  # as pulled from an adjudication project, marked ground truth
        for annotation in task["annotations"]:
            annotation["ground_truth"] = True
            annotation["sqcorpus_source"] = {"project": "sqcorpus-adjudication"}
    export.write_text(json.dumps(tasks), encoding="utf-8")
    server = json.loads(export.read_text(encoding="utf-8"))
    first = sentences[0]
    correct(
        [Correction(first.id, corrected(first.text), (FIX,), "adjudicator-03")],
        exports=mini_project.exports,
        records=tmp_path / "adjudication",
    )
    committed = json.loads(export.read_text(encoding="utf-8"))
    with pytest.raises(SqcorpusError, match="newer than the server's") as refused:
        merge_document(committed, server, frozenset({"sqcorpus-adjudication"}), replace=False)
    assert first.id in str(refused.value)
