"""Stage 7, load: a released config as a ``datasets.DatasetDict``, verified against its manifest."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from datasets import Dataset, DatasetDict, DatasetInfo
from datasets.table import InMemoryTable

from .. import schema
from .store import Release, open_release


def load(
    config: str = schema.DEFAULT_CONFIG,
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
) -> DatasetDict:
    """Load a released config; ``version=None`` is the latest. Files are verified first."""
    schema.require_config(config)  # an unknown config fails before any release is read
    return load_release(open_release(version, releases_dir), config)


def load_release(release: Release, config: str) -> DatasetDict:
    """A resolved release's config as a ``DatasetDict`` (ClassLabel names kept)."""
    features = schema.config_features(config)
    info = DatasetInfo(
        description=f"sqcorpus {release.version}, config {config!r}",
        features=features,
        version=release.version,
    )
    splits = {}
    for split, path in release.verified_files(config).items():
        table = pq.read_table(path).cast(features.arrow_schema)
        splits[split] = Dataset(InMemoryTable(table), info=info, split=split)
    return DatasetDict(splits)


def load_records(
    version: str | None = None, *, releases_dir: Path | None = None
) -> dict[str, list[schema.Record]]:
    """Plain rows of the ``sentences`` config per split (labels as class indices)."""
    return open_release(version, releases_dir).records()
