"""Reference baselines: each predicts in the format :func:`sqcorpus.evaluate` reads.

* ``majority``: the most frequent stance and uncertainty class of ``train``.
* ``rules``: the rule-based pre-annotator (``annotate.preannotate``): entities and hedge cues.
* ``crf``: a linear-chain CRF (sklearn-crfsuite) for NER tags and hedge-cue tags, trained on
  the annotated ``train`` sentences with fixed hyper-parameters and simple token features;
  the training is deterministic, so the table is reproducible to the digit.
* ``linear``: TF-IDF + logistic regression for stance, holder and uncertainty
  (:mod:`.linear`), tuned on ``validation``.

The table of every baseline is in :mod:`.baseline_table`; :mod:`.runs` records what each run
was built from.

Every baseline writes predictions in the format :func:`sqcorpus.evaluate` reads, one
object a sentence with the fields of every config it covers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import schema
from ..annotate import premodel  # the module, so that a test can replace its function
from ..annotate.crffeatures import sentence_features, train_crf
from ..errors import SqcorpusError
from ..models import Token
from ..release.store import open_release
from .score import is_scored

Record = Mapping[str, Any]

BASELINES: dict[str, tuple[str, ...]] = {
    "majority": ("stance", "hedging"),
    "rules": ("ner", "hedging"),
    "crf": ("ner", "hedging"),
    "linear": ("stance", "hedging"),
}
"""Each baseline and the configs its predictions cover."""


def _annotated(records: Sequence[Record]) -> list[Record]:
    return [r for r in records if is_scored("hedging", r)]


# --- majority --------------------------------------------------------------------------------


def _majority_label(train: Sequence[Record], field: str) -> str:
    counts = Counter(r[field] for r in train if r[field] != schema.MISSING_LABEL)
    if not counts:
        raise SqcorpusError(f"no annotated {field} label in split 'train'", field=field)
    # Ties go to the label declared first in the schema, so the choice never depends on order.
    best = max(range(len(schema.SENTENCE_LABELS[field])), key=lambda i: (counts[i], -i))
    name: str = schema.class_label(field).int2str(best)
    return name


def majority(train: Sequence[Record], records: Sequence[Record]) -> list[dict[str, Any]]:
    """Predict the majority stance, holder and uncertainty class of ``train`` everywhere."""
    stance = _majority_label(train, "stance")
    holder = _majority_label(train, "stance_holder")
    uncertain = _majority_label(train, "uncertain")
    return [
        {"id": r["id"], "stance": stance, "stance_holder": holder, "uncertain": uncertain}
        for r in records
    ]


# --- rules ---------------------------------------------------------------------------------


def record_tokens(record: Record) -> tuple[Token, ...]:
    """The record's tokens with offsets into its sentence text."""
    return tuple(
        Token(start, end, text)
        for text, start, end in zip(
            record["tokens"], record["token_starts"], record["token_ends"], strict=True
        )
    )


def rules(train: Sequence[Record], records: Sequence[Record]) -> list[dict[str, Any]]:
    """Predictions of the frozen rule pre-annotator, ``sqcorpus-rules-2.0`` (no training)."""
    batch = premodel.preannotate_batch(premodel.sentences_from_records(records), "rules")
    return [
        {
            "id": prediction["id"],
            "entities": [
                {"start": e["start"], "end": e["end"], "label": e["label"]}
                for e in prediction["entities"]
            ],
            "hedge_cues": [
                {"start": c["start"], "end": c["end"]} for c in prediction["hedge_cues"]
            ],
            "hedge_scopes": [
                {"start": c["start"], "end": c["end"]} for c in prediction["hedge_scopes"]
            ],
            "uncertain": prediction["uncertain"],
        }
        for prediction in batch
    ]


# --- CRF ------------------------------------------------------------------------------------


def crf(train: Sequence[Record], records: Sequence[Record]) -> list[dict[str, Any]]:
    """NER and hedge-cue tags from two CRFs trained on the annotated train sentences."""
    annotated = _annotated(train)
    if not annotated:
        raise SqcorpusError("no annotated sentence in split 'train' to train the CRF on")
    tokens = [r["tokens"] for r in annotated]
    ner = train_crf(tokens, [schema.label_names("ner_tags", r["ner_tags"]) for r in annotated])
    hedge = train_crf(
        tokens, [schema.label_names("hedge_tags", r["hedge_tags"]) for r in annotated]
    )
    features = [sentence_features(r["tokens"]) for r in records]
    ner_tags = ner.predict(features) if records else []
    hedge_tags = hedge.predict(features) if records else []
    return [
        {
            "id": record["id"],
            "ner_tags": list(ner_seq),
            "hedge_tags": list(hedge_seq),
            # Uncertain iff a cue is predicted: the schema's own definition of the label.
            "uncertain": schema.label_name("uncertain", int(any(t == "B-CUE" for t in hedge_seq))),
        }
        for record, ner_seq, hedge_seq in zip(records, ner_tags, hedge_tags, strict=True)
    ]


# --- running baselines -------------------------------------------------------------------------

_RUNNERS: dict[str, Callable[[Sequence[Record], Sequence[Record]], list[dict[str, Any]]]] = {
    "majority": majority,
    "rules": rules,
    "crf": crf,
}


def run(name: str, train: Sequence[Record], records: Sequence[Record]) -> list[dict[str, Any]]:
    """Predictions of a baseline that needs ``train`` only (majority, rules, crf)."""
    return _RUNNERS[name](train, records)


def predict(
    name: str,
    split: str = "test",
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """Predictions of baseline ``name`` for every sentence of ``split`` (trained on train,
    tuned on validation)."""
    if name not in BASELINES:
        raise SqcorpusError(
            f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}", field="baseline"
        )
    schema.require_split(split)
    records = open_release(version, releases_dir).records()
    if name == "linear":
        from .linear import linear

        return linear(records["train"], records["validation"], records[split])[0]
    return _RUNNERS[name](records["train"], records[split])


def to_jsonl(predictions: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions)
