"""The datasheet's annotation-quality blocks are what their commands print for the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqcorpus.annotate.agreement_ci import agreement_with_intervals, update_datasheet_agreement
from sqcorpus.evaluation.precompare import update_datasheet_comparison
from sqcorpus.evaluation.prerun import run_compare
from sqcorpus.files import read_json

ROOT = Path(__file__).resolve().parents[1]
PREDICTIONS = ROOT / "annotation" / "preannotations" / "sqcorpus-rules-2.0.jsonl"
BATCHES = ROOT / "annotation" / "batches.tsv"


@pytest.fixture
def at_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(ROOT))
    monkeypatch.chdir(ROOT)


def test_the_agreement_block_is_current(at_checkout: None) -> None:
    report = agreement_with_intervals(guidelines="2.0")
    result = update_datasheet_agreement(report, check=True, path=ROOT / "DATASHEET.md")
    assert not result.changed, result.difference
    # Agreement is measured where the issue asks for it: at least 450 doubly annotated records.
    assert report["layers"][0]["sentences"] >= 450


def test_the_preannotation_block_is_current(at_checkout: None) -> None:
    table, results = run_compare(
        Path("annotation/preannotations/sqcorpus-rules-2.0.jsonl"),
        None,
        [],
        Path("annotation/batches.tsv"),
    )
    command = (
        "sqcorpus preannotate --compare annotation/preannotations/sqcorpus-rules-2.0.jsonl "
        "--batches annotation/batches.tsv --write-datasheet"
    )
    result = update_datasheet_comparison(table, command, check=True, path=ROOT / "DATASHEET.md")
    assert not result.changed, result.difference
    assert results["all"]["layers"]["entities"]["support"] > 0


def test_every_double_batch_document_is_adjudicated_with_rationales() -> None:
    batches = dict(
        line.split("\t")
        for line in BATCHES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    doubles = sorted(d for d, batch in batches.items() if batch.startswith("double"))
    assert len([d for d in doubles if d.startswith("ntrex-")]) >= 31  # a quarter of 123
    for doc_id in doubles:
        records = read_json(ROOT / "annotation" / "adjudication" / f"{doc_id}.json")["records"]
        assert records, doc_id
        for record in records:
            if record["key"]:  # a decided disagreement
                assert record["rationale"].strip() and record["guidelines_section"].strip()
