"""The scoring of benchmarks/segmentation.py on a tiny synthetic CoNLL-U text (no timing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "segmentation.py"

CONLLU = """\
# newdoc id = d1
# newpar
# text = Ai s'erdhi.
1\tAi\tai\tPRON\t_\t_\t2\tnsubj\t_\t_
2-3\ts'erdhi\t_\t_\t_\t_\t_\t_\t_\t_
2\ts'\tnuk\tPART\t_\t_\t3\tadvmod\t_\t_
3\terdhi\tvij\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_

# text = Ajo iku.
1\tAjo\tajo\tPRON\t_\t_\t2\tnsubj\t_\t_
2\tiku\tiki\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_

# newpar
# text = Fund
1\tFund\tfund\tNOUN\t_\t_\t0\troot\t_\t_

"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("segmentation_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_running_text_gold_sentences_and_surface_tokens(bench: ModuleType) -> None:
    dataset = bench.conllu_dataset(CONLLU, "tiny")
    assert dataset.text == "Ai s'erdhi. Ajo iku.\nFund"
    assert dataset.paragraphs == [(0, 20), (21, 25)]
    assert dataset.sentences == [(0, 11), (12, 20), (21, 25)]
    # the multiword-token range line is the surface token
    assert [dataset.text[a:b] for a, b in dataset.tokens] == [
        "Ai",
        "s'erdhi",
        ".",
        "Ajo",
        "iku",
        ".",
        "Fund",
    ]
    # the end of the text is not a boundary: every system gets it for free
    assert bench.boundaries(dataset.text, dataset.sentences) == {11, 20}


def test_prf_arithmetic(bench: ModuleType) -> None:
    result = bench.score({1, 2, 3, 4}, {2, 3, 5})
    assert (result.true_positives, result.predicted, result.gold) == (2, 3, 4)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(1 / 2)
    assert result.f1 == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))
    empty = bench.score(set(), set())
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_evaluate_scores_a_system(bench: ModuleType) -> None:
    dataset = bench.conllu_dataset(CONLLU, "tiny")

    def one_sentence_whitespace_tokens(text: str):
        # Misses both boundaries; tokens split at spaces only.
        tokens, start = [], 0
        for piece in text.split(" "):
            for part in piece.split("\n"):
                tokens.append((start, start + len(part)))
                start += len(part) + 1
        return [(0, len(text))], tokens

    result = bench.evaluate(dataset, "toy", one_sentence_whitespace_tokens, min_seconds=0.0)
    assert (result.sentences.true_positives, result.sentences.predicted) == (0, 0)
    assert result.sentences.recall == 0.0
    # Given one paragraph at a time, the paragraph break becomes a boundary: 1 of 2 found.
    per_paragraph = result.sentences_per_paragraph
    assert (per_paragraph.true_positives, per_paragraph.predicted, per_paragraph.gold) == (1, 1, 2)
    # tokens "Ai", "s'erdhi.", "Ajo", "iku.", "Fund": 3 of 5 predicted are gold (7 gold)
    assert (result.tokens.true_positives, result.tokens.predicted, result.tokens.gold) == (3, 5, 7)
    assert result.tokens.f1 == pytest.approx(2 * (3 / 5) * (3 / 7) / (3 / 5 + 3 / 7))


def test_table_marks_missing_tokenizers(bench: ModuleType) -> None:
    dataset = bench.conllu_dataset(CONLLU, "tiny")
    prf = bench.score({1}, {1})
    row = bench.Result("peer", prf, prf, None, 1000.0, 12.0)
    table = bench.table(dataset, [row])
    assert "| peer | 1.000 | 1.000 | 1.000 | 1.000 | — | — | — | 1,000 |" in table
