"""``validate_records``: every invariant of a release record, each refused with its id and field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from helpers import span
from sqcorpus import schema
from sqcorpus.annotate.convert import to_record
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation, Token
from sqcorpus.release.validate import validate_records
from sqcorpus.text.corpus import CorpusSentence
from sqcorpus.text.segmentation import tokenize

TEXT = "Sipas Tass, Vladimir Putin mund të vizitojë Phenianin."


def record(annotated: bool = True) -> dict[str, Any]:
    tokens = tuple(Token(t.start, t.end, t.text) for t in tokenize(TEXT))
    sentence = CorpusSentence("doc-s001", "doc", 1, 100, 100 + len(TEXT), TEXT, tokens)
    annotation = SentenceAnnotation(
        entities=[span(TEXT, "Tass", "ORG"), span(TEXT, "Vladimir Putin", "PER")],
        stance="neutral",
        stance_holder="source",
        hedge_cues=[span(TEXT, "mund", "CUE")],
        hedge_scopes=[span(TEXT, "mund të vizitojë Phenianin", "SCOPE")],
    )
    return dict(to_record(sentence, annotation if annotated else None))


def test_a_converted_record_is_valid_annotated_or_not() -> None:
    validate_records([record(), record(annotated=False) | {"id": "doc-s002", "sentence_index": 2}])


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda r: r.__setitem__(field, value)


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "id-mismatch": (_set("sentence_index", 2), "id", "does not match doc_id"),
    "offsets": (_set("end", 1), "end", "document offsets"),
    "lengths": (lambda r: r["ner_tags"].pop(), "tokens", "differ in length"),
    "token-offsets": (lambda r: r["token_starts"].__setitem__(1, 0), "tokens", "token 1"),
    "empty-token": (
        lambda r: (r["tokens"].__setitem__(0, ""), r["token_ends"].__setitem__(0, 0)),
        "tokens",
        "token 0",
    ),
    "tag-range": (lambda r: r["ner_tags"].__setitem__(0, 99), "ner_tags", "tag 99 at token 0"),
    "iob2": (
        lambda r: r["hedge_tags"].__setitem__(0, schema.HEDGE_TAGS.index("I-CUE")),
        "hedge_tags",
        "I-CUE at token 0 does not continue a span",
    ),
    "label-range": (_set("stance", 3), "stance", "label 3 out of range 0..2"),
    "off-boundary": (
        lambda r: r["entities"][0].update(end=2, text="Si"),
        "entities",
        "off token boundaries",
    ),
    "span-text": (
        lambda r: r["hedge_cues"][0].update(text="nuk"),
        "hedge_cues",
        "does not match its offsets",
    ),
    "entity-label": (
        lambda r: r["entities"][0].update(label=len(schema.ENTITY_LABELS)),
        "entities",
        "entity label 9 out of range",
    ),
    "uncertain": (_set("uncertain", 0), "uncertain", "exactly when the sentence has a cue"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_record_is_refused_with_its_id_and_field(name: str) -> None:
    change, field, message = BROKEN[name]
    broken = copy.deepcopy(record())
    change(broken)
    with pytest.raises(SqcorpusError) as caught:
        validate_records([broken], source="test.parquet")
    error = caught.value
    assert (error.file, error.item, error.field) == ("test.parquet", "doc-s001", field)
    assert message in error.reason


def test_a_duplicate_id_is_refused() -> None:
    with pytest.raises(SqcorpusError, match="id doc-s001, field 'id': duplicate sentence id"):
        validate_records([record(), record()])


def test_a_missing_sentence_label_is_allowed_only_as_minus_one() -> None:
    unannotated = record(annotated=False)
    assert unannotated["stance"] == schema.MISSING_LABEL
    validate_records([unannotated])
    unannotated["stance"] = -2
    with pytest.raises(SqcorpusError, match="field 'stance'"):
        validate_records([unannotated])
