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
from functools import cache
from importlib import resources
from typing import Final

from .. import schema
from ..errors import SqcorpusError
from ..models import SentenceAnnotation, Span, Token

MODEL_VERSION: Final = "sqcorpus-rules-1.0"

GAZETTEER_FILE: Final = "gazetteer.tsv"
HEDGE_CUES_FILE: Final = "hedge_cues.tsv"

LINKERS: Final = frozenset({"e", "i", "së", "të"})
"""Albanian adjectival/genitive articles that join the words of a name (Koresë *së* Veriut)."""

# Case endings added to the inflected word of a name, by declension class.
_ENDINGS: Final[dict[str, tuple[str, ...]]] = {
    "m": ("", "i", "it", "in", "-i", "-it", "-in"),
    "mu": ("", "u", "ut", "un", "-u", "-ut", "-un"),
    "mv": ("", "t", "n", "s", "ja", "-t", "-n", "-s", "-ja"),
    "fi": ("", "a", "së", "në", "e"),
    "fv": ("", "ja", "së", "në", "je", "s", "n"),
    "inv": ("",),
    "adj": ("", "e", "ë", "ët", "ëve", "i", "in", "it", "ja", "en", "es"),
}
DECLENSION_CLASSES: Final = frozenset({*_ENDINGS, "ma", "f", "pl"})

# Named facilities and institutions: a capitalised head noun (any case form) that starts a
# name when capitalised words follow it ("Pallati i Kongreseve" needs capitals after it).
_MASC: Final = r"(?:i|it|in|e|et|eve)?"
_FEM: Final = r"(?:a|ës|ën|ë|at|ave)?"
NAME_HEADS: Final[dict[str, str]] = {
    rf"Pallat{_MASC}": "FAC",
    rf"Aeroport{_MASC}": "FAC",
    rf"Stadium{_MASC}": "FAC",
    rf"Shesh{_MASC}": "FAC",
    rf"Hotel{_MASC}": "FAC",
    rf"Bulevard{_MASC}": "FAC",
    rf"Tunel{_MASC}": "FAC",
    rf"Spital{_MASC}": "FAC",
    r"Muze(?:u|ut|un|ve)?": "FAC",
    rf"Rrug{_FEM}": "FAC",
    rf"Kështjell{_FEM}": "FAC",
    rf"Katedral{_FEM}": "FAC",
    r"Xhami(?:a|së|në|të)?": "FAC",
    rf"Kish{_FEM}": "FAC",
    rf"Ur{_FEM}": "FAC",
    rf"Universitet{_MASC}": "ORG",
    r"Akademi(?:a|së|në)?": "ORG",
    r"Ministri(?:a|së|në)": "ORG",
    r"Agjenci(?:a|së|në)": "ORG",
    r"Parti(?:a|së|në)": "ORG",
    rf"Bank{_FEM}": "ORG",
    rf"Komitet{_MASC}": "ORG",
    rf"Gjykat{_FEM}": "ORG",
}

# --- dates ---------------------------------------------------------------------------------
_MONTH: Final = (
    r"(?:janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor|dhjetor)"
    r"(?:i|it|in)?"
)
_NUMBER: Final = (
    r"(?:\d+|një|dy|tre|tri|katër|pesë|gjashtë|shtatë|tetë|nëntë|dhjetë|njëmbëdhjetë|"
    r"dymbëdhjetë|njëzet|tridhjetë|dyzet|pesëdhjetë|njëqind|disa|shumë)"
)
_PERIOD: Final = (
    r"(?:vjet|vite|vitesh|vjetësh|muaj|muajsh|javë|javësh|ditë|ditësh|"
    r"dekada|dekadash|shekuj|shekujsh)"
)
DATE_PATTERNS: Final[tuple[str, ...]] = (
    # 18 qershorit; shkurt të 2022; 18 qershor 2024
    rf"(?:\d{{1,2}}\s+)?{_MONTH}(?:\s+(?:të\s+|e\s+)?(?:19|20)\d\d)?",
    # viti 2000, vitin 2019, vitet 1990
    r"vit(?:i|in|it|et|eve)?\s+(?:1[89]|20)\d\d",
    # e hënë, së mërkurës, të premten, e diela
    r"(?:e|së|të)\s+(?:hën|mart|mërkur|enjt|premt|shtun|diel)(?:ë|a|ës|ën|e|en|es)?",
    # 24 vjet më parë, 24 vjetësh, dy ditë, disa muaj
    rf"{_NUMBER}\s+{_PERIOD}(?:\s+më\s+(?:parë|vonë))?",
    # dekadash (of decades)
    r"dekada|dekadash|dekadave",
    # këtë javë, vitin e kaluar, muajin e ardhshëm
    r"këtë\s+(?:javë|muaj|vit)",
    r"(?:javën|javës|muajin|muajit|vitin|vitit)\s+(?:e|të)\s+"
    r"(?:kaluar|shkuar|ardhshëm|ardhshme|ardhshëm)",
    # shekullin e 20, shekulli XXI
    r"shekull(?:i|it|in)?\s+(?:e\s+|të\s+)?(?:\d{1,2}|[XVI]+)(?:-\w+)?",
    # 18.06.2024, 18/6/24
    r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})",
    r"sot|dje|nesër|pardje|pasnesër|sivjet",
)

