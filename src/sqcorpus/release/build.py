"""Stage 6, release: versioned, immutable, byte-reproducible Parquet splits with a manifest.

``corpus/releases/<version>/<config>/<split>.parquet`` plus ``manifest.json``. A release is
written into a temporary folder and renamed into place only when complete and valid; a
version that already exists is never overwritten (an identical rebuild is a no-op, a
different one is refused).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths, schema
from ..annotate.convert import TaskAnnotations, read_annotations, to_record
from ..annotate.targets import read_stance_targets
from ..annotate.tasks import export_files
from ..errors import SqcorpusError
from ..files import STAGING_PREFIX, json_text, read_json, refuse_inside_release, write_atomic
from ..text.corpus import CorpusSentence, corpus_sentences, read_corpus
from .counts import count_records
from .croissant import write_croissant
from .splits import read_split_file
from .store import MANIFEST, is_prerelease, list_versions, read_manifest, sha256_file, version_key
from .validate import validate_records

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


def _write_parquet(rows: Sequence[Mapping[str, Any]], config: str, path: Path) -> dict[str, Any]:
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
    # A releases folder may be the project's or one of one's own, never a folder in a release.
    refuse_inside_release(releases)
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
        own = json_text(dict(sorted(assignment.items())))
        split_input = hashlib.sha256(own.encode()).hexdigest()
    unassigned = [s.id for s in sentences if assignment.get(s.id) not in schema.SPLITS]
    if unassigned:
        raise SqcorpusError("sentence has no split", item=unassigned[0], field="assignment")

    # The raw folder is listed once (a glob per document made the build quadratic): a
    # document's files are the ones whose name, up to its first dot, is its doc_id.
    doc_ids = {doc.doc_id for doc in documents}
    inputs = {
        _relative(p): sha256_file(p)
        for p in sorted((raw_dir or paths.raw_dir()).iterdir())
        if p.is_file() and p.name.split(".", 1)[0] in doc_ids
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
        "counts": count_records(records, assignment),
        "annotation": _annotation_info(tasks),
    }

    target = releases / version
    with build_lock(releases):
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{version}-", dir=releases))
        try:
            for config in schema.CONFIGS:
                for split in schema.SPLITS:
                    rows = sorted(
                        (r for r in records if assignment[r["id"]] == split),
                        key=lambda r: r["id"],
                    )
                    name = f"{config}/{split}.parquet"
                    manifest["files"][name] = _write_parquet(rows, config, staging / name)
            write_atomic(staging / MANIFEST, json_text(manifest), staging=True)
            # Croissant metadata is derived from the manifest and not listed in it.
            write_croissant(staging, manifest, staging=True)
            status = _install(staging, target)
        except OSError as err:
            raise SqcorpusError(f"cannot write the release: {err}", file=target) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildSummary(
        version=version, path=target, status=status, manifest=read_manifest(version, releases)
    )


LOCK_FILE = ".build.lock"
"""In the releases folder (git-ignored): held by the build that is writing there."""


@contextmanager
def build_lock(releases: Path) -> Iterator[None]:
    """Hold the releases folder's build lock, or refuse at once if another build holds it.

    While it is held no other build can be writing, so hidden staging folders left by a
    killed build (``kill -9`` runs no cleanup) are stale, and are removed first.
    """
    try:
        releases.mkdir(parents=True, exist_ok=True)
        handle = os.open(releases / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise SqcorpusError(f"cannot write the release: {err.strerror}", file=releases) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SqcorpusError(
                "another build is writing this releases folder; try again when it is done",
                file=releases / LOCK_FILE,
            ) from None
        for stale in releases.iterdir():
            if stale.name.startswith(STAGING_PREFIX) and stale.is_dir() and "-" in stale.name:
                shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _document_assignment(sentences: Sequence[CorpusSentence], split_file: Path) -> dict[str, str]:
    """Each sentence's split: its document's, from the frozen split file."""
    frozen = read_split_file(split_file)
    unassigned = sorted({s.doc_id for s in sentences} - set(frozen.documents))
    if unassigned:
        raise SqcorpusError(
            f"{len(unassigned)} document(s) have no split: run `sqcorpus splits`",
            file=split_file,
            item=unassigned[0],
            field="documents",
        )
    return {s.id: frozen.documents[s.doc_id] for s in sentences}


def _install(staging: Path, target: Path) -> str:
    """Move a complete release into place; an existing version must be identical."""
    if target.exists():
        old = read_manifest(target.name, target.parent)
        new = read_json(staging / MANIFEST, what="manifest")
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
