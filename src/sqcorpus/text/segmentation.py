"""Albanian sentence segmentation and tokenization (the ``segment`` stage).

Sentences
    Paragraph breaks (``\\n``; also ``\\r``, U+2028, U+2029) are hard boundaries, so a
    headline without final punctuation is one sentence. Inside a paragraph, NLTK's Punkt
    (:class:`nltk.tokenize.punkt.PunktSentenceTokenizer`, untrained, with its
    ``PunktParameters`` filled from the Albanian abbreviation list below) proposes the
    boundaries: it already knows not to split after listed abbreviations (``z.``,
    ``Prof.``, ``nr.``, ``p.sh.``), after initials before a capitalised word
    (``A. Blinken``), or inside numbers, dates, URLs and e-mail addresses, and it moves
    closing quotes and brackets onto the sentence they close. Three rules add what an
    untrained Punkt cannot know:

    1. A boundary is dropped when the next sentence would start with a lower-case letter
       (after any opening quote, bracket or dash): news Albanian never starts a sentence in
       lower case, so the period belonged to an unlisted abbreviation, or the ``?``/``!``
       ended a quotation inside the sentence (``"Ku je?" pyeti ai.``). Likewise when it
       would start with a comma, period, colon, ``?``/``!`` or a closing bracket
       (``? !``, ``. . .``).
    2. A boundary is added after an abbreviation that can end a sentence (``etj.``,
       ``sh.a.``, ``mln.``, ...; :data:`FINAL_ABBREVIATIONS`) when a capitalised word
       follows: ``... etj. Opozita ...``.
    3. A boundary is added after an ellipsis (``...`` or ``…``) when a capitalised word
       follows; Punkt never splits there without training data.

    Quotes are not balanced on purpose: news text leaves quotes open (the seed article has
    a ``“`` that never closes and a boundary inside it), so a boundary inside a quote is
    kept. Upper/lower case is Unicode-aware, so sentences starting with ``Ç`` or ``Ë``
    behave like any other.

Tokens
    Tokens follow the Universal Dependencies surface-token conventions of the Albanian
    treebanks (UD_Albanian-STAF, UD_Albanian-TSA): punctuation is split off (a run of
    ``?``/``!`` and an ellipsis stay one token); hyphenated words are one token
    (``SHBA-ja``, ``BE-ja``, ``Jong-un``, ``ish-ministri``, ``5-të``); numbers with inner
    separators are one token (``1.000.000``, ``2,5``, ``01.01.2024``, ``14.30``); URLs and
    e-mail addresses are one token; known abbreviations and initials keep their period
    (``Prof.``, ``p.sh.``, ``A.``), except that a title abbreviation or initial at the very
    end of a sentence gives its period back as sentence punctuation, while a sentence-final
    ``etj.`` keeps it (the period is not written twice).

    Apostrophe contractions are one token: ``s'mora``, ``t'i``, ``ç'arsye``, ``m'u`` (also
    with the typographic apostrophe U+2019); a clitic written apart (``t' i``) is its own
    token ``t'``; an elided year keeps its apostrophe (``'99``). This follows STAF, where 35
    of the 38 contractions written without a space are a single surface token (a CoNLL-U
    multiword token whose syntactic words are ``s'`` + ``mora``); only 3 STAF ones and the
    3 in TSA (``s'është``, ``s'i``, ``t'i``) are split into two surface tokens. The
    split into syntactic words belongs to the word level, which this corpus does not
    annotate.

    Combining marks stay with the character before them (NFD ``e`` + U+0308 is part of its
    word). E-mail addresses and domain names have bounded parts (a local part of at most 64
    characters, labels of at most 63, at most 8 labels).

All offsets are Python code-point indices into the text given to :func:`segment`;
sentence spans exclude surrounding whitespace; every non-whitespace character belongs to
exactly one sentence and one token, except a leading byte-order mark, which is skipped. The
result is deterministic and needs no download. Time is linear in the length of the text on
any input (see the comments at ``_WINDOW`` and ``_PUNKT_PIECE``); for text that arrives in
pieces, :func:`sqcorpus.text.streaming.iter_segment` gives the same result paragraph by
paragraph.

Longer than 400 lines because the Albanian abbreviation lists and the token pattern, which
are this segmenter's language knowledge, sit beside the rules that read them.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Final

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from ..models import Sentence, Token

__all__ = [
    "ABBREVIATIONS",
    "FINAL_ABBREVIATIONS",
    "segment",
    "segment_paragraphs",
    "tokenize",
]

# --- abbreviations -----------------------------------------------------------------------
# Lower case, without the final period (Punkt's convention). Words that are also ordinary
# Albanian words ("kap" catch, "tel" wire, "rus" Russian, "nën" under, "shih" see, "art")
# are left out on purpose: a sentence may end with them.
ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    {
        # titles and ranks (never end a sentence)
        "z",  # zoti
        "znj",  # zonja
        "zj",  # zonjusha
        "prof",
        "dr",
        "doc",  # docent
        "mr",  # magjistër
        "ing",  # inxhinier
        "av",  # avokat
        "akad",  # akademik
        "gjen",  # gjeneral
        "gen",
        "kol",  # kolonel
        "mjr",  # major
        "imz",  # imzot
        # addresses and references
        "nr",  # numër
        "rr",  # rruga
        "bul",  # bulevardi
        "lagj",  # lagjja
        "fsh",  # fshati
        "sh",  # shih
        "shek",  # shekulli
        "v",  # viti
        "vv",  # vitet
        "fq",  # faqe
        "f",
        "vëll",  # vëllimi
        "bot",  # botimi
        "red",  # redaktor
        "përkth",  # përkthyes
        "tab",  # tabela
        "fig",  # figura
        "krh",  # krahaso
        "p.sh",  # për shembull
        "psh",
        "d.m.th",  # do me thënë
        "shq",  # shqip
        "ang",  # anglisht
        "fr",  # frëngjisht
        "gjerm",  # gjermanisht
        "lat",  # latinisht
        # Albanian digraph initials (Xh. Hoxha, Gj. Fishta)
        "dh",
        "gj",
        "ll",
        "nj",
        "th",
        "xh",
        "zh",
    }
)
"""Abbreviations that are not a sentence end by themselves (lower case, no final period)."""

FINAL_ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    {
        "etj",  # e të tjera
        "sh.a",  # shoqëri aksionare
        "sh.p.k",  # shoqëri me përgjegjësi të kufizuar
        "mln",  # milion
        "mld",  # miliard
        "p.e.s",  # para erës sonë
        "e.s",  # erës sonë
        "p.k",  # pas Krishtit
        "kr",  # Krishtit
    }
)
"""Abbreviations that may also end a sentence (split when a capitalised word follows)."""

_ALL_ABBREVIATIONS: Final = ABBREVIATIONS | FINAL_ABBREVIATIONS
_DIGRAPH_INITIALS: Final = frozenset(
    a.capitalize() for a in ("dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh")
)

_APOSTROPHES: Final = "'\u2019"  # ASCII and typographic (right single quotation mark)
# Characters that open or close a quotation or parenthesis, and dashes; skipped when looking
# for the first letter of the next sentence.
_OPENERS: Final = "\"'\u201c\u201d\u201e\xab\xbb\u2018\u2019\u201a\u2039\u203a([{\u2013\u2014-"
_CLOSERS: Final = "\"'\u201d\u201c\xbb\xab\u2019\u2018\u203a)]}"
_CONTINUATION: Final = ",.;:!?)]}"
_OPENING_RUN_RE: Final = re.compile(rf"[\s{re.escape(_OPENERS)}]*")
_CLOSING_RUN_RE: Final = re.compile(rf"[\s{re.escape(_CLOSERS)}]*\Z")
_PARAGRAPH_RE: Final = re.compile(r"[^\n\r\u2028\u2029]+")


class _AlbanianLanguageVars(PunktLanguageVars):
    """Punkt's language variables with the low-9 quotes used in Albanian print.

    ``„`` (opening) and the single guillemets are treated like the other quotes, so a period
    directly before them is still a candidate boundary and closing ones are realigned.
    """

    re_boundary_realignment = re.compile(
        r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb\u203a\u2039]+?(?:\s+|(?=--)|$)',
        re.MULTILINE,
    )

    @property
    def _re_non_word_chars(self) -> str:
        return r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\u201e\xab\xbb\u2039\u203a?!])"


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ALL_ABBREVIATIONS)
    return PunktSentenceTokenizer(params, lang_vars=_AlbanianLanguageVars())


def _alternation(words: frozenset[str]) -> str:
    # Longest first, so "sh.p.k" wins over "sh".
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# Rules 2 and 3: an abbreviation that can end a sentence, or an ellipsis (not an elision
# mark "(...)"/"[...]"), then optional closing quotes, whitespace, optional opening quotes
# or dashes and an upper-case letter (checked in Python: str.isupper knows Ç and Ë).
_EXTRA_BOUNDARY_RE: Final = re.compile(
    rf"(?:(?<![\w.])(?i:{_alternation(FINAL_ABBREVIATIONS)})\.|(?<![(\[.])(?:\.{{2,}}|…))"
    # Possessive runs: on a long run of spaces or quotes that is not followed by a letter,
    # a greedy ``\s+[...\s]*`` tries every split of the run (quadratic time).
    rf"[{re.escape(_CLOSERS)}]*+(?P<space>\s++)(?P<next>[{re.escape(_OPENERS)}\s]*+\w)"
)


def _can_start(text: str, position: int) -> bool:
    """Whether a sentence may start at ``position`` (rule 1).

    The first character that is not whitespace, an opening quote, bracket or dash must not
    be a lower-case letter or punctuation that continues a sentence.
    """
    index = _OPENING_RUN_RE.match(text, position).end()  # type: ignore[union-attr]
    if index == len(text):
        return True
    return not (text[index].islower() or text[index] in _CONTINUATION)


# Punkt gets a long paragraph in pieces: NLTK runs its regular expressions under a wall-clock
# limit (nltk.redos, 5 s), which a multi-megabyte paragraph on a slow machine could exceed.
_PUNKT_PIECE: Final = 8192
# A piece ends after a word character and the whitespace after it: Punkt's boundary candidates
# are sentence-end characters and the decision at each one reads only the word before it and
# the token after it, so no decision reads across such a cut (the test compares).
_PIECE_CUT_RE: Final = re.compile(r"\w\s")
_SPACE_RUN_RE: Final = re.compile(r"\s*+")


def _punkt_starts(paragraph: str, piece: int = _PUNKT_PIECE) -> set[int]:
    """Punkt's sentence starts in ``paragraph`` (except 0), found piece by piece."""
    starts: set[int] = set()
    begin, length = 0, len(paragraph)
    while begin < length:
        end = length
        if length - begin > 2 * piece:
            cut = _PIECE_CUT_RE.search(paragraph, begin + piece, begin + 2 * piece)
            # Without a word-then-space in the window (no spaces at all) the cut is forced.
            end = begin + piece
            if cut:
                end = _SPACE_RUN_RE.match(paragraph, cut.start() + 1).end()  # type: ignore[union-attr]
        for start, _ in _punkt().span_tokenize(paragraph[begin:end]):
            if start:  # a piece's own start is not a boundary
                starts.add(begin + start)
        begin = end
    return starts


