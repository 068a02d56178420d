"""Outside sources the raw store can add documents from, each read by an adapter.

An adapter turns a source folder into checked :class:`~sqcorpus.text.corpus.NewDocument`
values; :func:`add_source` hands them to the raw store, which writes all or nothing and never
changes a document already there, so adding a source twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from ..errors import SqcorpusError
from .corpus import AddSummary, NewDocument, add_documents
from .ntrex import read_ntrex

ADAPTERS: Final[dict[str, Callable[[Path], list[NewDocument]]]] = {"ntrex": read_ntrex}


def add_source(source: str, folder: Path, raw_dir: Path | None = None) -> AddSummary:
    """Add every document of ``folder``, read by the adapter named ``source``."""
    try:
        adapter = ADAPTERS[source]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise SqcorpusError(f"unknown source {source!r} (known: {known})", field="source") from None
    return add_documents(adapter(folder), raw_dir)
