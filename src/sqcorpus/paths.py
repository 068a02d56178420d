"""Every path of the project, in one place: the corpus (a checkout's ``corpus/`` or, in an
installed wheel, package data), the annotation files, the generated documents, the local Label
Studio folder and the user cache. ``$SQCORPUS_ROOT`` moves the whole project (tests use it)."""

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


def adjudication_dir() -> Path:
    """Adjudication records (decision and rationale per disagreement), one file per document."""
    return project_root() / "annotation" / "adjudication"


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


def readme_file() -> Path:
    """README.md: the dataset card (its YAML header) and the baselines table."""
    return project_root() / "README.md"


def datasheet_file() -> Path:
    return project_root() / "DATASHEET.md"


def changelog_file() -> Path:
    """CHANGELOG.md, whose headings date the releases."""
    return project_root() / "CHANGELOG.md"


def citation_file() -> Path:
    return project_root() / "CITATION.cff"


def label_config_file() -> Path:
    """The Label Studio labeling config generated from the schema."""
    return project_root() / "annotation" / "label_config.xml"


def studio_data_dir() -> Path:
    """The local Label Studio server's data folder (git-ignored)."""
    return project_root() / ".studio"


def cache_dir() -> Path:
    """Per-user cache (``$XDG_CACHE_HOME/sqcorpus``), e.g. for the Label Studio install."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sqcorpus"
