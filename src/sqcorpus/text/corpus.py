"""Stage 1, raw text: the store of documents under ``corpus/raw/``.

Each document is ``<doc_id>.txt`` (the text byte for byte, NFC, ``\\n`` line ends, one
paragraph a line) beside ``<doc_id>.json`` (its metadata, including the text's sha256). A
document translated from another language keeps its original, line-aligned, in
``<doc_id>.en.txt`` (its sha256 in the metadata's ``sha256_en``).

How a document becomes records is its metadata's ``segmentation``: ``sqcorpus`` (the default)
runs the Albanian segmenter over each paragraph; ``source-segments`` keeps each line as one
record, so a translation stays aligned with its original line by line.

Documents enter the store through :func:`add_documents`, which never changes a document that
is already there.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .. import paths
from ..errors import SqcorpusError
from ..files import json_text, read_json, write_atomic
from ..models import Sentence, Token
from .segmentation import segment, tokenize

DOC_ID_PATTERN = re.compile(r"[a-z0-9]{1,64}(?:-[a-z0-9]{1,64}){0,15}")
"""A document id, always matched whole (``fullmatch``: ``$`` would let a trailing newline by)."""
REQUIRED_METADATA = ("doc_id", "language", "title", "sha256", "publisher", "url", "rights")
SEGMENTATIONS: Final = ("sqcorpus", "source-segments")
"""How a document's text becomes records (see the module docstring)."""
ORIGINAL_SUFFIX: Final = ".en.txt"
KNOWN_TEXT_LICENSES: Final = frozenset({"CC-BY-SA-4.0", "CC-BY-4.0", "unknown"})
"""SPDX ids (or ``unknown``) the corpus can state for a text; anything else is refused."""


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    metadata: dict[str, Any]
    original: tuple[str, ...] | None = None
    """The line-aligned original (English) of a translated document, else ``None``."""

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")

    @property
    def segmentation(self) -> str:
        return str(self.metadata.get("segmentation", "sqcorpus"))

    @property
    def text_license(self) -> str:
        rights = self.metadata.get("rights")
        return str(rights.get("text_license", "unknown")) if isinstance(rights, dict) else "unknown"

    @property
    def source(self) -> str:
        """The collection the document comes from: its source's ``id``, else ``seed``."""
        source = self.metadata.get("source")
        return str(source["id"]) if isinstance(source, dict) and "id" in source else "seed"

    @property
    def outlet(self) -> str | None:
        outlet = self.metadata.get("outlet")
        return outlet if isinstance(outlet, str) else None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(txt_path: Path) -> Document:
    """Read one document and check it against its metadata; raise on any mismatch."""
    doc_id = txt_path.stem
    if not DOC_ID_PATTERN.fullmatch(doc_id):
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
    document = Document(doc_id=doc_id, text=text, metadata=metadata)
    if document.segmentation not in SEGMENTATIONS:
        message = f"unknown segmentation {document.segmentation!r}; expected {SEGMENTATIONS}"
        raise SqcorpusError(message, file=meta_path, field="segmentation")
    if document.text_license not in KNOWN_TEXT_LICENSES:
        message = f"unknown text licence {document.text_license!r}"
        raise SqcorpusError(message, file=meta_path, field="rights.text_license")
    if "sha256_en" not in metadata:
        return document
    original_path = txt_path.with_name(doc_id + ORIGINAL_SUFFIX)
    try:
        original = original_path.read_bytes().decode("utf-8")
    except OSError as err:
        raise SqcorpusError(
            f"cannot read the original: {err.strerror}", file=original_path
        ) from None
    except UnicodeDecodeError as err:
        message = f"not UTF-8 ({err.reason} at byte {err.start})"
        raise SqcorpusError(message, file=original_path) from None
    if metadata["sha256_en"] != sha256_text(original):
        message = "sha256_en does not match the original: it was edited"
        raise SqcorpusError(message, file=meta_path, field="sha256_en")
    lines = tuple(original.split("\n"))
    if len(lines) != len(document.paragraphs):
        message = f"{len(lines)} original lines for {len(document.paragraphs)} segments"
        raise SqcorpusError(message, file=original_path, field="lines")
    return Document(doc_id=doc_id, text=text, metadata=metadata, original=lines)


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
    texts = [p for p in sorted(directory.glob("*.txt")) if not p.name.endswith(ORIGINAL_SUFFIX)]
    documents = [read_document(path) for path in texts]
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
    original: str | None = None
    """The aligned original (English) segment, for ``source-segments`` documents."""
    source: str = "seed"
    outlet: str | None = None
    text_license: str = "unknown"


def sentence_id(doc_id: str, index: int) -> str:
    """Stable sentence id ``<doc_id>-sNNN`` (1-based index, three digits at least)."""
    return f"{doc_id}-s{index:03d}"


