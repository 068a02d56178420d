"""Baselines: majority, rules and CRF predictions, the deterministic table and the README block."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fixtures.small_release import sid
from sqcorpus import schema
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.evaluation.baseline_table import (
    README_BEGIN,
    README_END,
    TABLE_ROWS,
    baseline_table,
    update_readme,
)
from sqcorpus.evaluation.baselines import predict
from sqcorpus.evaluation.score import evaluate
from sqcorpus.release.loading import load_records

README = f"# title\n\nbefore\n\n{README_BEGIN}\nold table\n{README_END}\n\nafter\n"


@pytest.fixture(scope="module")
def table(releases: Path) -> str:
    return baseline_table(releases_dir=releases)


def test_majority_predicts_the_most_frequent_train_labels(releases: Path) -> None:
    records = load_records(releases_dir=releases)
    train = [r for r in records["train"] if r["stance"] != schema.MISSING_LABEL]
    stance = Counter(schema.STANCE_LABELS[r["stance"]] for r in train).most_common(1)[0][0]
    uncertain = Counter(schema.UNCERTAINTY_LABELS[r["uncertain"]] for r in train)
    predictions = predict("majority", releases_dir=releases)
    assert len(predictions) == len(records["test"])
    assert {p["stance"] for p in predictions} == {stance} == {"neutral"}
    assert {p["uncertain"] for p in predictions} == {uncertain.most_common(1)[0][0]}
    report = evaluate("stance", predictions, releases_dir=releases)
    gold = [r["stance"] for r in records["test"] if r["stance"] != schema.MISSING_LABEL]
    expected = sum(schema.STANCE_LABELS[g] == stance for g in gold) / len(gold)
    assert report["metrics"]["stance"]["accuracy"]["value"] == pytest.approx(expected)


def test_rules_baseline_passes_the_pre_annotator_output_through(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqcorpus.annotate.premodel

    seen: list[tuple[str, int, str]] = []

    def fake(sentences: Any, model: str) -> list[dict[str, Any]]:
        out = []
        for sentence in sentences:
            seen.append((sentence.text, len(sentence.tokens), model))
            first, second = sentence.tokens[0], sentence.tokens[1]
            out.append(
                {
                    "id": sentence.id,
                    "entities": [{"start": first.start, "end": first.end, "label": "PER"}],
                    "hedge_cues": [{"start": second.start, "end": second.end}],
                    "hedge_scopes": [{"start": second.start, "end": second.end}],
                    "uncertain": "uncertain",
                }
            )
        return out

    monkeypatch.setattr(sqcorpus.annotate.premodel, "preannotate_batch", fake)
    test = load_records(releases_dir=releases)["test"]
    predictions = predict("rules", releases_dir=releases)
    assert seen == [(r["text"], len(r["tokens"]), "rules") for r in test]
    first = predictions[0]
    assert first["entities"] == [{"start": 0, "end": test[0]["token_ends"][0], "label": "PER"}]
    assert first["uncertain"] == "uncertain"


def test_rules_baseline_with_the_real_pre_annotator_is_scorable(releases: Path) -> None:
    predictions = predict("rules", releases_dir=releases)
    assert predictions == predict("rules", releases_dir=releases)
    ner = evaluate("ner", predictions, releases_dir=releases)
    assert ner["metrics"]["entities"]["predicted"] > 0
    evaluate("hedging", predictions, releases_dir=releases)


def test_crf_is_deterministic_and_learns_something(releases: Path) -> None:
    first = predict("crf", releases_dir=releases)
    assert first == predict("crf", releases_dir=releases)
    for prediction in first:
        assert set(prediction["ner_tags"]) <= set(schema.NER_TAGS)
        assert set(prediction["hedge_tags"]) <= set(schema.HEDGE_TAGS)
    ner = evaluate("ner", first, releases_dir=releases)["metrics"]["entities"]
    assert ner["f1"]["value"] > 0.3  # recurring names (Koresë së Veriut, Phenian) are learned
    validation = predict("crf", split="validation", releases_dir=releases)
    assert sid(9) in {p["id"] for p in validation}


def test_unknown_baseline_is_an_error(releases: Path) -> None:
    with pytest.raises(SqcorpusError, match="unknown baseline 'bert'"):
        predict("bert", releases_dir=releases)


def test_table_is_markdown_and_deterministic(table: str, releases: Path) -> None:
    lines = table.splitlines()
    assert "| metric | majority | rules | crf | linear |" in lines
    rows = [line for line in lines if line.startswith("| ") and "metric" not in line]
    assert len(rows) == len(TABLE_ROWS)
    stance = next(line for line in rows if line.startswith("| Stance accuracy"))
    assert stance.split(" | ")[2:4] == ["—", "—"]  # rules and crf predict no stance
    assert "[" in stance.split(" | ")[1]
    assert "0.2.0" in table and "`test`" in table
    assert baseline_table(releases_dir=releases) == table


def test_readme_block_write_and_check(table: str, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    stale = update_readme(table, check=True, path=readme)
    assert stale.changed and "line 6: found 'old table'" in (stale.difference or "")
    assert readme.read_text(encoding="utf-8") == README  # checking never writes
    assert update_readme(table, path=readme).changed is True
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# title\n\nbefore\n\n" + README_BEGIN + "\n")
    assert text.endswith(README_END + "\n\nafter\n")
    assert table in text and "old table" not in text
    assert update_readme(table, check=True, path=readme).changed is False
    assert update_readme(table, path=readme).changed is False
    readme.write_text(text.replace("| rules |", "| rulez |"), encoding="utf-8")
    assert update_readme(table, check=True, path=readme).changed is True
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SqcorpusError, match="markers"):
        update_readme(table, path=readme)


def test_cli_predictions_table_and_readme(
    project: Path,
    table: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(project))
    out = tmp_path / "majority.jsonl"
    assert main(["baseline", "majority", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["stance"] for r in rows} == {"neutral"}
    assert main(["evaluate", "--config", "stance", str(out)]) == 0
    capsys.readouterr()

    assert main(["baseline", "--table"]) == 0
    assert capsys.readouterr().out == table

    (project / "README.md").write_text(README, encoding="utf-8")
    assert main(["baseline", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["baseline", "--write-readme"]) == 0
    assert main(["baseline", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out

    assert main(["baseline"]) == 1
    assert "baseline name" in capsys.readouterr().err


def test_readme_table_of_the_repository_is_reproduced_by_its_command() -> None:
    """The README shows exactly what `sqcorpus baseline --table` prints for the latest release."""
    root = Path(__file__).resolve().parents[1]
    table = baseline_table(releases_dir=root / "corpus" / "releases")
    result = update_readme(table, check=True, path=root / "README.md")
    assert not result.changed, result.difference
