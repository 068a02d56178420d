"""Scoring predictions against a released split with each field's standard metrics.

* NER: entity-level strict P/R/F1 (seqeval, ``mode="strict"``, IOB2), micro and per type,
  also after mapping both sides to CoNLL-2003 types (``schema.TO_CONLL2003``).
* Stance: accuracy, macro-F1 over the three classes (scikit-learn) and the SemEval-2016
  Task 6 score F_avg, the mean of F1(favor) and F1(against).
* Hedging: CoNLL-2010 Task 1 P/R/F1 of the ``uncertain`` class, and cue and scope P/R/F1 by
  exact span match.

Every headline figure has a 95% percentile bootstrap interval over sentences (fixed seed).
Point values come from seqeval / scikit-learn; the intervals re-compute the same figures from
per-sentence counts, which is exact for these metrics and fast enough for 1000 resamples.
A figure that is undefined (precision with nothing predicted, F1 of a class absent from gold
and predictions) is ``None`` and is left out of averages, as scikit-learn does with
``zero_division=NaN``; resamples in which it is undefined are left out of its interval.

Predictions are JSON objects keyed by sentence ``id``; fields other than the config's are
ignored, so one file can carry predictions for several configs (``ner_tags`` wins over
``entities``, ``hedge_tags`` over ``hedge_cues``; a missing ``uncertain`` follows from the
cues). Sentences whose gold label is missing (``-1``, an unannotated sentence of a
pre-release) are excluded and counted; they need no prediction.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import schema
from ..errors import SqcorpusError

EVAL_CONFIGS: tuple[str, ...] = ("ner", "stance", "hedging")
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240619
CONFIDENCE = 0.95

Figure = dict[str, Any]
"""``{"value": float | None, "ci95": [low, high] | None}`` (None: undefined)."""


# --- reading predictions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PredictionRow:
    """One prediction object and where it was read."""

    line: int
    data: Mapping[str, Any]
    source: str

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"

    def error(self, message: str, field: str | None = None) -> SqcorpusError:
        item = self.data.get("id") if isinstance(self.data.get("id"), str) else None
        return SqcorpusError(message, file=self.where, item=item, field=field)


def read_predictions(predictions: Path | str | Iterable[Mapping[str, Any]]) -> list[PredictionRow]:
    """Prediction rows from a JSON Lines file (blank lines skipped) or an iterable of dicts."""
    rows: list[PredictionRow] = []
    if isinstance(predictions, str | Path):
        path = Path(predictions)
        source = str(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise SqcorpusError(f"cannot read predictions: {err}", file=path) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                raise SqcorpusError(
                    f"invalid JSON: {err.msg} (column {err.colno})", file=f"{source}, line {number}"
                ) from None
            rows.append(PredictionRow(number, data, source))
    else:
        source = "<predictions>"
        rows = [PredictionRow(n, data, source) for n, data in enumerate(predictions, start=1)]
    for row in rows:
        if not isinstance(row.data, Mapping):
            raise SqcorpusError("a prediction is a JSON object", file=row.where)
        if not isinstance(row.data.get("id"), str):
            raise row.error("missing or not a string", "id")
    return rows


def _index(
    rows: Sequence[PredictionRow], records: Sequence[Mapping[str, Any]], split: str
) -> dict[str, PredictionRow]:
    known = {r["id"] for r in records}
    by_id: dict[str, PredictionRow] = {}
    for row in rows:
        sid = row.data["id"]
        if sid not in known:
            raise row.error(f"unknown sentence id (not in split {split!r})", "id")
        if sid in by_id:
            raise row.error(f"duplicate prediction (also on line {by_id[sid].line})", "id")
        by_id[sid] = row
    return by_id


def _require(
    by_id: Mapping[str, PredictionRow], scored: Sequence[Mapping[str, Any]], source: str
) -> list[PredictionRow]:
    missing = [r["id"] for r in scored if r["id"] not in by_id]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise SqcorpusError(
            f"no prediction for this sentence{more}", file=source, item=missing[0], field="id"
        )
    return [by_id[r["id"]] for r in scored]


# --- parsing prediction fields ---------------------------------------------------------------


def _check_tags(
    row: PredictionRow, field: str, tags: Any, record: Mapping[str, Any], types: set[str]
) -> list[str]:
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise row.error("must be a list of tag strings", field)
    if len(tags) != len(record["tokens"]):
        raise row.error(f"{len(tags)} tags for a sentence of {len(record['tokens'])} tokens", field)
    for position, tag in enumerate(tags):
        if tag != "O" and not (tag[:2] in ("B-", "I-") and tag[2:] in types):
            raise row.error(f"unknown label {tag!r} at token {position}", field)
    return tags


def _spans(
    row: PredictionRow,
    field: str,
    spans: Any,
    record: Mapping[str, Any],
    labels: set[str] | None,
) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, label)`` checked against the sentence's tokens."""
    if not isinstance(spans, list):
        raise row.error("must be a list of span objects", field)
    out = []
    for position, span in enumerate(spans):
        where = f"{field}[{position}]"
        if not isinstance(span, Mapping):
            raise row.error("a span is an object with start and end", where)
        start, end = span.get("start"), span.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise row.error("start and end must be integers", where)
        if not 0 <= start < end <= len(record["text"]):
            raise row.error(f"span [{start}, {end}) is out of the sentence text", where)
        if start not in record["token_starts"] or end not in record["token_ends"]:
            raise row.error(
                f"span [{start}, {end}) {record['text'][start:end]!r} is off token boundaries",
                where,
            )
        label = ""
        if labels is not None:
            label = span.get("label")
            if not isinstance(label, str) or label not in labels:
                raise row.error(f"unknown label {label!r}", f"{where}.label")
        out.append((start, end, label))
    return out