def _sentence_starts(paragraph: str) -> list[int]:
    """Start offsets (in ``paragraph``) of every sentence after the first."""
    starts = _punkt_starts(paragraph)
    for match in _EXTRA_BOUNDARY_RE.finditer(paragraph):
        if match.group("next")[-1].isupper():
            starts.add(match.end("space"))
    # Rule 1 applies last, to Punkt's boundaries and the added ones alike.
    return sorted(s for s in starts if 0 < s < len(paragraph) and _can_start(paragraph, s))


_BOM: Final = "\ufeff"


def segment(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with their tokens; offsets index ``text``.

    Paragraph breaks are hard boundaries; whitespace-only input gives ``[]``. A leading
    byte-order mark is skipped (offsets still count it).
    """
    return list(segment_paragraphs(text, skip_bom=True))


def segment_paragraphs(text: str, offset: int = 0, *, skip_bom: bool = False) -> Iterator[Sentence]:
    """Sentences of ``text``, whose paragraphs must be complete; offsets are shifted by
    ``offset`` (the position of ``text`` in the whole document).

    The building block of :func:`segment` and of :func:`sqcorpus.text.streaming.iter_segment`.
    """
    first = 1 if skip_bom and text.startswith(_BOM) else 0
    for paragraph in _PARAGRAPH_RE.finditer(text, first):
        para_start = offset + paragraph.start()
        para_text = paragraph.group()
        if para_text.isspace():
            continue
        bounds = [0, *_sentence_starts(para_text), len(para_text)]
        for left, right in pairwise(bounds):
            chunk = para_text[left:right]
            stripped = chunk.strip()
            if not stripped:
                continue
            start = para_start + left + (len(chunk) - len(chunk.lstrip()))
            end = start + len(stripped)
            yield Sentence(start, end, stripped, tuple(tokenize(stripped, start)))


# --- tokens ------------------------------------------------------------------------------
_URL_STOP: Final = r"[^\s<>\"\u201c\u201d\u201e\xab\xbb\u2039\u203a]"
_TLDS: Final = "al|com|org|net|eu|info|gov|edu|int|io|mk|rs|uk|de|ru|kp|xk"


def _combining_marks() -> str:
    """A character-class body of every combining mark (Mn, Mc, Me), as ranges."""
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[tuple[int, int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_MARKS: Final = _combining_marks()
# A word character with the combining marks written after it (NFD ë is e + U+0308; ``re``'s \w
# does not cover marks).
_WORD: Final = rf"\w[\w{_MARKS}]*+"
# E-mail addresses and domain names have bounded parts (RFC 5321: a local part of at most 64
# characters; RFC 1035: labels of at most 63); eight labels cover real addresses. The bounds
# make each attempt constant work: unbounded, every token in "abcde.abcde.abcde..." rescanned
# the rest of the run (quadratic time).
_LABEL: Final = r"[\w-]{1,63}"
_TOKEN_RE: Final = re.compile(
    rf"""
      (?P<url>(?:https?://|ftp://|www\.){_URL_STOP}+)
    | (?P<email>[\w.+-]{{1,64}}@{_LABEL}(?:\.{_LABEL}){{1,7}}(?![\w-]))
    | (?P<domain>(?:{_LABEL}\.){{1,8}}(?:{_TLDS})(?!\w)(?:/{_URL_STOP}*)?)
    | (?P<dotted>(?:[^\W\d_]{{1,4}}\.){{2,}})                 # p.sh.  d.m.th.  U.S.A.
    | (?P<known>(?i:{_alternation(frozenset(a for a in _ALL_ABBREVIATIONS if "." in a))})
        (?![\w.]))                                           # sh.a without final period
    | (?P<number>\d+(?:[.,:/]\d+)+(?:-\w+)*)                 # 1.000.000  2,5  01.01.2024
    | (?P<clitic>[sStTçÇmM][{_APOSTROPHES}](?=\s|$)|[{_APOSTROPHES}]\d\d(?!\w))  # t' i  '99
    | (?P<word>{_WORD}(?:[{_APOSTROPHES}]{_WORD})*(?:-{_WORD}(?:[{_APOSTROPHES}]{_WORD})*)*)
    | (?P<ellipsis>\.{{2,}}|…)
    | (?P<punct>[?!]+|-{{2,}}|\S)
    """,
    re.VERBOSE,
)
_MARK_RUN_RE: Final = re.compile(rf"[{_MARKS}]*+")
_URL_TRAILING: Final = ".,;:!?)]}'\u2019\"\u201d\xbb"
# Every alternative of _TOKEN_RE either has a bounded reach (under 700 characters) or keeps what
# it reads, up to a few characters of look-ahead. So a token is matched inside a window that
# covers every bounded alternative, and a match ending within _SLACK of a window that the text
# goes beyond is redone in a window twice as large: each attempt reads a bounded stretch, and
# the whole sentence is read a bounded number of times (linear time on any input).
_WINDOW: Final = 1024
_SLACK: Final = 8


def _match_token(text: str, position: int) -> re.Match[str]:
    window = _WINDOW
    while True:
        endpos = min(len(text), position + window)
        match = _TOKEN_RE.match(text, position, endpos)
        assert match is not None  # the last alternative matches any non-space character
        if endpos == len(text) or match.end() < endpos - _SLACK:
            return match
        window *= 2


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _closes_text(text: str, position: int) -> bool:
    """True when only closing punctuation and whitespace follow ``position``."""
    return _CLOSING_RUN_RE.match(text, position) is not None


def _keeps_period(word: str, text: str, period: int) -> bool:
    """Whether the period at ``text[period]`` after ``word`` belongs to the word."""
    if text.startswith("..", period):
        return False
    lower = word.lower()
    if lower in FINAL_ABBREVIATIONS:
        return True
    is_initial = (len(word) == 1 and word.isupper()) or word in _DIGRAPH_INITIALS
    return (lower in ABBREVIATIONS or is_initial) and not _closes_text(text, period + 1)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokenize one string (normally one sentence); offsets are shifted by ``offset``.

    The end of ``text`` counts as a sentence end (a final ``Dr.`` gives its period back).
    """
    tokens: list[Token] = []
    length = len(text)
    position = _skip_space(text, 0)
    while position < length:
        match = _match_token(text, position)
        end = match.end()
        kind = match.lastgroup
        if kind in ("url", "domain"):
            while end - 1 > position and text[end - 1] in _URL_TRAILING:
                end -= 1
        elif (
            kind == "word" and text.startswith(".", end) and _keeps_period(match.group(), text, end)
        ):
            end += 1
        # Combining marks belong to the character before them (".\u0301" is one token).
        end = _MARK_RUN_RE.match(text, end).end()  # type: ignore[union-attr]
        tokens.append(Token(offset + position, offset + end, text[position:end]))
        position = _skip_space(text, end)
    return tokens
