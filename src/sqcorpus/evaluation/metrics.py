"""Pure metrics, the way seqeval keeps them apart from reading and reporting: each takes gold
and predicted labels and returns figures with 95% percentile bootstrap intervals over sentences.

Point values come from seqeval / scikit-learn; the intervals re-compute the same figures from
per-sentence counts, which is exact for these metrics and fast enough for 1000 resamples.
A figure that is undefined (precision with nothing predicted, F1 of a class absent from gold
and predictions) is ``None`` and is left out of averages, as scikit-learn does with
``zero_division=NaN``; resamples in which it is undefined are left out of its interval.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2, Entities
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
    """Tags with entity types mapped to CoNLL-2003 (unmapped types such as MISC stay)."""
    mapped = []
    for tag in tags:
        if tag == "O":
            mapped.append(tag)
            continue
        target = schema.TO_CONLL2003.get(tag[2:], tag[2:])
        mapped.append("O" if target is None else f"{tag[:2]}{target}")
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
    per_type = {
        label: {
            "precision": float(scores["precision"]),
            "recall": float(scores["recall"]),
            "f1": float(scores["f1-score"]),
            "support": int(scores["support"]),
        }
        for label, scores in sorted(report.items())
        if not label.endswith(" avg")
    }
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
        f1 = _ratio(2 * tp, gold + predicted)  # NaN for a class absent from both sides
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN
            return {
                "accuracy": _ratio(tp.sum(axis=-1), matrix.sum(axis=(-2, -1))),
                "macro_f1": np.nanmean(f1, axis=-1),
                "f_avg": np.nanmean(f1[..., [labels.index("favor"), labels.index("against")]], -1),
            }

    return statistics


def _confusion_counts(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> np.ndarray:
    k = len(labels)
    counts = np.zeros((len(gold), k * k))
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        counts[i, labels.index(g) * k + labels.index(p)] = 1
    return counts


def stance_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and SemEval-2016 F_avg (scikit-learn) with intervals."""
    labels = list(schema.STANCE_LABELS)
    # zero_division=NaN: a class absent from gold and predictions has no F1 and is left out
    # of the averages instead of counting as 0.
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, pred, labels=labels, average=None, zero_division=np.nan
    )
    macro = f1_score(gold, pred, labels=labels, average="macro", zero_division=np.nan)
    pair = [f1[labels.index("favor")], f1[labels.index("against")]]
    f_avg = np.nan if all(np.isnan(pair)) else float(np.nanmean(pair))
    intervals = _intervals(_confusion_counts(gold, pred, labels), _confusion_statistics(labels))
    return {
        "accuracy": _figure(accuracy_score(gold, pred), intervals["accuracy"]),
        "macro_f1": _figure(macro, intervals["macro_f1"]),
        "f_avg": _figure(f_avg, intervals["f_avg"]),
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