def _source_segments(document: Document) -> list[Sentence]:
    """One sentence per line: the source's own segments, tokenized, offsets into the text."""
    result, start = [], 0
    for line in document.paragraphs:
        result.append(Sentence(start, start + len(line), line, tuple(tokenize(line, start))))
        start += len(line) + 1
    return result


def document_sentences(document: Document) -> list[CorpusSentence]:
    """A document's records: sentences with ids, tokens re-based on the sentence text."""
    aligned = document.segmentation == "source-segments"
    sentences = _source_segments(document) if aligned else segment(document.text)
    result = []
    for index, sentence in enumerate(sentences, start=1):
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
                original=document.original[index - 1] if document.original else None,
                source=document.source,
                outlet=document.outlet,
                text_license=document.text_license,
            )
        )
    return result


def corpus_sentences(documents: list[Document] | None = None) -> list[CorpusSentence]:
    """Every sentence of the corpus (default: the raw store), in document then text order."""
    docs = read_corpus() if documents is None else documents
    return [sentence for document in docs for sentence in document_sentences(document)]


# --- adding documents ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document a source adapter proposes: its segments (one a line), original and metadata.

    ``metadata`` holds everything but the hashes, which the store computes.
    """

    doc_id: str
    segments: tuple[str, ...]
    original: tuple[str, ...] | None
    metadata: dict[str, Any]

    @property
    def text(self) -> str:
        return "\n".join(self.segments)

    def files(self) -> dict[str, str]:
        """File name → content, exactly as the store writes them."""
        metadata = {**self.metadata, "sha256": sha256_text(self.text)}
        files = {f"{self.doc_id}.txt": self.text}
        if self.original is not None:
            original = "\n".join(self.original)
            metadata["sha256_en"] = sha256_text(original)
            files[self.doc_id + ORIGINAL_SUFFIX] = original
        files[f"{self.doc_id}.json"] = json_text(metadata)
        return files


@dataclass(frozen=True, slots=True)
class AddSummary:
    added: tuple[str, ...]
    unchanged: tuple[str, ...]


def add_documents(documents: Sequence[NewDocument], raw_dir: Path | None = None) -> AddSummary:
    """Add documents to the raw store; a document already there must be byte-identical.

    Everything is checked before anything is written, so a refused batch writes nothing.
    Each file is written atomically.
    """
    directory = raw_dir or paths.raw_dir()
    seen: set[str] = set()
    plan: dict[str, dict[str, str]] = {}
    unchanged: list[str] = []
    for document in documents:
        _check_new(document, seen, directory)
        files = document.files()
        if not any((directory / name).exists() for name in files):
            plan[document.doc_id] = files
            continue
        for name, content in files.items():
            path = directory / name
            if not path.is_file() or path.read_bytes() != content.encode("utf-8"):
                raise SqcorpusError(
                    "a document with this doc_id is already in the store with other content "
                    "(changed upstream?); the store never changes a document: give it a new id",
                    file=path,
                    item=document.doc_id,
                    field="sha256",
                )
        unchanged.append(document.doc_id)
    for files in plan.values():
        for name, content in files.items():
            write_atomic(directory / name, content)
    return AddSummary(added=tuple(plan), unchanged=tuple(unchanged))


def _check_new(document: NewDocument, seen: set[str], directory: Path) -> None:
    def refuse(message: str, field: str) -> SqcorpusError:
        path = directory / f"{document.doc_id}.txt"
        return SqcorpusError(message, file=path, item=str(document.doc_id)[:80], field=field)

    if not isinstance(document.doc_id, str) or not DOC_ID_PATTERN.fullmatch(document.doc_id):
        raise refuse("doc_id must be lower-case ASCII words joined by '-'", "doc_id")
    if document.doc_id in seen:
        raise refuse("duplicate doc_id in the batch", "doc_id")
    seen.add(document.doc_id)
    if not document.segments:
        raise refuse("a document needs at least one segment", "text")
    if document.original is not None and len(document.original) != len(document.segments):
        counts = f"{len(document.original)} original lines for {len(document.segments)} segments"
        raise refuse(counts, "original")
    rights = document.metadata.get("rights")
    license_id = rights.get("text_license") if isinstance(rights, dict) else None
    if license_id not in KNOWN_TEXT_LICENSES - {"unknown"}:
        message = (
            f"missing or unknown text licence {license_id!r}: only openly licensed text is added"
        )
        raise refuse(message, "rights.text_license")
    for key in REQUIRED_METADATA:
        if key != "sha256" and key not in document.metadata:
            raise refuse("required metadata field is missing", key)
    if document.metadata["doc_id"] != document.doc_id:
        raise refuse("metadata doc_id differs", "doc_id")
