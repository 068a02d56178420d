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


# --- a real team server: Label Studio on a private PostgreSQL (tests marked `studio`) ---------


def _team_template(venv: Path) -> Path:
    """A stopped team data folder (migrated PostgreSQL cluster, admin, no users or projects).

    Migrating a fresh PostgreSQL database takes a minute or two here, a copy seconds, so the
    template is kept in the user cache. ``cp -a`` keeps the cluster owned by ``postgres``.
    """
    import os
    import subprocess
    import tempfile

    from sqcorpus.annotate import studio

    cached = paths.cache_dir() / f"label-studio-{studio.LABEL_STUDIO_VERSION}-pg-template"
    if (cached / studio.CONNECTION_FILE).is_file():
        return cached
    scratch = Path(tempfile.mkdtemp(prefix="sqcorpus-team-template-"))
    scratch.chmod(0o711)  # the postgres user must reach the cluster below
    fresh = scratch / "data"
    with studio.LocalServer(fresh, venv=venv, install_missing=False, database="local-postgres"):
        pass
    cached.parent.mkdir(parents=True, exist_ok=True)
    staging = cached.parent / f".{cached.name}-{os.getpid()}"
    subprocess.run(["cp", "-a", str(fresh), str(staging)], check=True)
    os.replace(staging, cached)  # published atomically: another session may do the same
    subprocess.run(["rm", "-rf", str(scratch)], check=True)
    return cached


@pytest.fixture(scope="session")
def team_server() -> Any:
    """A Label Studio server on a private PostgreSQL cluster, in a fresh /tmp data folder.

    Needs Debian's PostgreSQL (./run.sh test installs it) besides Label Studio; skipped
    without them on a developer's machine, failed in CI.
    """
    import os
    import shutil
    import subprocess
    import tempfile

    from sqcorpus.annotate import studio
    from sqcorpus.annotate.studio.postgres import BIN_DIRS

    venv = studio.venv_dir()
    missing = []
    if studio.installed_version(venv) != studio.LABEL_STUDIO_VERSION:
        missing.append(f"Label Studio {studio.LABEL_STUDIO_VERSION} (`sqcorpus studio install`)")
    if not any((folder / "initdb").is_file() for folder in BIN_DIRS) and not shutil.which("initdb"):
        missing.append("PostgreSQL (`apt-get install postgresql`)")
    if missing:
        reason = "not installed: " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # Not pytest's tmp_path: its folders are private (0700) and postgres could not enter them.
    scratch = Path(tempfile.mkdtemp(prefix="sqcorpus-team-"))
    scratch.chmod(0o711)
    data_dir = scratch / "data"
    subprocess.run(["cp", "-a", str(_team_template(venv)), str(data_dir)], check=True)
    try:
        with studio.LocalServer(data_dir, venv=venv, install_missing=False) as server:
            yield server
    finally:
        subprocess.run(["rm", "-rf", str(scratch)], check=True)
