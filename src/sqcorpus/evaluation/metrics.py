"""Pure metrics, the way seqeval keeps them apart from reading and reporting: each takes gold
and predicted labels and returns figures with 95% percentile bootstrap intervals over sentences.

Point values come from seqeval / scikit-learn; the intervals re-compute the same figures from
per-sentence counts, which is exact for these metrics and fast enough for 1000 resamples.

Conventions, each pinned by a test against an independent oracle:

* A P/R/F1 figure that is undefined (precision with nothing predicted, F1 with neither gold
  nor predicted items) is ``None`` ("n/a"), in the headline and per type alike; resamples in
  which it is undefined are left out of its interval.
* Stance macro-F1 is scikit-learn's ``f1_score(average="macro", labels=<the three classes>,
  zero_division=0)``: a class absent from gold and predictions counts F1 = 0.
* Stance ``semeval2016_f_avg`` is the official SemEval-2016 Task 6 scorer's arithmetic:
  (F1(favor) + F1(against)) / 2, where P, R or F1 with a zero denominator is 0, and the sum
  is always divided by 2.
* CoNLL-2003 types: entities are grouped first (strict IOB2, seqeval), then mapped with
  ``schema.TO_CONLL2003``, so an invalid ``B-GPE I-FAC`` is a one-token entity, never a LOC
  over both tokens.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2, Entities, Tokens
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from .. import schema

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240619
CONFIDENCE = 0.95

Figure = dict[str, Any]
"""``{"value": float | None, "ci95": [low, high] | None}`` (None: undefined)."""


# --- figures and the bootstrap -------------------------------------------------------------


def _ratio(num: Any, den: Any) -> np.ndarray:
    """``num / den``, NaN (undefined) where ``den`` is 0."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    return np.divide(num, den, out=out, where=den != 0)


def _prf(sums: np.ndarray) -> dict[str, np.ndarray]:
    """P/R/F1 from columns (true positives, predicted, gold); undefined ones are NaN."""
    tp, predicted, gold = sums[..., 0], sums[..., 1], sums[..., 2]
    return {
        "precision": _ratio(tp, predicted),
        "recall": _ratio(tp, gold),
        "f1": _ratio(2 * tp, predicted + gold),
    }


def _resample_weights(n: int) -> np.ndarray:
    """How often each of ``n`` sentences is drawn in each resample (resamples x n)."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    offsets = (np.arange(BOOTSTRAP_RESAMPLES) * n)[:, None]
    return np.bincount((draws + offsets).ravel(), minlength=BOOTSTRAP_RESAMPLES * n).reshape(
        BOOTSTRAP_RESAMPLES, n
    )


def _intervals(
    counts: np.ndarray, statistics: Callable[[np.ndarray], dict[str, np.ndarray]]
) -> dict[str, list[float] | None]:
    """Percentile bootstrap intervals of statistics computed from summed per-sentence counts.

    A resample in which a figure is undefined (e.g. precision with no predicted span) is
    left out of that figure's interval, as the figure itself would be.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        resampled = statistics(_resample_weights(len(counts)) @ counts)
    tail = (1 - CONFIDENCE) / 2 * 100
    out: dict[str, list[float] | None] = {}
    for name, values in resampled.items():
        defined = values[~np.isnan(values)]
        out[name] = (
            [float(v) for v in np.percentile(defined, [tail, 100 - tail])] if len(defined) else None
        )
    return out


def _number(value: Any) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _figure(value: Any, interval: Sequence[float] | None) -> Figure:
    """A figure; ``value`` None (undefined, e.g. F1 with neither gold nor predicted spans)."""
    if value is None or np.isnan(value):
        return {"value": None, "ci95": None}
    return {"value": float(value), "ci95": None if interval is None else list(interval)}


# --- NER ----------------------------------------------------------------------------------


def to_conll2003(tags: Sequence[str]) -> list[str]:
    """Valid IOB2 tags of the sentence's entities mapped to CoNLL-2003 types.

    Entities are grouped first, as seqeval's strict IOB2 mode reads them, and only then
    mapped (types without a mapping, such as MISC, stay; DATE is dropped): tags that form no
    valid entity become ``O`` instead of joining a neighbour that maps to the same type.
    """
    mapped = ["O"] * len(tags)
    for entity in Tokens(list(tags), scheme=IOB2).entities:
        target = schema.TO_CONLL2003.get(entity.tag, entity.tag)
        if target is None:
            continue
        mapped[entity.start] = f"B-{target}"
        for position in range(entity.start + 1, entity.end):
            mapped[position] = f"I-{target}"
    return mapped


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Strict entity-level micro P/R/F1 with intervals, and per-type P/R/F1 (seqeval)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # seqeval warns on empty macro averages
        report = classification_report(
            [list(s) for s in gold],
            [list(s) for s in pred],
            mode="strict",
            scheme=IOB2,
            output_dict=True,
            zero_division=0,
        )
    true_entities = Entities([list(s) for s in gold], IOB2).entities
    pred_entities = Entities([list(s) for s in pred], IOB2).entities
    counts = np.array(
        [
            [len(set(t) & set(p)), len(p), len(t)]
            for t, p in zip(true_entities, pred_entities, strict=True)
        ],
        dtype=float,
    )
    intervals = _intervals(counts, _prf)
    # seqeval reports 0 for an undefined figure; the counts say which ones are undefined.
    defined = {name: not np.isnan(v) for name, v in _prf(counts.sum(axis=0)).items()}
    micro = report["micro avg"]
    per_type = {}
    for label, scores in sorted(report.items()):
        if label.endswith(" avg"):
            continue
        typed = np.array(
            [
                [
                    sum(e in p for e in t if e.tag == label),
                    sum(e.tag == label for e in p),
                    sum(e.tag == label for e in t),
                ]
                for t, p in zip(true_entities, pred_entities, strict=True)
            ],
            dtype=float,
        ).sum(axis=0)
        typed_defined = {name: not np.isnan(v) for name, v in _prf(typed).items()}
        per_type[label] = {
            name: float(scores[key]) if typed_defined[name] else None
            for name, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"))
        } | {"support": int(scores["support"])}
    return {
        **{
            name: _figure(micro[key] if defined[name] else None, intervals[name])
            for name, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"))
        },
        "support": int(counts[:, 2].sum()),
        "predicted": int(counts[:, 1].sum()),
        "per_type": per_type,
    }


