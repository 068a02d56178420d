"""Plain data types shared by every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Token:
    """A surface token; ``start``/``end`` are code-point offsets into the segmented text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its tokens; offsets index the segmented text."""

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character span; offsets index the sentence text."""

    start: int
    end: int
    text: str
    label: str


@dataclass(slots=True)
class SentenceAnnotation:
    """One annotator's layers for one sentence (all optional until annotated)."""

    entities: list[Span] = field(default_factory=list)
    stance: str | None = None
    stance_holder: str | None = None
    hedge_cues: list[Span] = field(default_factory=list)
    hedge_scopes: list[Span] = field(default_factory=list)
    note: str = ""
    annotator: str | None = None
