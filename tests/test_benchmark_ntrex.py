"""benchmarks/ntrex.py on a tiny invented NTREX-shaped directory, and RESULTS.md sections."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# Invented text in NTREX's layout: one segment a line, the document id of each line.
SEGMENTS = [
    "Titull pa pikë",
    "Ai erdhi. Ajo iku.",  # a segment holding two sentences
    "Dr. Rama foli.",
    "Titulli tjetër",
    "Një fjali.",
]
IDS = ["a.1", "a.1", "a.1", "b.2", "b.2"]


@pytest.fixture(scope="module")
def ntrex() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("ntrex_benchmark", BENCHMARKS / "ntrex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "newstest2019-ref.sqi.txt").write_text("\n".join(SEGMENTS) + "\n", "utf-8")
    (tmp_path / "DOCUMENT_IDS.tsv").write_text("\n".join(IDS) + "\n", "utf-8")
    return tmp_path


def test_documents_in_both_layouts(ntrex: ModuleType, data: Path) -> None:
    headline, running = (ntrex.read_documents(data, layout) for layout in ntrex.LAYOUTS)
    assert [d.doc_id for d in headline] == ["a.1", "b.2"]
    assert headline[0].text == "Titull pa pikë\nAi erdhi. Ajo iku. Dr. Rama foli."
    assert running[0].text == "Titull pa pikë Ai erdhi. Ajo iku. Dr. Rama foli."
    assert headline[1].first_line == 4
    for document in headline + running:
        assert [document.text[a:b] for a, b in document.segments] == [
            SEGMENTS[document.first_line - 1 + i] for i in range(len(document.segments))
        ]


def test_scores_and_the_segments_split(ntrex: ModuleType, data: Path) -> None:
    segmenter = ntrex.SYSTEMS["sqcorpus"][1]()
    outcome = ntrex.run("sqcorpus", segmenter, ntrex.read_documents(data, "headline ¶"), "x")
    # Reference boundaries: 2 in a.1 and 1 in b.2 (document ends left out); sqcorpus finds
    # them all and one more, inside the two-sentence segment on line 2.
    assert (outcome.boundaries.true_positives, outcome.boundaries.gold) == (3, 3)
    assert outcome.boundaries.predicted == 4
    assert outcome.split_lines == [2] and outcome.segments_split == 1
    assert outcome.sentences == 6


def test_write_section_keeps_the_other_sections(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    from results import write_section

    path = tmp_path / "RESULTS.md"
    path.write_text("# Old report without sections\n", encoding="utf-8")
    write_section("ntrex", "N1", path)
    write_section("scaling", "S1\n", path)
    write_section("ntrex", "N2", path)
    text = path.read_text(encoding="utf-8")
    assert text.count("# Old report without sections") == 1  # kept as the legacy section
    assert "N2" in text and "N1" not in text and "S1" in text
    assert text.index("Old report") < text.index("N2") < text.index("S1")