# --- stance ----------------------------------------------------------------------------------


def _confusion_statistics(labels: Sequence[str]) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    k = len(labels)

    def statistics(sums: np.ndarray) -> dict[str, np.ndarray]:
        matrix = sums.reshape(*sums.shape[:-1], k, k)  # [..., gold, pred]
        tp = np.diagonal(matrix, axis1=-2, axis2=-1)
        gold, predicted = matrix.sum(axis=-1), matrix.sum(axis=-2)
        # A class absent from both sides counts F1 = 0 (scikit-learn's zero_division=0 and
        # the official SemEval-2016 scorer alike).
        f1 = np.nan_to_num(_ratio(2 * tp, gold + predicted), nan=0.0)
        out = {
            "accuracy": _ratio(tp.sum(axis=-1), matrix.sum(axis=(-2, -1))),
            "macro_f1": f1.mean(axis=-1),
        }
        if "favor" in labels and "against" in labels:
            pair = [labels.index("favor"), labels.index("against")]
            out["semeval2016_f_avg"] = f1[..., pair].sum(axis=-1) / 2
        return out

    return statistics


def _confusion_counts(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> np.ndarray:
    k = len(labels)
    counts = np.zeros((len(gold), k * k))
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        counts[i, labels.index(g) * k + labels.index(p)] = 1
    return counts


def semeval2016_f_avg(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The official SemEval-2016 Task 6 score: (F1(favor) + F1(against)) / 2.

    As the official scorer computes it: per class, precision and recall are 0 when their
    denominator is 0, F1 is 0 when P + R is 0, and the sum is always divided by 2 (so a
    class absent from gold and predictions pulls the score down to at most 0.5).
    """
    _, _, f1, _ = precision_recall_fscore_support(
        gold, pred, labels=["favor", "against"], average=None, zero_division=0
    )
    return float(f1.sum() / 2)


def stance_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 (scikit-learn, zero_division=0) and the official SemEval-2016
    F_avg, with intervals; per-class figures are ``None`` where undefined."""
    labels = list(schema.STANCE_LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, pred, labels=labels, average=None, zero_division=np.nan
    )
    macro = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    intervals = _intervals(_confusion_counts(gold, pred, labels), _confusion_statistics(labels))
    return {
        "accuracy": _figure(accuracy_score(gold, pred), intervals["accuracy"]),
        "macro_f1": _figure(macro, intervals["macro_f1"]),
        "semeval2016_f_avg": _figure(semeval2016_f_avg(gold, pred), intervals["semeval2016_f_avg"]),
        "per_class": {
            label: {
                "precision": _number(precision[i]),
                "recall": _number(recall[i]),
                "f1": _number(f1[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
    }


def class_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy and macro-F1 (scikit-learn, ``zero_division=0``) over ``labels``, with
    intervals: the figures of any sentence-level label other than stance (the holder)."""
    macro = f1_score(gold, pred, labels=list(labels), average="macro", zero_division=0)
    intervals = _intervals(_confusion_counts(gold, pred, labels), _confusion_statistics(labels))
    return {
        "accuracy": _figure(accuracy_score(gold, pred), intervals["accuracy"]),
        "macro_f1": _figure(macro, intervals["macro_f1"]),
    }


# --- hedging ---------------------------------------------------------------------------------


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    """P/R/F1 of the positive class (scikit-learn) with intervals."""
    y_true, y_pred = [int(g) for g in gold], [int(p) for p in pred]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=[1], average="binary", pos_label=1, zero_division=np.nan
    )
    counts = np.array([[g and p, p, g] for g, p in zip(y_true, y_pred, strict=True)], dtype=float)
    intervals = _intervals(counts, _prf)
    return {
        "precision": _figure(precision, intervals["precision"]),
        "recall": _figure(recall, intervals["recall"]),
        "f1": _figure(f1, intervals["f1"]),
        "support": int(sum(y_true)),
        "predicted": int(sum(y_pred)),
    }


def span_scores(
    gold: Sequence[Iterable[tuple[int, int]]], pred: Sequence[Iterable[tuple[int, int]]]
) -> dict[str, Any]:
    """Exact-match span P/R/F1 over sentences, with intervals."""
    rows = []
    for g, p in zip(gold, pred, strict=True):
        gold_set, pred_set = set(g), set(p)
        rows.append([len(gold_set & pred_set), len(pred_set), len(gold_set)])
    counts = np.array(rows, dtype=float).reshape(-1, 3)
    totals = counts.sum(axis=0)
    point = _prf(totals)
    intervals = _intervals(counts, _prf)
    return {
        **{name: _figure(point[name], intervals[name]) for name in ("precision", "recall", "f1")},
        "support": int(totals[2]),
        "predicted": int(totals[1]),
    }
