"""Agreement with bootstrap intervals, adjudication with a rationale per disagreement
(offline, on a mini export of two annotators), and the gaps collected after a round."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from helpers import MINI_DOC, MiniProject, ls_task, span
from sqcorpus import paths
from sqcorpus.annotate.adjudication import (
    Decision,
    adjudicate,
    annotation_of,
    gaps,
    pending,
)
from sqcorpus.annotate.agreement import read_codings
from sqcorpus.annotate.agreement_ci import agreement_with_intervals, layer_table
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation


def two_annotators(mini: MiniProject) -> Path:
    """Sentence 0: they disagree on Putin's label and on stance; sentence 1: they agree."""
    first, second = mini.sentences()[:2]
    a = SentenceAnnotation(
        entities=[span(first.text, "Vladimir Putin", "PER")], stance="favor", stance_holder="author"
    )
    b = SentenceAnnotation(
        entities=[span(first.text, "Vladimir Putin", "ORG")],
        stance="neutral",
        stance_holder="author",
    )
    same = SentenceAnnotation(
        entities=[span(second.text, "Kim Jong-un", "PER")], stance="neutral", stance_holder="source"
    )
    return mini.write_export([ls_task(first, a, b), ls_task(second, same, same)])


def test_layer_table_values_and_intervals(mini_project: MiniProject) -> None:
    export = two_annotators(mini_project)
    report = agreement_with_intervals([export], bootstrap=300, seed=7)
    rows = {(r["layer"], r["metric"]): r for r in report["layers"]}
    exact = rows[("entities", "F1 exact")]
    # One of two entity pairs matches exactly: 2·1 / (2 + 2).
    assert exact["value"] == pytest.approx(0.5) and exact["sentences"] == 2
    assert 0.0 <= exact["ci_low"] <= exact["value"] <= exact["ci_high"] <= 1.0
    kappa = rows[("stance", "Cohen's kappa")]
    expected = cohen_kappa_score(["favor", "neutral"], ["neutral", "neutral"])
    assert kappa["value"] == pytest.approx(float(expected))
    assert rows[("hedge cues", "F1")]["value"] is None  # no cue on either side
    # Seeded: the same sentences and seed give the same intervals.
    tasks = read_codings([export])
    assert layer_table(tasks, bootstrap=300, seed=7) == report["layers"]
    assert np.isfinite(exact["ci_high"])


def test_pending_lists_each_disagreement_by_key(mini_project: MiniProject) -> None:
    two_annotators(mini_project)
    exports = mini_project.exports
    waiting = {p.sid: p for p in pending(MINI_DOC, exports=exports)}
    first, second = (s.id for s in mini_project.sentences()[:2])
    assert set(waiting) == {first, second}
    keys = [d.key for d in waiting[first].disagreements]
    assert "stance" in keys
    assert "entity [11,25) PER 'Vladimir Putin'" in keys
    assert waiting[second].disagreements == ()


