"""The raw store (``corpus/raw/``) refuses every document it cannot vouch for, naming the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI_DOC, MINI_TEXT, write_document
from sqcorpus.errors import SqcorpusError
from sqcorpus.text.corpus import document_metadata, read_corpus, read_document


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    directory = tmp_path / "raw"
    write_document(directory, MINI_DOC, MINI_TEXT)
    return directory


def _edit_metadata(raw: Path, change: Callable[[dict], None]) -> None:
    path = raw / f"{MINI_DOC}.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    change(metadata)
    path.write_text(json.dumps(metadata), encoding="utf-8")


def test_a_valid_document_is_read_with_its_metadata(raw: Path) -> None:
    document = read_document(raw / f"{MINI_DOC}.txt")
    assert document.text == MINI_TEXT
    assert document.metadata["doc_id"] == MINI_DOC
    assert document.paragraphs == MINI_TEXT.split("\n")
    assert [d.doc_id for d in read_corpus(raw)] == [MINI_DOC]


@pytest.mark.parametrize(
    ("corrupt", "file_suffix", "message"),
    [
        (lambda raw: (raw / f"{MINI_DOC}.txt").write_bytes(b"Tirana \xff"), ".txt", "not UTF-8"),
        (
            lambda raw: (raw / f"{MINI_DOC}.txt").write_bytes(MINI_TEXT.encode() + b"\r\n"),
            ".txt",
            "line ends must be \\n",
        ),
        (
            # "ë" as e + combining diaeresis: the same text, not in NFC
            lambda raw: (raw / f"{MINI_DOC}.txt").write_text("Shqipe\u0308ri", encoding="utf-8"),
            ".txt",
            "not Unicode NFC",
        ),
        (lambda raw: (raw / f"{MINI_DOC}.json").unlink(), ".json", "metadata file is missing"),
        (
            lambda raw: (raw / f"{MINI_DOC}.json").write_text("{", encoding="utf-8"),
            ".json",
            "cannot read metadata",
        ),
        (
            lambda raw: _edit_metadata(raw, lambda m: m.pop("publisher")),
            ".json",
            "field 'publisher': required metadata field is missing",
        ),
        (
            lambda raw: _edit_metadata(raw, lambda m: m.update(doc_id="other-doc")),
            ".json",
            "does not match the file name",
        ),
        (
            lambda raw: (raw / f"{MINI_DOC}.txt").write_text(MINI_TEXT + " ", encoding="utf-8"),
            ".json",
            "field 'sha256': sha256 does not match the text: the raw text was edited",
        ),
    ],
    ids=["bytes", "crlf", "nfc", "no-metadata", "bad-json", "field", "doc-id", "sha256"],
)
def test_a_broken_document_is_refused_naming_its_file(
    raw: Path, corrupt: Callable[[Path], object], file_suffix: str, message: str
) -> None:
    corrupt(raw)
    with pytest.raises(SqcorpusError) as caught:
        read_corpus(raw)
    assert caught.value.file == str(raw / f"{MINI_DOC}{file_suffix}")
    assert message in str(caught.value)


def test_a_document_id_must_be_lower_case_words(raw: Path) -> None:
    write_document(raw, "Bad_Name", "Tekst.")
    with pytest.raises(SqcorpusError, match="field 'doc_id'"):
        read_corpus(raw)


def test_an_empty_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SqcorpusError, match=r"no documents \(\*\.txt\) found"):
        read_corpus(tmp_path)


def test_metadata_of_an_unknown_document_is_only_its_id(raw: Path) -> None:
    known, unknown = document_metadata([MINI_DOC, "not-here"], raw)
    assert known["title"] == "test document"
    assert unknown == {"doc_id": "not-here"}
