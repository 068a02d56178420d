"""Properties of segmentation on arbitrary text (Hypothesis, derandomized: same cases each run)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sqcorpus.models import Sentence
from sqcorpus.text.segmentation import segment
from sqcorpus.text.streaming import iter_segment

# Characters that matter to the rules, plus the awkward ones: every newline convention,
# U+2028/U+2029, a byte-order mark, combining marks, typographic quotes and apostrophes.
_PIECES = [
    *"aAçÇëËzZ19 .?!…,:;-@/'\u2019\"“”„«»()[]\t",
    "\r\n",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u0301",
    "\u0308",
    "...",
    "Dr. ",
    "etj. ",
    "p.sh. ",
    "www.example.com",
    "a@b.al",
    "s'",
    "Rama",
    "ishte",
    "1.000",
]
_RUNS = st.sampled_from([" ", ".", "!", "“", "\u0301", "a.", "\r\n"]).flatmap(
    lambda unit: st.integers(20, 200).map(lambda n: unit * n)
)
TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), _RUNS, st.text(max_size=3)), max_size=40).map(
    "".join
)
PROPERTIES = settings(derandomize=True, max_examples=300, deadline=None, database=None)


def _check(text: str, sentences: list[Sentence]) -> None:
    covered: list[int] = []
    previous_end = 0
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end and sentence.end > sentence.start
        previous_end = sentence.end
        token_end = sentence.start
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
            assert token.start >= token_end and token.end > token.start
            assert token.end <= sentence.end
            token_end = token.end
            covered.extend(range(token.start, token.end))
    skipped = 1 if text.startswith("\ufeff") else 0  # a leading byte-order mark
    expected = [i for i, char in enumerate(text) if not char.isspace() and i >= skipped]
    assert covered == expected  # every other non-space character, exactly once, in order


@PROPERTIES
@given(TEXTS)
def test_offsets_index_the_text_and_cover_it_once(text: str) -> None:
    _check(text, segment(text))


@PROPERTIES
@given(TEXTS, st.lists(st.integers(0, 400), max_size=8))
def test_streaming_equals_segment(text: str, cuts: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    assert list(iter_segment(pieces)) == segment(text)
