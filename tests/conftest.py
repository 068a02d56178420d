"""Shared fixtures: a small throw-away corpus so tests never touch the real release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import MINI_DOC, MINI_TEXT, MiniProject, write_document
from sqcorpus import paths


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
