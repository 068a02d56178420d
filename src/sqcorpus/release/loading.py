"""Stage 7, load: a released config as a ``datasets.DatasetDict``, verified against its manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.dataset as pads
from datasets import Dataset, DatasetDict, DatasetInfo, Features
from datasets.table import InMemoryTable

from .. import schema
from ..errors import SqcorpusError
from .store import Release, is_prerelease, open_release

LICENCE_FILTERS: Final = ("open", *sorted(schema.OPEN_LICENSES), "unknown")
"""Values of ``load(licence=...)``: ``open`` keeps every openly licensed text."""


def load(
    config: str = schema.DEFAULT_CONFIG,
    version: str | None = None,
    *,
    licence: str | None = None,
    releases_dir: Path | None = None,
) -> DatasetDict:
    """Load a released config; ``version=None`` is the latest. Files are verified first.

    ``licence="open"`` keeps only records whose text is openly licensed (``text_license`` in
    :data:`~sqcorpus.schema.OPEN_LICENSES`); an SPDX id or ``unknown`` keeps that licence.
    """
    schema.require_config(config)  # an unknown config fails before any release is read
    if licence is not None and licence not in LICENCE_FILTERS:
        shown = ", ".join(LICENCE_FILTERS)
        raise SqcorpusError(f"unknown licence filter {licence!r} (use {shown})", field="licence")
    return load_release(open_release(version, releases_dir), config, licence=licence)


def load_release(release: Release, config: str, *, licence: str | None = None) -> DatasetDict:
    """A resolved release's config as a ``DatasetDict`` (ClassLabel names kept).

    Each release is read with the features it was written with: a 1.x release has no
    provenance fields, and loads as it was published.
    """
    splits = {}
    for split, path in release.verified_files(config).items():
        parquet = pads.dataset(path, format="parquet")
        keep = None
        if licence is not None:
            if "text_license" not in parquet.schema.names:
                raise SqcorpusError(
                    f"release {release.version} has no text_license field (added in 2.0.0)",
                    field="licence",
                )
            wanted = sorted(schema.OPEN_LICENSES) if licence == "open" else [licence]
            keep = pads.field("text_license").isin(wanted)
        # Decoding nested list columns makes many short-lived allocations. In a fresh process
        # Arrow's default jemalloc pool made that erratic and about twice as slow as the
        # system allocator (the 100x corpus of benchmarks/growth.py, timed by hand).
        table = parquet.to_table(filter=keep, memory_pool=pa.system_memory_pool())
        info = DatasetInfo(
            description=f"sqcorpus {release.version}, config {config!r}",
            features=Features.from_arrow_schema(table.schema),
            # datasets' Version holds X.Y.Z only: a pre-release names itself in the description.
            version=None if is_prerelease(release.version) else release.version,
        )
        # The verified file's sha256 (and the filter) is the fingerprint: `datasets` would
        # otherwise hash the whole table, the slowest part of loading a large release.
        fingerprint = hashlib.sha256(
            f"{release.manifest['files'][f'{config}/{split}.parquet']['sha256']}|{licence}".encode()
        ).hexdigest()[:16]
        splits[split] = Dataset(
            InMemoryTable(table), info=info, split=split, fingerprint=fingerprint
        )
    return DatasetDict(splits)


def load_records(
    version: str | None = None, *, releases_dir: Path | None = None
) -> dict[str, list[schema.Record]]:
    """Plain rows of the ``sentences`` config per split (labels as class indices)."""
    return open_release(version, releases_dir).records()
