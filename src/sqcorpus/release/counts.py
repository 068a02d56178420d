"""The one count of a release, shared by the manifest (``counts``) and the datasheet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .. import schema


def count_records(
    records: Sequence[schema.Record], assignment: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Documents, sentences, tokens, (splits,) labels and hedges of ``records``.

    Sentence-level labels count annotated sentences only (a missing label is ``-1``). The key
    order is the manifest's: changing it changes every release's bytes.
    """
    entities = Counter(e["label"] for r in records for e in r["entities"])

    def labelled(field: str) -> dict[str, int]:
        counter = Counter(r[field] for r in records)  # type: ignore[literal-required]
        return {name: counter[i] for i, name in enumerate(schema.SENTENCE_LABELS[field])}

    counts: dict[str, Any] = {
        "documents": len({r["doc_id"] for r in records}),
        "sentences": len(records),
        "tokens": sum(len(r["tokens"]) for r in records),
    }
    if records and "source" in records[0]:  # schema 2.0.0: provenance per record
        for field, key in (("source", "sources"), ("text_license", "text_licenses")):
            counter = Counter(str(r[field]) for r in records)  # type: ignore[literal-required]
            counts[key] = dict(sorted(counter.items()))
    if assignment is not None:
        counts["splits"] = {
            split: sum(1 for r in records if assignment[r["id"]] == split)
            for split in schema.SPLITS
        }
    counts.update(
        {
            "entities": {
                label: entities[schema.label_index("entities", label)]
                for label in schema.ENTITY_LABELS
            },
            **{field: labelled(field) for field in schema.SENTENCE_LABELS},
            "hedge_cues": sum(len(r["hedge_cues"]) for r in records),
            "hedge_scopes": sum(len(r["hedge_scopes"]) for r in records),
        }
    )
    return counts
