"""Exports of a release for other tools: CoNLL-2003 style columns, JSON Lines, spaCy DocBin,
and the Albanian-English parallel side (``parallel``).

Every export is written from the verified release (:meth:`Release.records`), one file a split, to
a temporary path renamed into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import SqcorpusError
from ..files import write_atomic
from .naming import named_record
from .parallel import to_parallel
from .store import open_release

FORMATS: dict[str, str] = {
    "conll": ".conll",
    "jsonl": ".jsonl",
    "spacy": ".spacy",
    "parallel": ".parallel.jsonl",
}
DOCSTART = "-DOCSTART- -X- O O"
"""The CoNLL-2003 document separator line (readers skip lines starting with -DOCSTART-)."""


def _ordered(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Records in document order (Parquet rows are sorted by id, which is the same per doc)."""
    return sorted(records, key=lambda r: (r["doc_id"], r["sentence_index"]))


# --- CoNLL ---------------------------------------------------------------------------------

CONLL_COLUMNS: dict[str, tuple[str, ...]] = {
    "sentences": ("ner_tags", "hedge_tags"),
    "ner": ("ner_tags",),
    "hedging": ("hedge_tags",),
}


def to_conll(records: Iterable[Mapping[str, Any]], config: str = "sentences") -> str:
    """CoNLL-2003 style text: one token a line with its tag columns, a blank line after each
    sentence, and a ``-DOCSTART-`` line (plus blank line) opening each document."""
    if config not in CONLL_COLUMNS:
        known = ", ".join(CONLL_COLUMNS)
        raise SqcorpusError(f"CoNLL export has token columns for {known} only", field="config")
    columns = CONLL_COLUMNS[config]
    lines: list[str] = []
    current_doc: str | None = None
    for record in _ordered(records):
        if record["doc_id"] != current_doc:
            current_doc = record["doc_id"]
            lines += [DOCSTART, ""]
        named = named_record(record, ("tokens", *columns))
        for position, token in enumerate(named["tokens"]):
            if not token or any(ch.isspace() for ch in token):
                raise SqcorpusError(
                    f"token {position} {token!r} is empty or holds whitespace",
                    item=record["id"],
                    field="tokens",
                )
            lines.append(" ".join([token, *(named[c][position] for c in columns)]))
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


def read_conll(text: str) -> list[list[list[str]]]:
    """Sentences of a CoNLL column file, each a list of token rows (split on whitespace).

    ``-DOCSTART-`` lines are skipped, as every CoNLL-2003 reader does.
    """
    sentences: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        current.append(line.split())
    if current:
        sentences.append(current)
    return sentences


# --- JSON Lines ----------------------------------------------------------------------------


def to_jsonl(records: Iterable[Mapping[str, Any]], config: str = "sentences") -> str:
    """One JSON object a record, the config's columns, labels as names."""
    columns = schema.CONFIGS[config]
    return "".join(
        json.dumps(named_record(r, columns), ensure_ascii=False) + "\n" for r in _ordered(records)
    )


# --- spaCy ---------------------------------------------------------------------------------


def _require_spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise SqcorpusError(
            "the spaCy export needs spaCy: pip install 'sqcorpus[spacy]'", field="format"
        ) from None
    return spacy


def _token_span(record: Mapping[str, Any], span: Mapping[str, Any]) -> tuple[int, int]:
    """Token indices [first, last + 1) of a character span that lies on token boundaries."""
    try:
        first = record["token_starts"].index(span["start"])
        last = record["token_ends"].index(span["end"])
    except ValueError:
        raise SqcorpusError(
            f"span {span['text']!r} is off token boundaries", item=record["id"], field="spans"
        ) from None
    return first, last + 1


TOKEN_LEVEL: frozenset[str] = frozenset(
    {"tokens", "token_starts", "token_ends", "entities", "ner_tags"}
    | {"hedge_cues", "hedge_scopes", "hedge_tags"}
)
"""Columns a spaCy Doc carries as tokens, ``doc.ents`` or ``doc.spans``; all others are
sentence-level and go to ``doc.user_data``."""


