"""Reading predictions: JSON objects keyed by sentence ``id``, each field checked against the
gold sentence's tokens, with errors that name the file, line, id and field.

Fields other than the config's are ignored, so one file can carry predictions for several
configs; lines for sentences of other splits of the release are ignored and counted, so one
file can cover several splits. Every label may be given by name (``"B-PER"``, ``"favor"``)
or by the release's ClassLabel id (the integer ``datasets`` gives you).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seqeval.scheme import IOB2, Tokens

from .. import schema
from ..errors import SqcorpusError
from ..files import parse_json

# --- reading predictions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PredictionRow:
    """One prediction object and where it was read."""

    line: int
    data: Mapping[str, Any]
    source: str

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"

    def error(self, message: str, field: str | None = None) -> SqcorpusError:
        item = self.data.get("id") if isinstance(self.data.get("id"), str) else None
        return SqcorpusError(message, file=self.where, item=item, field=field)


def read_predictions(predictions: Path | str | Iterable[Mapping[str, Any]]) -> list[PredictionRow]:
    """Prediction rows from a JSON Lines file (blank lines skipped) or an iterable of dicts."""
    rows: list[PredictionRow] = []
    if isinstance(predictions, str | Path):
        path = Path(predictions)
        source = str(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise SqcorpusError(f"cannot read predictions: {err}", file=path) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = parse_json(line)
            except json.JSONDecodeError as err:
                raise SqcorpusError(
                    f"invalid JSON: {err.msg} (column {err.colno})", file=f"{source}, line {number}"
                ) from None
            except ValueError as err:  # NaN, Infinity, or nested too deeply
                raise SqcorpusError(
                    f"invalid JSON: {err}", file=f"{source}, line {number}"
                ) from None
            rows.append(PredictionRow(number, data, source))
    else:
        source = "<predictions>"
        rows = [PredictionRow(n, data, source) for n, data in enumerate(predictions, start=1)]
    for row in rows:
        if not isinstance(row.data, Mapping):
            raise SqcorpusError("a prediction is a JSON object", file=row.where)
        if not isinstance(row.data.get("id"), str):
            raise row.error("missing or not a string", "id")
    return rows


def index_predictions(
    rows: Sequence[PredictionRow],
    records: Sequence[Mapping[str, Any]],
    split: str,
    other_ids: Collection[str] = (),
) -> tuple[dict[str, PredictionRow], int]:
    """Rows of ``split``'s sentences by id, and how many rows (for ``other_ids``, the
    sentences of the release's other splits) were ignored. Any other id is an error."""
    known = {r["id"] for r in records}
    by_id: dict[str, PredictionRow] = {}
    seen: dict[str, int] = {}
    ignored = 0
    for row in rows:
        sid = row.data["id"]
        if sid in seen:
            raise row.error(f"duplicate prediction (also on line {seen[sid]})", "id")
        seen[sid] = row.line
        if sid in known:
            by_id[sid] = row
        elif sid in other_ids:
            ignored += 1
        else:
            where = "the release" if other_ids else f"split {split!r}"
            raise row.error(f"unknown sentence id (not in {where})", "id")
    return by_id, ignored


def require_predictions(
    by_id: Mapping[str, PredictionRow], scored: Sequence[Mapping[str, Any]], source: str
) -> list[PredictionRow]:
    missing = [r["id"] for r in scored if r["id"] not in by_id]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise SqcorpusError(
            f"no prediction for this sentence{more}", file=source, item=missing[0], field="id"
        )
    return [by_id[r["id"]] for r in scored]


# --- parsing prediction fields ---------------------------------------------------------------


def label_value(row: PredictionRow, field: str, value: Any, names: Sequence[str]) -> str:
    """A label given by name or by ClassLabel id (its index in ``names``), as its name."""
    if _is_int(value):
        if 0 <= value < len(names):
            return names[value]
        raise row.error(f"label id {value} is out of range 0..{len(names) - 1}", field)
    if isinstance(value, str) and value in names:
        return value
    raise row.error(f"unknown label {value!r}; expected one of {', '.join(names)}", field)


def check_tags(
    row: PredictionRow,
    field: str,
    tags: Any,
    record: Mapping[str, Any],
    types: set[str],
    ids: Sequence[str],
) -> list[str]:
    """IOB2 tags as names; a tag may be a name (of ``types``) or a ClassLabel id of ``ids``."""
    if not isinstance(tags, list) or not all(isinstance(t, str) or _is_int(t) for t in tags):
        raise row.error("must be a list of tag names or ClassLabel ids", field)
    if len(tags) != len(record["tokens"]):
        raise row.error(f"{len(tags)} tags for a sentence of {len(record['tokens'])} tokens", field)
    names = []
    for position, tag in enumerate(tags):
        if _is_int(tag):
            tag = label_value(row, f"{field}[{position}]", tag, ids)
        if tag != "O" and not (tag[:2] in ("B-", "I-") and tag[2:] in types):
            raise row.error(f"unknown label {tag!r} at token {position}", field)
        names.append(tag)
    return names


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def prediction_spans(
    row: PredictionRow,
    field: str,
    spans: Any,
    record: Mapping[str, Any],
    labels: set[str] | None,
) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, label)`` checked against the sentence's tokens."""
    if not isinstance(spans, list):
        raise row.error("must be a list of span objects", field)
    out = []
    seen: dict[tuple[int, int], int] = {}
    for position, span in enumerate(spans):
        where = f"{field}[{position}]"
        if not isinstance(span, Mapping):
            raise row.error("a span is an object with start and end", where)
        start, end = span.get("start"), span.get("end")
        if not (_is_int(start) and _is_int(end)):
            raise row.error("start and end must be integers", where)
        assert isinstance(start, int) and isinstance(end, int)  # for the type checker
        if not 0 <= start < end <= len(record["text"]):
            raise row.error(f"span [{start}, {end}) is out of the sentence text", where)
        if start not in record["token_starts"] or end not in record["token_ends"]:
            raise row.error(
                f"span [{start}, {end}) {record['text'][start:end]!r} is off token boundaries",
                where,
            )
        # The same span twice is refused in every layer, as the converter refuses it.
        if (start, end) in seen:
            raise row.error(
                f"duplicate span [{start}, {end}) (also {field}[{seen[start, end]}])", where
            )
        seen[start, end] = position
        label: Any = ""
        if labels is not None:
            label = span.get("label")
            if _is_int(label):  # a ClassLabel id of the release's entity labels
                label = label_value(row, f"{where}.label", label, schema.ENTITY_LABELS)
            if not isinstance(label, str) or label not in labels:
                raise row.error(f"unknown label {label!r}", f"{where}.label")
        out.append((start, end, str(label)))
    return out


def spans_to_tags(
    row: PredictionRow, field: str, spans: Sequence[tuple[int, int, str]], record: Mapping
) -> list[str]:
    tokens = list(zip(record["token_starts"], record["token_ends"], strict=True))
    try:
        return schema.iob2_tags(tokens, spans)
    except ValueError as err:
        raise row.error(str(err), field) from None


def tag_spans(record: Mapping[str, Any], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans of the strict IOB2 chunks of a tag sequence (seqeval's reading)."""
    starts, ends = record["token_starts"], record["token_ends"]
    return [
        (starts[e.start], ends[e.end - 1], e.tag) for e in Tokens(list(tags), scheme=IOB2).entities
    ]
