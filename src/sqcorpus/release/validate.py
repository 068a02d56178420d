"""Stage 5, validate: every release record is checked against the schema before anything is written.

``datasets`` loads out-of-range ClassLabel values silently, so ranges are checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import schema
from ..errors import SqcorpusError


def validate_records(records: Iterable[Mapping[str, Any]], source: object = "release") -> None:
    """Raise :class:`SqcorpusError` on the first record that breaks an invariant."""
    seen: set[str] = set()
    for record in records:
        sid = record["id"]

        def fail(message: str, field: str, sid: str = sid) -> SqcorpusError:
            return SqcorpusError(message, file=source, item=sid, field=field)

        if sid in seen:
            raise fail("duplicate sentence id", "id")
        seen.add(sid)
        if sid != f"{record['doc_id']}-s{record['sentence_index']:03d}":
            raise fail("id does not match doc_id and sentence_index", "id")
        text = record["text"]
        if record["end"] - record["start"] != len(text):
            raise fail("document offsets do not match the text length", "end")
        tokens = record["tokens"]
        starts, ends = record["token_starts"], record["token_ends"]
        if (
            not len(tokens)
            == len(starts)
            == len(ends)
            == len(record["ner_tags"])
            == len(record["hedge_tags"])
        ):
            raise fail("tokens, offsets and tag sequences differ in length", "tokens")
        previous_end = 0
        for i, (token, start, end) in enumerate(zip(tokens, starts, ends, strict=True)):
            if start < previous_end or text[start:end] != token or not token:
                raise fail(f"token {i} {token!r} does not match its offsets", "tokens")
            previous_end = end
        for field, names in (("ner_tags", schema.NER_TAGS), ("hedge_tags", schema.HEDGE_TAGS)):
            _check_bio(record[field], names, fail, field)
        for field, names in schema.SENTENCE_LABELS.items():
            if not schema.MISSING_LABEL <= record[field] < len(names):
                raise fail(f"label {record[field]} out of range 0..{len(names) - 1}", field)
        for field in ("entities", "hedge_cues", "hedge_scopes"):
            for span in record[field]:
                if span["start"] not in starts or span["end"] not in ends:
                    raise fail(f"span {span['text']!r} is off token boundaries", field)
                if text[span["start"] : span["end"]] != span["text"]:
                    raise fail(f"span text {span['text']!r} does not match its offsets", field)
                if field == "entities" and not 0 <= span["label"] < len(schema.ENTITY_LABELS):
                    raise fail(f"entity label {span['label']} out of range", field)
        cues = bool(record["hedge_cues"])
        if record["uncertain"] != schema.MISSING_LABEL and record["uncertain"] != int(cues):
            raise fail("uncertain must be set exactly when the sentence has a cue", "uncertain")


def _check_bio(tags: list[int], names: tuple[str, ...], fail: Any, field: str) -> None:
    previous = "O"
    for i, tag in enumerate(tags):
        if not 0 <= tag < len(names):
            raise fail(f"tag {tag} at token {i} out of range", field)
        name = names[tag]
        if name.startswith("I-") and previous[2:] != name[2:]:
            raise fail(f"{name} at token {i} does not continue a span (IOB2)", field)
        previous = name
