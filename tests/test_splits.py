"""Document-level frozen splits: every sentence of a document in one split, never moving."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sqcorpus.errors import SqcorpusError
from sqcorpus.release.splits import (
    SplitFile,
    SplitUnit,
    assign_documents,
    document_groups,
    near_duplicate_pairs,
    read_split_file,
    shares,
)

NEWS = [
    "Qeveria miratoi buxhetin e ri për vitin që vjen pas një debati të gjatë.",
    "Lumi doli nga shtrati pas reshjeve të dendura të shiut gjatë natës.",
    "Ekipi kombëtar fitoi ndeshjen e fundit të kualifikimeve në shtëpi.",
    "Çmimet e energjisë u rritën sërish këtë muaj për familjet dhe bizneset.",
]


def units(count: int, outlet: str = "agency") -> list[SplitUnit]:
    """Documents with distinct sentences: a code of outlet, document and sentence starts every
    word, so no two documents share a stem (a stem is a word's first five letters)."""
    return [
        SplitUnit(
            f"doc-{n:03d}",
            outlet,
            tuple(
                " ".join(
                    f"{outlet[0]}{chr(97 + n)}{chr(97 + k)}{word}" for word in NEWS[k % 4].split()
                )
                for k in range(5)
            ),
        )
        for n in range(count)
    ]


def test_every_document_gets_one_split_near_the_target_shares() -> None:
    docs = units(50)
    result = assign_documents(docs, SplitFile())
    assert set(result.documents) == {u.doc_id for u in docs}
    got = shares(docs, result.documents)
    assert got == {"train": 0.6, "validation": 0.2, "test": 0.2}


def test_assigned_documents_never_move() -> None:
    docs = units(20)
    frozen = SplitFile(documents={"doc-000": "test", "doc-001": "test", "doc-002": "test"})
    result = assign_documents(docs, frozen)
    assert all(result.documents[d] == "test" for d in ("doc-000", "doc-001", "doc-002"))
    # A rerun with nothing new changes nothing.
    assert assign_documents(docs, result).documents == result.documents


def test_assignment_does_not_depend_on_document_order() -> None:
    docs = units(30)
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    assert assign_documents(docs, SplitFile()) == assign_documents(shuffled, SplitFile())


def test_outlets_are_spread_over_the_splits() -> None:
    docs = [*units(10, "one"), *units(10, "two")]
    docs = [SplitUnit(f"{u.outlet}-{u.doc_id}", u.outlet, u.sentences) for u in docs]
    result = assign_documents(docs, SplitFile())
    for outlet in ("one", "two"):
        local = [u for u in docs if u.outlet == outlet]
        assert shares(local, result.documents) == {"train": 0.6, "validation": 0.2, "test": 0.2}


def test_documents_sharing_a_near_duplicate_sentence_share_a_split() -> None:
    docs = units(12)
    repeated = docs[3].sentences[2]
    docs[9] = SplitUnit(docs[9].doc_id, "agency", (*docs[9].sentences, repeated + " sot"))
    result = assign_documents(docs, SplitFile())
    assert result.documents["doc-003"] == result.documents["doc-009"]
    assert [g["doc_ids"] for g in result.groups] == [["doc-003", "doc-009"]]


def test_hand_made_groups_join_documents() -> None:
    docs = units(12)
    frozen = SplitFile(groups=({"doc_ids": ["doc-001", "doc-007"], "reason": "same story"},))
    result = assign_documents(docs, frozen)
    assert result.documents["doc-001"] == result.documents["doc-007"]
    assert frozen.groups[0] in result.groups


def test_near_duplicates_are_found_exactly() -> None:
    texts = [
        "Maqedonasit votojnë në referendumin për ndryshimin e emrit të vendit.",
        "Maqedonasit votojnë në referendumin për ndryshimin e emrit të vendit",
        "Tërmeti goditi ishullin gjatë natës dhe shkaktoi dëme të mëdha.",
        "Ja çfarë ndodhi.",
        "Ëë, çfarë?",
    ]
    # Short sentences (fewer than four stems) are never near-duplicates.
    assert near_duplicate_pairs(texts) == [(0, 1)]
    assert len(document_groups([SplitUnit(str(i), None, (t,)) for i, t in enumerate(texts)])) == 4


def test_split_file_round_trips_and_refuses_bad_content(tmp_path: Path) -> None:
    path = tmp_path / "splits.json"
    result = assign_documents(units(5), SplitFile(decisions=({"decision": "x"},)))
    path.write_text(result.to_json(), encoding="utf-8")
    assert read_split_file(path) == result
    for content, field in (
        ({"format": 1, "assignment": {}}, "format"),
        ({"format": 2, "documents": {"d": "dev"}}, "documents"),
        ({"format": 2, "documents": [], "groups": []}, "documents"),
    ):
        path.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(SqcorpusError, match=field):
            read_split_file(path)


def test_the_checkout_split_file_keeps_every_document_whole() -> None:
    """The committed file: the seed in train (the 2.0.0 decision), and shares near 60/20/20."""
    from sqcorpus import paths
    from sqcorpus.release.splits import split_units
    from sqcorpus.text.corpus import read_corpus

    frozen = read_split_file(paths.splits_file())
    documents = read_corpus()
    assert {d.doc_id for d in documents} <= set(frozen.documents)
    assert frozen.documents["putin-north-korea-2024-06"] == "train"
    got = shares(split_units(documents), frozen.documents)
    assert abs(got["train"] - 0.6) < 0.02 and abs(got["test"] - 0.2) < 0.02
