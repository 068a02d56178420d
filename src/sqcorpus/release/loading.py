"""Stage 7, load: a released config as a ``datasets.DatasetDict``, verified against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import Dataset, DatasetDict, DatasetInfo, Features
from datasets.table import InMemoryTable

from .. import paths, schema
from ..errors import SqcorpusError
from .build import is_prerelease, list_versions, read_manifest, sha256_file


def resolve_version(version: str | None, releases_dir: Path | None = None) -> str:
    """``version`` itself if released, or the latest release for ``None``."""
    root = releases_dir or paths.releases_dir()
    versions = list_versions(root)
    if not versions:
        raise SqcorpusError("no release found", file=root)
    if version is None:
        return versions[-1]
    if version not in versions:
        raise SqcorpusError(
            f"release {version} not found (available: {', '.join(versions)})", file=root
        )
    return version


def verified_files(
    config: str, version: str | None = None, *, releases_dir: Path | None = None
) -> dict[str, Path]:
    """``{split: parquet path}`` of a config, each file's sha256 checked against the manifest."""
    schema.config_features(config)  # unknown config -> clear error
    root = releases_dir or paths.releases_dir()
    version = resolve_version(version, root)
    manifest = read_manifest(version, root)
    files = {}
    for split in schema.SPLITS:
        name = f"{config}/{split}.parquet"
        path = root / version / name
        expected = manifest["files"].get(name, {}).get("sha256")
        if expected is None:
            raise SqcorpusError("file is not listed in the manifest", file=path)
        if not path.is_file():
            raise SqcorpusError("release file is missing", file=path)
        if sha256_file(path) != expected:
            raise SqcorpusError(
                "sha256 does not match the manifest: the file is corrupted or was edited",
                file=path,
                field="sha256",
            )
        files[split] = path
    return files


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

    Each release is read with the features it was written with (a 1.x release has no
    provenance fields). ``licence="open"`` keeps only records whose text is openly licensed
    (``text_license`` in :data:`~sqcorpus.schema.OPEN_LICENSES`); an SPDX id keeps that licence.
    """
    try:
        schema.config_features(config)
    except ValueError as err:
        raise SqcorpusError(str(err), field="config") from None
    if licence is not None and licence not in LICENCE_FILTERS:
        shown = ", ".join(LICENCE_FILTERS)
        raise SqcorpusError(f"unknown licence filter {licence!r} (use {shown})", field="licence")
    root = releases_dir or paths.releases_dir()
    resolved = resolve_version(version, root)
    splits = {}
    for split, path in verified_files(config, resolved, releases_dir=root).items():
        table = pq.read_table(path)
        features = Features.from_arrow_schema(table.schema)
        if licence is not None:
            if "text_license" not in table.column_names:
                raise SqcorpusError(
                    f"release {resolved} has no text_license field (schema 2.0.0 added it)",
                    field="licence",
                )
            wanted = schema.OPEN_LICENSES if licence == "open" else {licence}
            table = table.filter(pc.is_in(table["text_license"], pa.array(sorted(wanted))))
        info = DatasetInfo(
            description=f"sqcorpus {resolved}, config {config!r}",
            features=features,
            # datasets' Version holds X.Y.Z only: a pre-release names itself in the description.
            version=None if is_prerelease(resolved) else resolved,
        )
        splits[split] = Dataset(InMemoryTable(table), info=info, split=split)
    return DatasetDict(splits)


def load_records(
    version: str | None = None, *, releases_dir: Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Plain rows of the ``sentences`` config per split (labels as class indices)."""
    return {
        split: pq.read_table(path).to_pylist()
        for split, path in verified_files(
            schema.DEFAULT_CONFIG, version, releases_dir=releases_dir
        ).items()
    }
