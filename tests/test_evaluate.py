"""Scoring: gold against itself is perfect; a perturbed copy gets what seqeval and
scikit-learn compute independently; bad prediction files fail with file, line and field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from seqeval.metrics import f1_score as seq_f1
from seqeval.metrics import precision_score as seq_precision
from seqeval.metrics import recall_score as seq_recall
from seqeval.scheme import IOB2
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from fixtures.small_release import VERSION, sid
from sqcorpus import schema
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.evaluation.metrics import BOOTSTRAP_RESAMPLES, _resample_weights
from sqcorpus.evaluation.report import format_report, headline
from sqcorpus.evaluation.score import evaluate, score
from sqcorpus.release.export import named_record
from sqcorpus.release.loading import load_records


@pytest.fixture(scope="module")
def test_records(releases: Path) -> list[dict[str, Any]]:
    return load_records(releases_dir=releases)["test"]


def gold_predictions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gold itself in prediction format (every field, labels as names)."""
    return [named_record(r) for r in records]


def annotated(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["uncertain"] != schema.MISSING_LABEL]


def test_gold_against_itself_is_perfect_everywhere(releases: Path, test_records: list) -> None:
    predictions = gold_predictions(test_records)
    for config in ("ner", "stance", "hedging"):
        report = evaluate(config, predictions, releases_dir=releases)
        assert report["version"] == VERSION
        assert report["sentences"] == len(test_records) == 8
        assert report["scored"] == 5
        assert report["excluded_missing_gold"] == 3
        figures = headline(report)
        assert figures, config
        # No `against` in the gold: under the official conventions that class counts F1 = 0,
        # so gold against itself gets macro-F1 2/3 and SemEval-2016 F_avg 1/2, not 1.
        official = {
            "stance macro-F1 (scikit-learn, zero_division=0)": 2 / 3,
            "stance F_avg (SemEval-2016 official)": 0.5,
        }
        for name, figure in figures:
            if figure["value"] is None:  # undefined: no gold and no predicted span
                continue
            expected = official.get(name, 1.0)
            assert figure["value"] == pytest.approx(expected), name
            assert figure["ci95"][1] == pytest.approx(expected), name
            # A resample with one class only has a macro-F1 below 1 (the other class counts 0).
            if name not in official and "macro-F1" not in name:
                assert figure["ci95"] == [1.0, 1.0], name
    hedging = evaluate("hedging", predictions, releases_dir=releases)["metrics"]
    assert hedging["cues"]["support"] == 1 and hedging["scopes"]["support"] == 1


