"""The ``sqcorpus`` command: a thin layer over the Python API, one subcommand a stage.

Each subcommand is a pair ``_add_<name>(subparsers)`` / ``_run_<name>(args) -> int``.
Errors from bad input (:class:`SqcorpusError`) become one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import SqcorpusError

Runner = Callable[[argparse.Namespace], int]


# --- segment -----------------------------------------------------------------------------
def _add_segment(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help="split text into sentences and tokens (JSON Lines out)")
    p.add_argument("file", nargs="?", type=Path, help="UTF-8 text file (default: stdin)")
    p.set_defaults(run=_run_segment)


def _run_segment(args: argparse.Namespace) -> int:
    from .segment import segment

    if args.file is None:
        text = sys.stdin.read()
    else:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise SqcorpusError(f"cannot read text: {err}", file=args.file) from None
    for sentence in segment(text):
        record = {
            "start": sentence.start,
            "end": sentence.end,
            "text": sentence.text,
            "tokens": [{"start": t.start, "end": t.end, "text": t.text} for t in sentence.tokens],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


# --- build -------------------------------------------------------------------------------
def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build, validate and write a release")
    p.add_argument("--annotations", type=Path, help="Label Studio JSON export file or directory")
    p.add_argument("--out", type=Path, help="releases directory (default: corpus/releases)")
    p.add_argument("--version", help="release version X.Y.Z (default: the next pre-release)")
    p.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from .release import build_release, format_summary

    summary = build_release(args.version, annotations=args.annotations, out=args.out)
    print(format_summary(summary))
    return 0


# --- more subcommands register here (keep one _add_/_run_ pair per subcommand) ------------
# SUBCOMMANDS-ANCHOR


Adder = Callable[[argparse._SubParsersAction], None]


def _parser(adders: Sequence[Adder]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqcorpus", description="Build, annotate and use the sqcorpus Albanian news corpus."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in adders:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    adders = [
        obj for name, obj in sorted(globals().items()) if name.startswith("_add_") and callable(obj)
    ]
    args = _parser(adders).parse_args(argv)
    try:
        return args.run(args)
    except SqcorpusError as err:
        print(f"sqcorpus {args.command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
