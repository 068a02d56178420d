"""Albanian sentence segmentation and tokenization (sqcorpus.text.segmentation)."""

# The test texts are about typographic quotes, apostrophes and dashes:
# ruff: noqa: RUF001

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqcorpus.models import Sentence
from sqcorpus.paths import raw_dir
from sqcorpus.text.segmentation import ABBREVIATIONS, FINAL_ABBREVIATIONS, segment, tokenize

SEED = raw_dir() / "putin-north-korea-2024-06.txt"


def texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def tokens(text: str) -> list[str]:
    return [t.text for s in segment(text) for t in s.tokens]


def assert_consistent(text: str, sentences: list[Sentence]) -> None:
    """Offsets index ``text``; sentences and tokens are ordered, disjoint, stripped, and
    the tokens partition the non-whitespace characters of the text."""
    previous_end = 0
    covered: list[int] = []
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
        token_end = sentence.start
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
            assert token.start >= token_end and token.end > token.start
            assert token.end <= sentence.end
            assert not any(char.isspace() for char in token.text)
            token_end = token.end
            covered.extend(range(token.start, token.end))
    assert covered == [i for i, char in enumerate(text) if not char.isspace()]


# --- the seed article ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Sentence]]:
    text = SEED.read_text(encoding="utf-8")
    return text, segment(text)


def test_seed_has_28_sentences_in_22_paragraphs(seed: tuple[str, list[Sentence]]) -> None:
    text, sentences = seed
    assert len(sentences) == 28
    per_paragraph = Counter(text.count("\n", 0, s.start) + 1 for s in sentences)
    expected = {number: 1 for number in range(1, 23)} | {5: 2, 6: 2, 18: 2, 19: 2, 21: 3}
    assert per_paragraph == expected
    assert_consistent(text, sentences)


def test_seed_multi_sentence_paragraphs(seed: tuple[str, list[Sentence]]) -> None:
    text, sentences = seed
    by_paragraph: dict[int, list[str]] = {}
    for s in sentences:
        by_paragraph.setdefault(text.count("\n", 0, s.start) + 1, []).append(s.text)
    assert by_paragraph[5] == [
        'Rusia dhe Koreja e Veriut kanë finalizuar një dokument që "do të shërbejë si bazë e '
        'marrëdhënieve dypalëshe afatgjata".',
        "Kështu tha Putin tha këtë gjatë takimit me liderin e Koresë së Veriut Kim Jong-un në "
        'Phenian, ndërkohë që theksoi se Moska po lufton "kundër politikave hegjemoniste dhe '
        'imperialiste dekadash të Shteteve të Bashkuara dhe satelitëve të saj kundër Rusisë", '
        "raporton agjencia e lajmeve ruse Tass.",
    ]
    # The boundary inside the “ quote that never closes.
    assert by_paragraph[6] == [
        "Nga ana tjetër Kim, pretendohet të ketë thënë se thënë se shteti i tij “mbështet "
        "plotësisht dhe është në solidaritet me Qeverinë ruse për luftën në Ukrainë.",
        "Megjithatë, ende është e paqartë se si mund të duhet mbështetje e Koresë së Veriut për "
        "Rusinë.",
    ]
    assert by_paragraph[18] == [
        "Dhuratat e Putinit për liderin e Koresë së Veriut përfshijnë gjithashtu një kamë dhe "
        "një set çaji.",
        "Ndër dhuratat e bëra nga Kim Putinit janë disa vepra arti që përshkruajnë presidentin "
        "rus, duke përfshirë disa buste.",
    ]
    assert by_paragraph[19] == [
        "Presidenti rus Vladimir Putin ndodhet në Korenë e Veriut.",
        "Lideri rus u prit në aeroportin e Phenianit nga udhëheqësi i Koresë së Veriut, "
        "Kim Jong Un.",
    ]
    assert by_paragraph[21] == [
        "Në videot e ndara teksa Putin zbret nga avioni, dallohet edhe shtrëngimi i duarve me "
        "Kim Jong Un.",
        "Të dy liderët u përqafuan dhe folën pranë avionit të presidentit rus.",
        "Më pas ata hipën në limuzinën ruse Aurus të Putinit për në Pallatin Kumsusan.",
    ]
    # Paragraph 4 ends with a comma: still one sentence, ending at the paragraph break.
    assert by_paragraph[4][0].endswith("agjencia ruse e lajmeve Interfax,")


def test_seed_tokens(seed: tuple[str, list[Sentence]]) -> None:
    _, sentences = seed
    words = [t.text for t in sentences[5].tokens]
    assert words[:3] == ["Kështu", "tha", "Putin"]
    assert "Jong-un" in words
    assert words[-3:] == ["ruse", "Tass", "."]
    assert [t.text for t in sentences[4].tokens][-3:] == ["afatgjata", '"', "."]


