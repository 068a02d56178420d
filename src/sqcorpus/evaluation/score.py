"""Scoring predictions against a released split with each field's standard metrics
(predictions are read in ``predictions``, figures computed in ``metrics``, shown by ``report``).

* NER: entity-level strict P/R/F1 (seqeval, ``mode="strict"``, IOB2), micro and per type,
  also with both sides' entities grouped first, then mapped to CoNLL-2003 types
  (``schema.TO_CONLL2003``).
* Stance: accuracy, macro-F1 over the three classes (scikit-learn, ``zero_division=0``) and
  the official SemEval-2016 Task 6 score F_avg, (F1(favor) + F1(against)) / 2 with a class
  absent from both sides counting 0.
* Hedging: CoNLL-2010 Task 1 P/R/F1 of the ``uncertain`` class, and cue and scope P/R/F1 by
  exact span match.

Every headline figure has a 95% percentile bootstrap interval over sentences (fixed seed).
Point values come from seqeval / scikit-learn; the intervals re-compute the same figures from
per-sentence counts, which is exact for these metrics and fast enough for 1000 resamples.
A P/R/F1 figure that is undefined (precision with nothing predicted) is ``None``, shown as
n/a; resamples in which it is undefined are left out of its interval (see ``metrics``).

Predictions are JSON objects keyed by sentence ``id``, labels by name or ClassLabel id (the
format is documented in README.md and ``sqcorpus evaluate --help``); lines for the release's
other splits are ignored and counted; fields other than the config's are ignored, so one file
can carry predictions for several configs (``ner_tags`` wins over
``entities``, ``hedge_tags`` over ``hedge_cues``; a missing ``uncertain`` follows from the
cues). Sentences whose gold label is missing (``-1``, an unannotated sentence of a
pre-release) are excluded and counted; they need no prediction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import schema
from ..release.store import Release, open_release
from .metrics import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    binary_scores,
    class_scores,
    entity_scores,
    span_scores,
    stance_scores,
    to_conll2003,
)
from .predictions import (
    PredictionRow,
    check_tags,
    index_predictions,
    label_value,
    prediction_spans,
    read_predictions,
    require_predictions,
    spans_to_tags,
    tag_spans,
)


def _score_ner(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    types = set(schema.ENTITY_LABELS) | set(schema.CONLL2003_TYPES)
    gold = [schema.label_names("ner_tags", r["ner_tags"]) for r in records]
    pred = []
    for record, row in zip(records, rows, strict=True):
        if "ner_tags" in row.data:
            tags = row.data["ner_tags"]
            pred.append(check_tags(row, "ner_tags", tags, record, types, schema.NER_TAGS))
        elif "entities" in row.data:
            spans = prediction_spans(row, "entities", row.data["entities"], record, types)
            pred.append(spans_to_tags(row, "entities", spans, record))
        else:
            raise row.error("an NER prediction needs 'ner_tags' or 'entities'", "ner_tags")
    # A model trained on CoNLL-2003 types (MISC) can only be scored after the mapping.
    conll_only = any(
        tag[2:] not in schema.ENTITY_LABELS for tags in pred for tag in tags if tag != "O"
    )
    return {
        "entities": None if conll_only else entity_scores(gold, pred),
        "entities_conll2003": entity_scores(
            [to_conll2003(s) for s in gold], [to_conll2003(s) for s in pred]
        ),
        "label_set": "conll2003" if conll_only else "sqcorpus",
    }


def _score_stance(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    gold = schema.class_label("stance").int2str([r["stance"] for r in records])
    pred = [
        label_value(row, "stance", row.data.get("stance"), schema.STANCE_LABELS) for row in rows
    ]
    result: dict[str, Any] = {"stance": stance_scores(gold, pred), "stance_holder": None}
    # The holder is scored when the predictions carry it (it is optional).
    if any("stance_holder" in row.data for row in rows):
        holders = [
            label_value(row, "stance_holder", row.data.get("stance_holder"), schema.HOLDER_LABELS)
            for row in rows
        ]
        gold_holders = schema.class_label("stance_holder").int2str(
            [r["stance_holder"] for r in records]
        )
        result["stance_holder"] = class_scores(gold_holders, holders, schema.HOLDER_LABELS)
    return result


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
    return label_value(row, "uncertain", value, schema.UNCERTAINTY_LABELS) == "uncertain"


def _score_hedging(
    records: Sequence[Mapping[str, Any]], rows: Sequence[PredictionRow]
) -> dict[str, Any]:
    gold_uncertain = [
        r["uncertain"] == schema.label_index("uncertain", "uncertain") for r in records
    ]
    gold_cues = [[(c["start"], c["end"]) for c in r["hedge_cues"]] for r in records]
    gold_scopes = [[(s["start"], s["end"]) for s in r["hedge_scopes"]] for r in records]
    pred_uncertain: list[bool] = []
    pred_cues: list[list[tuple[int, int]] | None] = []
    pred_scopes: list[list[tuple[int, int]] | None] = []
    for record, row in zip(records, rows, strict=True):
        cues: list[tuple[int, int]] | None = None
        if "hedge_tags" in row.data:
            tags = check_tags(
                row, "hedge_tags", row.data["hedge_tags"], record, {"CUE"}, schema.HEDGE_TAGS
            )
            cues = [(s, e) for s, e, _ in tag_spans(record, tags)]
        elif "hedge_cues" in row.data:
            cues = [
                (s, e)
                for s, e, _ in prediction_spans(
                    row, "hedge_cues", row.data["hedge_cues"], record, None
                )
            ]
        scopes = None
        if "hedge_scopes" in row.data:
            scopes = [
                (s, e)
                for s, e, _ in prediction_spans(
                    row, "hedge_scopes", row.data["hedge_scopes"], record, None
                )
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
    other_ids: Collection[str] = (),
) -> dict[str, Any]:
    """Score predictions against gold records (rows of the ``sentences`` config).

    Prediction lines for ``other_ids`` (the release's other splits) are ignored and counted.
    """
    schema.require_config(config, schema.EVAL_CONFIGS)
    rows = read_predictions(predictions)
    source = str(predictions) if isinstance(predictions, str | Path) else "<predictions>"
    by_id, ignored = index_predictions(rows, records, split, other_ids)
    scored = [r for r in records if is_scored(config, r)]
    report: dict[str, Any] = {
        "config": config,
        "split": split,
        "predictions": source,
        "sentences": len(records),
        "scored": len(scored),
        "excluded_missing_gold": len(records) - len(scored),
        "ignored_other_splits": ignored,
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
    report["metrics"] = _SCORERS[config](scored, require_predictions(by_id, scored, source))
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
    schema.require_split(split)
    schema.require_config(config, schema.EVAL_CONFIGS)  # fail before reading the release
    return evaluate_release(open_release(version, releases_dir), config, predictions, split)


def evaluate_release(
    release: Release,
    config: str,
    predictions: Path | str | Iterable[Mapping[str, Any]],
    split: str = "test",
) -> dict[str, Any]:
    """Score predictions against a split of a resolved release."""
    records = release.records()
    others = {r["id"] for name, rows in records.items() if name != split for r in rows}
    report = score(config, records[split], predictions, split=split, other_ids=others)
    return {"version": release.version, **report}
