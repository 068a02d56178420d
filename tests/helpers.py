"""Helpers shared by the tests: a small throw-away corpus and Label Studio tasks built from it.

Imported by test modules (``from helpers import ...``); the fixtures that use them live in
``conftest.py``, which pytest loads by itself and no module imports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqcorpus.annotate.convert import to_ls_results
from sqcorpus.models import SentenceAnnotation, Span
from sqcorpus.release.build import build_release
from sqcorpus.release.splits import assign_split_file
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

    def assign_splits(self) -> Any:
        return assign_split_file(read_corpus(self.raw_dir), self.splits)

    def build(
        self,
        version: str,
        annotations: Path | None = None,
        assignment: dict[str, str] | None = None,
    ) -> Any:
        """Build ``version``; ``assignment`` (sentence id → split) replaces the split file."""
        if assignment is None:
            self.assign_splits()
        return build_release(
            version,
            annotations=annotations if annotations is not None else self.exports,
            out=self.releases,
            raw_dir=self.raw_dir,
            splits_path=self.splits,
            assignment=assignment,
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
