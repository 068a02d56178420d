"""Each metric convention pinned against an independent oracle: the official SemEval-2016
Task 6 scorer's arithmetic written out, scikit-learn's macro-F1, seqeval's strict grouping."""

from __future__ import annotations

import pytest
from seqeval.metrics import f1_score as seq_f1
from seqeval.scheme import IOB2
from sklearn.metrics import f1_score

from sqcorpus.evaluation.metrics import (
    entity_scores,
    semeval2016_f_avg,
    stance_scores,
    to_conll2003,
)
from sqcorpus.evaluation.report import format_report


def official_semeval2016(gold: list[str], pred: list[str]) -> float:
    """The arithmetic of the official SemEval-2016 Task 6 scorer (eval.pl), line by line:

    foreach $cat ("FAVOR", "AGAINST") {
        $p = $numOfTruePosOfEachCat{$cat} / $numOfGuessOfEachCat{$cat}  if guesses, else 0
        $r = $numOfTruePosOfEachCat{$cat} / $numOfGoldOfEachCat{$cat}   if gold, else 0
        $f = 2 * $p * $r / ($p + $r)                                    if $p + $r, else 0
        $macroF += $f;
    }
    $macroF = $macroF / 2;
    """
    total = 0.0
    for cat in ("favor", "against"):
        true_pos = sum(g == p == cat for g, p in zip(gold, pred, strict=True))
        guesses, golds = pred.count(cat), gold.count(cat)
        p = true_pos / guesses if guesses else 0.0
        r = true_pos / golds if golds else 0.0
        total += 2 * p * r / (p + r) if p + r else 0.0
    return total / 2


CASES = [
    # (gold, predictions, official F_avg)
    (["favor", "neutral", "favor"], ["favor", "neutral", "favor"], 0.5),  # no `against` at all
    (["favor", "neutral", "against"], ["favor"] * 3, 0.5 * (2 * 1 / 3 * 1 / (1 / 3 + 1)) / 1),
    (["favor", "neutral", "favor"], ["favor"] * 3, (0.8 + 0) / 2),
    (["favor", "against", "neutral"], ["favor", "against", "neutral"], 1.0),
    (["neutral", "neutral"], ["neutral", "neutral"], 0.0),
    (["against", "favor", "against", "neutral"], ["against", "against", "neutral", "favor"], None),
]


@pytest.mark.parametrize(("gold", "pred", "expected"), CASES)
def test_f_avg_is_the_official_semeval2016_arithmetic(
    gold: list[str], pred: list[str], expected: float | None
) -> None:
    oracle = official_semeval2016(gold, pred)
    if expected is not None:
        assert oracle == pytest.approx(expected)
    assert semeval2016_f_avg(gold, pred) == pytest.approx(oracle)
    scores = stance_scores(gold, pred)
    assert scores["semeval2016_f_avg"]["value"] == pytest.approx(oracle)
    low, high = scores["semeval2016_f_avg"]["ci95"]
    assert low <= oracle <= high


def test_perfect_system_without_against_scores_half_and_favor_everywhere_is_halved() -> None:
    """Without `against`, a perfect system gets 0.5 and `favor` everywhere F1(favor) / 2."""
    gold = ["favor", "neutral", "neutral", "neutral"]
    assert stance_scores(gold, gold)["semeval2016_f_avg"]["value"] == pytest.approx(0.5)
    favor_everywhere = stance_scores(gold, ["favor"] * 4)["semeval2016_f_avg"]["value"]
    assert favor_everywhere == pytest.approx((2 * 0.25 * 1 / 1.25) / 2)  # F1(favor) 0.4 / 2
    assert round(favor_everywhere, 3) == 0.2


@pytest.mark.parametrize(("gold", "pred", "_"), CASES)
def test_macro_f1_is_scikit_learns_with_zero_division_0(
    gold: list[str], pred: list[str], _: object
) -> None:
    labels = ["favor", "against", "neutral"]
    expected = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    assert stance_scores(gold, pred)["macro_f1"]["value"] == pytest.approx(expected)


def test_conll2003_groups_entities_before_mapping() -> None:
    """An invalid ``B-GPE I-FAC`` is a one-token GPE (strict IOB2), so never a correct LOC."""
    assert to_conll2003(["B-GPE", "I-FAC", "O"]) == ["B-LOC", "O", "O"]
    assert to_conll2003(["B-GPE", "B-FAC", "I-FAC"]) == ["B-LOC", "B-LOC", "I-LOC"]
    assert to_conll2003(["B-DATE", "I-DATE", "B-NORP"]) == ["O", "O", "B-MISC"]
    gold = [["B-LOC", "I-LOC", "O"]]
    pred = [["B-GPE", "I-FAC", "O"]]
    scores = entity_scores(gold, [to_conll2003(p) for p in pred])
    assert scores["f1"]["value"] == 0.0
    # The oracle: seqeval groups the raw tags first; map each grouped entity's type by hand.
    assert seq_f1(gold, [["B-LOC", "O", "O"]], mode="strict", scheme=IOB2) == 0.0


def test_per_type_undefined_is_none_and_shown_as_n_a() -> None:
    gold = [["B-PER", "O"], ["O", "O"]]
    pred = [["O", "O"], ["B-ORG", "O"]]
    per_type = entity_scores(gold, pred)["per_type"]
    assert per_type["PER"]["precision"] is None  # nothing predicted as PER
    assert per_type["PER"]["recall"] == 0.0
    assert per_type["ORG"]["recall"] is None  # no gold ORG
    assert per_type["ORG"]["precision"] == 0.0
    report = {
        "version": "x",
        "config": "ner",
        "split": "test",
        "scored": 2,
        "sentences": 2,
        "excluded_missing_gold": 0,
        "metrics": {"entities": entity_scores(gold, pred), "label_set": "sqcorpus"},
    }
    table = format_report(report)
    per_line = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line}
    assert per_line["PER"][0] == "n/a"
    assert per_line["ORG"][1] == "n/a"


def test_holder_scores_are_scikit_learns() -> None:
    from sklearn.metrics import accuracy_score

    from sqcorpus.evaluation.metrics import class_scores

    gold = ["author", "source", "source", "author", "source"]
    pred = ["author", "author", "source", "author", "author"]
    scores = class_scores(gold, pred, ["author", "source"])
    assert scores["accuracy"]["value"] == pytest.approx(accuracy_score(gold, pred))
    expected = f1_score(gold, pred, labels=["author", "source"], average="macro", zero_division=0)
    assert scores["macro_f1"]["value"] == pytest.approx(expected)
    one_class = class_scores(["author"] * 3, ["author"] * 3, ["author", "source"])
    assert one_class["macro_f1"]["value"] == 0.5  # `source` absent from both sides counts 0
