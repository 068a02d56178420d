"""The release store's read side: versions, manifests, verified files and release dates."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from sqcorpus import schema
from sqcorpus.errors import SqcorpusError
from sqcorpus.release.store import (
    is_prerelease,
    list_versions,
    open_release,
    read_manifest,
    release_dates,
    resolve_version,
    version_key,
)


def fake_release(root: Path, version: str, config: str = "ner") -> Path:
    """A release folder whose files are plain bytes listed in its manifest with their sha256."""
    folder = root / version
    files = {}
    for split in schema.SPLITS:
        path = folder / config / f"{split}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{version} {split}".encode())
        files[f"{config}/{split}.parquet"] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "num_rows": 1,
            "num_bytes": path.stat().st_size,
        }
    (folder / "manifest.json").write_text(json.dumps({"version": version, "files": files}))
    (folder / "croissant.json").write_text("{}")  # derived from the manifest, not listed in it
    return folder


def test_versions_are_semantic_folders_in_version_order(tmp_path: Path) -> None:
    for version in ("1.10.0", "1.2.0", "0.9.1"):
        fake_release(tmp_path, version)
    (tmp_path / "latest").mkdir()
    (tmp_path / ".2.0.0-abcd").mkdir()  # a build's staging folder
    assert list_versions(tmp_path) == ["0.9.1", "1.2.0", "1.10.0"]
    assert list_versions(tmp_path / "missing") == []
    assert resolve_version(None, tmp_path) == "1.10.0"
    assert resolve_version("1.2.0", tmp_path) == "1.2.0"


def test_a_version_folder_without_manifest_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    """Issue 10, defect 7: deleting the latest release's manifest made ``load()`` serve the
    previous release with exit 0 (the folder was skipped). It is now an error naming it."""
    for version in ("1.0.0", "1.0.1"):
        fake_release(tmp_path, version)
    (tmp_path / "1.0.1" / "manifest.json").unlink()
    assert list_versions(tmp_path) == ["1.0.0", "1.0.1"]
    with pytest.raises(SqcorpusError, match=r"1\.0\.1.*has no manifest"):
        open_release(None, tmp_path)
    assert open_release("1.0.0", tmp_path).version == "1.0.0"


@pytest.mark.parametrize(
    "version", ["1.0", "v1.0.0", "01.0.0", "1.0.0-rc1", "1.0.0\n", "1.0.0-rc.0", "9" * 50 + ".0.0"]
)
def test_a_version_that_is_not_semantic_is_refused(version: str) -> None:
    with pytest.raises(
        SqcorpusError, match=r"field 'version': not a version X\.Y\.Z or X\.Y\.Z-rc\.N"
    ):
        version_key(version)


def test_pre_releases_sort_before_their_release() -> None:
    order = ["1.0.1", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0-rc.10", "2.0.0", "2.1.0"]
    assert sorted(reversed(order), key=version_key) == order
    assert is_prerelease("2.0.0-rc.1") and is_prerelease("0.3.0") and not is_prerelease("2.0.0")


def test_an_unknown_or_absent_release_is_refused_naming_the_folder(tmp_path: Path) -> None:
    with pytest.raises(SqcorpusError, match="no release found"):
        resolve_version(None, tmp_path)
    fake_release(tmp_path, "1.0.0")
    with pytest.raises(SqcorpusError, match=r"release 9\.9\.9 not found \(available: 1\.0\.0\)"):
        open_release("9.9.9", tmp_path)
    with pytest.raises(SqcorpusError, match=re.escape("release 9.9.9 does not exist")):
        read_manifest("9.9.9", tmp_path)


def test_an_unreadable_manifest_is_refused(tmp_path: Path) -> None:
    folder = fake_release(tmp_path, "1.0.0")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SqcorpusError, match=re.escape("manifest.json: cannot read manifest")):
        open_release(None, tmp_path)


def test_a_release_is_resolved_once_with_its_manifest(tmp_path: Path) -> None:
    fake_release(tmp_path, "1.0.0")
    release = open_release(None, tmp_path)
    assert (release.version, release.path) == ("1.0.0", tmp_path / "1.0.0")
    assert release.manifest["version"] == "1.0.0"
    files = release.verified_files("ner")
    assert list(files) == list(schema.SPLITS)


def test_verified_files_refuse_an_edited_a_missing_and_an_unlisted_file(tmp_path: Path) -> None:
    folder = fake_release(tmp_path, "1.0.0")
    release = open_release("1.0.0", tmp_path)
    (folder / "ner" / "test.parquet").write_bytes(b"edited")
    with pytest.raises(
        SqcorpusError, match=re.escape("test.parquet, field 'sha256': sha256 does not match")
    ):
        release.verified_files("ner")
    with pytest.raises(SqcorpusError, match=re.escape("stance/train.parquet: file is not listed")):
        release.verified_files("stance")
    (folder / "ner" / "test.parquet").unlink()
    with pytest.raises(SqcorpusError, match="release file is missing"):
        release.verified_files("ner")
    with pytest.raises(SqcorpusError, match="field 'config': unknown config 'nerr'"):
        release.verified_files("nerr")


def test_release_dates_come_from_changelog_headings(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## [Unreleased]\n\n## [1.0.1] - 2026-12-05\n\n## [1.0.0] - 2026-11-28\n",
        encoding="utf-8",
    )
    assert release_dates(changelog) == {"1.0.1": date(2026, 12, 5), "1.0.0": date(2026, 11, 28)}
    assert release_dates(tmp_path / "missing.md") == {}
    changelog.write_text("## [1.0.0] - 2026-13-01\n", encoding="utf-8")
    with pytest.raises(
        SqcorpusError, match=re.escape("id 1.0.0: invalid release date '2026-13-01'")
    ):
        release_dates(changelog)


def test_each_entry_point_reads_the_manifest_once(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command resolves its release once and passes the ``Release`` down."""
    from sqcorpus.evaluation.baseline_table import baseline_table
    from sqcorpus.evaluation.score import evaluate
    from sqcorpus.release import store
    from sqcorpus.release.diff import diff_releases
    from sqcorpus.release.export import export
    from sqcorpus.release.loading import load

    reads: list[str] = []
    original = store.read_manifest

    def counted(version: str, releases_dir: Path | None = None) -> dict:
        reads.append(version)
        return original(version, releases_dir)

    monkeypatch.setattr(store, "read_manifest", counted)
    test = load("sentences", releases_dir=releases)["test"]
    assert len(reads) == 1
    evaluate(
        "stance", [{"id": sid, "stance": "neutral"} for sid in test["id"]], releases_dir=releases
    )
    assert len(reads) == 2
    export("jsonl", tmp_path / "out", releases_dir=releases)
    assert len(reads) == 3
    baseline_table(releases_dir=releases)
    assert len(reads) == 4
    version = reads[0]
    diff_releases(version, version, releases_dir=releases)
    assert reads == [version] * 6
