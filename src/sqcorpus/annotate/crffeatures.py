"""The CRF's token features and fixed hyper-parameters, shared by the CRF baseline
(:mod:`sqcorpus.evaluation.baselines`) and the CRF in the pre-annotation loop
(:mod:`.premodel`). They live here, in ``annotate``, because evaluation may import annotate
and not the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sklearn_crfsuite

CRF_PARAMS: dict[str, Any] = {
    "algorithm": "lbfgs",
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 100,
    "all_possible_transitions": True,
}


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