# NORP compounds: ruso-koreane, sino-amerikan (the prefix form of a nationality).
NORP_PREFIXES: Final[tuple[str, ...]] = (
    "ruso",
    "sino",
    "kino",
    "amerikano",
    "anglo",
    "franko",
    "gjermano",
    "italo",
    "greko",
    "serbo",
    "turko",
    "koreano",
    "japono",
    "ukraino",
    "shqiptaro",
)

# --- clauses (for hedge scopes) -------------------------------------------------------------
CLAUSE_END: Final = frozenset({".", "!", "?", "…", ";", "...", "?!"})
"""Tokens that always end a clause."""
CLAUSE_STARTERS: Final = frozenset(
    {
        "ku",
        "ndërsa",
        "kurse",
        "por",
        "mirëpo",
        "megjithatë",
        "teksa",
        "sepse",
        "pasi",
        "ndërkohë",
        "pra",
        # reporting frames after a quotation: "...", shkruan BBC
        "tha",
        "thotë",
        "shkruan",
        "raporton",
        "citon",
        "deklaroi",
        "theksoi",
        "sipas",
        "shtoi",
        "njofton",
        "njoftoi",
    }
)
"""Words that open a new clause when they follow a comma, colon or dash."""
_RELATIVE: Final = frozenset({"cili", "cila", "cilët", "cilat"})
_DASHES: Final = "\u2014\u2013-"  # em dash, en dash, hyphen
_SEPARATORS: Final = frozenset({",", ":", *_DASHES})
QUOTES: Final = frozenset(
    "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"
)  # straight, curly, guillemets
_OPENERS: Final = frozenset(['"', "'", "\u201c", "\u201e", "\u00ab", "\u2018", "(", "[", *_DASHES])
_SENTENCE_FINAL: Final = frozenset(".!?…")

_PRIORITY: Final = {"gazetteer": 0, "name-head": 1, "date": 2, "norp-compound": 3}


# --- resources ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer row: a label, its spellings, a declension class and irregular forms."""

    label: str
    names: tuple[str, ...]
    declension: str
    extra: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HedgeCue:
    """One lexicon row: the cue regex, the context that must follow it, an English gloss."""

    cue: str
    context: str
    gloss: str


def _resource_rows(name: str, columns: tuple[int, int]) -> list[tuple[int, list[str]]]:
    """Non-comment rows of a TSV resource as (line number, fields), checked for width."""
    text = resources.files(__package__).joinpath("resources", name).read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        low, high = columns
        if not low <= len(fields) <= high:
            raise SqcorpusError(
                f"expected {low} to {high} tab-separated columns, got {len(fields)}",
                file=f"sqcorpus/annotate/resources/{name}",
                item=f"line {number}",
            )
        rows.append((number, fields + [""] * (high - len(fields))))
    return rows