def test_adjudication_needs_a_rationale_per_disagreement_then_becomes_the_gold(
    mini_project: MiniProject, tmp_path: Path
) -> None:
    export = two_annotators(mini_project)
    records = tmp_path / "adjudication"
    first = mini_project.sentences()[0].id
    keys = [d.key for d in pending(MINI_DOC, exports=mini_project.exports)[0].disagreements]
    chosen = annotation_of(MINI_DOC, first, "annotator-01", exports=mini_project.exports)
    before = export.read_bytes()
    complete = [Decision(k, "annotator-01's", "a person, not an organisation", "3.1") for k in keys]
    for decisions, message in (
        (complete[1:], "no decision with a rationale"),
        ([*complete[1:], Decision(keys[0], "x", "  ", "3.1")], "non-empty"),
        ([*complete, Decision("made up", "x", "y", "1")], "no such disagreement"),
    ):
        with pytest.raises(SqcorpusError, match=message):
            adjudicate(
                MINI_DOC,
                first,
                chosen,
                decisions,
                adjudicator="adjudicator-01",
                exports=mini_project.exports,
                records=records,
            )
        assert export.read_bytes() == before and not records.exists()
    with pytest.raises(SqcorpusError, match="pseudonym"):
        adjudicate(
            MINI_DOC, first, chosen, complete, adjudicator="a@b.org", exports=mini_project.exports
        )
    adjudicate(
        MINI_DOC,
        first,
        chosen,
        complete,
        adjudicator="adjudicator-01",
        exports=mini_project.exports,
        records=records,
    )
    saved = json.loads((records / f"{MINI_DOC}.json").read_text(encoding="utf-8"))
    assert [r["key"] for r in saved["records"]] == keys
    assert all(r["rationale"] and r["guidelines_section"] == "3.1" for r in saved["records"])
    (task,) = [t for t in read_codings([export]) if t.sid == first]
    assert task.gold is not None and task.gold.who == "adjudicator-01"
    assert task.gold.annotation.entities == chosen.entities
    # Decided: no longer pending, and not a third annotator in the agreement figures.
    assert first not in {p.sid for p in pending(MINI_DOC, exports=mini_project.exports)}
    report = agreement_with_intervals([export], bootstrap=10)
    assert report["annotators"] == ["annotator-01", "annotator-02"]
    with pytest.raises(SqcorpusError, match="not waiting for adjudication"):
        adjudicate(
            MINI_DOC,
            first,
            chosen,
            complete,
            adjudicator="adjudicator-01",
            exports=mini_project.exports,
            records=records,
        )


def test_cli_lists_and_applies(
    mini_project: MiniProject, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    two_annotators(mini_project)
    monkeypatch.setenv("SQCORPUS_ROOT", str(mini_project.root))
    second = mini_project.sentences()[1].id
    assert main(["adjudicate", MINI_DOC]) == 0
    out = capsys.readouterr().out
    assert "stance" in out and "2 sentence(s)" in out
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            [
                {
                    "sid": second,
                    "adjudicator": "adjudicator-01",
                    "take": "annotator-02",
                    "decisions": [],
                }
            ]
        ),
        encoding="utf-8",
    )
    assert main(["adjudicate", MINI_DOC, "--apply", str(plan)]) == 0
    assert f"adjudicated {second}" in capsys.readouterr().out
    records = mini_project.root / "annotation" / "adjudication" / f"{MINI_DOC}.json"
    assert json.loads(records.read_text(encoding="utf-8"))["records"][0]["layer"] == "all"


def record(sid: str, key: str, rationale: str, version: str = "2.0") -> dict[str, Any]:
    return {
        "sid": sid,
        "layer": key.split(" [")[0],
        "key": key,
        "decision": f"decided {key}",
        "rationale": rationale,
        "guidelines_section": "3.2",
        "adjudicator": "adjudicator-01",
        "guidelines_version": version,
        "annotators": ["annotator-01", "annotator-02"],
        "decided_at": "2026-12-01T00:00:00.000000Z",
    }


