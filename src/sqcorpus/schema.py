"""The label schema: the one place where label names, features and configs are declared.

Everything else (the Label Studio config, the converter, the Parquet schema, the
dataset card, the metrics) derives from the constants here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, TypedDict

from datasets import ClassLabel, Features, List, Value

from .errors import SqcorpusError

SCHEMA_VERSION: Final = "2.0.0"
"""Version of the record schema (bump MAJOR when a field or label set changes)."""
GUIDELINES_VERSION: Final = "2.1"
"""Version of annotation/guidelines.md; recorded in every task pushed to Label Studio."""

# --- entities (OntoNotes 5.0 style, flat, maximal proper-name spans) -------------------
ENTITY_LABELS: Final[tuple[str, ...]] = (
    "PER",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "DATE",
)
ENTITY_DESCRIPTIONS: Final[dict[str, str]] = {
    "PER": "person, including fictional; inflected forms included, titles excluded",
    "NORP": "nationality, religious or political group, incl. adjectives (rus, ruse)",
    "FAC": "building, airport, road, bridge or other named facility",
    "ORG": "company, agency, institution, news agency, government body",
    "GPE": "country, city or state (geo-political entity)",
    "LOC": "non-GPE location: region, mountain range, body of water",
    "PRODUCT": "named object, vehicle, weapon, software (not services)",
    "EVENT": "named event: war, hurricane, summit, sports event",
    "DATE": "absolute or relative date or period of a day or longer",
}
NER_TAGS: Final[tuple[str, ...]] = (
    "O",
    *(f"{prefix}-{label}" for label in ENTITY_LABELS for prefix in ("B", "I")),
)
# Mapping to CoNLL-2003 types so models trained on WikiANN or AlbNER can be scored.
# ``None`` means the entity is dropped (becomes O).
CONLL2003_TYPES: Final[tuple[str, ...]] = ("PER", "ORG", "LOC", "MISC")
TO_CONLL2003: Final[dict[str, str | None]] = {
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "PRODUCT": "MISC",
    "EVENT": "MISC",
    "DATE": None,
}
CONLL2003_NER_TAGS: Final[tuple[str, ...]] = (
    "O",
    *(f"{prefix}-{label}" for label in CONLL2003_TYPES for prefix in ("B", "I")),
)

# --- stance toward a per-document target (SemEval-2016 Task 6 style) ------------------
STANCE_LABELS: Final[tuple[str, ...]] = ("favor", "against", "neutral")
STANCE_TARGET: Final = (
    "the Russia-North Korea rapprochement (the visit, the treaty, the cooperation)"
)
"""The seed article's stance target. Schema 1.x had this one target for the whole corpus;
since 2.0.0 each record carries its document's target in ``stance_target``."""
HOLDER_LABELS: Final[tuple[str, ...]] = ("author", "source")

# --- hedging (CoNLL-2010 Shared Task / BioScope conventions) ---------------------------
HEDGE_SPAN_LABELS: Final[tuple[str, ...]] = ("CUE", "SCOPE")
HEDGE_TAGS: Final[tuple[str, ...]] = ("O", "B-CUE", "I-CUE")
UNCERTAINTY_LABELS: Final[tuple[str, ...]] = ("certain", "uncertain")

MISSING_LABEL: Final = -1
"""ClassLabel value of a sentence-level label that no annotator has set (pre-releases)."""

SENTENCE_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "stance": STANCE_LABELS,
    "stance_holder": HOLDER_LABELS,
    "uncertain": UNCERTAINTY_LABELS,
}
"""The sentence-level label fields and their names (each a ClassLabel, ``-1`` when missing)."""

# --- Label Studio control names (the labeling config is generated from these) ----------
LS_TEXT: Final = "text"
LS_ENTITIES: Final = "entities"
LS_STANCE: Final = "stance"
LS_HOLDER: Final = "holder"
LS_HEDGES: Final = "hedges"
LS_NOTE: Final = "note"
LS_SENTENCE_ID: Final = "sid"
# Read-only task data shown around the sentence: its neighbours and the document's target.
LS_PREVIOUS: Final = "previous"
LS_NEXT: Final = "next"
LS_TARGET: Final = "stance_target"

# --- record features -----------------------------------------------------------------
_SPAN = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}

FEATURES: Final = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "sentence_index": Value("int32"),
        "text": Value("string"),
        "text_en": Value("string"),
        "start": Value("int32"),
        "end": Value("int32"),
        "tokens": List(Value("string")),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
        "entities": List({**_SPAN, "label": ClassLabel(names=list(ENTITY_LABELS))}),
        "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
        "stance_target": Value("string"),
        "stance": ClassLabel(names=list(STANCE_LABELS)),
        "stance_holder": ClassLabel(names=list(HOLDER_LABELS)),
        "hedge_cues": List(_SPAN),
        "hedge_scopes": List(_SPAN),
        "hedge_tags": List(ClassLabel(names=list(HEDGE_TAGS))),
        "uncertain": ClassLabel(names=list(UNCERTAINTY_LABELS)),
        "source": Value("string"),
        "outlet": Value("string"),
        "text_license": Value("string"),
    }
)
"""Features of the full record (the ``sentences`` config).

Offsets: ``start``/``end`` index the document text; ``token_starts``/``token_ends`` and
every span's ``start``/``end`` index the sentence ``text`` (Python code points).

Provenance (schema 2.0.0): ``text_en`` is the English original of a translated record (null
where there is none); ``source`` the collection it comes from (``ntrex-128``, ``seed``);
``outlet`` the English original's outlet (null where unknown); ``text_license`` the SPDX id of
the text's licence, or ``unknown``; ``stance_target`` the proposition the document's stance is
toward (null until the document's stance is annotated).
"""
PROVENANCE: Final[tuple[str, ...]] = ("text_en", "source", "outlet", "text_license")
"""Fields every config carries, so any view can be filtered or cited by source."""
OPEN_LICENSES: Final[frozenset[str]] = frozenset({"CC-BY-SA-4.0", "CC-BY-4.0"})
"""Text licences under which the text may be redistributed (``load(licence="open")``)."""