def to_docs(
    records: Iterable[Mapping[str, Any]], config: str = "sentences", nlp: Any = None
) -> list[Any]:
    """spaCy Docs over the release tokens with the layers of ``config``: entities as
    ``doc.ents``, hedge cues and scopes in ``doc.spans``, stance and uncertainty (when
    annotated) one-hot in ``doc.cats``, and every sentence-level field of the config (labels
    as names, ``None`` where missing: stance_holder, stance_target, source, text_license, …)
    in ``doc.user_data``."""
    spacy = _require_spacy()
    from spacy.tokens import Doc, Span

    columns = schema.CONFIGS[schema.require_config(config)]
    nlp = nlp or spacy.blank("sq")
    docs = []
    for record in _ordered(records):
        starts, ends = record["token_starts"], record["token_ends"]
        # A single space is all a spaCy token can carry; the words and offsets are what count.
        spaces = [e < s for e, s in zip(ends, [*starts[1:], len(record["text"])], strict=True)]
        doc = Doc(nlp.vocab, words=list(record["tokens"]), spaces=spaces)
        if "entities" in columns:
            doc.ents = [
                Span(
                    doc,
                    *_token_span(record, e),
                    label=schema.label_names("entities", [e["label"]])[0],
                )
                for e in record["entities"]
            ]
        for key in ("hedge_cues", "hedge_scopes"):
            if key in columns:
                doc.spans[key] = [Span(doc, *_token_span(record, s)) for s in record[key]]
        for field in ("stance", "uncertain"):
            if field in columns and record[field] != schema.MISSING_LABEL:
                for position, name in enumerate(schema.SENTENCE_LABELS[field]):
                    doc.cats[f"{field}:{name}"] = float(position == record[field])
        # A 1.x release has no provenance fields: only the fields the record has are kept.
        sentence_level = [c for c in columns if c not in TOKEN_LEVEL and c in record]
        doc.user_data.update(named_record(record, sentence_level))
        docs.append(doc)
    return docs


def to_docbin(records: Iterable[Mapping[str, Any]], config: str = "sentences") -> bytes:
    """A serialized spaCy ``DocBin`` of :func:`to_docs` (user data kept)."""
    _require_spacy()
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    for doc in to_docs(records, config):
        docbin.add(doc)
    return docbin.to_bytes()


def render(fmt: str, records: Sequence[Mapping[str, Any]], config: str) -> bytes:
    """The bytes of one export file."""
    writers: dict[str, Callable[[], bytes]] = {
        "conll": lambda: to_conll(records, config).encode("utf-8"),
        "jsonl": lambda: to_jsonl(records, config).encode("utf-8"),
        "spacy": lambda: to_docbin(records, config),
        "parallel": lambda: to_parallel(records, config).encode("utf-8"),
    }
    if fmt not in writers:
        raise SqcorpusError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return writers[fmt]()


def _check_options(fmt: str, config: str | None, split: str | None) -> str:
    if fmt not in FORMATS:
        raise SqcorpusError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if split is not None:
        schema.require_split(split)
    return schema.require_config(config or schema.DEFAULT_CONFIG)


def export(
    fmt: str,
    out: Path,
    *,
    config: str | None = None,
    version: str | None = None,
    split: str | None = None,
    releases_dir: Path | None = None,
) -> list[Path]:
    """Export a release: with ``split``, ``out`` is one file; without, ``out`` is a folder
    receiving ``<split><ext>`` for every split. Returns the files written."""
    _check_options(fmt, config, split)  # bad options fail before any release is read
    records = open_release(version, releases_dir).records()
    return export_records(fmt, out, records, config=config, split=split)


def export_records(
    fmt: str,
    out: Path,
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    config: str | None = None,
    split: str | None = None,
) -> list[Path]:
    """:func:`export` of a resolved release's records (``{split: records}``)."""
    config = _check_options(fmt, config, split)
    targets = (
        {split: out}
        if split is not None
        else {name: out / f"{name}{FORMATS[fmt]}" for name in schema.SPLITS}
    )
    # Render everything first: an error must not leave some splits written and others not.
    contents = {name: render(fmt, records[name], config) for name in targets}
    for name, path in targets.items():
        write_atomic(path, contents[name])
    return list(targets.values())
