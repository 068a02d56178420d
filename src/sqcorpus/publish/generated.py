"""Publication: what the card, datasheet, citation and Croissant files share.

The stage is split by artefact: ``card`` (README front matter), ``datasheet`` (the statistics
block of DATASHEET.md), ``cite`` (CITATION.cff, BibTeX, APA), ``croissant`` (croissant.json in
each release) and ``diff`` (what changed between two releases). This module holds the facts
they all state (title, authors, rights) and the helpers they all use: find the latest release,
read release dates from CHANGELOG.md, describe the first differing line, write atomically.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from .. import paths
from ..errors import SqcorpusError

NAME: Final = "sqcorpus"
TITLE: Final = "sqcorpus: an annotated Albanian news corpus"
PRETTY_NAME: Final = "sqcorpus: Albanian news with entities, stance and hedging"
AUTHOR: Final = "sqcorpus maintainers"
"""The authors as one entity: the project's maintainers, who are not named individually."""
HOMEPAGE: Final[str | None] = None
"""Public URL of the dataset; none is known yet, so no file states one."""
KEYWORDS: Final[tuple[str, ...]] = (
    "Albanian",
    "named entity recognition",
    "stance detection",
    "hedge detection",
    "uncertainty",
    "news",
)

# --- rights: three parts, three owners ----------------------------------------------------
CODE_LICENSE: Final = "MIT"
ANNOTATIONS_LICENSE: Final = "CC-BY-4.0"
ANNOTATIONS_LICENSE_URL: Final = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENSE_URL: Final = "https://opensource.org/license/mit"
RIGHTS_SUMMARY: Final = (
    "Mixed rights. The annotations (entity, stance and hedge labels, splits, metadata) are by "
    "the sqcorpus maintainers under CC BY 4.0 (LICENSE-annotations). The code is under the MIT "
    "licence (LICENSE). The article text is under the copyright of its original publisher, "
    "who is unknown: the project claims no rights to it and grants no licence to it."
)

CHANGELOG_HEADING = re.compile(
    r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M
)


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    path: Path
    manifest: dict[str, Any]


def get_release(version: str | None = None, releases_dir: Path | None = None) -> Release:
    """Release ``version`` (default: the latest) with its manifest; raise if there is none."""
    from ..release.build import read_manifest
    from ..release.loading import resolve_version

    root = releases_dir or paths.releases_dir()
    resolved = resolve_version(version, root)
    return Release(resolved, root / resolved, read_manifest(resolved, root))


def changelog_path() -> Path:
    return paths.project_root() / "CHANGELOG.md"


def release_dates(changelog: Path | None = None) -> dict[str, date]:
    """``{version: date}`` from Keep a Changelog headings ``## [1.0.0] - 2026-11-28``."""
    path = changelog or changelog_path()
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


def document_metadata(doc_ids: list[str], raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """Metadata (``corpus/raw/<doc_id>.json``) of each document, ``{}`` when not found."""
    directory = raw_dir or paths.raw_dir()
    result = []
    for doc_id in doc_ids:
        path = directory / f"{doc_id}.json"
        try:
            result.append(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            result.append({"doc_id": doc_id})
        except json.JSONDecodeError as err:
            raise SqcorpusError(f"invalid JSON: {err}", file=path) from None
    return result


def first_difference(expected: str, actual: str, *, file: Path, offset: int = 0) -> str | None:
    """A one-line description of the first line where ``actual`` differs, or None if equal."""
    if expected == actual:
        return None
    want, have = expected.splitlines(), actual.splitlines()
    matcher = difflib.SequenceMatcher(a=have, b=want, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found = have[i1] if i1 < len(have) else "<end of block>"
        wanted = want[j1] if j1 < len(want) else "<nothing>"
        return f"{file} line {offset + i1 + 1}: found {found!r}, expected {wanted!r}"
    return f"{file}: differs in line endings or trailing whitespace"
