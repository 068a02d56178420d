"""The parallel side of a release: Albanian records next to their English originals.

NTREX-128 records carry the English sentence they were translated from (``text_en``). This
export writes those records as JSON Lines, the Albanian text, tokens and labels of a config
beside the English text, for annotation projection and cross-lingual evaluation. English is
not tokenized or annotated here: every label is the Albanian annotation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import schema
from .naming import named_record

IDENTITY: tuple[str, ...] = ("id", "doc_id", "source", "outlet", "text_license", "text", "text_en")
"""The first fields of every parallel line, in this order; the config's labels follow."""


def parallel_columns(config: str) -> tuple[str, ...]:
    """The fields of a parallel line for ``config``: identity, then the config's own columns."""
    columns = schema.CONFIGS[schema.require_config(config)]
    return IDENTITY + tuple(c for c in columns if c not in IDENTITY)


def has_english(record: Mapping[str, Any]) -> bool:
    return bool(record.get("text_en"))


def to_parallel(records: Iterable[Mapping[str, Any]], config: str = "sentences") -> str:
    """JSON Lines of the records that have an English original, in document order, labels as
    names; records without ``text_en`` are left out (count them with :func:`without_english`)."""
    columns = parallel_columns(config)
    kept = sorted(
        (r for r in records if has_english(r)), key=lambda r: (r["doc_id"], r["sentence_index"])
    )
    return "".join(json.dumps(named_record(r, columns), ensure_ascii=False) + "\n" for r in kept)


def without_english(records: Sequence[Mapping[str, Any]]) -> int:
    """How many records the parallel export leaves out (no English original)."""
    return sum(not has_english(r) for r in records)
