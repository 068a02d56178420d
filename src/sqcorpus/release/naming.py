"""Release rows with their labels as names, the form every text export writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import schema


def named_record(record: Mapping[str, Any], columns: Iterable[str] | None = None) -> dict[str, Any]:
    """A release row with labels as names (``None`` for a missing sentence-level label)."""
    out: dict[str, Any] = {}
    for name in columns if columns is not None else record:
        value = record[name]
        if name in ("ner_tags", "hedge_tags"):
            value = schema.label_names(name, value)
        elif name == "entities":
            value = [{**e, "label": schema.label_name(name, e["label"])} for e in value]
        elif name in schema.SENTENCE_LABELS:
            value = schema.label_name(name, value)
        elif name in ("hedge_cues", "hedge_scopes"):
            value = [dict(span) for span in value]
        out[name] = value
    return out