# --- sentence boundaries -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # titles and abbreviations are not sentence ends
        (
            "Z. Gjoka takoi znj. Dema dhe Prof. Dr. Ilir Kola në rr. Kavajës nr. 14. "
            "Takimi zgjati një orë.",
            [
                "Z. Gjoka takoi znj. Dema dhe Prof. Dr. Ilir Kola në rr. Kavajës nr. 14.",
                "Takimi zgjati një orë.",
            ],
        ),
        (
            "Ai solli shembuj, p.sh. ligjin e ri, d.m.th. rregullat e vjetra nuk vlejnë.",
            ["Ai solli shembuj, p.sh. ligjin e ri, d.m.th. rregullat e vjetra nuk vlejnë."],
        ),
        # initials, also the Albanian digraph initials
        (
            "Sekretari A. Blinken foli me Xh. Leka. Pastaj u nis.",
            ["Sekretari A. Blinken foli me Xh. Leka.", "Pastaj u nis."],
        ),
        # dates, times and numbers do not split; a year can end a sentence
        (
            "Më 01.01.2024 në orën 14.30 kosto ishte 1.000.000 lekë, 2,5 herë më shumë. "
            "Në vitin 2023. 5 punëtorë u larguan.",
            [
                "Më 01.01.2024 në orën 14.30 kosto ishte 1.000.000 lekë, 2,5 herë më shumë.",
                "Në vitin 2023.",
                "5 punëtorë u larguan.",
            ],
        ),
        # URLs and e-mail addresses
        (
            "Lexoni raportin në https://www.example.com/lajme/a.b?id=7. Shkruani te "
            "redaksia@example.com. Ose vizitoni example.com sot.",
            [
                "Lexoni raportin në https://www.example.com/lajme/a.b?id=7.",
                "Shkruani te redaksia@example.com.",
                "Ose vizitoni example.com sot.",
            ],
        ),
        # ellipses: a boundary before a capital, none before a lower-case word
        (
            "Ai priti... Pastaj foli. Ajo heshti… dhe iku. Asgjë… Askush.",
            ["Ai priti...", "Pastaj foli.", "Ajo heshti… dhe iku.", "Asgjë…", "Askush."],
        ),
        # an elision mark inside a quotation is not a boundary
        ("Ai tha: „Ne (...) Kosova do të fitojë.“", ["Ai tha: „Ne (...) Kosova do të fitojë.“"]),
        # ? and !
        (
            "A do të vijë? Po! Vërtet?! Ndoshta.",
            ["A do të vijë?", "Po!", "Vërtet?!", "Ndoshta."],
        ),
        # quotations: closing marks stay with their sentence, a quoted ? does not split
        (
            "Ai tha: „Ne do të fitojmë.“ Pastaj doli. «Kush?» pyeti ajo. "
            '"Ne!" u përgjigj ai. “Mirë.” Ajo qeshi.',
            [
                "Ai tha: „Ne do të fitojmë.“",
                "Pastaj doli.",
                "«Kush?» pyeti ajo.",
                '"Ne!" u përgjigj ai.',
                "“Mirë.”",
                "Ajo qeshi.",
            ],
        ),
        # an unbalanced quote does not block a boundary
        (
            "Ministri tha se “reforma do të vazhdojë. Askush nuk mund ta ndalë.",
            ["Ministri tha se “reforma do të vazhdojë.", "Askush nuk mund ta ndalë."],
        ),
        # dialogue dashes
        (
            "– Ku je? – pyeti ai. – Këtu! – tha ajo.",
            ["– Ku je? – pyeti ai.", "– Këtu! – tha ajo."],
        ),
        # sentence-final abbreviation
        (
            "Erdhën ministra, deputetë etj. Opozita mungoi.",
            ["Erdhën ministra, deputetë etj.", "Opozita mungoi."],
        ),
        (
            "Fondet për arsimin, shëndetësinë etj. janë shkurtuar.",
            ["Fondet për arsimin, shëndetësinë etj. janë shkurtuar."],
        ),
        (
            "Kompania Ujësjellësi sh.a. investoi 2,5 mln. euro. Vlera ishte 3 mld. Çmimi mbeti.",
            [
                "Kompania Ujësjellësi sh.a. investoi 2,5 mln. euro.",
                "Vlera ishte 3 mld.",
                "Çmimi mbeti.",
            ],
        ),
        # sentences starting with Ç and Ë
        (
            "Çfarë ndodhi? Ëndrrat u shuan. Çdo gjë mbaroi. Është e vërtetë.",
            ["Çfarë ndodhi?", "Ëndrrat u shuan.", "Çdo gjë mbaroi.", "Është e vërtetë."],
        ),
        # an unlisted abbreviation before a lower-case word is not a boundary
        ("Ai u takua me bashk. tjerë në sallë.", ["Ai u takua me bashk. tjerë në sallë."]),
        # spaced punctuation does not start a sentence
        ("Ai bërtiti ( sërish . . . ! ) dhe iku.", ["Ai bërtiti ( sërish . . . ! ) dhe iku."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    sentences = segment(text)
    assert [s.text for s in sentences] == expected
    assert_consistent(text, sentences)


def test_paragraph_breaks_are_hard_and_headlines_are_sentences() -> None:
    text = "  Putini në Phenian  \r\n\nPresidenti mbërriti sot. Ai u prit nga Kim\nFund."
    assert texts(text) == [
        "Putini në Phenian",
        "Presidenti mbërriti sot.",
        "Ai u prit nga Kim",
        "Fund.",
    ]
    assert_consistent(text, segment(text))


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n \u2028 "])
def test_empty_input(text: str) -> None:
    assert segment(text) == []
    assert tokenize(text) == []


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_listed_abbreviations_do_not_end_a_sentence(abbreviation: str) -> None:
    text = f"Ai përmendi {abbreviation}. Hoxha dje."
    assert texts(text) == [text]
    assert f"{abbreviation}." in tokens(text)


@pytest.mark.parametrize("abbreviation", sorted(FINAL_ABBREVIATIONS))
def test_final_abbreviations_split_only_before_a_capital(abbreviation: str) -> None:
    assert texts(f"Ai pa {abbreviation}. Opozita mungoi.") == [
        f"Ai pa {abbreviation}.",
        "Opozita mungoi.",
    ]
    assert texts(f"Ai pa {abbreviation}. dhe iku.") == [f"Ai pa {abbreviation}. dhe iku."]
    # the sentence-final abbreviation keeps its period: it is not written twice
    assert tokens(f"Ai pa {abbreviation}.")[-1] == f"{abbreviation}."


# --- tokens --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),  # expected: the tokens joined by single spaces
    [
        (
            "SHBA-ja, BE-ja dhe Kim Jong-un.",
            "SHBA-ja , BE-ja dhe Kim Jong-un .",
        ),
        (
            "Ish-ministri e tha më 5-të.",
            "Ish-ministri e tha më 5-të .",
        ),
        (
            "Më 01.01.2024 ora 14.30: 1.000.000 ose 2,5% (19/06/2024).",
            "Më 01.01.2024 ora 14.30 : 1.000.000 ose 2,5 % ( 19/06/2024 ) .",
        ),
        (
            "Shih https://example.com/a-b/c?d=1, www.example.com dhe info@example.com.",
            "Shih https://example.com/a-b/c?d=1 , www.example.com dhe info@example.com .",
        ),
        (
            "(Lexo: example.com/lajme).",
            "( Lexo : example.com/lajme ) .",
        ),
        (
            "Z. Blinken, Prof. Dr. Kola, p.sh. në rr. Durrësit nr. 3, sh.a. etj.",
            "Z. Blinken , Prof. Dr. Kola , p.sh. në rr. Durrësit nr. 3 , sh.a. etj.",
        ),
        # apostrophe contractions are one surface token (STAF), a detached clitic too
        (
            "Unë s'mora vesh t'i thotë ç'arsye, s’di m'u duk. T' i japë në '99.",
            "Unë s'mora vesh t'i thotë ç'arsye , s’di m'u duk . T' i japë në '99 .",
        ),
        # quotes, ellipses, ?! and dashes
        (
            '„Po…“ «Jo...» "Pse?!" – ‘Ai’ — tha.',
            '„ Po … “ « Jo ... » " Pse ?! " – ‘ Ai ’ — tha .',
        ),
    ],
)
def test_tokens(text: str, expected: str) -> None:
    assert tokens(text) == expected.split(" ")
    assert_consistent(text, segment(text))


def test_title_or_initial_at_sentence_end_gives_the_period_back() -> None:
    assert [t.text for t in tokenize("Ai takoi Dr.")] == ["Ai", "takoi", "Dr", "."]
    assert [t.text for t in tokenize("Vitamina C.")] == ["Vitamina", "C", "."]
    assert [t.text for t in tokenize("Vitamina C. dhe D.")] == ["Vitamina", "C.", "dhe", "D", "."]


def test_tokenize_offsets() -> None:
    result = tokenize("Ai erdhi.", offset=10)
    assert [(t.start, t.end, t.text) for t in result] == [
        (10, 12, "Ai"),
        (13, 18, "erdhi"),
        (18, 19, "."),
    ]


def test_sentence_tokens_equal_tokenize_of_the_sentence() -> None:
    text = "Z. Hoxha erdhi. Ai tha: “Po!” Pastaj iku etj. Fund"
    for sentence in segment(text):
        assert list(sentence.tokens) == tokenize(sentence.text, sentence.start)


# --- properties ----------------------------------------------------------------------------
_ALPHABET = "aeëçAEËÇzZsSxhtT0123456789 .,;:!?…\"'“”„«»‘’()-–—@/%\n\r\t\u00a0\u2028"
_WORDS = ["etj.", "Z.", "p.sh.", "sh.a.", "nr.", "A.", "1.000", "http://example.com", "...", " "]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(st.text(alphabet=_ALPHABET, max_size=12), st.sampled_from(_WORDS)),
        max_size=25,
    ).map("".join)
)
def test_offsets_are_always_consistent(text: str) -> None:
    sentences = segment(text)
    assert_consistent(text, sentences)
    assert segment(text) == sentences  # deterministic
