"""Agreement with bootstrap intervals, and adjudication with a rationale per disagreement
(offline, on a mini export of two annotators)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from helpers import MINI_DOC, MiniProject, ls_task, span
from sqcorpus.annotate.adjudication import Decision, adjudicate, annotation_of, pending
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
