"""Corrections: a gold annotation replaced under newer guidelines, for a PATCH release.

After a round the guidelines may settle a question against what some gold annotations did
(guidelines 8.4). :func:`correct` replaces such a sentence's gold with an adjudicator's
corrected annotation under the current guidelines, with one decision and rationale per
change. Nothing is lost: the earlier gold stays in the export, no longer marked
``ground_truth``, and the record in ``annotation/adjudication/<doc_id>.json`` names the
annotation it corrects. A correction that changes nothing, gives no decision, or would not
pass the converter is refused, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from .. import schema
from ..errors import SqcorpusError
from ..files import json_text, read_json, write_atomic
from ..models import SentenceAnnotation
from ..text.segmentation import tokenize
from .adjudication import (
    Decision,
    annotation_in_words,
    decisions_of,
    differs,
    export_file_of,
    gold_entry,
    read_records,
    require_filled,
    require_pseudonym,
    stamp_of,
)
from .agreement import read_codings
from .convert import Where, from_ls_results, to_ls_results
from .tasks import annotator_name, gold_position

CORRECTION_LAYER: Final = "correction"
"""The ``layer`` of a correction's records in the adjudication file."""


def _check(decisions: Sequence[Decision], sid: str) -> None:
    if not decisions:
        raise SqcorpusError(
            "a correction needs at least one decision with its rationale",
            item=sid,
            field="decisions",
        )
    for decision in decisions:
        require_filled(decision, sid, ("key", "decision", "rationale", "guidelines_section"))


@dataclass(frozen=True, slots=True)
class Correction:
    """One sentence's corrected annotation, with a decision per change."""

    sid: str
    annotation: SentenceAnnotation
    decisions: tuple[Decision, ...]
    adjudicator: str


def doc_id_of(sid: str) -> str:
    """The document of a sentence id ``<doc_id>-s<NNN>``."""
    doc_id, _, number = sid.rpartition("-s")
    if not doc_id or not number.isdigit():
        raise SqcorpusError("not a sentence id <doc_id>-sNNN", item=sid, field="sid")
    return doc_id


def correct(
    corrections: Sequence[Correction],
    *,
    exports: Path | None = None,
    records: Path | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Make each correction's annotation its sentence's gold in place of the current one.

    Every correction is checked before any file is written; returns the files written.
    """
    stamp = stamp_of(now)
    seen: set[str] = set()
    planned: dict[Path, str] = {}
    by_doc: dict[str, list[Correction]] = {}
    for fix in corrections:
        if fix.sid in seen:
            raise SqcorpusError("corrected twice in one file", item=fix.sid, field="sid")
        seen.add(fix.sid)
        by_doc.setdefault(doc_id_of(fix.sid), []).append(fix)
    for doc_id, fixes in by_doc.items():
        export_file = export_file_of(doc_id, exports)
        golds = {t.sid: t for t in read_codings([export_file])}
        tasks = read_json(export_file, what="Label Studio export")
        records_file, content = read_records(doc_id, records)
        for fix in fixes:
            require_pseudonym(fix.adjudicator)
            _check(fix.decisions, fix.sid)
            task = golds.get(fix.sid)
            if task is None:
                raise SqcorpusError(
                    "no such sentence in the export", file=export_file, item=fix.sid
                )
            if task.gold is None:
                raise SqcorpusError(
                    "has no gold to correct (adjudicate it first)", file=export_file, item=fix.sid
                )
            if not differs(task.gold.annotation, fix.annotation):
                raise SqcorpusError("the correction changes nothing", item=fix.sid, field="words")
            result = to_ls_results(fix.annotation)
            where = Where(export_file, f"{fix.sid} (correction)")
            from_ls_results(result, task.text, tokenize(task.text), where)
            entry = next(t for t in tasks if t["data"][schema.LS_SENTENCE_ID] == fix.sid)
            done = [a for a in entry["annotations"] if not a.get("was_cancelled")]
            previous = done[gold_position(done, file=export_file, item=fix.sid) or 0]
            # Kept in the export, no longer the gold. Its new time makes it newer than any
            # server copy still marked ground truth: a pull refuses to re-mark it (two golds).
            previous["ground_truth"] = False
            previous["updated_at"] = stamp
            number = sum(str(a.get("id", "")).startswith(f"correction-{fix.sid}-") for a in done)
            entry["annotations"].append(
                gold_entry(
                    f"correction-{fix.sid}-{number + 1}",
                    fix.adjudicator,
                    result,
                    stamp,
                    corrects=previous.get("id"),
                )
            )
            content["records"] += [
                {
                    "sid": fix.sid,
                    "layer": CORRECTION_LAYER,
                    **asdict(decision),
                    "adjudicator": fix.adjudicator,
                    "guidelines_version": schema.GUIDELINES_VERSION,
                    "annotators": [annotator_name(previous.get("completed_by"))],
                    "corrects": previous.get("id"),
                    "decided_at": stamp,
                }
                for decision in fix.decisions
            ]
        planned[records_file] = json_text(content)
        planned[export_file] = json_text(tasks, sort_keys=True)
    for path, text in planned.items():
        write_atomic(path, text)
    return list(planned)


def read_corrections(path: Path, *, exports: Path | None = None) -> list[Correction]:
    """A ``--correct`` file: a JSON list of ``{sid, adjudicator, words | result, decisions}``
    (``words`` as in :mod:`.studio.worker`: the complete corrected annotation)."""
    entries = read_json(path, what="corrections file")
    if not isinstance(entries, list):
        raise SqcorpusError("expected a list of corrections", file=path)
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("sid"), str):
            raise SqcorpusError("each correction is an object with a 'sid'", file=path)
        sid = entry["sid"]
        annotation = annotation_in_words(doc_id_of(sid), entry, source=path, exports=exports)
        if annotation is None:
            raise SqcorpusError(
                "needs the corrected annotation as 'words' or 'result'", file=path, item=sid
            )
        decisions = tuple(decisions_of(entry, source=path, sid=sid))
        found.append(Correction(sid, annotation, decisions, str(entry.get("adjudicator", ""))))
    return found
