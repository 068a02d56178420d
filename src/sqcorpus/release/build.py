"""Stage 6, release: versioned, immutable, byte-reproducible Parquet splits with a manifest.

``corpus/releases/<version>/<config>/<split>.parquet`` plus ``manifest.json``. A release is
written into a temporary folder and renamed into place only when complete and valid; a
version that already exists is never overwritten (an identical rebuild is a no-op, a
different one is refused).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths, schema
from ..annotate.convert import TaskAnnotations, export_files, read_annotations, to_record
from ..annotate.targets import read_stance_targets
from ..errors import SqcorpusError
from ..text.corpus import CorpusSentence, corpus_sentences, read_corpus
from .croissant import write_croissant
from .splits import read_split_file
from .validate import validate_records

VERSION_PATTERN = re.compile(r"(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(?:-rc\.([1-9]\d{0,3}))?")
"""``X.Y.Z`` or the pre-release ``X.Y.Z-rc.N`` (semantic versioning), always matched whole."""
MANIFEST = "manifest.json"
# Fixed writer settings: with pyarrow pinned, the same rows give the same bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "row_group_size": 10_000,
    "write_statistics": True,
    "use_dictionary": True,
}


@dataclass(frozen=True, slots=True)
class BuildSummary:
    version: str
    path: Path
    status: str  # "written" or "unchanged"
    manifest: dict[str, Any]


def version_key(version: str) -> tuple[int, int, int, int, int]:
    """Semantic-version order: ``2.0.0-rc.1`` < ``2.0.0-rc.2`` < ``2.0.0``."""
    match = VERSION_PATTERN.fullmatch(version) if isinstance(version, str) else None
    if not match:
        shown = repr(version)[:40]
        raise SqcorpusError(f"not a version X.Y.Z or X.Y.Z-rc.N: {shown}", field="version")
    major, minor, patch = (int(part) for part in match.groups()[:3])
    candidate = match.group(4)
    return (major, minor, patch, 0, int(candidate)) if candidate else (major, minor, patch, 1, 0)


def is_prerelease(version: str) -> bool:
    """A pre-release (``0.x`` or ``X.Y.Z-rc.N``) may leave sentences unannotated."""
    key = version_key(version)
    return key[0] == 0 or key[3] == 0


def list_versions(releases_dir: Path | None = None) -> list[str]:
    """Released versions in semantic-version order (folders holding a manifest)."""
    root = releases_dir or paths.releases_dir()
    if not root.is_dir():
        return []
    found = [
        p.name
        for p in root.iterdir()
        if VERSION_PATTERN.fullmatch(p.name) and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=version_key)


def read_manifest(version: str, releases_dir: Path | None = None) -> dict[str, Any]:
    path = (releases_dir or paths.releases_dir()) / version / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SqcorpusError(f"release {version} does not exist", file=path.parent) from None
    except (OSError, json.JSONDecodeError) as err:
        raise SqcorpusError(f"cannot read manifest: {err}", file=path) from None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_sha256(table: pa.Table) -> str:
    """Hash of the rows independent of the Parquet writer: the Arrow IPC stream, no metadata."""
    sink = io.BytesIO()
    plain = table.replace_schema_metadata(None)
    with pa.ipc.new_stream(sink, plain.schema) as writer:
        writer.write_table(plain)
    return hashlib.sha256(sink.getvalue()).hexdigest()


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.project_root()).as_posix()
    except ValueError:
        return path.name


def _counts(records: Sequence[Mapping[str, Any]], splits: Mapping[str, str]) -> dict[str, Any]:
    entities = Counter(schema.ENTITY_LABELS[e["label"]] for r in records for e in r["entities"])

    def labelled(field: str, names: tuple[str, ...]) -> dict[str, int]:
        counter = Counter(r[field] for r in records if r[field] != schema.MISSING_LABEL)
        return {name: counter[i] for i, name in enumerate(names)}

    def per(field: str) -> dict[str, int]:
        return dict(sorted(Counter(str(r[field]) for r in records).items()))

    return {
        "documents": len({r["doc_id"] for r in records}),
        "sentences": len(records),
        "sources": per("source"),
        "text_licenses": per("text_license"),
        "tokens": sum(len(r["tokens"]) for r in records),
        "splits": {
            split: sum(1 for r in records if splits[r["id"]] == split) for split in schema.SPLITS
        },
        "entities": {label: entities[label] for label in schema.ENTITY_LABELS},
        "stance": labelled("stance", schema.STANCE_LABELS),
        "stance_holder": labelled("stance_holder", schema.HOLDER_LABELS),
        "uncertain": labelled("uncertain", schema.UNCERTAINTY_LABELS),
        "hedge_cues": sum(len(r["hedge_cues"]) for r in records),
        "hedge_scopes": sum(len(r["hedge_scopes"]) for r in records),
    }


def _annotation_info(tasks: Mapping[str, TaskAnnotations]) -> dict[str, Any]:
    gold = [t for t in tasks.values() if t.gold is not None]
    versions = sorted({t.guidelines_version for t in gold if t.guidelines_version})
    dates = sorted(t.annotated_at[:10] for t in gold if t.annotated_at)
    return {
        "guidelines_version": versions[-1] if len(versions) == 1 else (versions or None),
        "annotators": sorted({a.annotator for t in gold for a in t.annotations if a.annotator}),
        "annotated_sentences": len(gold),
        "annotation_dates": [dates[0], dates[-1]] if dates else None,
    }


def _write_parquet(rows: list[dict[str, Any]], config: str, path: Path) -> dict[str, Any]:
    features = schema.config_features(config)
    table = pa.Table.from_pylist(
        [{name: row[name] for name in features} for row in rows], schema=features.arrow_schema
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)
    return {
        "sha256": sha256_file(path),
        "num_rows": table.num_rows,
        "num_bytes": path.stat().st_size,
        "content_sha256": content_sha256(table),
    }


def _package_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in ("sqcorpus", "pyarrow", "datasets")}


def build_release(
    version: str | None,
    *,
    annotations: Path | None = None,
    out: Path | None = None,
    raw_dir: Path | None = None,
    splits_path: Path | None = None,
    assignment: Mapping[str, str] | None = None,
) -> BuildSummary:
    """Build release ``version`` from the raw store and Label Studio exports.

    ``version=None`` rebuilds the latest release and checks it is unchanged (the main job's
    reproducibility check). A release needs every sentence annotated; a pre-release
    (``X.Y.Z-rc.N``, or any ``0.x``) leaves the layers of unannotated ones empty and their
    labels -1. The split of each document is read from the frozen split file, which the build
    never writes (``sqcorpus add`` assigns new documents). ``assignment`` (sentence id →
    split) replaces the split file, for a build with splits of one's own.
    """
    releases = out or paths.build_dir()
    if version is None:
        versions = list_versions(releases)
        if not versions:
            raise SqcorpusError("no release exists yet: give --version X.Y.Z", file=releases)
        version = versions[-1]
    version_key(version)
    documents = read_corpus(raw_dir)
    sentences = corpus_sentences(documents)
    by_id = {s.id: s for s in sentences}
    export_dir = annotations if annotations is not None else paths.exports_dir()
    files = export_files(export_dir) if annotations is not None or export_dir.is_dir() else []
    tasks = read_annotations(files, by_id)
    targets_file = paths.stance_targets_file()
    targets = read_stance_targets(targets_file)
    records = [
        to_record(s, tasks[s.id].gold if s.id in tasks else None, targets.get(s.doc_id))
        for s in sentences
    ]
    validate_records(records, source="build")
    annotated = sum(1 for s in sentences if s.id in tasks and tasks[s.id].gold is not None)
    if not is_prerelease(version) and annotated < len(sentences):
        missing = next(s.id for s in sentences if s.id not in tasks or tasks[s.id].gold is None)
        raise SqcorpusError(
            f"release {version} needs every sentence annotated; {annotated}/{len(sentences)} are"
            f" (build a pre-release such as {version}-rc.1)",
            item=missing,
            field="annotations",
        )

    split_file = splits_path or paths.splits_file()
    if assignment is None:
        assignment = _document_assignment(sentences, split_file)
        split_input = sha256_file(split_file)
    else:
        split_input = hashlib.sha256(json.dumps(dict(sorted(assignment.items()))).encode()).hexdigest()
    unassigned = [s.id for s in sentences if assignment.get(s.id) not in schema.SPLITS]
    if unassigned:
        raise SqcorpusError("sentence has no split", item=unassigned[0], field="assignment")

    inputs = {
        _relative(p): sha256_file(p)
        for doc in documents
        for p in sorted((raw_dir or paths.raw_dir()).glob(f"{doc.doc_id}.*"))
    }
    inputs.update({_relative(p): sha256_file(p) for p in files})
    inputs[_relative(split_file)] = split_input
    if targets_file.is_file():
        inputs[_relative(targets_file)] = sha256_file(targets_file)
    manifest: dict[str, Any] = {
        "name": "sqcorpus",
        "version": version,
        "schema_version": schema.SCHEMA_VERSION,
        "annotated": annotated == len(sentences),
        "description": (
            "Gold annotation of every sentence."
            if annotated == len(sentences)
            else f"Pre-release: {annotated} of {len(sentences)} sentences annotated; the "
            "annotation layers of the others are empty and their labels -1 (missing)."
        ),
        "created_with": _package_versions(),
        "inputs": dict(sorted(inputs.items())),
        "files": {},
        "counts": _counts(records, assignment),
        "annotation": _annotation_info(tasks),
    }

    releases.mkdir(parents=True, exist_ok=True)
    target = releases / version
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=releases))
    try:
        for config in schema.CONFIGS:
            for split in schema.SPLITS:
                rows = sorted(
                    (r for r in records if assignment[r["id"]] == split), key=lambda r: r["id"]
                )
                name = f"{config}/{split}.parquet"
                manifest["files"][name] = _write_parquet(rows, config, staging / name)
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        # Croissant metadata is derived from the manifest and not listed in it.
        write_croissant(staging, manifest)
        status = _install(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildSummary(
        version=version, path=target, status=status, manifest=read_manifest(version, releases)
    )


def _document_assignment(sentences: Sequence[CorpusSentence], split_file: Path) -> dict[str, str]:
    """Each sentence's split: its document's, from the frozen split file."""
    frozen = read_split_file(split_file)
    unassigned = sorted({s.doc_id for s in sentences} - set(frozen.documents))
    if unassigned:
        raise SqcorpusError(
            f"{len(unassigned)} document(s) have no split: run `sqcorpus splits --assign`",
            file=split_file,
            item=unassigned[0],
            field="documents",
        )
    return {s.id: frozen.documents[s.doc_id] for s in sentences}


def _install(staging: Path, target: Path) -> str:
    """Move a complete release into place; an existing version must be identical."""
    if target.exists():
        old = read_manifest(target.name, target.parent)
        new = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        differing = sorted(
            name
            for name in set(old.get("files", {})) | set(new["files"])
            if old.get("files", {}).get(name, {}).get("sha256")
            != new["files"].get(name, {}).get("sha256")
        )
        if differing or old.get("counts") != new["counts"]:
            raise SqcorpusError(
                f"release {target.name} already exists with different content "
                f"({', '.join(differing) or 'counts'}); released versions are immutable: "
                "build a new version",
                file=target,
            )
        return "unchanged"
    os.replace(staging, target)
    return "written"


def format_summary(summary: BuildSummary) -> str:
    """A short table of what a release holds."""
    counts = summary.manifest["counts"]
    rows: list[tuple[str, str]] = [
        ("release", f"{summary.version} ({summary.status})"),
        ("path", str(summary.path)),
        ("documents", str(counts["documents"])),
        ("sentences", str(counts["sentences"])),
        ("tokens", str(counts["tokens"])),
        ("splits", ", ".join(f"{k} {v}" for k, v in counts["splits"].items())),
        ("entities", ", ".join(f"{k} {v}" for k, v in counts["entities"].items() if v) or "none"),
        ("stance", ", ".join(f"{k} {v}" for k, v in counts["stance"].items())),
        ("holder", ", ".join(f"{k} {v}" for k, v in counts["stance_holder"].items())),
        ("uncertain", ", ".join(f"{k} {v}" for k, v in counts["uncertain"].items())),
        ("hedge cues / scopes", f"{counts['hedge_cues']} / {counts['hedge_scopes']}"),
        ("annotated", f"{summary.manifest['annotation']['annotated_sentences']} sentences"),
    ]
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in rows)
