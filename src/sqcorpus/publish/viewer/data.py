"""Everything the viewer and the datasheet figures show about one release, read once.

This is the I/O side: the release's Parquet rows (checked against the manifest), the
documents' ``corpus/raw`` metadata, and the Label Studio exports for agreement and
adjudication (read by :mod:`sqcorpus.agreement`, the project's one export reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import paths
from ...annotate.agreement import agreement_report, read_codings
from ...errors import SqcorpusError
from ...release.store import Release, open_release
from ...text.corpus import document_metadata
from .adjudication import AdjudicationItem, adjudication_items, default_exports
from .model import DocumentView, document_views

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
"""A document id becomes a file name of the site."""


@dataclass(frozen=True, slots=True)
class ReleaseView:
    version: str
    manifest: dict[str, Any]
    documents: list[DocumentView]
    adjudication: dict[str, list[AdjudicationItem]]
    agreement: dict[str, Any] | None
    exports: list[Path]


def read_release_view(
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
    annotations: list[Path] | None = None,
    raw_dir: Path | None = None,
) -> ReleaseView:
    """Release ``version`` (default: the latest) as the viewer shows it.

    ``annotations``: Label Studio exports for the adjudication view and the agreement plot
    (default: ``annotation/exports/*.json``; ``[]`` for none). Only tasks whose sentence is
    in the release count.
    """
    return release_view(
        open_release(version, releases_dir), annotations=annotations, raw_dir=raw_dir
    )


def release_view(
    release: Release,
    *,
    annotations: list[Path] | None = None,
    raw_dir: Path | None = None,
) -> ReleaseView:
    """A resolved release as the viewer shows it (see :func:`read_release_view`)."""
    records = release.records()
    doc_ids = sorted({row["doc_id"] for rows in records.values() for row in rows})
    for doc_id in doc_ids:
        if not _SAFE_ID.match(doc_id):
            raise SqcorpusError(
                "not usable as a file name", file=release.path, item=doc_id, field="doc_id"
            )
    metadata = dict(zip(doc_ids, document_metadata(doc_ids, raw_dir), strict=True))
    documents = document_views(records, metadata)
    exports = default_exports(paths.exports_dir()) if annotations is None else annotations
    doc_of = {s.id: s.doc_id for d in documents for s in d.sentences}
    tasks = [t for t in read_codings(exports) if t.sid in doc_of]
    return ReleaseView(
        version=release.version,
        manifest=release.manifest,
        documents=documents,
        adjudication=adjudication_items(tasks, doc_of),
        agreement=agreement_report(tasks) if tasks else None,
        exports=list(exports),
    )
