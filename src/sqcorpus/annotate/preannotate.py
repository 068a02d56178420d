"""A transparent rule-based pre-annotator for Albanian news sentences.

It proposes entities and hedge cues for the annotator to correct in Label Studio; it never
proposes a stance (the stance baseline is the majority class). Every decision comes from a
rule that can be read here or from data that can be read in ``resources/``:

1. a gazetteer (``resources/gazetteer.tsv``): names with every case form generated from
   their Albanian declension class (Putin, Putini, Putinit, Putinin; Kore e Veriut, Koresë
   së Veriut, ...), nationality adjectives (rus, ruse, rusët, ...);
2. named facilities and institutions: a capitalised head noun (Pallati, Aeroporti,
   Universiteti, ...) followed by capitalised words, optionally joined by a linker;
3. date patterns (day + month, month + year, ``viti NNNN``, weekdays, ``sot``, numbers of
   years/months/days, ``N vjet më parë``); clock durations (``nëntë orë``) are not dates;
4. capitalisation: two or more adjacent unknown capitalised words that do not start a
   sentence are a person; an unknown acronym of three or more capitals is an organisation;
   a single unknown capitalised word is skipped (precision first);
5. hedge cues from a lexicon (``resources/hedge_cues.tsv``), each with a scope that runs
   from the cue to the end of its clause.

Spans always start and end on token boundaries; where spans overlap the longest wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ..errors import SqcorpusError
from ..models import SentenceAnnotation, Span, Token
from .lexicon import (
    CLAUSE_END,
    CLAUSE_STARTERS,
    LINKERS,
    OPENERS,
    QUOTES,
    RELATIVE,
    SENTENCE_FINAL,
    SEPARATORS,
    GazetteerEntry,
    HedgeCue,
    cue_patterns,
    date_pattern,
    gazetteer_patterns,
    name_head_patterns,
    norp_compound_pattern,
)

MODEL_VERSION: Final = "sqcorpus-rules-1.0"

_PRIORITY: Final = {"gazetteer": 0, "name-head": 1, "date": 2, "norp-compound": 3}


# --- helpers on text and tokens -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    label: str
    source: str

    @property
    def rank(self) -> tuple[int, int, int]:
        return (-(self.end - self.start), _PRIORITY.get(self.source, 9), self.start)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word)


def _is_acronym(word: str) -> bool:
    return (
        len(word) >= 3
        and word.isalpha()
        and word.isupper()
        and not re.fullmatch("[IVXLCDM]+", word)
    )


def _starts_sentence(text: str, position: int) -> bool:
    """True at the text start, after sentence-final punctuation, or after an opening quote."""
    before = text[:position].rstrip()
    return not before or before[-1] in SENTENCE_FINAL or before[-1] in OPENERS


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Two tokens separated by plain spaces only (no punctuation, no line break)."""
    gap = text[left.end : right.start]
    return bool(gap) and gap.strip(" \u00a0") == ""


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (then by source priority)."""
    chosen: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: c.rank):
        if all(candidate.end <= c.start or c.end <= candidate.start for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _check_tokens(text: str, tokens: Sequence[Token]) -> None:
    for index, token in enumerate(tokens):
        if (
            not 0 <= token.start < token.end <= len(text)
            or text[token.start : token.end] != token.text
        ):
            where = f"[{token.start}, {token.end})"
            raise SqcorpusError(
                f"token {index} {token.text!r} {where} does not match the text",
                field="tokens",
            )


# --- the rules ------------------------------------------------------------------------------
def _regex_candidates(
    text: str, starts: set[int], ends: set[int], gazetteer: tuple[GazetteerEntry, ...] | None
) -> list[_Candidate]:
    found: list[_Candidate] = []

    def add(match: re.Match[str], label: str, source: str) -> None:
        if match.start() in starts and match.end() in ends:
            found.append(_Candidate(match.start(), match.end(), label, source))

    for label, pattern in gazetteer_patterns(gazetteer):
        for match in pattern.finditer(text):
            add(match, label, "gazetteer")
    for match in date_pattern().finditer(text):
        add(match, "DATE", "date")
    for match in norp_compound_pattern().finditer(text):
        add(match, "NORP", "norp-compound")
    return found


def _name_head_candidates(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    found = []
    for index, token in enumerate(tokens):
        label = next(
            (lab for pattern, lab in name_head_patterns() if pattern.fullmatch(token.text)), None
        )
        if label is None:
            continue
        last = index
        position = index + 1
        while position < len(tokens) and _adjacent(text, tokens[position - 1], tokens[position]):
            word = tokens[position].text
            if _is_capitalised(word):
                last = position
                position += 1
            elif (
                word in LINKERS
                and position + 1 < len(tokens)
                and _adjacent(text, tokens[position], tokens[position + 1])
                and _is_capitalised(tokens[position + 1].text)
            ):
                last = position + 1
                position += 2
            else:
                break
        if last > index:
            found.append(_Candidate(token.start, tokens[last].end, label, "name-head"))
    return found


def _capitalisation_spans(
    text: str, tokens: Sequence[Token], covered: Sequence[_Candidate]
) -> list[_Candidate]:
    def free(token: Token) -> bool:
        return all(token.end <= c.start or c.end <= token.start for c in covered)

    found: list[_Candidate] = []
    run: list[Token] = []

    def close_run() -> None:
        if len(run) >= 2:
            found.append(_Candidate(run[0].start, run[-1].end, "PER", "capitalisation"))
        run.clear()

    for token in tokens:
        word = token.text
        if _is_acronym(word) and free(token) and not _starts_sentence(text, token.start):
            close_run()
            found.append(_Candidate(token.start, token.end, "ORG", "capitalisation"))
            continue
        usable = _is_capitalised(word) and free(token)
        if usable and run and _adjacent(text, run[-1], token):
            run.append(token)
            continue
        close_run()
        if usable and not _starts_sentence(text, token.start):
            run.append(token)
    close_run()
    return found


def _hedges(
    text: str,
    tokens: Sequence[Token],
    hedge_cues: tuple[HedgeCue, ...] | None,
    clause_starters: frozenset[str],
) -> tuple[list[Span], list[Span]]:
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    candidates = [
        _Candidate(m.start(), m.end(), "CUE", "lexicon")
        for pattern in cue_patterns(hedge_cues)
        for m in pattern.finditer(text)
        if m.start() in starts and m.end() in ends
    ]
    cues, scopes = [], []
    for cue in _select(candidates):
        cues.append(Span(cue.start, cue.end, text[cue.start : cue.end], "CUE"))
        scopes.append(hedge_scope(text, tokens, cue.start, cue.end, clause_starters))
    return cues, scopes


def hedge_scope(
    text: str,
    tokens: Sequence[Token],
    start: int,
    end: int,
    clause_starters: frozenset[str] = CLAUSE_STARTERS,
) -> Span:
    """The scope of the cue ``text[start:end]``: from the cue to the end of its clause.

    ``end`` must be a token end (the cue's last token).
    """
    last_of_cue = next(i for i, t in enumerate(tokens) if t.end == end)
    last = _clause_end(tokens, last_of_cue, text, start, clause_starters)
    scope_end = tokens[last].end
    return Span(start, scope_end, text[start:scope_end], "SCOPE")


def _clause_end(
    tokens: Sequence[Token],
    last: int,
    text: str,
    start: int,
    clause_starters: frozenset[str] = CLAUSE_STARTERS,
) -> int:
    """Index of the last token of the clause that begins at the cue (token ``last`` ends it)."""
    position = last + 1
    end = last
    while position < len(tokens):
        word = tokens[position].text
        if word in CLAUSE_END:
            break
        if word in SEPARATORS and position + 1 < len(tokens):
            following = tokens[position + 1].text.lower()
            relative = (
                following in LINKERS
                and position + 2 < len(tokens)
                and tokens[position + 2].text.lower() in RELATIVE
            )
            if following in clause_starters or relative:
                break
        end = position
        position += 1
    # Trailing punctuation stays out, except a quote that closes one opened inside the scope.
    while end > last:
        word = tokens[end].text
        if any(c.isalnum() for c in word):
            break
        if set(word) <= QUOTES:
            inside = text[start : tokens[end].end]
            if sum(inside.count(q) for q in QUOTES) % 2 == 0:
                break
        end -= 1
    return end


def preannotate(
    text: str,
    tokens: Sequence[Token],
    *,
    gazetteer: tuple[GazetteerEntry, ...] | None = None,
    hedge_cues: tuple[HedgeCue, ...] | None = None,
    clause_starters: frozenset[str] = CLAUSE_STARTERS,
) -> SentenceAnnotation:
    """Rule-based entities and hedges for one sentence; ``stance`` stays ``None``.

    ``tokens`` index ``text``; every span returned lies on their boundaries. ``gazetteer``
    and ``hedge_cues`` default to the resources of :data:`MODEL_VERSION`, ``clause_starters``
    (the words after a comma that end a scope) to its list; other versions
    (:mod:`sqcorpus.annotate.provenance`) pass their own.
    """
    _check_tokens(text, tokens)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    first = _select(
        [*_regex_candidates(text, starts, ends, gazetteer), *_name_head_candidates(text, tokens)]
    )
    entities = _select([*first, *_capitalisation_spans(text, tokens, first)])
    cues, scopes = _hedges(text, tokens, hedge_cues, clause_starters)
    return SentenceAnnotation(
        entities=[Span(c.start, c.end, text[c.start : c.end], c.label) for c in entities],
        hedge_cues=cues,
        hedge_scopes=scopes,
    )
