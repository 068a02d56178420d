"""A throw-away project with two small releases, for the publication tests.

The project has the checkout's layout (README.md, DATASHEET.md, CHANGELOG.md, corpus/,
annotation/exports/), so the publication commands can run on it with ``SQCORPUS_ROOT``.
Release 1.0.0 and 1.0.1 differ in one stance label and one entity (a PATCH correction).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers import MINI_DOC, MINI_TEXT, MiniProject, ls_task, span, write_document
from sqcorpus.models import SentenceAnnotation

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = """# Changelog

## [Unreleased]

## [1.0.1] - 2026-12-05

### Fixed
- Stance of the second sentence.

## [1.0.0] - 2026-11-28

### Added
- First release.
"""


SPLITS = {
    f"{MINI_DOC}-s001": "train",
    f"{MINI_DOC}-s002": "train",
    f"{MINI_DOC}-s003": "validation",
}


@dataclass(frozen=True)
class Published:
    root: Path
    releases: Path
    raw_dir: Path
    changelog: Path
    readme: Path
    datasheet: Path


def _annotations(project: MiniProject, corrected: bool) -> list[dict]:
    first, second, third = project.sentences()
    entities = [
        span(first.text, "Vladimir Putin", "PER"),
        span(first.text, "Phenian", "GPE"),
    ]
    if corrected:
        entities.append(span(first.text, "18 qershor", "DATE"))
    return [
        ls_task(
            first, SentenceAnnotation(entities=entities, stance="neutral", stance_holder="author")
        ),
        ls_task(
            second,
            SentenceAnnotation(
                entities=[span(second.text, "Kim Jong-un", "PER")],
                stance="neutral" if corrected else "favor",
                stance_holder="author",
            ),
        ),
        ls_task(
            third,
            SentenceAnnotation(
                entities=[span(third.text, "Tass", "ORG")],
                stance="neutral",
                stance_holder="source",
                hedge_cues=[span(third.text, "pretendohet", "CUE")],
                hedge_scopes=[
                    span(third.text, "pretendohet të kenë nënshkruar një traktat", "SCOPE")
                ],
            ),
        ),
    ]


def make_published(root: Path) -> Published:
    """Build releases 1.0.0 and 1.0.1 under ``root`` and copy the project's prose files.

    Call it with ``SQCORPUS_ROOT`` set to ``root``: the build reads the release date for
    croissant.json from the CHANGELOG.md of the project root.
    """
    project = MiniProject(
        root=root,
        raw_dir=root / "corpus" / "raw",
        exports=root / "annotation" / "exports",
        releases=root / "corpus" / "releases",
        splits=root / "corpus" / "splits.json",
    )
    write_document(project.raw_dir, MINI_DOC, MINI_TEXT)
    changelog = root / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    for version, corrected in (("1.0.0", False), ("1.0.1", True)):
        exports = root / "annotation" / f"exports-{version}"
        exports.mkdir(parents=True)
        (exports / f"{MINI_DOC}.json").write_text(
            json.dumps(_annotations(project, corrected), ensure_ascii=False),
            encoding="utf-8",
        )
        # Sentence-level splits of the one document, so every split table has two columns.
        project.build(version, annotations=exports, assignment=SPLITS)
    readme = root / "README.md"
    readme.write_text("# mini corpus\n\nBody written by hand.\n\n---\n\nAfter a rule.\n")
    datasheet = root / "DATASHEET.md"
    shutil.copyfile(ROOT / "DATASHEET.md", datasheet)
    return Published(root, project.releases, project.raw_dir, changelog, readme, datasheet)
