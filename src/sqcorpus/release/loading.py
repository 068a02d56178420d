"""Stage 7, load: a released config as a ``datasets.DatasetDict``, verified against its manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
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
        table = pq.read_table(path)
        if licence is not None:
            if "text_license" not in table.column_names:
                raise SqcorpusError(
                    f"release {release.version} has no text_license field (added in 2.0.0)",
                    field="licence",
                )
            wanted = sorted(schema.OPEN_LICENSES) if licence == "open" else [licence]
            table = table.filter(pc.is_in(table["text_license"], pa.array(wanted)))
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