def test_gold_from_a_file_and_from_entity_spans(
    releases: Path, test_records: list, tmp_path: Path
) -> None:
    path = tmp_path / "gold.jsonl"
    rows = [{"id": r["id"], "entities": r["entities"]} for r in gold_predictions(test_records)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    report = evaluate("ner", path, releases_dir=releases)
    assert report["predictions"] == str(path)
    assert report["metrics"]["entities"]["f1"]["value"] == 1.0
    assert report["metrics"]["entities"]["per_type"]["GPE"]["support"] == 15


def perturb(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold with errors of every kind, one layer a sentence or more."""
    predictions = copy.deepcopy(gold_predictions(records))
    by_id = {p["id"]: p for p in predictions}
    s006, s008, s014, s018 = (by_id[sid(i)] for i in (6, 8, 14, 18))
    # NER: a missed entity, a wrong type, a shortened span, a spurious entity.
    tags = s006["ner_tags"]
    tags[tags.index("B-ORG")] = "O"  # Tass missed
    tags[tags.index("B-PER")] = "B-ORG"  # Putin typed ORG
    tags18 = s018["ner_tags"]
    tags18[tags18.index("I-PER")] = "O"  # Vladimir Putin -> Vladimir
    first_o = s014["ner_tags"].index("O")
    s014["ner_tags"][first_o] = "B-DATE"
    # Stance: one favor predicted neutral, one neutral predicted against.
    s006["stance"] = "neutral"
    s014["stance"] = "against"
    # Hedging: the cue of s008 missed (so certain), a spurious cue in s014.
    s008["hedge_tags"] = ["O"] * len(s008["hedge_tags"])
    del s008["uncertain"]  # derived from the (absent) cues
    s008["hedge_scopes"] = []
    s014["hedge_tags"][1] = "B-CUE"
    s014["uncertain"] = "uncertain"
    for p in predictions:  # cues are read from the tags
        p.pop("hedge_cues")
    return predictions


def test_perturbed_scores_match_seqeval_and_sklearn(releases: Path, test_records: list) -> None:
    gold_rows = annotated(test_records)
    predictions = perturb(test_records)
    pred = {p["id"]: p for p in predictions}

    gold_tags = [[schema.NER_TAGS[t] for t in r["ner_tags"]] for r in gold_rows]
    pred_tags = [pred[r["id"]]["ner_tags"] for r in gold_rows]
    ner = evaluate("ner", predictions, releases_dir=releases)["metrics"]
    kwargs: dict[str, Any] = {"mode": "strict", "scheme": IOB2}
    entities = ner["entities"]
    assert entities["precision"]["value"] == pytest.approx(
        seq_precision(gold_tags, pred_tags, **kwargs)
    )
    assert entities["recall"]["value"] == pytest.approx(seq_recall(gold_tags, pred_tags, **kwargs))
    assert entities["f1"]["value"] == pytest.approx(seq_f1(gold_tags, pred_tags, **kwargs))
    assert entities["f1"]["value"] < 1.0

    def conll(tags: list[str]) -> list[str]:
        out = []
        for tag in tags:
            target = schema.TO_CONLL2003.get(tag[2:]) if tag != "O" else None
            out.append("O" if target is None else tag[:2] + target)
        return out

    mapped_gold, mapped_pred = [conll(t) for t in gold_tags], [conll(t) for t in pred_tags]
    assert ner["entities_conll2003"]["f1"]["value"] == pytest.approx(
        seq_f1(mapped_gold, mapped_pred, **kwargs)
    )
    # The spurious DATE disappears under the CoNLL-2003 mapping (DATE -> O).
    assert ner["entities_conll2003"]["precision"]["value"] > entities["precision"]["value"]

    labels = list(schema.STANCE_LABELS)
    gold_stance = [labels[r["stance"]] for r in gold_rows]
    pred_stance = [pred[r["id"]]["stance"] for r in gold_rows]
    stance = evaluate("stance", predictions, releases_dir=releases)["metrics"]["stance"]
    assert stance["accuracy"]["value"] == pytest.approx(accuracy_score(gold_stance, pred_stance))
    assert stance["macro_f1"]["value"] == pytest.approx(
        f1_score(gold_stance, pred_stance, labels=labels, average="macro", zero_division=0)
    )
    per_class = f1_score(
        gold_stance, pred_stance, labels=["favor", "against"], average=None, zero_division=0
    )
    assert stance["semeval2016_f_avg"]["value"] == pytest.approx(per_class.sum() / 2)

    gold_uncertain = [r["uncertain"] for r in gold_rows]
    pred_uncertain = [int(pred[r["id"]]["hedge_tags"].count("B-CUE") > 0) for r in gold_rows]
    hedging = evaluate("hedging", predictions, releases_dir=releases)["metrics"]
    p, r, f, _ = precision_recall_fscore_support(
        gold_uncertain, pred_uncertain, average="binary", zero_division=np.nan
    )
    assert hedging["uncertain"]["precision"]["value"] == pytest.approx(p)
    assert hedging["uncertain"]["recall"]["value"] == pytest.approx(r)
    assert hedging["uncertain"]["f1"]["value"] == pytest.approx(f)
    # Exact cue spans are the strict IOB2 chunks of the cue tags: seqeval scores them too.
    gold_cues = [[schema.HEDGE_TAGS[t] for t in r["hedge_tags"]] for r in gold_rows]
    pred_cues = [pred[r["id"]]["hedge_tags"] for r in gold_rows]
    assert hedging["cues"]["f1"]["value"] == pytest.approx(seq_f1(gold_cues, pred_cues, **kwargs))
    assert hedging["scopes"]["recall"]["value"] == 0.0
    assert hedging["scopes"]["precision"]["value"] is None  # no scope predicted: undefined

    for report_metrics in (entities, stance, hedging["uncertain"]):
        for figure in report_metrics.values():
            if isinstance(figure, dict) and figure.get("ci95"):
                low, high = figure["ci95"]
                assert low <= figure["value"] <= high


def test_bootstrap_interval_equals_a_naive_resampling_loop(test_records: list) -> None:
    """Same draws, one seqeval call a resample: the fast interval must agree exactly."""
    gold_rows = annotated(test_records)
    predictions = perturb(test_records)
    report = score("ner", test_records, predictions)
    pred = {p["id"]: p for p in predictions}
    gold_tags = [[schema.NER_TAGS[t] for t in r["ner_tags"]] for r in gold_rows]
    pred_tags = [pred[r["id"]]["ner_tags"] for r in gold_rows]
    weights = _resample_weights(len(gold_rows))
    assert weights.shape == (BOOTSTRAP_RESAMPLES, len(gold_rows))
    values = []
    for row in weights:
        chosen = [i for i, count in enumerate(row) for _ in range(count)]
        values.append(
            seq_f1(
                [gold_tags[i] for i in chosen],
                [pred_tags[i] for i in chosen],
                mode="strict",
                scheme=IOB2,
            )
        )
    expected = np.percentile(values, [2.5, 97.5])
    assert report["metrics"]["entities"]["f1"]["ci95"] == pytest.approx(list(expected))
    again = score("ner", test_records, predictions)
    assert again["metrics"] == report["metrics"]  # fixed seed: reproducible to the digit


def test_conll2003_typed_predictions_are_scored_after_mapping(test_records: list) -> None:
    gold_rows = annotated(test_records)
    predictions = []
    for r in gold_rows:
        tags = [schema.NER_TAGS[t] for t in r["ner_tags"]]
        predictions.append(
            {
                "id": r["id"],
                "ner_tags": [t.replace("PRODUCT", "MISC").replace("GPE", "LOC") for t in tags],
            }
        )
    report = score("ner", gold_rows, predictions)
    assert report["metrics"]["label_set"] == "conll2003"
    assert report["metrics"]["entities"] is None
    assert report["metrics"]["entities_conll2003"]["f1"]["value"] == 1.0
    assert "CoNLL-2003" in format_report(report)


def test_missing_gold_is_excluded_and_needs_no_prediction(test_records: list) -> None:
    gold_rows = annotated(test_records)
    predictions = [{"id": r["id"], "stance": "neutral"} for r in gold_rows]
    report = score("stance", test_records, predictions)
    assert report["excluded_missing_gold"] == len(test_records) - len(gold_rows)
    assert "excluded" in format_report(report)
    nothing = score("stance", [r for r in test_records if r not in gold_rows], [])
    assert nothing["metrics"] is None and "no sentence" in nothing["note"]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("config", "edit", "expected"),
    [
        ("ner", lambda rows: rows.append("{not json"), ["line 6", "invalid JSON"]),
        (
            "ner",
            lambda rows: rows.append('{"id": "nope", "ner_tags": []}'),
            ["line 6", "nope", "'id'"],
        ),
        ("ner", lambda rows: rows.append(rows[0]), ["line 6", "duplicate", "line 1"]),
        ("ner", lambda rows: rows.pop(), ["no prediction", sid(18)]),
        (
            "stance",
            lambda rows: rows.__setitem__(1, rows[1].replace('"neutral"', '"pro"')),
            ["line 2", "'stance'", "unknown label 'pro'"],
        ),
        (
            "ner",
            lambda rows: rows.__setitem__(
                0, rows[0].replace('"ner_tags": ["', '"ner_tags": ["O", "')
            ),
            ["line 1", "'ner_tags'", "tags for a sentence of"],
        ),
        (
            "ner",
            lambda rows: rows.__setitem__(2, rows[2].replace('"B-GPE"', '"B-CITY"', 1)),
            ["line 3", "'ner_tags'", "unknown label 'B-CITY'"],
        ),
        (
            "hedging",
            lambda rows: rows.__setitem__(
                0, rows[0].replace('"uncertain": "certain"', '"uncertain": "maybe"')
            ),
            ["line 1", "'uncertain'", "maybe"],
        ),
        ("ner", lambda rows: rows.__setitem__(0, '["a list"]'), ["line 1", "JSON object"]),
    ],
)
def test_bad_prediction_files_name_file_line_and_field(
    config: str, edit: Any, expected: list[str], releases: Path, test_records: list, tmp_path: Path
) -> None:
    rows = [json.dumps(p, ensure_ascii=False) for p in gold_predictions(annotated(test_records))]
    edit(rows)
    path = write_lines(tmp_path / "bad.jsonl", rows)
    with pytest.raises(SqcorpusError) as error:
        evaluate(config, path, releases_dir=releases)
    message = str(error.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message


def test_entity_spans_must_lie_on_tokens(test_records: list) -> None:
    row = annotated(test_records)[0]
    bad = {"id": row["id"], "entities": [{"start": 1, "end": 3, "label": "PER"}]}
    others = [named_record(r) for r in annotated(test_records)[1:]]
    with pytest.raises(SqcorpusError, match=r"entities\[0\].*off token boundaries"):
        score("ner", annotated(test_records), [bad, *others])


def test_unknown_config_and_split(releases: Path) -> None:
    with pytest.raises(SqcorpusError, match="config"):
        evaluate("sentences", [], releases_dir=releases)
    with pytest.raises(SqcorpusError, match="split"):
        evaluate("ner", [], split="dev", releases_dir=releases)


def test_cli_prints_a_table_and_writes_json(
    project: Path,
    test_records: list,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(project))
    path = write_lines(tmp_path / "pred.jsonl", [json.dumps(p) for p in perturb(test_records)])
    out = tmp_path / "result.json"
    assert main(["evaluate", "--config", "stance", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "stance macro-F1" in printed and "[" in printed
    result = json.loads(out.read_text())
    assert result["config"] == "stance" and result["version"] == VERSION
    assert 0 < result["metrics"]["stance"]["accuracy"]["value"] < 1

    bad = write_lines(tmp_path / "bad.jsonl", ["{"])
    assert main(["evaluate", "--config", "ner", str(bad)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "bad.jsonl, line 1" in error


@pytest.mark.parametrize(
    ("config", "field"),
    [("ner", "entities"), ("hedging", "hedge_cues"), ("hedging", "hedge_scopes")],
)
def test_a_duplicate_predicted_span_is_refused_in_every_layer(
    test_records: list, config: str, field: str
) -> None:
    predictions = gold_predictions(annotated(test_records))
    for p in predictions:
        p.pop("ner_tags"), p.pop("hedge_tags")
    first = predictions[0]
    span = {"start": first["token_starts"][0], "end": first["token_ends"][0], "label": "PER"}
    first[field] = [span, dict(span)]
    with pytest.raises(SqcorpusError) as error:
        score(config, test_records, predictions)
    message = str(error.value)
    assert "duplicate span" in message and first["id"] in message and f"{field}[1]" in message


def as_ids(prediction: dict[str, Any]) -> dict[str, Any]:
    """A prediction with every label as the release's ClassLabel id instead of its name."""
    out = dict(prediction)
    out["ner_tags"] = [schema.NER_TAGS.index(t) for t in prediction["ner_tags"]]
    out["hedge_tags"] = [schema.HEDGE_TAGS.index(t) for t in prediction["hedge_tags"]]
    out["entities"] = [
        {**e, "label": schema.ENTITY_LABELS.index(e["label"])} for e in prediction["entities"]
    ]
    for field, names in schema.SENTENCE_LABELS.items():
        if prediction.get(field) is not None:
            out[field] = names.index(prediction[field])
    return out


def test_class_label_ids_score_exactly_as_names(releases: Path, test_records: list) -> None:
    names = perturb(test_records)
    ids = [as_ids(p) for p in names]
    assert isinstance(ids[0]["ner_tags"][0], int) and isinstance(ids[0]["stance"], int)
    for config in ("ner", "stance", "hedging"):
        expected = evaluate(config, names, releases_dir=releases)["metrics"]
        assert evaluate(config, ids, releases_dir=releases)["metrics"] == expected, config

    def spans_only(predictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in p.items() if k != "ner_tags"} for p in predictions]

    by_id_spans = evaluate("ner", spans_only(ids), releases_dir=releases)["metrics"]
    assert by_id_spans == evaluate("ner", spans_only(names), releases_dir=releases)["metrics"]


def test_a_label_id_out_of_range_names_id_and_field(test_records: list) -> None:
    predictions = [as_ids(p) for p in gold_predictions(annotated(test_records))]
    predictions[0]["stance"] = 3
    with pytest.raises(SqcorpusError, match=r"out of range 0\.\.2") as error:
        score("stance", test_records, predictions)
    assert predictions[0]["id"] in str(error.value) and "stance" in str(error.value)
    predictions[0]["stance"] = 0
    predictions[0]["ner_tags"][0] = len(schema.NER_TAGS)
    with pytest.raises(SqcorpusError, match=r"ner_tags\[0\]"):
        score("ner", test_records, predictions)


def test_a_file_covering_every_split_scores_the_requested_one(
    releases: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = load_records(releases_dir=releases)
    path = tmp_path / "all.jsonl"
    lines = [json.dumps(named_record(r)) for split in every.values() for r in split]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    others = len(lines) - len(every["validation"])
    report = evaluate("ner", path, split="validation", releases_dir=releases)
    assert report["ignored_other_splits"] == others > 0
    assert report["metrics"]["entities"]["f1"]["value"] == 1.0
    assert f"{others} prediction lines for other splits ignored" in format_report(report)
    # An id in no split of the release is still an error (a typo, or another release).
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "no-such-doc-s001"}) + "\n")
    with pytest.raises(SqcorpusError, match="not in the release") as error:
        evaluate("ner", path, split="validation", releases_dir=releases)
    assert f"line {len(lines) + 1}" in str(error.value)


def test_evaluate_help_shows_the_predictions_format(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    shown = capsys.readouterr().out
    for needle in ('"ner_tags"', '"entities"', '"stance"', '"uncertain"', "ClassLabel id"):
        assert needle in shown, needle