@cache
def load_gazetteer() -> tuple[GazetteerEntry, ...]:
    """The gazetteer rows of ``resources/gazetteer.tsv``, checked."""
    entries = []
    for number, (label, names, declension, extra) in _resource_rows(GAZETTEER_FILE, (3, 4)):
        where = {"file": f"sqcorpus/annotate/resources/{GAZETTEER_FILE}", "item": f"line {number}"}
        if label not in schema.ENTITY_LABELS:
            raise SqcorpusError(f"unknown entity label {label!r}", field="label", **where)
        if declension not in DECLENSION_CLASSES:
            raise SqcorpusError(f"unknown declension {declension!r}", field="class", **where)
        entry = GazetteerEntry(
            label=label,
            names=tuple(n.strip() for n in names.split("|") if n.strip()),
            declension=declension,
            extra=tuple(x.strip() for x in extra.split("|") if x.strip()),
        )
        try:
            surface_forms(entry)
        except ValueError as err:
            raise SqcorpusError(str(err), field="name", **where) from None
        entries.append(entry)
    return tuple(entries)


@cache
def load_hedge_cues() -> tuple[HedgeCue, ...]:
    """The cue lexicon of ``resources/hedge_cues.tsv``, each regex checked."""
    cues = []
    for number, (cue, context, gloss) in _resource_rows(HEDGE_CUES_FILE, (3, 3)):
        try:
            re.compile(cue)
            re.compile(context)
        except re.error as err:
            raise SqcorpusError(
                f"bad regular expression: {err}",
                file=f"sqcorpus/annotate/resources/{HEDGE_CUES_FILE}",
                item=f"line {number}",
            ) from None
        cues.append(HedgeCue(cue=cue, context=context, gloss=gloss))
    return tuple(cues)


# --- morphology -----------------------------------------------------------------------------
def inflect(word: str, declension: str) -> set[str]:
    """The case forms of ``word`` in declension class ``declension`` (see gazetteer.tsv)."""
    if declension == "ma":
        stem = word[:-1] if word.endswith("a") else word
        return {word, stem + "ës", stem + "ën"}
    if declension == "f":
        if word.endswith("ë"):
            stem = word[:-1]
            return {word, stem + "a", stem + "ës", stem + "ën", stem + "e"}
        if word.endswith("e"):
            stem = word[:-1]
            return {word, stem + "a", stem + "es", stem + "en"}
        raise ValueError(f"class 'f' needs a word in -ë or -e, got {word!r}")
    if declension == "pl":
        if not word.endswith("t"):
            raise ValueError(f"class 'pl' needs a definite plural in -t, got {word!r}")
        return {word, word[:-1] + "ve"}
    return {word + ending for ending in _ENDINGS[declension]}


def surface_forms(entry: GazetteerEntry) -> set[str]:
    """Every surface form of a gazetteer entry (case forms, linker agreement, spellings)."""
    forms = set(entry.extra)
    for name in entry.names:
        words = name.split()
        starred = [i for i, w in enumerate(words) if w.endswith("*")]
        words = [w.rstrip("*") for w in words]
        linker = next((i for i, w in enumerate(words) if i > 0 and w in LINKERS), None)
        if starred:
            head = starred[0]
        elif linker is not None:
            head = linker - 1
        else:
            head = len(words) - 1
        linker_choices = sorted(LINKERS) if linker is not None else [None]
        for form in inflect(words[head], entry.declension):
            for choice in linker_choices:
                variant = list(words)
                variant[head] = form
                if linker is not None and choice is not None:
                    variant[linker] = choice
                forms.add(" ".join(variant))
    return forms


def _alternation(forms: Iterable[str]) -> str:
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


