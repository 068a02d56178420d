"""Reference baselines and the README's baseline table.

* ``majority``: the most frequent stance and uncertainty class of ``train``.
* ``rules``: the rule-based pre-annotator (``annotate.preannotate``): entities and hedge cues.
* ``crf``: a linear-chain CRF (sklearn-crfsuite) for NER tags and hedge-cue tags, trained on
  the annotated ``train`` sentences with fixed hyper-parameters and simple token features;
  the training is deterministic, so the table is reproducible to the digit.

Every baseline writes predictions in the format :func:`sqcorpus.evaluate` reads, one
object a sentence with the fields of every config it covers.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import sklearn_crfsuite

from .. import paths, schema
from ..annotate import preannotate  # the module, so that a test can replace its function
from ..errors import SqcorpusError
from ..generated import Generated, marker_block, sync
from ..models import Token
from ..release.store import open_release
from .metrics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, Figure
from .score import is_scored, score

BASELINES: dict[str, tuple[str, ...]] = {
    "majority": ("stance", "hedging"),
    "rules": ("ner", "hedging"),
    "crf": ("ner", "hedging"),
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
    """Predict the majority stance and uncertainty class of ``train`` for every sentence."""
    stance = _majority_label(train, "stance")
    uncertain = _majority_label(train, "uncertain")
    return [{"id": r["id"], "stance": stance, "uncertain": uncertain} for r in records]


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


def predict(
    name: str,
    split: str = "test",
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """Predictions of baseline ``name`` for every sentence of ``split`` (trained on train)."""
    if name not in _RUNNERS:
        raise SqcorpusError(
            f"unknown baseline {name!r}; expected one of {', '.join(_RUNNERS)}", field="baseline"
        )
    schema.require_split(split)
    records = open_release(version, releases_dir).records()
    return _RUNNERS[name](records["train"], records[split])


def to_jsonl(predictions: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions)


# --- the table -----------------------------------------------------------------------------

TABLE_ROWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("ner", ("entities", "f1"), "NER entity F1 (strict, micro)"),
    ("ner", ("entities_conll2003", "f1"), "NER entity F1, CoNLL-2003 types"),
    ("stance", ("stance", "accuracy"), "Stance accuracy"),
    ("stance", ("stance", "macro_f1"), "Stance macro-F1 (zero_division=0)"),
    ("stance", ("stance", "semeval2016_f_avg"), "Stance F_avg (SemEval-2016 official)"),
    ("hedging", ("uncertain", "f1"), "Uncertain-sentence F1 (CoNLL-2010 Task 1)"),
    ("hedging", ("cues", "f1"), "Hedge cue F1 (exact span)"),
)


def _cell(figure: Figure | None) -> str:
    if figure is None:
        return "—"  # the baseline does not predict this layer
    if figure["value"] is None:
        return "n/a"
    if figure["ci95"] is None:
        return f"{figure['value']:.2f}"
    low, high = figure["ci95"]
    return f"{figure['value']:.2f} [{low:.2f}, {high:.2f}]"


def _lookup(metrics: Mapping[str, Any], path: Sequence[str]) -> Figure | None:
    """The figure at ``path``; None when the predictions lack that layer."""
    value: Any = metrics
    for key in path:
        if value.get(key) is None:
            return None
        value = value[key]
    return value


def baseline_table(
    version: str | None = None, split: str = "test", *, releases_dir: Path | None = None
) -> str:
    """A Markdown table of every baseline on ``split`` with 95% bootstrap intervals."""
    schema.require_split(split)
    release = open_release(version, releases_dir)
    resolved = release.version
    records = release.records()
    train, target = records["train"], records[split]
    trained = bool(_annotated(train))
    scored = {config: sum(is_scored(config, r) for r in target) for config in ("ner", "stance")}
    cells: dict[tuple[str, str], str] = {}
    for name, configs in BASELINES.items():
        needs_training = name != "rules"
        predictions = _RUNNERS[name](train, target) if trained or not needs_training else None
        for config, path, label in TABLE_ROWS:
            if config not in configs:
                cells[label, name] = "—"
            elif predictions is None:
                cells[label, name] = "n/a"
            else:
                report = score(config, target, predictions, split=split)
                metrics = report["metrics"]
                cells[label, name] = "n/a" if metrics is None else _cell(_lookup(metrics, path))
    header = (
        f"Baselines on the `{split}` split of sqcorpus {resolved} ({scored['ner']} annotated "
        f"sentences, {scored['stance']} with a stance), trained on `train`. Each cell: value "
        f"[95% CI], percentile bootstrap over sentences ({BOOTSTRAP_RESAMPLES} resamples, seed "
        f"{BOOTSTRAP_SEED}); — the baseline does not predict it; n/a undefined (no gold and "
        "no predicted item). Regenerate with `sqcorpus baseline --table --write-readme`."
    )
    lines = [*textwrap.wrap(header, width=100), "", "| metric | " + " | ".join(BASELINES) + " |"]
    lines.append("|---|" + "---|" * len(BASELINES))
    for _, _, label in TABLE_ROWS:
        lines.append(f"| {label} | " + " | ".join(cells[label, n] for n in BASELINES) + " |")
    if not trained:
        lines += ["", "No annotated sentence in `train`: the trained baselines cannot run."]
    return "\n".join(lines) + "\n"


# --- README block ------------------------------------------------------------------------------


def update_readme(table: str, *, check: bool = False, path: Path | None = None) -> Generated:
    """Put ``table`` between README.md's baseline markers (with ``check``, only compare)."""
    path = path or paths.readme_file()
    part = marker_block(path, README_BEGIN, README_END, "README")
    return sync("baseline --table --write-readme", path, part, table, check=check)