def _spans_to_tags(
    row: PredictionRow, field: str, spans: Sequence[tuple[int, int, str]], record: Mapping
) -> list[str]:
    tags = ["O"] * len(record["tokens"])
    for start, end, label in sorted(spans):
        inside = [
            i
            for i, (s, e) in enumerate(
                zip(record["token_starts"], record["token_ends"], strict=True)
            )
            if start <= s and e <= end
        ]
        if any(tags[i] != "O" for i in inside):
            raise row.error(f"spans overlap at [{start}, {end})", field)
        for position, i in enumerate(inside):
            tags[i] = ("B-" if position == 0 else "I-") + label
    return tags


def _tag_spans(record: Mapping[str, Any], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans of the strict IOB2 chunks of a tag sequence (seqeval's reading)."""
    from seqeval.scheme import IOB2, Tokens

    starts, ends = record["token_starts"], record["token_ends"]
    return [
        (starts[e.start], ends[e.end - 1], e.tag) for e in Tokens(list(tags), scheme=IOB2).entities
    ]


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


def _to_conll2003(tags: Sequence[str]) -> list[str]:
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
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2, Entities

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


def _score_ner(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    types = set(schema.ENTITY_LABELS) | set(schema.CONLL2003_TYPES)
    gold = [[schema.NER_TAGS[t] for t in r["ner_tags"]] for r in records]
    pred = []
    for record, row in zip(records, rows, strict=True):
        if "ner_tags" in row.data:
            pred.append(_check_tags(row, "ner_tags", row.data["ner_tags"], record, types))
        elif "entities" in row.data:
            spans = _spans(row, "entities", row.data["entities"], record, types)
            pred.append(_spans_to_tags(row, "entities", spans, record))
        else:
            raise row.error("an NER prediction needs 'ner_tags' or 'entities'", "ner_tags")
    # A model trained on CoNLL-2003 types (MISC) can only be scored after the mapping.
    conll_only = any(
        tag[2:] not in schema.ENTITY_LABELS for tags in pred for tag in tags if tag != "O"
    )
    return {
        "entities": None if conll_only else entity_scores(gold, pred),
        "entities_conll2003": entity_scores(
            [_to_conll2003(s) for s in gold], [_to_conll2003(s) for s in pred]
        ),
        "label_set": "conll2003" if conll_only else "sqcorpus",
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
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

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


def _score_stance(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    gold = [schema.STANCE_LABELS[r["stance"]] for r in records]
    pred = []
    for row in rows:
        value = row.data.get("stance")
        if value not in schema.STANCE_LABELS:
            raise row.error(
                f"unknown label {value!r}; expected one of {', '.join(schema.STANCE_LABELS)}",
                "stance",
            )
        pred.append(value)
    return {"stance": stance_scores(gold, pred)}


# --- hedging ---------------------------------------------------------------------------------


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    """P/R/F1 of the positive class (scikit-learn) with intervals."""
    from sklearn.metrics import precision_recall_fscore_support

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


def _uncertain_value(row: PredictionRow, cues: list[tuple[int, int]] | None) -> bool:
    if "uncertain" not in row.data:
        if cues is None:
            raise row.error(
                "a hedging prediction needs 'uncertain', 'hedge_tags' or 'hedge_cues'", "uncertain"
            )
        return bool(cues)  # the schema's definition: uncertain iff the sentence has a cue
    value = row.data["uncertain"]
    if isinstance(value, bool):
        return value
    if value not in schema.UNCERTAINTY_LABELS:
        raise row.error(
            f"unknown label {value!r}; expected certain, uncertain or a boolean", "uncertain"
        )
    return value == "uncertain"


def _score_hedging(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    gold_uncertain = [
        r["uncertain"] == schema.UNCERTAINTY_LABELS.index("uncertain") for r in records
    ]
    gold_cues = [[(c["start"], c["end"]) for c in r["hedge_cues"]] for r in records]
    gold_scopes = [[(s["start"], s["end"]) for s in r["hedge_scopes"]] for r in records]
    pred_uncertain: list[bool] = []
    pred_cues: list[list[tuple[int, int]] | None] = []
    pred_scopes: list[list[tuple[int, int]] | None] = []
    for record, row in zip(records, rows, strict=True):
        cues: list[tuple[int, int]] | None = None
        if "hedge_tags" in row.data:
            tags = _check_tags(row, "hedge_tags", row.data["hedge_tags"], record, {"CUE"})
            cues = [(s, e) for s, e, _ in _tag_spans(record, tags)]
        elif "hedge_cues" in row.data:
            cues = [
                (s, e)
                for s, e, _ in _spans(row, "hedge_cues", row.data["hedge_cues"], record, None)
            ]
        scopes = None
        if "hedge_scopes" in row.data:
            scopes = [
                (s, e)
                for s, e, _ in _spans(row, "hedge_scopes", row.data["hedge_scopes"], record, None)
            ]
        pred_uncertain.append(_uncertain_value(row, cues))
        pred_cues.append(cues)
        pred_scopes.append(scopes)
    result: dict[str, Any] = {"uncertain": binary_scores(gold_uncertain, pred_uncertain)}
    # Cue and scope figures only when the predictions carry that layer; a row that lacks it
    # while others have it predicts none.
    has_cues = any(c is not None for c in pred_cues)
    has_scopes = any(s is not None for s in pred_scopes)
    result["cues"] = span_scores(gold_cues, [c or [] for c in pred_cues]) if has_cues else None
    result["scopes"] = (
        span_scores(gold_scopes, [s or [] for s in pred_scopes]) if has_scopes else None
    )
    return result


# --- the entry point -----------------------------------------------------------------------

_SCORERS: dict[str, Callable[[Sequence[Mapping[str, Any]], Sequence[PredictionRow]], dict]] = {
    "ner": _score_ner,
    "stance": _score_stance,
    "hedging": _score_hedging,
}


def check_config(config: str) -> None:
    if config not in _SCORERS:
        raise SqcorpusError(
            f"cannot evaluate config {config!r}; expected one of {', '.join(EVAL_CONFIGS)}",
            field="config",
        )


def is_scored(config: str, record: Mapping[str, Any]) -> bool:
    """Whether a sentence has the gold layer of a config (unannotated ones have ``-1``).

    Entities and hedges have no missing marker of their own: a sentence is annotated for
    them exactly when its ``uncertain`` label is set (the converter sets it for every
    annotated sentence).
    """
    field = "stance" if config == "stance" else "uncertain"
    return record[field] != schema.MISSING_LABEL


def score(
    config: str,
    records: Sequence[Mapping[str, Any]],
    predictions: Path | str | Iterable[Mapping[str, Any]],
    *,
    split: str = "test",
) -> dict[str, Any]:
    """Score predictions against gold records (rows of the ``sentences`` config)."""
    check_config(config)
    rows = read_predictions(predictions)
    source = str(predictions) if isinstance(predictions, str | Path) else "<predictions>"
    by_id = _index(rows, records, split)
    scored = [r for r in records if is_scored(config, r)]
    report: dict[str, Any] = {
        "config": config,
        "split": split,
        "predictions": source,
        "sentences": len(records),
        "scored": len(scored),
        "excluded_missing_gold": len(records) - len(scored),
        "bootstrap": {
            "method": "percentile, sentences resampled with replacement",
            "resamples": BOOTSTRAP_RESAMPLES,
            "seed": BOOTSTRAP_SEED,
            "confidence": CONFIDENCE,
        },
    }
    if not scored:
        report["metrics"] = None
        report["note"] = f"no sentence of split {split!r} has a gold {config} annotation"
        return report
    report["metrics"] = _SCORERS[config](scored, _require(by_id, scored, source))
    return report


def evaluate(
    config: str,
    predictions: Path | str | Iterable[Mapping[str, Any]],
    split: str = "test",
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
) -> dict[str, Any]:
    """Score predictions against a released split (``version=None``: the latest release)."""
    from ..release.loading import load_records, resolve_version

    if split not in schema.SPLITS:
        raise SqcorpusError(
            f"unknown split {split!r}; expected one of {', '.join(schema.SPLITS)}", field="split"
        )
    check_config(config)  # fail before reading the release
    resolved = resolve_version(version, releases_dir)
    records = load_records(resolved, releases_dir=releases_dir)[split]
    report = score(config, records, predictions, split=split)
    return {"version": resolved, **report}


# --- presentation --------------------------------------------------------------------------


def headline(report: Mapping[str, Any]) -> list[tuple[str, Figure]]:
    """The headline figures of a report, in a fixed order, as (name, figure)."""
    metrics = report.get("metrics") or {}
    out: list[tuple[str, Figure]] = []
    names = {
        "entities": "entity (strict)",
        "entities_conll2003": "entity, CoNLL-2003 types",
        "uncertain": "uncertain sentences (CoNLL-2010 Task 1)",
        "cues": "hedge cues (exact)",
        "scopes": "hedge scopes (exact)",
    }
    for key, label in names.items():
        block = metrics.get(key)
        if block:
            out += [(f"{label} {m}", block[m]) for m in ("precision", "recall", "f1")]
    stance = metrics.get("stance")
    if stance:
        out += [
            ("stance accuracy", stance["accuracy"]),
            ("stance macro-F1", stance["macro_f1"]),
            ("stance F_avg (SemEval-2016)", stance["f_avg"]),
        ]
    return out


def format_figure(figure: Figure | None, digits: int = 3) -> str:
    """``0.812 [0.700, 0.900]``; ``n/a`` for an undefined figure."""
    if figure is None or figure["value"] is None:
        return "n/a"
    value = f"{figure['value']:.{digits}f}"
    if figure["ci95"] is None:
        return value
    low, high = figure["ci95"]
    return f"{value} [{low:.{digits}f}, {high:.{digits}f}]"


def _cell(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def format_report(report: Mapping[str, Any]) -> str:
    """A plain-text table of a report: headline figures with 95% intervals, then details."""
    lines = [
        f"sqcorpus {report.get('version', '?')}, config {report['config']}, "
        f"split {report['split']}: {report['scored']} of {report['sentences']} sentences scored"
        + (
            f" ({report['excluded_missing_gold']} excluded: gold label missing)"
            if report["excluded_missing_gold"]
            else ""
        ),
    ]
    if report.get("metrics") is None:
        lines.append(report.get("note", "nothing to score"))
        return "\n".join(lines)
    rows = [(name, format_figure(figure)) for name, figure in headline(report)]
    if report["metrics"].get("label_set") == "conll2003":
        lines.append("predictions use CoNLL-2003 types: scored after mapping only")
    width = max(len(name) for name, _ in rows)
    lines.append(f"{'metric':<{width}}  value [95% CI]")
    lines += [f"{name:<{width}}  {value}" for name, value in rows]
    details = report["metrics"].get("entities") or report["metrics"].get("entities_conll2003")
    per_type = details.get("per_type") if details else None
    if report["metrics"].get("stance"):
        per_type = report["metrics"]["stance"]["per_class"]
    if per_type:
        lines.append("")
        lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
        lines += [
            f"{label:<10} {_cell(s['precision'])} {_cell(s['recall'])} {_cell(s['f1'])}"
            f" {s['support']:8d}"
            for label, s in per_type.items()
        ]
    return "\n".join(lines)


def write_report(report: Mapping[str, Any], out: Path) -> None:
    """Write a report as JSON (temporary file renamed into place)."""
    from ..files import write_atomic

    write_atomic(out, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