def write_records(folder: Path, doc_id: str, records: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    content = {"format": 1, "doc_id": doc_id, "records": records}
    (folder / f"{doc_id}.json").write_text(json.dumps(content), encoding="utf-8")


def two_rounds(folder: Path) -> None:
    """doc-b: a gap, an ordinary decision and a "Gap :" variant; doc-a: two gaps, filed out
    of sentence order; doc-c: no gap."""
    write_records(
        folder,
        "doc-b",
        [
            record("doc-b-s002", "entity [0,6) EVENT 'Brexit'", "gap: a named political event"),
            record("doc-b-s001", "stance", "the quotation is the minister's (§4.7)"),
            record("doc-b-s001", "hedge cue [1,5) 'x'", "Gap : not in the lexicon"),
        ],
    )
    write_records(
        folder,
        "doc-a",
        [
            record("doc-a-s010", "entity [4,9) DATE '48 orë'", "gap: two days"),
            record("doc-a-s002", "stance", "gaps in the evidence: neutral (§4.2)"),
            record("doc-a-s002", "holder", "gap: no rule for a motto", version="2.1"),
        ],
    )
    write_records(folder, "doc-c", [record("doc-c-s001", "stance", "no disagreement")])


def test_gaps_lists_what_no_rule_covered_in_a_stable_order(tmp_path: Path) -> None:
    folder = tmp_path / "adjudication"
    two_rounds(folder)
    listed = gaps(records=folder)
    assert [(g.doc_id, g.sid, g.layer) for g in listed] == [
        ("doc-a", "doc-a-s002", "holder"),
        ("doc-a", "doc-a-s010", "entity"),
        ("doc-b", "doc-b-s001", "hedge cue"),
        ("doc-b", "doc-b-s002", "entity"),
    ]
    first = listed[0]
    assert first.key == "holder" and first.rationale == "gap: no rule for a motto"
    assert first.guidelines_version == "2.1" and first.guidelines_section == "3.2"
    assert [g.sid for g in gaps("doc-b", records=folder)] == ["doc-b-s001", "doc-b-s002"]
    assert gaps("doc-c", records=folder) == []
    for doc_id, message in (("Doc B", "not a valid document id"), ("doc-d", "no adjudication")):
        with pytest.raises(SqcorpusError, match=message):
            gaps(doc_id, records=folder)
    (folder / "doc-e.json").write_text(json.dumps({"format": 2, "records": []}), "utf-8")
    with pytest.raises(SqcorpusError, match="expected format 1"):
        gaps(records=folder)


def test_cli_lists_gaps_and_refuses_a_bad_combination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(tmp_path))
    two_rounds(paths.adjudication_dir())
    out_json = tmp_path / "gaps.json"
    assert main(["adjudicate", "--gaps", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "doc-a-s002 holder"
    assert out[1] == "  decided holder — gap: no rule for a motto (§3.2, guidelines 2.1)"
    assert out[-1] == "4 gap(s) in 2 document(s)"
    assert [g["sid"] for g in json.loads(out_json.read_text("utf-8"))][-1] == "doc-b-s002"
    assert main(["adjudicate", "doc-a", "--gaps"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 gap(s) in 1 document(s)"
    plan = tmp_path / "plan.json"
    plan.write_text("[]", encoding="utf-8")
    for argv, message in (
        (["adjudicate"], "needs a DOC_ID"),
        (["adjudicate", "doc-a", "--gaps", "--apply", str(plan)], "one of --gaps, --apply and"),
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def _changes(guidelines: str) -> dict[str, str]:
    """Each "## Changes in X.Y" section of the guidelines, by version."""
    parts = re.split(r"^## Changes in (\d+\.\d+)\s*$", guidelines, flags=re.MULTILINE)
    return {
        version: re.split(r"^## ", body, maxsplit=1, flags=re.MULTILINE)[0]
        for version, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_every_gap_of_a_past_round_is_answered_in_the_next_changes() -> None:
    """Guidelines 8.4: the gaps of a round are the draft of the next version's "Changes"; once
    that version exists, its "Changes" section names the sentence of every gap."""
    root = Path(__file__).resolve().parents[1]
    changes = _changes((root / "annotation" / "guidelines.md").read_text(encoding="utf-8"))
    assert changes, "no 'Changes in' section found"

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split("."))

    unanswered = []
    for gap in gaps(records=root / "annotation" / "adjudication"):
        later = sorted((v for v in changes if key(v) > key(gap.guidelines_version)), key=key)
        if later and gap.sid not in changes[later[0]]:
            unanswered.append(f"{gap.sid} ({gap.key}) not in 'Changes in {later[0]}'")
    assert not unanswered, unanswered
