"""Shared fixtures: a small throw-away corpus so tests never touch the real release."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sqcorpus import paths
from sqcorpus.annotate.convert import to_ls_results
from sqcorpus.models import SentenceAnnotation, Span
from sqcorpus.text.corpus import corpus_sentences, read_corpus

MINI_TEXT = (
    "Presidenti Vladimir Putin mbërriti në Phenian më 18 qershor.\n"
    "Kim Jong-un e priti në aeroport. Sipas Tass, “ata pretendohet të kenë nënshkruar "
    "një traktat."
)
MINI_DOC = "mini-doc"


@dataclass
class MiniProject:
    root: Path
    raw_dir: Path
    exports: Path
    releases: Path
    splits: Path

    def sentences(self) -> list[Any]:
        return corpus_sentences(read_corpus(self.raw_dir))

    def write_export(self, tasks: list[dict[str, Any]], name: str = f"{MINI_DOC}.json") -> Path:
        self.exports.mkdir(parents=True, exist_ok=True)
        path = self.exports / name
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    def build(self, version: str, annotations: Path | None = None) -> Any:
        from sqcorpus.release.build import build_release

        return build_release(
            version,
            annotations=annotations if annotations is not None else self.exports,
            out=self.releases,
            raw_dir=self.raw_dir,
            splits_path=self.splits,
        )


def write_document(raw_dir: Path, doc_id: str, text: str) -> None:
    raw_dir.mkdir(parents=True, exist_ok=True)
    (raw_dir / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="\n")
    metadata = {
        "doc_id": doc_id,
        "language": "sq",
        "title": "test document",
        "publisher": "unknown",
        "url": "unknown",
        "rights": "test fixture written for the test suite",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    (raw_dir / f"{doc_id}.json").write_text(json.dumps(metadata), encoding="utf-8")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach a hub."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")


@pytest.fixture
def mini_project(tmp_path: Path) -> MiniProject:
    project = MiniProject(
        root=tmp_path,
        raw_dir=tmp_path / "corpus" / "raw",
        exports=tmp_path / "annotation" / "exports",
        releases=tmp_path / "corpus" / "releases",
        splits=tmp_path / "corpus" / "splits.json",
    )
    write_document(project.raw_dir, MINI_DOC, MINI_TEXT)
    project.exports.mkdir(parents=True)
    return project


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away checkout with a small annotated release (tests/fixtures/small_release.py),
    shared by the evaluation, baseline and export tests, which leave its release untouched."""
    from fixtures.small_release import build_small_release

    root = tmp_path_factory.mktemp("project")
    build_small_release(root)
    return root


@pytest.fixture(scope="session")
def releases(project: Path) -> Path:
    return project / "corpus" / "releases"


def span(text: str, fragment: str, label: str, occurrence: int = 0) -> Span:
    """A span over the ``occurrence``-th appearance of ``fragment`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    return Span(start, start + len(fragment), fragment, label)


def ls_task(
    sentence: Any,
    *annotations: SentenceAnnotation,
    ground_truth: int | None = None,
    cancelled: tuple[int, ...] = (),
) -> dict[str, Any]:
    """A task as Label Studio exports it, with one entry per annotator."""
    return {
        "id": 1000 + sentence.index,
        "data": {
            "text": sentence.text,
            "sid": sentence.id,
            "doc_id": sentence.doc_id,
            "sentence_index": sentence.index,
            "guidelines_version": "1.0",
        },
        "annotations": [
            {
                "id": 2000 + 10 * sentence.index + number,
                "completed_by": {"id": number + 1, "email": f"annotator-{number + 1:02d}"},
                "was_cancelled": number in cancelled,
                "ground_truth": number == ground_truth,
                "lead_time": 12.5,
                "created_at": "2026-11-28T10:00:00.000000Z",
                "updated_at": "2026-11-28T10:00:00.000000Z",
                "result": to_ls_results(annotation),
            }
            for number, annotation in enumerate(annotations)
        ],
        "predictions": [],
    }


AnnotateFn = Callable[..., dict[str, Any]]


# --- a real Label Studio server (tests marked `studio`) --------------------------------------


def _studio_template(venv: Path, scratch: Path) -> Path:
    """A data folder of a freshly started (then stopped) server, without projects.

    A fresh folder takes ~30 s to start (database migrations), a copy a few seconds, so the
    template is kept between sessions in the user cache (``$SQCORPUS_STUDIO_TEMPLATE``
    overrides the place); it holds only a throw-away local admin account.
    """
    import os
    import shutil

    from sqcorpus.annotate import studio

    env = os.environ.get("SQCORPUS_STUDIO_TEMPLATE")
    cached = (
        Path(env)
        if env
        else paths.cache_dir() / f"label-studio-{studio.LABEL_STUDIO_VERSION}-template"
    )
    if (cached / studio.CONNECTION_FILE).is_file():
        return cached
    fresh = scratch / "template"
    with studio.LocalServer(fresh, venv=venv, install_missing=False):
        pass
    try:  # publish it atomically: another session may be doing the same
        cached.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(shutil.copytree(fresh, cached.parent / f".{cached.name}-{os.getpid()}"))
        os.replace(staging, cached)
    except OSError:
        return fresh
    return cached


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One Label Studio server for the test session, in a temporary data folder.

    Honours ``$SQCORPUS_STUDIO_VENV``. Without Label Studio installed there
    (``sqcorpus studio install``) the tests are skipped on a developer's machine, but fail in
    CI (``$CI`` set), where ./run.sh test installs it and a skip would hide a broken install.
    """
    import os
    import shutil

    from sqcorpus.annotate import studio

    venv = studio.venv_dir()
    if studio.installed_version(venv) != studio.LABEL_STUDIO_VERSION:
        reason = (
            f"Label Studio {studio.LABEL_STUDIO_VERSION} is not installed in {venv}: run "
            "`sqcorpus studio install` (or set SQCORPUS_STUDIO_VENV)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    scratch = tmp_path_factory.mktemp("studio")
    data_dir = scratch / "data"
    shutil.copytree(_studio_template(venv, scratch), data_dir)
    with studio.LocalServer(data_dir, venv=venv, install_missing=False) as server:
        yield server
