"""Agreement on the fixture export: span F1, kappa and alpha as the libraries compute them,
disagreements listed for adjudication, annotators and models compared with the gold."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from fixtures.small_release import EXPORT, sid
from sqcorpus.annotate.agreement import agreement, overlap_matches
from sqcorpus.annotate.agreement_text import format_agreement
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import Span

PAIR = "annotator-01 / annotator-02"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return agreement([EXPORT])


def tasks() -> list[dict[str, Any]]:
    return json.loads(EXPORT.read_text(encoding="utf-8"))


def write(path: Path, content: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_counts_skip_cancelled_annotations(report: dict[str, Any]) -> None:
    assert report["tasks"] == 15
    # s002 has a second, cancelled annotation: it is not doubly annotated.
    assert report["doubly_annotated_tasks"] == 2
    assert report["annotators"] == ["annotator-01", "annotator-02"]
    assert list(report["pairwise"]) == [PAIR]


def test_pairwise_span_f1(report: dict[str, Any]) -> None:
    pair = report["pairwise"][PAIR]
    assert pair["tasks"] == 2
    # s006: 8 vs 7 entities, 6 identical, 'Shteteve' inside 'Shteteve të Bashkuara' overlaps;
    # s017: 4 identical. Exact 10 matches, overlap 11, of 12 + 11 entities.
    assert pair["entities_exact"]["matches"] == 10
    assert pair["entities_exact"]["f1"] == pytest.approx(2 * 10 / 23)
    assert pair["entities_overlap"]["f1"] == pytest.approx(2 * 11 / 23)
    # s017: cues {pretendohet, mund} vs {pretendohet}.
    assert pair["cues"]["f1"] == pytest.approx(2 * 1 / 3)
    assert pair["scopes"]["f1"] == 1.0


def test_kappa_and_alpha_match_the_libraries(report: dict[str, Any]) -> None:
    pair = report["pairwise"][PAIR]
    # (s006, s017) in task order: annotator-01 favor/favor, annotator-02 neutral/favor.
    first, second = ["favor", "favor"], ["neutral", "favor"]
    assert pair["stance"]["observed_agreement"] == 0.5
    assert pair["stance"]["cohen_kappa"] == pytest.approx(cohen_kappa_score(first, second))
    assert pair["uncertain"]["cohen_kappa"] == pytest.approx(
        cohen_kappa_score(["certain", "uncertain"], ["certain", "uncertain"])
    )
    codes = {"favor": 0, "against": 1, "neutral": 2}
    data = np.array([[codes[v] for v in first], [codes[v] for v in second]], dtype=float)
    expected = krippendorff.alpha(
        reliability_data=data, level_of_measurement="nominal", value_domain=[0, 1, 2]
    )
    assert report["krippendorff_alpha"]["stance"] == pytest.approx(expected)
    assert report["krippendorff_alpha"]["uncertain"] == 1.0


def test_disagreements_list_what_to_adjudicate(report: dict[str, Any]) -> None:
    by_sid = {d["sid"]: d["differences"] for d in report["disagreements"]}
    assert set(by_sid) == {sid(6), sid(17)}
    s006 = by_sid[sid(6)]
    tass = next(d for d in s006 if d.get("text") == "Tass")
    assert tass["layer"] == "entity" and tass["label"] == "ORG"
    assert tass["by"] == ["annotator-01"] and tass["not_by"] == ["annotator-02"]
    stance = next(d for d in s006 if d["layer"] == "stance")
    assert stance["values"] == {"annotator-01": "favor", "annotator-02": "neutral"}
    assert [(d["layer"], d["text"]) for d in by_sid[sid(17)]] == [("hedge cue", "mund")]
    text = format_agreement(report)
    assert "Tass" in text and sid(17) in text


def test_annotators_and_models_against_the_gold(report: dict[str, Any]) -> None:
    versus = report["versus_gold"]
    assert set(versus) == {"annotator-02", "model rules-test"}
    model = versus["model rules-test"]
    # s001: 2 of 4 gold entities predicted; s007: 1 of 2; nothing spurious.
    assert model["tasks"] == 2
    assert model["entities_exact"]["precision"] == 1.0
    assert model["entities_exact"]["recall"] == 0.5
    assert model["cues"]["f1"] == 1.0
    assert model["stance"]["items"] == 0 and model["stance"]["cohen_kappa"] is None
    second = versus["annotator-02"]
    assert second["entities_exact"]["gold"] == 12 and second["entities_exact"]["predicted"] == 11


def test_no_doubly_annotated_tasks_is_said_plainly(tmp_path: Path) -> None:
    content = tasks()
    for task in content:
        task["annotations"] = task["annotations"][:1]
    result = agreement([write(tmp_path / "single.json", content)])
    assert result["doubly_annotated_tasks"] == 0
    assert result["pairwise"] is None and result["krippendorff_alpha"] is None
    text = format_agreement(result)
    assert "no doubly-annotated tasks" in text
    assert "kappa" in text  # the model is still compared with the gold


def test_bad_annotation_names_file_task_and_field(tmp_path: Path) -> None:
    content = copy.deepcopy(tasks())
    result = content[0]["annotations"][0]["result"]
    entity = next(r for r in result if r["from_name"] == "entities")
    entity["value"]["start"] += 1  # inside a word
    path = write(tmp_path / "broken.json", content)
    with pytest.raises(SqcorpusError) as error:
        agreement([path])
    message = str(error.value)
    assert "broken.json" in message and sid(1) in message and "result[0].entities" in message


def test_overlap_matching_is_one_to_one() -> None:
    left = [Span(0, 10, "", "GPE")]
    right = [Span(0, 4, "", "GPE"), Span(5, 10, "", "GPE")]
    assert overlap_matches(left, right) == 1
    assert overlap_matches(right, left) == 1
    assert overlap_matches([Span(0, 4, "", "PER")], [Span(0, 4, "", "ORG")]) == 0


def test_cli_defaults_to_annotation_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(tmp_path))
    assert main(["agreement"]) == 1
    assert "no Label Studio export" in capsys.readouterr().err
    exports = tmp_path / "annotation" / "exports"
    exports.mkdir(parents=True)
    write(exports / "doc.json", tasks())
    out = tmp_path / "agreement.json"
    assert main(["agreement", "--json", str(out)]) == 0
    assert PAIR in capsys.readouterr().out
    assert json.loads(out.read_text())["doubly_annotated_tasks"] == 2


def test_email_addresses_never_reach_the_report(tmp_path: Path) -> None:
    content = tasks()
    for task in content:
        for entry in task["annotations"]:
            number = entry["completed_by"]["id"]
            entry["completed_by"]["email"] = f"person{number}@example.org"
    result = agreement([write(tmp_path / "raw.json", content)])
    text = json.dumps(result) + format_agreement(result)
    assert "@" not in text and "example.org" not in text
    assert len(result["annotators"]) == 2
    assert all(name.startswith("annotator-") for name in result["annotators"])


def test_fixture_export_matches_its_generator() -> None:
    """If the segmenter changes, regenerate: python tests/fixtures/small_release.py."""
    from fixtures.small_release import tasks as generated

    assert generated() == tasks()
