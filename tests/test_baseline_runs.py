"""Baselines on 2.0: no resource of any baseline comes from `test` documents, the rule
pre-annotator is scored only where its lexicons were not written from, and the linear
classifiers are trained on `train`, tuned on `validation` and never read `test`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sqcorpus import schema
from sqcorpus.cli import main
from sqcorpus.evaluation.baseline_table import baseline_runs, baseline_table
from sqcorpus.evaluation.baselines import BASELINES
from sqcorpus.evaluation.linear import GRID, train_field
from sqcorpus.evaluation.runs import RULES_LEXICON_DOCUMENTS, run_baseline
from sqcorpus.release.loading import load_records

ROOT = Path(__file__).resolve().parents[1]
SEED = "putin-north-korea-2024-06"


@pytest.fixture(scope="module")
def records(releases: Path) -> dict[str, list[dict[str, Any]]]:
    return load_records(releases_dir=releases)


def two_documents(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The fixture with its `test` sentences split over the seed and an unseen document."""
    out = {split: [dict(r) for r in rows] for split, rows in records.items()}
    for number, record in enumerate(out["test"]):
        if number % 2:
            record["doc_id"] = "unseen-doc"
    return out


def test_no_baseline_resource_comes_from_test_documents(records: dict) -> None:
    corpus = two_documents(records)
    ids = {split: {r["id"] for r in rows} for split, rows in corpus.items()}
    test_docs = {r["doc_id"] for r in corpus["test"]}
    runs = baseline_runs(corpus, "test")
    assert set(runs) == set(BASELINES)
    for name, run in runs.items():
        assert run is not None, name
        assert run.trained_on <= ids["train"], name
        assert run.tuned_on <= ids["validation"], name
        scored_docs = {r["doc_id"] for r in run.scored}
        assert not (run.lexicon_documents & scored_docs), name
        assert {p["id"] for p in run.predictions} == {r["id"] for r in run.scored}, name
    assert runs["majority"].trained_on and runs["crf"].trained_on and runs["linear"].tuned_on
    rules = runs["rules"]
    assert rules.lexicon_documents == RULES_LEXICON_DOCUMENTS
    assert rules.excluded_documents == {SEED} and SEED in test_docs
    assert {r["doc_id"] for r in rules.scored} == {"unseen-doc"}


def test_the_rule_lexicons_were_not_written_from_a_test_document() -> None:
    """In the repository's frozen split, every document the lexicons came from is outside
    `test`, so the rules baseline keeps the whole test split."""
    split_of = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))
    for doc_id in RULES_LEXICON_DOCUMENTS:
        assert split_of["documents"][doc_id] != "test", doc_id


def test_linear_never_reads_test_labels(records: dict) -> None:
    corpus = {split: [dict(r) for r in rows] for split, rows in records.items()}
    before = run_baseline("linear", corpus, "test")
    for record in corpus["test"]:  # poison every gold label of test
        for field in ("stance", "stance_holder", "uncertain"):
            record[field] = schema.MISSING_LABEL if record[field] else 0
    after = run_baseline("linear", corpus, "test")
    assert after.predictions == before.predictions
    assert before.details is not None
    for field, chosen in before.details.items():
        assert chosen["params"] in [*GRID, {}], field


def test_linear_tunes_on_validation_by_the_fields_figure(records: dict) -> None:
    model = train_field("stance_holder", records["train"], records["validation"])
    annotated_validation = [
        r["id"] for r in records["validation"] if r["stance_holder"] != schema.MISSING_LABEL
    ]
    assert model.tuned_on == tuple(annotated_validation)
    assert [params for params, _ in model.grid] == list(GRID)
    best = max(value for _, value in model.grid)
    assert model.validation_score == best
    first_best = next(params for params, value in model.grid if value == best)
    assert model.params == first_best  # ties go to the earlier grid point


def test_rules_with_nothing_left_to_score_is_n_a_and_says_why(releases: Path) -> None:
    table = baseline_table(releases_dir=releases)  # the fixture is the seed article only
    row = next(line for line in table.splitlines() if line.startswith("| NER entity F1 (strict"))
    assert row.split(" | ")[2] == "n/a"
    assert "`rules` is scored on 0 of 1 documents (0 sentences): 1 left out" in table
    assert "| linear |" in table


def test_cli_writes_linear_predictions_that_evaluate_reads(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(project))
    out = tmp_path / "linear.jsonl"
    assert main(["baseline", "linear", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(set(r) == {"id", "stance", "stance_holder", "uncertain"} for r in rows)
    assert main(["evaluate", "--config", "stance", str(out)]) == 0
    assert main(["evaluate", "--config", "hedging", str(out)]) == 0


def test_untrainable_baselines_show_n_a_and_say_why(records: dict) -> None:
    from sqcorpus.evaluation.baseline_table import TABLE_ROWS, _cells

    corpus = {split: [dict(r) for r in rows] for split, rows in records.items()}
    for record in corpus["train"]:
        for field in ("stance", "stance_holder", "uncertain"):
            record[field] = schema.MISSING_LABEL
    runs = baseline_runs(corpus, "test")
    assert runs["crf"] is None and runs["linear"] is None and runs["rules"] is not None
    cells = _cells("linear", None, "test")
    covered = {label for config, _, label in TABLE_ROWS if config in BASELINES["linear"]}
    assert {label for label, cell in cells.items() if cell == "n/a"} == covered
    assert {cell for label, cell in cells.items() if label not in covered} == {"—"}
