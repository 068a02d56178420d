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
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import sklearn_crfsuite

from .. import schema
from ..annotate import preannotate  # the module, so that a test can replace its function
from ..errors import SqcorpusError
from ..models import Token
from ..release.store import open_release
from .score import is_scored

BASELINES: dict[str, tuple[str, ...]] = {
    "majority": ("stance", "hedging"),
    "rules": ("ner", "hedging"),
    "crf": ("ner", "hedging"),
    "linear": ("stance", "hedging"),
}
"""Each baseline and the configs its predictions cover."""

CRF_PARAMS: dict[str, Any] = {
    "algorithm": "lbfgs",
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 100,
    "all_possible_transitions": True,
}

README_BEGIN = "<!-- baselines:begin -->"
README_END = "<!-- baselines:end -->"

Record = Mapping[str, Any]


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
    """Predictions of the rule-based pre-annotator (it needs no training data)."""
    predictions = []
    for record in records:
        annotation = preannotate.preannotate(record["text"], record_tokens(record))
        predictions.append(
            {
                "id": record["id"],
                "entities": [
                    {"start": s.start, "end": s.end, "label": s.label} for s in annotation.entities
                ],
                "hedge_cues": [{"start": s.start, "end": s.end} for s in annotation.hedge_cues],
                "hedge_scopes": [{"start": s.start, "end": s.end} for s in annotation.hedge_scopes],
                "uncertain": schema.label_name("uncertain", int(bool(annotation.hedge_cues))),
            }
        )
    return predictions


# --- CRF ------------------------------------------------------------------------------------


def _shape(word: str) -> str:
    """Word shape with runs collapsed: ``Jong-un`` -> ``Xx-x``, ``2024`` -> ``d``."""
    shape = "".join(
        "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word
    )
    return re.sub(r"(.)\1+", r"\1", shape)


def token_features(tokens: Sequence[str], i: int) -> dict[str, Any]:
    """Simple, language-agnostic features of token ``i`` and its neighbours."""
    word = tokens[i]
    lower = word.lower()
    features: dict[str, Any] = {
        "bias": 1.0,
        "lower": lower,
        "prefix3": lower[:3],
        "suffix2": lower[-2:],
        "suffix3": lower[-3:],
        "suffix4": lower[-4:],
        "shape": _shape(word),
        "is_title": word.istitle(),
        "is_upper": word.isupper(),
        "is_digit": word.isdigit(),
        "first": i == 0,
    }
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(tokens):
            features[f"{offset}:lower"] = tokens[j].lower()
            features[f"{offset}:is_title"] = tokens[j].istitle()
        else:
            features[f"{offset}:outside"] = True
    return features


def sentence_features(tokens: Sequence[str]) -> list[dict[str, Any]]:
    return [token_features(tokens, i) for i in range(len(tokens))]


def train_crf(sequences: Sequence[Sequence[str]], labels: Sequence[Sequence[str]]) -> Any:
    """A CRF with the fixed :data:`CRF_PARAMS`, trained on token sequences."""
    model = sklearn_crfsuite.CRF(**CRF_PARAMS)
    model.fit([sentence_features(s) for s in sequences], [list(tags) for tags in labels])
    return model


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