CONFIGS: Final[dict[str, tuple[str, ...]]] = {
    "sentences": tuple(FEATURES),
    "ner": (
        "id",
        "doc_id",
        "text",
        "tokens",
        "token_starts",
        "token_ends",
        "entities",
        "ner_tags",
        *PROVENANCE,
    ),
    "stance": ("id", "doc_id", "text", "stance_target", "stance", "stance_holder", *PROVENANCE),
    "hedging": (
        "id",
        "doc_id",
        "text",
        "tokens",
        "token_starts",
        "token_ends",
        "hedge_cues",
        "hedge_scopes",
        "hedge_tags",
        "uncertain",
        *PROVENANCE,
    ),
}
"""Each config is a view (a column selection) of the one record."""
DEFAULT_CONFIG: Final = "sentences"
SPLITS: Final[tuple[str, ...]] = ("train", "validation", "test")


EVAL_CONFIGS: Final[tuple[str, ...]] = ("ner", "stance", "hedging")
"""The configs that have a task to score (``sentences`` holds them all)."""


class SpanRecord(TypedDict):
    start: int
    end: int
    text: str


class EntityRecord(SpanRecord):
    label: int


class Record(TypedDict):
    """One row of the ``sentences`` config as plain Python values (labels as class indices)."""

    id: str
    doc_id: str
    sentence_index: int
    text: str
    text_en: str | None
    start: int
    end: int
    tokens: list[str]
    token_starts: list[int]
    token_ends: list[int]
    entities: list[EntityRecord]
    ner_tags: list[int]
    stance_target: str | None
    stance: int
    stance_holder: int
    hedge_cues: list[SpanRecord]
    hedge_scopes: list[SpanRecord]
    hedge_tags: list[int]
    uncertain: int
    source: str
    outlet: str | None
    text_license: str


def require_config(config: str, known: tuple[str, ...] | None = None) -> str:
    """``config`` if it is one of ``known`` (default: every config); else one clear error."""
    choices = tuple(CONFIGS) if known is None else known
    if config not in choices:
        raise SqcorpusError(
            f"unknown config {config!r}; expected one of {', '.join(choices)}", field="config"
        )
    return config


def require_split(split: str) -> str:
    """``split`` if it is a split of the corpus; else one clear error."""
    if split not in SPLITS:
        raise SqcorpusError(
            f"unknown split {split!r}; expected one of {', '.join(SPLITS)}", field="split"
        )
    return split


def config_features(config: str) -> Features:
    """The Features of one config, a column subset of :data:`FEATURES`."""
    return Features({name: FEATURES[name] for name in CONFIGS[require_config(config)]})


def class_label(field: str) -> ClassLabel:
    """The ClassLabel of a label field: sentence-level, a tag sequence, or ``entities``."""
    feature = FEATURES[field]
    if isinstance(feature, List):
        feature = feature.feature
    if isinstance(feature, dict):
        feature = feature["label"]
    if not isinstance(feature, ClassLabel):
        raise SqcorpusError(f"{field!r} holds no class labels", field=field)
    return feature


def label_name(field: str, index: int) -> str | None:
    """The name of class ``index`` of a label field; ``None`` for a missing label (-1)."""
    if index == MISSING_LABEL:
        return None
    name: str = class_label(field).int2str(index)
    return name


def label_index(field: str, name: str | None) -> int:
    """The class index of label ``name`` of a field; ``-1`` (missing) for ``None``."""
    if name is None:
        return MISSING_LABEL
    index: int = class_label(field).str2int(name)
    return index


def iob2_tags(
    tokens: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]
) -> list[str]:
    """IOB2 tags over tokens ``(start, end)`` for labelled spans ``(start, end, label)``.

    A token belongs to a span when it lies inside it. Raises ``ValueError`` when two spans
    share a token (IOB2 cannot encode overlapping spans).
    """
    tags = ["O"] * len(tokens)
    for start, end, label in sorted(spans):
        inside = [i for i, (s, e) in enumerate(tokens) if start <= s and e <= end]
        if any(tags[i] != "O" for i in inside):
            raise ValueError(f"spans overlap at [{start}, {end})")
        for position, i in enumerate(inside):
            tags[i] = ("B-" if position == 0 else "I-") + label
    return tags


def label_names(field: str, indices: list[int]) -> list[str]:
    """Class indices of a label field as names (a tag sequence, or entity labels)."""
    names: list[str] = class_label(field).int2str(indices)
    return names
