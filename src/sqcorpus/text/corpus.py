"""Stage 1, raw text: the store of documents under ``corpus/raw/``.

Each document is ``<doc_id>.txt`` (the text byte for byte, NFC, ``\\n`` line ends, one
paragraph a line) beside ``<doc_id>.json`` (its metadata, including the text's sha256).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import SqcorpusError
from ..files import read_json
from ..models import Token
from .segmentation import segment

DOC_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_METADATA = ("doc_id", "language", "title", "sha256", "publisher", "url", "rights")


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    metadata: dict[str, Any]

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(txt_path: Path) -> Document:
    """Read one document and check it against its metadata; raise on any mismatch."""
    doc_id = txt_path.stem
    if not DOC_ID_PATTERN.match(doc_id):
        raise SqcorpusError(
            "doc_id must be lower-case ASCII words joined by '-'", file=txt_path, field="doc_id"
        )
    raw = txt_path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        message = f"not UTF-8 ({err.reason} at byte {err.start})"
        raise SqcorpusError(message, file=txt_path) from None
    if "\r" in text:
        raise SqcorpusError("line ends must be \\n, found \\r", file=txt_path)
    if not unicodedata.is_normalized("NFC", text):
        raise SqcorpusError("text is not Unicode NFC", file=txt_path)
    meta_path = txt_path.with_suffix(".json")
    if not meta_path.is_file():
        raise SqcorpusError("metadata file is missing", file=meta_path)
    metadata = _read_metadata(meta_path)
    for key in REQUIRED_METADATA:
        if key not in metadata:
            raise SqcorpusError("required metadata field is missing", file=meta_path, field=key)
    if metadata["doc_id"] != doc_id:
        message = f"doc_id {metadata['doc_id']!r} does not match the file name"
        raise SqcorpusError(message, file=meta_path, field="doc_id")
    if metadata["sha256"] != sha256_text(text):
        message = "sha256 does not match the text: the raw text was edited"
        raise SqcorpusError(message, file=meta_path, field="sha256")
    return Document(doc_id=doc_id, text=text, metadata=metadata)


def _read_metadata(path: Path) -> dict[str, Any]:
    metadata = read_json(path, what="metadata")
    if not isinstance(metadata, dict):
        raise SqcorpusError("metadata is a JSON object", file=path)
    return metadata


def document_metadata(doc_ids: list[str], raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """Metadata (``corpus/raw/<doc_id>.json``) of each document, ``{"doc_id": ...}`` if absent."""
    directory = raw_dir or paths.raw_dir()
    found = []
    for doc_id in doc_ids:
        path = directory / f"{doc_id}.json"
        found.append(_read_metadata(path) if path.is_file() else {"doc_id": doc_id})
    return found


def read_corpus(raw_dir: Path | None = None) -> list[Document]:
    """All documents of the raw store, sorted by doc_id."""
    directory = raw_dir or paths.raw_dir()
    documents = [read_document(path) for path in sorted(directory.glob("*.txt"))]
    if not documents:
        raise SqcorpusError("no documents (*.txt) found", file=directory)
    return documents


@dataclass(frozen=True, slots=True)
class CorpusSentence:
    """A segmented sentence of a document, with its stable id.

    ``start``/``end`` index the document text; token offsets index the sentence ``text``.
    """

    id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


def sentence_id(doc_id: str, index: int) -> str:
    """Stable sentence id ``<doc_id>-sNNN`` (1-based index, three digits at least)."""
    return f"{doc_id}-s{index:03d}"


def document_sentences(document: Document) -> list[CorpusSentence]:
    """Segment a document into sentences with ids, tokens re-based on the sentence text."""
    result = []
    for index, sentence in enumerate(segment(document.text), start=1):
        tokens = tuple(
            Token(t.start - sentence.start, t.end - sentence.start, t.text) for t in sentence.tokens
        )
        result.append(
            CorpusSentence(
                id=sentence_id(document.doc_id, index),
                doc_id=document.doc_id,
                index=index,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                tokens=tokens,
            )
        )
    return result


def corpus_sentences(documents: list[Document] | None = None) -> list[CorpusSentence]:
    """Every sentence of the corpus (default: the raw store), in document then text order."""
    docs = read_corpus() if documents is None else documents
    return [sentence for document in docs for sentence in document_sentences(document)]
