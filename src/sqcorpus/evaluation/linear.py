"""Linear sentence classifiers, the ``linear`` baseline: stance, stance holder and the
``uncertain`` flag, each a TF-IDF + logistic-regression model (scikit-learn).

Each model is trained on the annotated ``train`` sentences and its hyper-parameters are
chosen on the annotated ``validation`` sentences from a tiny fixed grid (:data:`GRID`), by
the field's headline figure: macro-F1 (``zero_division=0``) for stance and holder, F1 of the
``uncertain`` class for uncertainty. Ties go to the earlier grid point. ``test`` is never
read. Features are character n-grams within words (2 to 4 characters, kept when seen in two
training sentences or more), which see Albanian inflection without a lemmatiser. Training is
deterministic (lbfgs, no random state involved)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from .. import schema
from ..errors import SqcorpusError

Record = Mapping[str, Any]

GRID: Final[tuple[dict[str, Any], ...]] = tuple(
    {"C": c, "class_weight": weight} for c in (0.1, 1.0, 10.0) for weight in (None, "balanced")
)
"""The hyper-parameters tried on ``validation`` (in this order)."""
DEFAULT: Final = {"C": 1.0, "class_weight": None}
"""Used when ``validation`` has no annotated sentence for a field (nothing to tune on)."""
FIELDS: Final = ("stance", "stance_holder", "uncertain")


@dataclass(frozen=True)
class FieldModel:
    """One field's model and how it was chosen."""

    field: str
    params: dict[str, Any]
    validation_score: float | None
    trained_on: tuple[str, ...]
    tuned_on: tuple[str, ...]
    model: Pipeline | None = None
    constant: str | None = None
    """The only label seen in ``train`` (a classifier needs two); predicted everywhere."""
    grid: tuple[tuple[dict[str, Any], float], ...] = ()


def _labelled(records: Sequence[Record], name: str) -> list[Record]:
    return [r for r in records if r[name] != schema.MISSING_LABEL]


def _names(records: Sequence[Record], name: str) -> list[str]:
    labels: list[str] = schema.class_label(name).int2str([r[name] for r in records])
    return labels


def _vectorizer(texts: Sequence[str]) -> TfidfVectorizer:
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True
    )
    vectorizer.fit(list(texts))
    return vectorizer


def _fit(
    vectorizer: TfidfVectorizer, features: Any, labels: Sequence[str], params: Mapping[str, Any]
) -> Pipeline:
    """A pipeline of the (already fitted) vectorizer and a classifier fitted on ``features``."""
    classifier = LogisticRegression(max_iter=1000, **params)
    classifier.fit(features, list(labels))
    return Pipeline([("tfidf", vectorizer), ("classifier", classifier)])


def _validation_score(name: str, gold: Sequence[str], pred: Sequence[str]) -> float:
    if name == "uncertain":
        return float(f1_score(gold, pred, pos_label="uncertain", average="binary", zero_division=0))
    labels = list(schema.SENTENCE_LABELS[name])
    return float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0))


def train_field(name: str, train: Sequence[Record], validation: Sequence[Record]) -> FieldModel:
    """The model of one sentence-level field, tuned on ``validation``."""
    if name not in FIELDS:
        raise SqcorpusError(f"no linear model for {name!r}", field="field")
    fit_rows, tune_rows = _labelled(train, name), _labelled(validation, name)
    if not fit_rows:
        raise SqcorpusError(f"no annotated {name} label in split 'train'", field=name)
    trained_on = tuple(r["id"] for r in fit_rows)
    texts, labels = [r["text"] for r in fit_rows], _names(fit_rows, name)
    if len(set(labels)) == 1:
        return FieldModel(name, {}, None, trained_on, (), constant=labels[0])
    # The vectorizer depends on the training texts only: fitted once for the whole grid.
    vectorizer = _vectorizer(texts)
    features = vectorizer.transform(texts)
    if not tune_rows:
        model = _fit(vectorizer, features, labels, DEFAULT)
        return FieldModel(name, dict(DEFAULT), None, trained_on, (), model)
    gold = _names(tune_rows, name)
    tune_features = vectorizer.transform([r["text"] for r in tune_rows])
    tried = []
    best: tuple[float, dict[str, Any], Pipeline] | None = None
    for params in GRID:
        model = _fit(vectorizer, features, labels, params)
        predicted = model.named_steps["classifier"].predict(tune_features)
        value = _validation_score(name, gold, [str(label) for label in predicted])
        tried.append((dict(params), value))
        if best is None or value > best[0]:
            best = (value, dict(params), model)
    assert best is not None  # the grid is not empty
    value, params, model = best
    tuned_on = tuple(r["id"] for r in tune_rows)
    return FieldModel(name, params, value, trained_on, tuned_on, model, grid=tuple(tried))


def predict_field(model: FieldModel, records: Sequence[Record]) -> list[str]:
    if model.constant is not None:
        return [model.constant] * len(records)
    assert model.model is not None
    return [str(label) for label in model.model.predict([r["text"] for r in records])]


def linear(
    train: Sequence[Record], validation: Sequence[Record], records: Sequence[Record]
) -> tuple[list[dict[str, Any]], dict[str, FieldModel]]:
    """Predictions of stance, holder and uncertainty for ``records``, and the models."""
    models = {name: train_field(name, train, validation) for name in FIELDS}
    columns = {name: predict_field(model, records) for name, model in models.items()}
    predictions = [
        {"id": r["id"], **{name: columns[name][i] for name in FIELDS}}
        for i, r in enumerate(records)
    ]
    return predictions, models