@cache
def _gazetteer_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One compiled pattern per label; names are case-sensitive, adjectives either case."""
    by_label: dict[str, set[str]] = {}
    invariable: dict[str, set[str]] = {}
    adjectives: dict[str, set[str]] = {}
    for entry in load_gazetteer():
        forms = surface_forms(entry)
        if entry.declension == "inv":
            invariable.setdefault(entry.label, set()).update(forms)
        elif entry.declension == "adj":
            adjectives.setdefault(entry.label, set()).update(forms)
        else:
            by_label.setdefault(entry.label, set()).update(forms)
    names = set().union(*by_label.values(), *invariable.values())
    for label, forms in adjectives.items():
        # Sentence-initial "Rusët"; but never "Rusi" the country as the adjective "rusi".
        capitalised = {f[0].upper() + f[1:] for f in forms} - names
        by_label.setdefault(label, set()).update(forms | capitalised)
    patterns = []
    for label in schema.ENTITY_LABELS:
        parts = []
        if by_label.get(label):
            parts.append(f"(?:{_alternation(by_label[label])})")
        if invariable.get(label):
            parts.append(f"(?:{_alternation(invariable[label])})(?:-\\w+)?")
        if parts:
            pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")
            patterns.append((label, pattern))
    return tuple(patterns)


@cache
def _date_pattern() -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{p})" for p in DATE_PATTERNS)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@cache
def _norp_compound_pattern() -> re.Pattern[str]:
    prefixes = "|".join(NORP_PREFIXES)
    return re.compile(rf"(?<![\w-])(?:{prefixes})-[^\W\d_]+(?![\w-])", re.IGNORECASE)


@cache
def _name_head_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"(?:{head})"), label) for head, label in NAME_HEADS.items())


@cache
def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    for cue in load_hedge_cues():
        body = cue.cue.replace(" ", r"\s+")
        follow = cue.context.replace(" ", r"\s+")
        context = rf"(?=\s+(?:{follow})(?!\w))" if follow else ""
        patterns.append(re.compile(rf"(?<!\w)(?:{body})(?!\w){context}", re.IGNORECASE))
    return tuple(patterns)


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
    return not before or before[-1] in _SENTENCE_FINAL or before[-1] in _OPENERS


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
def _regex_candidates(text: str, starts: set[int], ends: set[int]) -> list[_Candidate]:
    found: list[_Candidate] = []

    def add(match: re.Match[str], label: str, source: str) -> None:
        if match.start() in starts and match.end() in ends:
            found.append(_Candidate(match.start(), match.end(), label, source))

    for label, pattern in _gazetteer_patterns():
        for match in pattern.finditer(text):
            add(match, label, "gazetteer")
    for match in _date_pattern().finditer(text):
        add(match, "DATE", "date")
    for match in _norp_compound_pattern().finditer(text):
        add(match, "NORP", "norp-compound")
    return found


def _name_head_candidates(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    found = []
    for index, token in enumerate(tokens):
        label = next(
            (lab for pattern, lab in _name_head_patterns() if pattern.fullmatch(token.text)), None
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


def _hedges(text: str, tokens: Sequence[Token]) -> tuple[list[Span], list[Span]]:
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    candidates = [
        _Candidate(m.start(), m.end(), "CUE", "lexicon")
        for pattern in _cue_patterns()
        for m in pattern.finditer(text)
        if m.start() in starts and m.end() in ends
    ]
    cues, scopes = [], []
    for cue in _select(candidates):
        cues.append(Span(cue.start, cue.end, text[cue.start : cue.end], "CUE"))
        last = _clause_end(tokens, ends[cue.end], text, cue.start)
        end = tokens[last].end
        scopes.append(Span(cue.start, end, text[cue.start : end], "SCOPE"))
    return cues, scopes


def _clause_end(tokens: Sequence[Token], last: int, text: str, start: int) -> int:
    """Index of the last token of the clause that begins at the cue (token ``last`` ends it)."""
    position = last + 1
    end = last
    while position < len(tokens):
        word = tokens[position].text
        if word in CLAUSE_END:
            break
        if word in _SEPARATORS and position + 1 < len(tokens):
            following = tokens[position + 1].text.lower()
            relative = (
                following in LINKERS
                and position + 2 < len(tokens)
                and tokens[position + 2].text.lower() in _RELATIVE
            )
            if following in CLAUSE_STARTERS or relative:
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


def preannotate(text: str, tokens: Sequence[Token]) -> SentenceAnnotation:
    """Rule-based entities and hedges for one sentence; ``stance`` stays ``None``.

    ``tokens`` index ``text``; every span returned lies on their boundaries.
    """
    _check_tokens(text, tokens)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    first = _select([*_regex_candidates(text, starts, ends), *_name_head_candidates(text, tokens)])
    entities = _select([*first, *_capitalisation_spans(text, tokens, first)])
    cues, scopes = _hedges(text, tokens)
    return SentenceAnnotation(
        entities=[Span(c.start, c.end, text[c.start : c.end], c.label) for c in entities],
        hedge_cues=cues,
        hedge_scopes=scopes,
    )
