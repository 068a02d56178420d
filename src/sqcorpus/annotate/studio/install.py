"""Label Studio in a virtual environment of its own: it pins many dependencies that must not
leak into the toolkit's environment."""

from __future__ import annotations

import os
import subprocess
import sys
import venv as venv_module
from pathlib import Path
from typing import Final

from ... import paths
from ...errors import SqcorpusError

LABEL_STUDIO_VERSION: Final = "1.23.2"


def venv_dir() -> Path:
    """Label Studio's own virtual environment: ``$SQCORPUS_STUDIO_VENV`` or the user cache."""
    env = os.environ.get("SQCORPUS_STUDIO_VENV")
    if env:
        return Path(env).expanduser()
    return paths.cache_dir() / f"label-studio-{LABEL_STUDIO_VERSION}"


def installed_version(venv: Path | None = None) -> str | None:
    """The Label Studio version installed in ``venv``, or ``None``."""
    target = venv or venv_dir()
    python = target / "bin" / "python"
    if not python.is_file() or not (target / "bin" / "label-studio").is_file():
        return None
    probe = "from importlib.metadata import version; print(version('label-studio'))"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def install(venv: Path | None = None) -> Path:
    """Create (or reuse) Label Studio's virtual environment; a no-op when it is up to date."""
    target = venv or venv_dir()
    if installed_version(target) == LABEL_STUDIO_VERSION:
        return target
    python = target / "bin" / "python"
    if not python.is_file():
        print(f"creating a virtual environment in {target}", file=sys.stderr)
        target.parent.mkdir(parents=True, exist_ok=True)
        venv_module.EnvBuilder(with_pip=True).create(target)
    requirement = f"label-studio=={LABEL_STUDIO_VERSION}"
    print(f"installing {requirement} into {target}", file=sys.stderr)
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        requirement,
    ]
    # Quiet: pip still prints warnings and errors, on stderr, so stdout stays clean for scripts.
    result = subprocess.run(command, stdout=sys.stderr, check=False)
    if result.returncode != 0:
        raise SqcorpusError(
            f"pip install {requirement} failed (exit {result.returncode}); see pip's output",
            file=target,
        )
    found = installed_version(target)
    if found != LABEL_STUDIO_VERSION:
        raise SqcorpusError(
            f"expected Label Studio {LABEL_STUDIO_VERSION} after installing, found {found}",
            file=target,
        )
    return target
