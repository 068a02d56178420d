"""The ``sqcorpus`` command: a thin layer over the Python API, one subcommand a stage.

Each subcommand is a pair ``_add_<name>(subparsers)`` / ``_run_<name>(args) -> int``.
Errors from bad input (:class:`SqcorpusError`) become one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SqcorpusError

if TYPE_CHECKING:
    from .models import Sentence

Runner = Callable[[argparse.Namespace], int]


# --- segment -----------------------------------------------------------------------------
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
    from .streaming import decode_utf8, iter_segment

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
# --- studio ------------------------------------------------------------------------------
def _add_studio(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("studio", help="annotate in a local Label Studio (install, serve, push...)")
    actions = p.add_subparsers(dest="studio_command", required=True, metavar="ACTION")
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument(
        "--data-dir", type=Path, help="server data folder, connection and pseudonyms (.studio/)"
    )
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", default="sqcorpus", help="project title (sqcorpus)")
    actions.add_parser("install", help="install Label Studio into its own virtual environment")
    serve = actions.add_parser("serve", parents=[data_dir], help="run a local server until Ctrl-C")
    serve.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    push = actions.add_parser(
        "push", parents=[data_dir, project], help="create the project and import new sentences"
    )
    push.add_argument("--doc", metavar="DOC_ID", help="push one document only")
    pull = actions.add_parser(
        "pull", parents=[data_dir, project], help="export annotations, pseudonymized"
    )
    pull.add_argument("--out", type=Path, help="exports folder (default: annotation/exports)")
    actions.add_parser("status", parents=[data_dir, project], help="annotation progress")
    p.set_defaults(run=_run_studio)


def _run_studio(args: argparse.Namespace) -> int:
    from . import studio

    action = args.studio_command
    if action == "install":
        print(f"Label Studio {studio.LABEL_STUDIO_VERSION} is installed in {studio.install()}")
    elif action == "serve":
        studio.serve(args.data_dir, port=args.port)
    elif action == "push":
        pushed = studio.push(project=args.project, doc_id=args.doc, data_dir=args.data_dir)
        print(studio.format_push(pushed))
    elif action == "pull":
        pulled = studio.pull(out=args.out, project=args.project, data_dir=args.data_dir)
        print(studio.format_pull(pulled))
    else:
        print(studio.format_status(studio.status(project=args.project, data_dir=args.data_dir)))
    return 0


# --- label-config ------------------------------------------------------------------------
def _add_label_config(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "label-config", help="write (or --check) annotation/label_config.xml from the schema"
    )
    p.add_argument(
        "--check", action="store_true", help="only check the file is up to date; exit 1 if not"
    )
    p.set_defaults(run=_run_label_config)


def _run_label_config(args: argparse.Namespace) -> int:
    from .labelconfig import check_label_config_file, write_label_config

    if args.check:
        print(f"{check_label_config_file()}: up to date")
    else:
        print(f"wrote {write_label_config()}")
    return 0


# --- evaluate ----------------------------------------------------------------------------
def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score predictions (JSON Lines) against a released split")
    p.add_argument("predictions", type=Path, help="JSON Lines, one object per sentence id")
    p.add_argument("--config", required=True, choices=["ner", "stance", "hedging"])
    p.add_argument("--split", default="test", help="split to score (default: test)")
    p.add_argument("--version", help="release version (default: the latest)")
    p.add_argument("--out", type=Path, help="also write the full report as JSON")
    p.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import evaluate, format_report, write_report

    report = evaluate(args.config, args.predictions, split=args.split, version=args.version)
    print(format_report(report))
    if args.out:
        write_report(report, args.out)
    return 0


# --- baseline ----------------------------------------------------------------------------
def _add_baseline(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "baseline", help="write a baseline's predictions, or (--table) score every baseline"
    )
    p.add_argument("name", nargs="?", choices=["majority", "rules", "crf"], help="baseline")
    p.add_argument("--split", default="test", help="split to predict (default: test)")
    p.add_argument("--version", help="release version (default: the latest)")
    p.add_argument("--out", type=Path, help="predictions file (default: stdout)")
    p.add_argument("--table", action="store_true", help="print the Markdown table of baselines")
    p.add_argument(
        "--write-readme", action="store_true", help="put the table into README.md's block"
    )
    p.add_argument(
        "--check", action="store_true", help="exit 1 if README.md's table is out of date"
    )
    p.set_defaults(run=_run_baseline)


def _run_baseline(args: argparse.Namespace) -> int:
    from . import baselines

    if args.table or args.write_readme or args.check:
        table = baselines.baseline_table(args.version, args.split)
        if args.check:
            baselines.check_readme(table)
            print(f"{baselines.readme_path()}: baselines table up to date")
        elif args.write_readme:
            changed = baselines.write_readme(table)
            print(f"{baselines.readme_path()}: {'updated' if changed else 'unchanged'}")
        else:
            print(table, end="")
        return 0
    if args.name is None:
        raise SqcorpusError("give a baseline name (majority, rules, crf) or --table")
    text = baselines.to_jsonl(baselines.predict(args.name, args.split, args.version))
    if args.out:
        from .files import write_atomic

        write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


# --- agreement ---------------------------------------------------------------------------
def _add_agreement(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help="inter-annotator agreement of Label Studio exports")
    p.add_argument("exports", nargs="*", type=Path, help="default: annotation/exports/*.json")
    p.add_argument("--json", type=Path, dest="json_out", help="also write the report as JSON")
    p.set_defaults(run=_run_agreement)


def _run_agreement(args: argparse.Namespace) -> int:
    from .agreement import agreement, format_agreement
    from .evaluation import write_report

    report = agreement(args.exports)
    print(format_agreement(report))
    if args.json_out:
        write_report(report, args.json_out)
    return 0


# --- export ------------------------------------------------------------------------------
def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a release as CoNLL, JSON Lines or spaCy DocBin")
    p.add_argument("out", type=Path, help="file (with --split) or folder (one file a split)")
    p.add_argument("--format", required=True, choices=["conll", "jsonl", "spacy"])
    p.add_argument("--config", help="config to export (default: sentences)")
    p.add_argument("--version", help="release version (default: the latest)")
    p.add_argument("--split", help="one split only (default: every split)")
    p.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from .export import export

    for path in export(
        args.format, args.out, config=args.config, version=args.version, split=args.split
    ):
        print(f"wrote {path}")
    return 0


# --- publication: card, datasheet, cite, croissant, diff (logic in card.py, datasheet.py,
# cite.py, croissant.py, diff.py) ---------------------------------------------------------
def _report_generated(name: str, changed: bool, difference: str | None, check: bool) -> int:
    """``--check``: exit 1 naming the first differing line; otherwise say what was written."""
    if check:
        if changed:
            print(f"{difference} (run `sqcorpus {name}` to regenerate)", file=sys.stderr)
            return 1
        return 0
    print(f"{name}: {'updated' if changed else 'up to date'}")
    return 0


def _add_card(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("card", help="regenerate README.md's dataset-card YAML header")
    p.add_argument("--check", action="store_true", help="exit 1 if the header is out of date")
    p.set_defaults(run=_run_card)


def _run_card(args: argparse.Namespace) -> int:
    from .card import update_card

    result = update_card(check=args.check)
    return _report_generated("card", result.changed, result.difference, args.check)


def _add_datasheet(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasheet", help="regenerate the statistics block of DATASHEET.md")
    p.add_argument("--check", action="store_true", help="exit 1 if a statistic is out of date")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.set_defaults(run=_run_datasheet)


def _run_datasheet(args: argparse.Namespace) -> int:
    from .datasheet import update_datasheet

    result = update_datasheet(check=args.check, version=args.version)
    return _report_generated("datasheet", result.changed, result.difference, args.check)


def _add_cite(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cite", help="print how to cite a release; --write-cff updates CITATION.cff")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument("--format", choices=("bibtex", "cff", "apa"), default="bibtex")
    p.add_argument("--write-cff", action="store_true", help="write CITATION.cff (latest release)")
    p.add_argument("--check", action="store_true", help="with --write-cff: exit 1 if stale")
    p.set_defaults(run=_run_cite)


def _run_cite(args: argparse.Namespace) -> int:
    from .cite import citation, render, write_cff

    if args.write_cff:
        if args.version:
            raise SqcorpusError("CITATION.cff follows the latest release: drop --version")
        result = write_cff(check=args.check)
        return _report_generated("cite --write-cff", result.changed, result.difference, args.check)
    sys.stdout.write(render(citation(args.version), args.format))
    return 0


def _add_croissant(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("croissant", help="regenerate a release's croissant.json (Croissant 1.1)")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument("--check", action="store_true", help="exit 1 if croissant.json is stale")
    p.set_defaults(run=_run_croissant)


def _run_croissant(args: argparse.Namespace) -> int:
    from .croissant import update_croissant

    result = update_croissant(args.version, check=args.check)
    return _report_generated("croissant", result.changed, result.difference, args.check)


def _add_diff(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="sentences added/removed and labels changed between releases")
    p.add_argument("old", help="older release X.Y.Z")
    p.add_argument("new", help="newer release X.Y.Z")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-v", "--verbose", action="store_true", help="show every changed value")
    p.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    from .diff import diff_releases, format_diff

    result = diff_releases(args.old, args.new)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_diff(result, verbose=args.verbose))
    return 0


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
