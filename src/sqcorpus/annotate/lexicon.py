"""The Albanian language data of the pre-annotator: gazetteer and hedge-cue resources, the
declension that generates every case form of a name, name heads, date patterns and the words
that open or close a clause. Rules live in :mod:`.preannotate`; this module is what they know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from .. import schema
from ..errors import SqcorpusError

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
RELATIVE: Final = frozenset({"cili", "cila", "cilët", "cilat"})
_DASHES: Final = "\u2014\u2013-"  # em dash, en dash, hyphen
SEPARATORS: Final = frozenset({",", ":", *_DASHES})
QUOTES: Final = frozenset(
    "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"
)  # straight, curly, guillemets
OPENERS: Final = frozenset(['"', "'", "\u201c", "\u201e", "\u00ab", "\u2018", "(", "[", *_DASHES])
SENTENCE_FINAL: Final = frozenset(".!?…")


# --- resources ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer row: a label, its spellings, a declension class and irregular forms."""

    label: str
    names: tuple[str, ...]
    declension: str
    extra: tuple[str, ...] = ()
    provenance: str = ""
    """Where the entry came from: ``seed-article``, ``general`` or ``cldr-<version>:...``."""


@dataclass(frozen=True, slots=True)
class HedgeCue:
    """One lexicon row: the cue regex, the context that must follow it, an English gloss."""

    cue: str
    context: str
    gloss: str
    provenance: str = ""


PROVENANCE_HEADER: Final = "# provenance: "
"""A resource file's header line giving the provenance of every row without its own column."""


def _resource_rows(name: str, columns: tuple[int, int]) -> list[tuple[int, list[str]]]:
    """Non-comment rows of a TSV resource as (line number, fields), checked for width.

    Rows narrower than ``columns[1]`` are padded with ``""``, except that a missing last
    column (the provenance) takes the file's ``# provenance:`` header value.
    """
    text = resources.files(__package__).joinpath("resources", name).read_text(encoding="utf-8")
    rows = []
    provenance = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(PROVENANCE_HEADER):
            provenance = line[len(PROVENANCE_HEADER) :].strip()
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
        padded = fields + [""] * (high - len(fields))
        if len(fields) < high and provenance:
            padded[-1] = provenance
        rows.append((number, padded))
    return rows


@cache
def load_gazetteer(name: str = GAZETTEER_FILE) -> tuple[GazetteerEntry, ...]:
    """The gazetteer rows of ``resources/<name>`` (default ``gazetteer.tsv``), checked."""
    entries = []
    for number, fields in _resource_rows(name, (3, 5)):
        label, names, declension, extra, provenance = fields
        where = {"file": f"sqcorpus/annotate/resources/{name}", "item": f"line {number}"}
        if label not in schema.ENTITY_LABELS:
            raise SqcorpusError(f"unknown entity label {label!r}", field="label", **where)
        if declension not in DECLENSION_CLASSES:
            raise SqcorpusError(f"unknown declension {declension!r}", field="class", **where)
        entry = GazetteerEntry(
            label=label,
            names=tuple(n.strip() for n in names.split("|") if n.strip()),
            declension=declension,
            extra=tuple(x.strip() for x in extra.split("|") if x.strip()),
            provenance=provenance,
        )
        try:
            surface_forms(entry)
        except ValueError as err:
            raise SqcorpusError(str(err), field="name", **where) from None
        entries.append(entry)
    return tuple(entries)


@cache
def load_hedge_cues(name: str = HEDGE_CUES_FILE) -> tuple[HedgeCue, ...]:
    """The cue lexicon of ``resources/<name>`` (default ``hedge_cues.tsv``), regexes checked."""
    cues = []
    for number, (cue, context, gloss, provenance) in _resource_rows(name, (3, 4)):
        try:
            re.compile(cue)
            re.compile(context)
        except re.error as err:
            raise SqcorpusError(
                f"bad regular expression: {err}",
                file=f"sqcorpus/annotate/resources/{name}",
                item=f"line {number}",
            ) from None
        cues.append(HedgeCue(cue=cue, context=context, gloss=gloss, provenance=provenance))
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
def gazetteer_patterns(
    gazetteer: tuple[GazetteerEntry, ...] | None = None,
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One compiled pattern per label; names are case-sensitive, adjectives either case.

    ``gazetteer`` defaults to ``gazetteer.tsv`` (``sqcorpus-rules-1.0``).
    """
    by_label: dict[str, set[str]] = {}
    invariable: dict[str, set[str]] = {}
    adjectives: dict[str, set[str]] = {}
    for entry in load_gazetteer() if gazetteer is None else gazetteer:
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
def date_pattern() -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{p})" for p in DATE_PATTERNS)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@cache
def norp_compound_pattern() -> re.Pattern[str]:
    prefixes = "|".join(NORP_PREFIXES)
    return re.compile(rf"(?<![\w-])(?:{prefixes})-[^\W\d_]+(?![\w-])", re.IGNORECASE)


@cache
def name_head_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"(?:{head})"), label) for head, label in NAME_HEADS.items())


@cache
def cue_patterns(hedge_cues: tuple[HedgeCue, ...] | None = None) -> tuple[re.Pattern[str], ...]:
    """One pattern per cue of ``hedge_cues`` (default: ``hedge_cues.tsv``)."""
    patterns = []
    for cue in load_hedge_cues() if hedge_cues is None else hedge_cues:
        body = cue.cue.replace(" ", r"\s+")
        follow = cue.context.replace(" ", r"\s+")
        context = rf"(?=\s+(?:{follow})(?!\w))" if follow else ""
        patterns.append(re.compile(rf"(?<!\w)(?:{body})(?!\w){context}", re.IGNORECASE))
    return tuple(patterns)
