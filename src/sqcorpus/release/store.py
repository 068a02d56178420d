"""The release store, read side: versions, manifests, hashes, and a resolved :class:`Release`.

This module sits at the bottom of everything that reads releases (loading, evaluation,
publication, diff, export), so none of them needs the builder. A public entry point resolves
the version once with :func:`open_release` (which reads the manifest once) and passes the
``Release`` down.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import pyarrow.parquet as pq
from datasets import Features

from .. import paths, schema
from ..errors import SqcorpusError
from ..files import read_json

VERSION_PATTERN: Final = re.compile(
    r"(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})(?:-rc\.([1-9][0-9]{0,3}))?"
)
"""``X.Y.Z`` or the pre-release ``X.Y.Z-rc.N`` (semantic versioning), always matched whole,
ASCII digits only (``\\d`` would take other scripts' digits into a folder name)."""
MANIFEST: Final = "manifest.json"
CROISSANT: Final = "croissant.json"
"""Derived from the manifest (so not listed in it), but part of every release folder."""
CHANGELOG_HEADING: Final = re.compile(
    r"^## \[(?P<version>\d+\.\d+\.\d+(?:-rc\.\d+)?)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M
)


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
    """Released versions in semantic-version order: every folder named like a version.

    A version folder without a manifest is listed too (it is a broken release, and reading it
    says so), so that deleting a manifest never makes another release the latest silently.
    """
    root = releases_dir or paths.releases_dir()
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if VERSION_PATTERN.fullmatch(p.name) and p.is_dir()]
    return sorted(found, key=version_key)


_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def check_manifest(manifest: Any, *, file: Path) -> dict[str, Any]:
    """``manifest`` if it has the shape every reader relies on; else one error naming the field.

    Checked once here, so no command meets a manifest of the wrong shape half-way through.
    """
    if not isinstance(manifest, dict):
        raise SqcorpusError("a manifest is a JSON object", file=file)
    version = manifest.get("version")
    if not isinstance(version, str) or version != file.parent.name:
        raise SqcorpusError(
            f"version must be the folder's name {file.parent.name!r}", file=file, field="version"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise SqcorpusError("must be a non-empty object of files", file=file, field="files")
    for name, entry in files.items():
        field = f"files.{name}"
        parts = Path(name).parts
        if name != Path(name).as_posix() or ".." in parts or Path(name).is_absolute():
            raise SqcorpusError("a file name must be a relative path", file=file, field=field)
        if not isinstance(entry, dict) or not _SHA256.fullmatch(str(entry.get("sha256"))):
            raise SqcorpusError("needs a sha256 of 64 hex digits", file=file, field=field)
        for key in ("num_rows", "num_bytes"):
            value = entry.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SqcorpusError("must be a count", file=file, field=f"{field}.{key}")
    for key in ("counts", "annotation", "inputs", "created_with"):
        if not isinstance(manifest.get(key, {}), dict):
            raise SqcorpusError("must be an object", file=file, field=key)
    return manifest


def read_manifest(version: str, releases_dir: Path | None = None) -> dict[str, Any]:
    version_key(version)  # a version is never a path of its own
    folder = (releases_dir or paths.releases_dir()) / version
    path = folder / MANIFEST
    if not folder.is_dir():
        raise SqcorpusError(f"release {version} does not exist", file=folder)
    if not path.is_file():
        raise SqcorpusError(
            f"release {version} has no manifest: the release is broken (it is not skipped, so "
            "that no other release is served in its place)",
            file=path,
        )
    return check_manifest(read_json(path, what="manifest"), file=path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def config_features_of(release_dir: Path, config: str) -> Features:
    """The features of a config as written in a release folder's Parquet files."""
    path = release_dir / config / f"{schema.SPLITS[0]}.parquet"
    try:
        return Features.from_arrow_schema(pq.read_schema(path))
    except (OSError, ValueError) as err:
        raise SqcorpusError(f"cannot read the Parquet schema: {err}", file=path) from None


@dataclass(frozen=True, slots=True)
class Release:
    """One resolved release: its version, folder and manifest (read once)."""

    version: str
    path: Path
    manifest: dict[str, Any]

    def check_listing(self) -> None:
        """The release folder holds exactly the manifest's files, the manifest and
        croissant.json: a file added, removed or replaced by another kind is refused."""
        expected = {*self.manifest["files"], MANIFEST, CROISSANT}
        found: set[str] = set()
        for path in self.path.rglob("*"):
            name = path.relative_to(self.path).as_posix()
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                raise SqcorpusError("not a regular file: releases hold files only", file=path)
            if path.is_file():
                found.add(name)
        extra, missing = sorted(found - expected), sorted(expected - found)
        if extra:
            raise SqcorpusError(
                "file is not part of the release (not in its manifest)",
                file=self.path / extra[0],
            )
        if missing:
            raise SqcorpusError("release file is missing", file=self.path / missing[0])

    def verified_files(self, config: str) -> dict[str, Path]:
        """``{split: parquet path}`` of a config, after checking the folder holds exactly
        the release's files and each of the config's files matches its sha256."""
        schema.require_config(config)
        self.check_listing()
        files = {}
        for split in schema.SPLITS:
            name = f"{config}/{split}.parquet"
            path = self.path / name
            expected = self.manifest["files"].get(name, {}).get("sha256")
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

    def features(self, config: str) -> Features:
        """The features a config was written with (a 1.x release has no provenance fields)."""
        return config_features_of(self.path, schema.require_config(config))

    @property
    def sources(self) -> dict[str, int]:
        """Records per source (empty for a 1.x release, which had no ``source`` field)."""
        sources = self.manifest.get("counts", {}).get("sources", {})
        return dict(sources) if isinstance(sources, dict) else {}

    def records(self) -> dict[str, list[schema.Record]]:
        """Plain rows of the ``sentences`` config per split (labels as class indices)."""
        return {
            split: pq.read_table(path).to_pylist()
            for split, path in self.verified_files(schema.DEFAULT_CONFIG).items()
        }


def open_release(version: str | None = None, releases_dir: Path | None = None) -> Release:
    """Release ``version`` (default: the latest), resolved once, with its manifest."""
    root = releases_dir or paths.releases_dir()
    resolved = resolve_version(version, root)
    return Release(resolved, root / resolved, read_manifest(resolved, root))


# --- release dates: CHANGELOG.md headings (a manifest carries no date: it would make
# rebuilds differ) ---------------------------------------------------------------------------


def release_dates(changelog: Path | None = None) -> dict[str, date]:
    """``{version: date}`` from Keep a Changelog headings ``## [1.0.0] - 2026-11-28``."""
    path = changelog or paths.changelog_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    dates: dict[str, date] = {}
    for match in CHANGELOG_HEADING.finditer(text):
        try:
            dates[match["version"]] = date.fromisoformat(match["date"])
        except ValueError:
            raise SqcorpusError(
                f"invalid release date {match['date']!r}", file=path, item=match["version"]
            ) from None
    return dates


def release_date(version: str, changelog: Path | None = None) -> date | None:
    """The date of release ``version`` in CHANGELOG.md, or None if it has no dated heading."""
    return release_dates(changelog).get(version)
