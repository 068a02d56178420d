"""Where the corpus lives: a checkout's ``corpus/`` or, in an installed wheel, package data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent.parent  # src/sqcorpus -> repository root


def project_root() -> Path:
    """The repository root: ``$SQCORPUS_ROOT`` if set, else the checkout holding this package."""
    env = os.environ.get("SQCORPUS_ROOT")
    return Path(env).resolve() if env else _CHECKOUT


def raw_dir() -> Path:
    return project_root() / "corpus" / "raw"


def splits_file() -> Path:
    return project_root() / "corpus" / "splits.json"


def exports_dir() -> Path:
    return project_root() / "annotation" / "exports"


def stance_targets_file() -> Path:
    """Each document's stance target, fixed before its stance is annotated."""
    return project_root() / "annotation" / "stance_targets.json"


def build_dir() -> Path:
    """Where ``sqcorpus build`` writes releases: the checkout's ``corpus/releases``."""
    return project_root() / "corpus" / "releases"


def releases_dir() -> Path:
    """Releases to read: a checkout's, or the copy shipped inside an installed wheel."""
    checkout = build_dir()
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / "data" / "releases"
