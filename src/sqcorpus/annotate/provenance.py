"""The pre-annotator's lexicons by version, with the provenance of every entry.

A lexicon is a gazetteer and a hedge-cue list, read from ``resources/``. Every entry says
where it came from, so a score can be refused on a document the lexicon was written from:

* ``seed-article``: hand-written while annotating the seed article
  (:data:`SEED_DOC_ID`); ``gazetteer.tsv`` and ``hedge_cues.tsv``, the whole of
  ``sqcorpus-rules-1.0``. Not every entry is a name from that article, but none can be
  proven independent of it, so all of them count as written from it.
* ``general``: general Albanian grammar (``hedge_cues_general.tsv``), no corpus document.
* ``cldr-<version>:<kind>:<key>``: generated from Unicode CLDR (``gazetteer_cldr.tsv``,
  see :mod:`sqcorpus.annotate.cldr`).
* ``doc:<doc_id>``: written from a corpus document (none today; the form exists so a later
  entry can say so, and the refusal then covers it).

``sqcorpus-rules-2.0`` is frozen: its files are fixed below and their content is committed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final

from ..errors import SqcorpusError
from .lexicon import (
    CLAUSE_STARTERS,
    GazetteerEntry,
    HedgeCue,
    load_gazetteer,
    load_hedge_cues,
)

SEED_DOC_ID: Final = "putin-north-korea-2024-06"
SEED_ARTICLE: Final = "seed-article"
GENERAL: Final = "general"
CLDR: Final = "cldr"
DOC_PREFIX: Final = "doc:"
PROVENANCE_KINDS: Final = (SEED_ARTICLE, GENERAL, CLDR, "doc")

RULES_1: Final = "sqcorpus-rules-1.0"
RULES_2: Final = "sqcorpus-rules-2.0"

RESOURCE_FILES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    RULES_1: (("gazetteer.tsv",), ("hedge_cues.tsv",)),
    RULES_2: (
        ("gazetteer.tsv", "gazetteer_cldr.tsv"),
        ("hedge_cues.tsv", "hedge_cues_general.tsv"),
    ),
}
"""The resource files of each rule version: (gazetteers, hedge-cue lists)."""

SCOPE_ENDERS_2: Final = frozenset(
    {"megjithëse", "ndonëse", "megjithëqë", "nëse", "meqë", "meqenëse", "derisa", "sikurse"}
)
"""Adverbial-clause conjunctions (concessive, conditional, causal) that, after a comma, end a
scope in 2.0 (guidelines 5.4, rule 3: an adverbial clause is outside the scope)."""
CLAUSE_STARTERS_BY_VERSION: Final[dict[str, frozenset[str]]] = {
    RULES_1: CLAUSE_STARTERS,
    RULES_2: CLAUSE_STARTERS | SCOPE_ENDERS_2,
}


FROZEN_DIGESTS: Final[dict[str, str]] = {
    RULES_1: "2a68acf4b66f3c45bc7e8b8d2c5fdc8649f88e5668b66200953f874ee9d58e51",
    RULES_2: "1a2c39c39c35be889fd4f61cae3f7003eccecdee8e385e2238aa2d7edfe2f50e",
}
"""sha256 of each version's resource files (:func:`resource_digest`). A frozen version never
changes: a change to its resources is a new version with a new name."""


def provenance_kind(provenance: str) -> str:
    """``seed-article``, ``general``, ``cldr`` or ``doc``; raise on anything else."""
    if provenance in (SEED_ARTICLE, GENERAL):
        return provenance
    if provenance.startswith("cldr-") and ":" in provenance:
        return CLDR
    if provenance.startswith(DOC_PREFIX) and len(provenance) > len(DOC_PREFIX):
        return "doc"
    raise SqcorpusError(
        f"unknown provenance {provenance!r}; expected one of {', '.join(PROVENANCE_KINDS)}",
        field="provenance",
    )


def documents_of(provenance: str) -> frozenset[str]:
    """The corpus documents an entry with this provenance was written from."""
    kind = provenance_kind(provenance)
    if kind == SEED_ARTICLE:
        return frozenset({SEED_DOC_ID})
    if kind == "doc":
        return frozenset({provenance[len(DOC_PREFIX) :]})
    return frozenset()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The resources of one rule version, possibly without some provenance kinds."""

    version: str
    gazetteer: tuple[GazetteerEntry, ...]
    hedge_cues: tuple[HedgeCue, ...]
    without: tuple[str, ...] = ()

    @property
    def clause_starters(self) -> frozenset[str]:
        """Words that, after a comma, colon or dash, end a hedge scope."""
        return CLAUSE_STARTERS_BY_VERSION[self.version]

    @property
    def model_version(self) -> str:
        """The version recorded on each prediction; a reduced lexicon says what it lacks."""
        if not self.without:
            return self.version
        return f"{self.version}-without-{'-'.join(self.without)}"

    def provenances(self) -> Iterable[str]:
        yield from (e.provenance for e in self.gazetteer)
        yield from (c.provenance for c in self.hedge_cues)

    def documents(self) -> frozenset[str]:
        """Every corpus document any entry was written from."""
        return frozenset().union(*(documents_of(p) for p in self.provenances()))


def load_lexicon(version: str = RULES_2, *, without: Collection[str] = ()) -> Lexicon:
    """The lexicon of rule ``version``, leaving out entries of the ``without`` kinds."""
    if version not in RESOURCE_FILES:
        raise SqcorpusError(
            f"unknown rules version {version!r}; expected one of {', '.join(RESOURCE_FILES)}",
            field="model",
        )
    for kind in without:
        if kind not in PROVENANCE_KINDS:
            raise SqcorpusError(f"unknown provenance kind {kind!r}", field="without")
    gazetteer_files, cue_files = RESOURCE_FILES[version]
    gazetteer = tuple(e for name in gazetteer_files for e in load_gazetteer(name))
    cues = tuple(c for name in cue_files for c in load_hedge_cues(name))
    for provenance in (*(e.provenance for e in gazetteer), *(c.provenance for c in cues)):
        provenance_kind(provenance)  # every entry must say where it came from
    return Lexicon(
        version=version,
        gazetteer=tuple(e for e in gazetteer if provenance_kind(e.provenance) not in without),
        hedge_cues=tuple(c for c in cues if provenance_kind(c.provenance) not in without),
        without=tuple(sorted(without)),
    )


def check_unseen(lexicon: Lexicon, doc_ids: Iterable[str]) -> None:
    """Refuse to score ``lexicon`` on a document any of its entries was written from."""
    seen = sorted(lexicon.documents() & set(doc_ids))
    if seen:
        raise SqcorpusError(
            f"{lexicon.model_version} was written from {', '.join(seen)}: a score there says "
            f"nothing about unseen text (leave out {SEED_ARTICLE!r} entries, or score other "
            "documents)",
            item=seen[0],
            field="doc_id",
        )


def resource_digest(version: str) -> str:
    """sha256 of the resource files of rule ``version``, in order (what freezing fixes)."""
    import hashlib
    from importlib import resources

    gazetteers, cues = RESOURCE_FILES[version]
    digest = hashlib.sha256()
    for name in (*gazetteers, *cues):
        data = resources.files(__package__).joinpath("resources", name).read_bytes()
        digest.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()
