"""Croissant metadata (MLCommons Croissant 1.1 JSON-LD) for a release: ``croissant.json``.

Written once by ``sqcorpus.release.build_release`` into the release being built (through
:func:`write_croissant`); ``sqcorpus croissant`` checks it, or writes a fresh copy elsewhere,
and never rewrites a release's own file (releases are write-once). The JSON-LD is built with
``mlcroissant``'s own node classes, so the ``@context`` and property names are the ones the
reference implementation reads. One ``FileObject`` per Parquet file (with its sha256 from the
manifest), one ``RecordSet`` per config and split, and one enumeration ``RecordSet`` per label
set giving the names of the ClassLabel indices. ``croissant.json`` is not listed in the
manifest (it is derived from it) and is deterministic: same manifest, same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import mlcroissant as mlc
from datasets import ClassLabel, Features, List, Value

from .. import schema
from ..about import (
    ANNOTATIONS_LICENSE_URL,
    AUTHOR,
    HOMEPAGE,
    KEYWORDS,
    LICENSE_URLS,
    NAME,
    SHARE_ALIKE_LICENSE,
    rights_summary,
)
from ..errors import SqcorpusError
from ..files import json_text, write_atomic
from ..generated import Generated, sync, whole_file
from .citation import Citation, render_bibtex
from .store import CROISSANT, config_features_of, open_release, release_date

CONFORMS_TO: Final = "http://mlcommons.org/croissant/1.1"
PARQUET: Final = "application/x-parquet"
# Croissant 1.1 data types of the schema's values (ClassLabel indices are int64 in Arrow).
_DTYPES: Final = {"string": "TEXT", "int32": "INT32", "int64": "INT64"}


def _label_sets(features: Features) -> dict[str, tuple[str, ...]]:
    """Each ClassLabel by the field that holds it (entity labels: "entities")."""
    found: dict[str, tuple[str, ...]] = {}
    for name, feature in features.items():
        inner = feature.feature if isinstance(feature, List) else feature
        if isinstance(inner, ClassLabel):
            found[name] = tuple(inner.names)
        elif isinstance(inner, dict):
            for sub in inner.values():
                if isinstance(sub, ClassLabel):
                    found[name] = tuple(sub.names)
    return found


def _data_type(feature: Any, name: str) -> Any:
    if isinstance(feature, ClassLabel):
        return mlc.DataType.INT64
    if isinstance(feature, Value) and feature.dtype in _DTYPES:
        return getattr(mlc.DataType, _DTYPES[feature.dtype])
    raise SqcorpusError(f"no Croissant data type for {feature!r}", field=name)


def _source(file_id: str, column: str, json_path: str | None = None) -> mlc.Source:
    transforms = [mlc.Transform(json_path=json_path)] if json_path else []
    return mlc.Source(
        file_object=file_id, extract=mlc.Extract(column=column), transforms=transforms
    )


def _label_description(name: str, features: Features) -> str:
    names = _label_sets(features)[name]
    listed = ", ".join(f"{i}={label}" for i, label in enumerate(names))
    return f"Class index (see record set labels/{name}): {listed}."


def _fields(record_set: str, features: Features, file_id: str) -> list[mlc.Field]:
    """One Field per column; a list of spans becomes an array Field with one sub-field a key."""
    fields = []
    for name, feature in features.items():
        field_id = f"{record_set}/{name}"
        inner = feature.feature if isinstance(feature, List) else feature
        array = {"is_array": True, "array_shape": "-1"} if isinstance(feature, List) else {}
        if isinstance(inner, dict):
            sub_fields = [
                mlc.Field(
                    id=f"{field_id}/{key}",
                    name=key,
                    data_types=[_data_type(sub, key)],
                    # Each sub-field reads its key out of every struct of the list.
                    source=_source(file_id, name, json_path=key),
                    **(
                        {"description": _label_description(name, features)}
                        if isinstance(sub, ClassLabel)
                        else {}
                    ),
                )
                for key, sub in inner.items()
            ]
            fields.append(
                mlc.Field(
                    id=field_id,
                    name=name,
                    sub_fields=sub_fields,
                    source=_source(file_id, name),
                    **array,
                )
            )
            continue
        fields.append(
            mlc.Field(
                id=field_id,
                name=name,
                data_types=[_data_type(inner, name)],
                source=_source(file_id, name),
                **(
                    {"description": _label_description(name, features)}
                    if isinstance(inner, ClassLabel)
                    else {}
                ),
                **array,
            )
        )
    return fields


def _label_record_sets(features: Features) -> list[mlc.RecordSet]:
    """Enumerations of the class names, with the data inline."""
    record_sets = []
    for name, names in _label_sets(features).items():
        rs_id = f"labels/{name}"
        record_sets.append(
            mlc.RecordSet(
                id=rs_id,
                name=rs_id,
                description=f"Names of the class indices of the field {name!r}.",
                key=f"{rs_id}/index",
                fields=[
                    mlc.Field(id=f"{rs_id}/index", name="index", data_types=[mlc.DataType.INT64]),
                    mlc.Field(id=f"{rs_id}/name", name="name", data_types=[mlc.DataType.TEXT]),
                ],
                data=[
                    {f"{rs_id}/index": i, f"{rs_id}/name": label} for i, label in enumerate(names)
                ],
            )
        )
    return record_sets


def release_features(release_dir: Path) -> dict[str, Features]:
    """Each config's features as written in the release's Parquet files."""
    return {config: config_features_of(release_dir, config) for config in schema.CONFIGS}


def croissant_metadata(
    manifest: dict[str, Any],
    features: dict[str, Features],
    *,
    changelog: Path | None = None,
) -> dict[str, Any]:
    """The Croissant JSON-LD of the release described by ``manifest``, written with
    ``features`` (config → Features, as in its Parquet files)."""
    version = manifest["version"]
    released = release_date(version, changelog)
    distribution = []
    record_sets = []
    for config in schema.CONFIGS:
        for split in schema.SPLITS:
            file_id = f"{config}/{split}.parquet"
            entry = manifest["files"].get(file_id)
            if entry is None:
                raise SqcorpusError(
                    "file is not listed in the manifest", item=file_id, field="files"
                )
            distribution.append(
                mlc.FileObject(
                    id=file_id,
                    name=file_id,
                    content_url=file_id,
                    content_size=f"{entry['num_bytes']} B",
                    encoding_formats=[PARQUET],
                    sha256=entry["sha256"],
                )
            )
            record_set = f"{config}/{split}"
            record_sets.append(
                mlc.RecordSet(
                    id=record_set,
                    name=record_set,
                    description=f"The {split} split of the {config!r} config.",
                    key=f"{record_set}/id",
                    fields=_fields(record_set, features[config], file_id),
                )
            )
    sources = manifest.get("counts", {}).get("sources", {})
    translated = isinstance(sources, dict) and "ntrex-128" in sources
    # Croissant lists a dataset's licences; the description says which part each covers.
    licenses = (
        [LICENSE_URLS[SHARE_ALIKE_LICENSE], ANNOTATIONS_LICENSE_URL]
        if translated
        else [ANNOTATIONS_LICENSE_URL]
    )
    metadata = mlc.Metadata(
        name=NAME,
        description=(
            "An annotated Albanian (sq) news corpus: named entities, stance and hedging. "
            f"{manifest.get('description', '')} {rights_summary(sources)}"
        ).strip(),
        conforms_to=CONFORMS_TO,
        version=version,
        date_published=released.isoformat() if released else None,
        creators=[mlc.Organization(name=AUTHOR)],
        license=licenses,
        keywords=list(KEYWORDS),
        in_language=["sq", "en"] if translated else ["sq"],
        url=HOMEPAGE,
        cite_as=render_bibtex(Citation(version, released)) if released else None,
        distribution=distribution,
        record_sets=[*_label_record_sets(features[schema.DEFAULT_CONFIG]), *record_sets],
    )
    errors = metadata.issues.errors
    if errors:
        raise SqcorpusError("invalid Croissant metadata: " + "; ".join(sorted(errors)))
    return metadata.to_json()


def render(release_dir: Path, manifest: dict[str, Any], *, changelog: Path | None = None) -> str:
    features = release_features(Path(release_dir))
    return json_text(croissant_metadata(manifest, features, changelog=changelog))


def write_croissant(
    release_dir: Path,
    manifest: dict[str, Any],
    *,
    changelog: Path | None = None,
    staging: bool = False,
) -> Path:
    """Write ``croissant.json`` into ``release_dir``: the build's staging folder (``staging``),
    or a folder of one's own; never a published release."""
    path = Path(release_dir) / CROISSANT
    write_atomic(path, render(release_dir, manifest, changelog=changelog), staging=staging)
    return path


def update_croissant(
    version: str | None = None,
    *,
    check: bool = False,
    releases_dir: Path | None = None,
    changelog: Path | None = None,
    out: Path | None = None,
) -> Generated:
    """Compare a release's ``croissant.json`` with what it should be (``check``), or write what
    it should be to ``out``. A release is write-once: its own croissant.json is written by the
    build and never rewritten, so regenerating it in place is refused."""
    release = open_release(version, releases_dir)
    path = release.path / CROISSANT
    expected = render(release.path, release.manifest, changelog=changelog)
    if out is not None:
        return sync("croissant --out", out, whole_file(out), expected, check=check)
    result = sync(
        "croissant", path, whole_file(path), expected, check=True, version=release.version
    )
    if result.changed and not check:
        raise SqcorpusError(
            f"{result.difference}; releases are write-once, so croissant.json is not rewritten "
            "(write it elsewhere with --out, or build a new version)",
            file=path,
        )
    return result
