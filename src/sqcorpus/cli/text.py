"""``sqcorpus segment``, ``add`` and ``splits``: text into the raw store, and its splits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SqcorpusError
from .common import Adder

if TYPE_CHECKING:
    from ..models import Sentence


def _add_segment(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help="split text into sentences and tokens (JSON Lines out)")
    p.add_argument("file", nargs="?", type=Path, help="UTF-8 text file (default: stdin)")
    p.set_defaults(run=_run_segment)


def _run_segment(args: argparse.Namespace) -> int:
    # Bytes in, decoded strictly here: no newline translation (offsets of a CRLF file stay
    # right), invalid UTF-8 refused with its byte offset, output while input still arrives.
    # The file is opened before the segmenter (and NLTK) is imported: a bad path fails fast.
    if args.file is None:
        stream, name = sys.stdin.buffer, "<stdin>"
    else:
        try:
            stream, name = args.file.open("rb"), str(args.file)
        except OSError as err:
            raise SqcorpusError(f"cannot read text: {err.strerror}", file=args.file) from None
    from ..text.streaming import decode_utf8, iter_segment

    try:
        if stream.seekable():
            # A file is checked whole before anything is written, so bad bytes anywhere in
            # it give an error and no output; a pipe can only be refused where it goes bad.
            for _ in decode_utf8(stream, name):
                pass
            stream.seek(0)
        pieces = decode_utf8(stream, name, before_read=sys.stdout.flush)
        _write_sentences(iter_segment(pieces))
    except BrokenPipeError:
        # The reader left (`sqcorpus segment big.txt | head -1`): stop quietly. Point stdout
        # at /dev/null so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # what a tool killed by SIGPIPE reports (128 + 13)
    finally:
        if args.file is not None:
            stream.close()
    return 0


def _write_sentences(sentences: Iterable[Sentence]) -> None:
    """JSON Lines on stdout."""
    write = sys.stdout.write
    for sentence in sentences:
        record = {
            "start": sentence.start,
            "end": sentence.end,
            "text": sentence.text,
            "tokens": [{"start": t.start, "end": t.end, "text": t.text} for t in sentence.tokens],
        }
        write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _add_add(sub: argparse._SubParsersAction) -> None:
    from ..text.sources import ADAPTERS

    p = sub.add_parser(
        "add", help="add every document of an outside source to the raw store, and give it a split"
    )
    p.add_argument("source", choices=sorted(ADAPTERS), help="the source's adapter")
    p.add_argument("folder", type=Path, help="the source's folder (e.g. ../shared/data/ntrex-128)")
    p.set_defaults(run=_run_add)


def _run_add(args: argparse.Namespace) -> int:
    from ..text.sources import add_source

    summary = add_source(args.source, args.folder)
    print(f"added {len(summary.added)} documents, {len(summary.unchanged)} already present")
    return _assign_splits()


def _add_splits(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("splits", help="give every document of the raw store without a split one")
    p.set_defaults(run=lambda args: _assign_splits())


def _assign_splits() -> int:
    from .. import paths
    from ..release.splits import assign_split_file
    from ..text.corpus import read_corpus

    _, added = assign_split_file(read_corpus(), paths.splits_file())
    print(f"{paths.splits_file()}: {len(added)} documents assigned a split")
    return 0


COMMANDS: tuple[Adder, ...] = (
    _add_segment,
    _add_add,
    _add_splits,
)
