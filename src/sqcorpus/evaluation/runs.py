"""One baseline run: its predictions and every resource it was built from, so that a test
(and a reader) can check that nothing it learnt or was written from lies in the scored split.

* ``trained_on``: ids of the sentences whose gold labels a model learnt from (``train``);
* ``tuned_on``: ids whose gold labels chose hyper-parameters (``validation``);
* ``lexicon_documents``: documents hand-written resources were written from;
* ``excluded_documents``: documents of the scored split left out of scoring, because a
  resource was written from them (the rule pre-annotator on the seed article).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .. import schema
from ..annotate.provenance import RULES_2, load_lexicon
from ..errors import SqcorpusError
from . import baselines

Record = Mapping[str, Any]

RULES_LEXICON_DOCUMENTS: Final = load_lexicon(RULES_2).documents()
"""Documents the frozen rule pre-annotator's lexicon entries were written from (each entry's
provenance, :mod:`sqcorpus.annotate.provenance`): the seed article. Their sentences are left
out when the ``rules`` baseline is scored."""


@dataclass(frozen=True)
class BaselineRun:
    name: str
    configs: tuple[str, ...]
    predictions: list[dict[str, Any]]
    scored: list[Record]
    """The records of the split that the predictions are scored on."""
    trained_on: frozenset[str] = frozenset()
    tuned_on: frozenset[str] = frozenset()
    lexicon_documents: frozenset[str] = frozenset()
    excluded_documents: frozenset[str] = frozenset()
    details: Mapping[str, Any] | None = None


def _annotated_ids(records: Sequence[Record], fields: Sequence[str]) -> frozenset[str]:
    return frozenset(r["id"] for r in records if any(r[f] != schema.MISSING_LABEL for f in fields))


def run_baseline(
    name: str,
    records: Mapping[str, Sequence[Record]],
    split: str = "test",
    *,
    lexicon_documents: frozenset[str] = RULES_LEXICON_DOCUMENTS,
) -> BaselineRun:
    """Run baseline ``name`` on ``split`` of a release's records (``{split: records}``)."""
    if name not in baselines.BASELINES:
        known = ", ".join(baselines.BASELINES)
        raise SqcorpusError(f"unknown baseline {name!r}; expected one of {known}", field="baseline")
    schema.require_split(split)
    train, target = records["train"], list(records[split])
    configs = baselines.BASELINES[name]
    if name == "rules":
        # Score only documents none of the lexicon entries was written from.
        excluded = frozenset(r["doc_id"] for r in target) & lexicon_documents
        kept = [r for r in target if r["doc_id"] not in excluded]
        return BaselineRun(
            name,
            configs,
            baselines.rules(train, kept),
            kept,
            lexicon_documents=lexicon_documents,
            excluded_documents=excluded,
        )
    if name == "linear":
        from .linear import linear

        predictions, models = linear(train, records["validation"], target)
        return BaselineRun(
            name,
            configs,
            predictions,
            target,
            trained_on=frozenset().union(*(m.trained_on for m in models.values())),
            tuned_on=frozenset().union(*(m.tuned_on for m in models.values())),
            details={
                f: {"params": m.params, "validation": m.validation_score} for f, m in models.items()
            },
        )
    fields = ("stance", "stance_holder", "uncertain") if name == "majority" else ("uncertain",)
    predictions = baselines.run(name, train, target)
    return BaselineRun(name, configs, predictions, target, trained_on=_annotated_ids(train, fields))
