"""The ``sqcorpus`` command: a thin layer over the Python API, one subcommand a stage.

Each subcommand is a pair ``_add_<name>(subparsers)`` / ``_run_<name>(args) -> int``, listed
in :data:`COMMANDS`. Errors from bad input (:class:`SqcorpusError`) become one line on stderr
and exit 1. Stage modules are imported by the command that needs them, so that ``sqcorpus
segment`` does not load ``datasets`` or scikit-learn.

Longer than 400 lines because every subcommand's arguments are declared here, one short
``_add_``/``_run_`` pair each; the work itself is in the stage modules.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SqcorpusError
from .files import refuse_inside_release, write_atomic
from .generated import Generated

if TYPE_CHECKING:
    from .models import Sentence


class SchemaChoices(Sequence[str]):
    """Choices of an option, read from :mod:`sqcorpus.schema` (which imports ``datasets``) only
    when argparse checks them, so that ``sqcorpus segment`` never loads it. Options using it
    give a ``metavar``: argparse would otherwise list the choices while building the parser."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def values(self) -> tuple[str, ...]:
        from . import schema

        return tuple(getattr(schema, self.name))

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self.values[index]

    def __len__(self) -> int:
        return len(self.values)


SPLITS = SchemaChoices("SPLITS")
CONFIGS = SchemaChoices("CONFIGS")
EVAL_CONFIGS = SchemaChoices("EVAL_CONFIGS")


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
    from .text.streaming import decode_utf8, iter_segment

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


# --- add, splits ------------------------------------------------------------------------
def _add_add(sub: argparse._SubParsersAction) -> None:
    from .text.sources import ADAPTERS

    p = sub.add_parser(
        "add", help="add every document of an outside source to the raw store, and give it a split"
    )
    p.add_argument("source", choices=sorted(ADAPTERS), help="the source's adapter")
    p.add_argument("folder", type=Path, help="the source's folder (e.g. ../shared/data/ntrex-128)")
    p.set_defaults(run=_run_add)


def _run_add(args: argparse.Namespace) -> int:
    from .text.sources import add_source

    summary = add_source(args.source, args.folder)
    print(f"added {len(summary.added)} documents, {len(summary.unchanged)} already present")
    return _assign_splits()


def _add_splits(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("splits", help="give every document of the raw store without a split one")
    p.set_defaults(run=lambda args: _assign_splits())


def _assign_splits() -> int:
    from . import paths
    from .release.splits import assign_split_file
    from .text.corpus import read_corpus

    _, added = assign_split_file(read_corpus(), paths.splits_file())
    print(f"{paths.splits_file()}: {len(added)} documents assigned a split")
    return 0


# --- build -------------------------------------------------------------------------------
def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build, validate and write a release")
    p.add_argument("--annotations", type=Path, help="Label Studio JSON export file or directory")
    p.add_argument("--out", type=Path, help="releases directory (default: corpus/releases)")
    p.add_argument(
        "--version",
        help="release version X.Y.Z, or a pre-release X.Y.Z-rc.N that may leave sentences "
        "unannotated (default: rebuild the latest and check it)",
    )
    p.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from .release.build import build_release, format_summary

    summary = build_release(args.version, annotations=args.annotations, out=args.out)
    print(format_summary(summary))
    return 0


# --- studio ------------------------------------------------------------------------------
def _add_studio(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("studio", help="annotate in Label Studio (install, serve, users, push...)")
    actions = p.add_subparsers(dest="studio_command", required=True, metavar="ACTION")
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument(
        "--data-dir", type=Path, help="server data folder, connection and pseudonyms (.studio/)"
    )
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", help="project title (default: see the action's help)")
    actions.add_parser("install", help="install Label Studio into its own virtual environment")
    serve = actions.add_parser("serve", parents=[data_dir], help="run a local server until Ctrl-C")
    serve.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    database = serve.add_mutually_exclusive_group()
    database.add_argument(
        "--database",
        metavar="URL",
        help="postgresql://USER@HOST:PORT/NAME (password: $PGPASSWORD), 'local-postgres' or "
        "'sqlite' (default: as before, else sqlite)",
    )
    database.add_argument(
        "--postgres",
        action="store_const",
        const="local-postgres",
        dest="database",
        help="a private PostgreSQL cluster in the data folder (a team server)",
    )
    users = actions.add_parser("users", help="annotator accounts")
    user_actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_actions.add_parser("add", parents=[data_dir], help="create an annotator account")
    add.add_argument("name", metavar="NAME", help="lower-case letters, digits, hyphens")
    add.add_argument(
        "--password-file", type=Path, help="write the password here (0600) instead of stdout"
    )
    user_actions.add_parser("list", parents=[data_dir], help="annotator names")
    push = actions.add_parser(
        "push",
        parents=[data_dir, project],
        help="create the project and import new sentences (default project: sqcorpus)",
    )
    push.add_argument("--doc", metavar="DOC_ID", help="push one document only")
    push.add_argument("--docs", metavar="DOC_ID", nargs="+", help="push these documents only")
    push.add_argument("--annotator", metavar="NAME", help="push to NAME's own project")
    push.add_argument(
        "--gold", action="store_true", help="push committed annotations for adjudication"
    )
    push.add_argument("--model", choices=("rules",), default="rules", help="pre-annotator (rules)")
    pull = actions.add_parser(
        "pull",
        parents=[data_dir, project],
        help="merge every sqcorpus project's annotations into the exports, pseudonymized",
    )
    pull.add_argument("--out", type=Path, help="exports folder (default: annotation/exports)")
    pull.add_argument(
        "--replace",
        action="store_true",
        help="let the server win: drop committed annotations it lacks (with a warning)",
    )
    status = actions.add_parser("status", parents=[data_dir, project], help="annotation progress")
    status.add_argument("--annotator", metavar="NAME", help="NAME's own project")
    p.set_defaults(run=_run_studio)


def _run_users(args: argparse.Namespace) -> int:
    from .annotate.studio import users
    from .files import write_atomic

    if args.users_command == "list":
        print(users.describe(users.read_users(args.data_dir)))
        return 0
    added = users.add_user(args.name, data_dir=args.data_dir)
    url = users.resolve_connection(args.data_dir).url
    if args.password_file is not None:
        write_atomic(args.password_file, added.password + "\n", mode=0o600)
        print(users.login_help(added, url, password_file=args.password_file))
    else:
        print(users.login_help(added, url))
    return 0


def _run_studio(args: argparse.Namespace) -> int:
    from .annotate import studio

    action = args.studio_command
    if action == "install":
        print(f"Label Studio {studio.LABEL_STUDIO_VERSION} is installed in {studio.install()}")
    elif action == "serve":
        studio.serve(args.data_dir, port=args.port, database=args.database)
    elif action == "users":
        return _run_users(args)
    elif action == "push":
        pushed = studio.push(
            project=args.project or studio.DEFAULT_PROJECT,
            doc_id=args.doc,
            doc_ids=args.docs,
            annotator=args.annotator,
            gold=args.gold,
            data_dir=args.data_dir,
        )
        print(studio.format_push(pushed))
    elif action == "pull":
        pulled = studio.pull(
            out=args.out, project=args.project, data_dir=args.data_dir, replace=args.replace
        )
        print(studio.format_pull(pulled))
    else:
        title = studio.project_title(args.annotator) if args.annotator else args.project
        report = studio.status(project=title or studio.DEFAULT_PROJECT, data_dir=args.data_dir)
        print(studio.format_status(report))
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
    from .annotate.labelconfig import update_label_config

    return _report(update_label_config(check=args.check), args.check)


# --- preannotate (logic in annotate/premodel.py, evaluation/prerun.py) -------------------
def _add_preannotate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "preannotate",
        help="pre-annotate documents (JSON Lines out), or --compare pre-annotations with gold",
    )
    p.add_argument("files", nargs="*", type=Path, help="UTF-8 text files (doc id: file name)")
    p.add_argument("--doc", action="append", default=[], help="a raw-store document (repeat)")
    p.add_argument("--release", help="read (or with --compare: score on) this release X.Y.Z")
    p.add_argument("--docs", nargs="+", default=[], help="with --release: only these documents")
    p.add_argument("--model", default="rules", help="rules-1.0, rules, crf or rules+crf")
    p.add_argument("--crf-model", type=Path, help="a saved CRF (.studio/models/*.pkl)")
    p.add_argument("--train-release", help="train the CRF on this release (default: latest)")
    p.add_argument(
        "--train-exports", type=Path, help="train the CRF on adjudicated Label Studio exports"
    )
    p.add_argument(
        "--without", action="append", default=[], help="leave out lexicon entries of a kind"
    )
    p.add_argument("--out", type=Path, help="predictions file (default: stdout)")
    p.add_argument("--compare", type=Path, metavar="PREDICTIONS", help="score these on gold")
    p.add_argument("--batches", type=Path, help="with --compare: doc_id<TAB>batch lines")
    p.add_argument("--json", type=Path, dest="json_out", help="with --compare: also write JSON")
    p.add_argument(
        "--write-datasheet",
        action="store_true",
        help="with --compare: write the table into DATASHEET.md's pre-annotation block",
    )
    p.add_argument("--check", action="store_true", help="with --write-datasheet: only compare")
    p.set_defaults(run=_run_preannotate)


def _run_preannotate(args: argparse.Namespace) -> int:
    from .evaluation.prerun import run_compare, run_preannotate, to_jsonl

    if args.compare:
        table, results = run_compare(args.compare, args.release, args.docs, args.batches)
        if args.write_datasheet:
            from .evaluation.precompare import update_datasheet_comparison

            command = " ".join(
                [
                    f"sqcorpus preannotate --compare {args.compare.as_posix()}",
                    *([f"--release {args.release}"] if args.release else []),
                    *([f"--batches {args.batches.as_posix()}"] if args.batches else []),
                    "--write-datasheet",
                ]
            )
            result = update_datasheet_comparison(table, command, check=args.check)
            return _report(result, args.check)
        print(table, end="")
        if args.json_out:
            write_atomic(args.json_out, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return 0
    predictions = run_preannotate(
        args.files,
        args.doc,
        args.release,
        args.docs,
        model=args.model,
        crf_model=args.crf_model,
        train_release=args.train_release,
        without=args.without,
        train_exports=args.train_exports,
    )
    text = to_jsonl(predictions)
    if args.out:
        write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


# --- evaluate ----------------------------------------------------------------------------
def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    from .evaluation.predictions_format import PREDICTIONS_FORMAT

    p = sub.add_parser(
        "evaluate",
        help="score predictions (JSON Lines) against a released split",
        epilog=PREDICTIONS_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("predictions", type=Path, help="JSON Lines, one object per sentence id")
    p.add_argument(
        "--config", required=True, choices=EVAL_CONFIGS, metavar="CONFIG", help="%(choices)s"
    )
    p.add_argument(
        "--split", default="test", choices=SPLITS, metavar="SPLIT", help="%(choices)s (test)"
    )
    p.add_argument("--version", help="release version (default: the latest)")
    p.add_argument("--out", type=Path, help="also write the full report as JSON")
    p.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from .evaluation.report import format_report, write_report
    from .evaluation.score import evaluate

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
    p.add_argument(
        "name", nargs="?", choices=["majority", "rules", "crf", "linear"], help="baseline"
    )
    p.add_argument(
        "--split", default="test", choices=SPLITS, metavar="SPLIT", help="%(choices)s (test)"
    )
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
    from .evaluation import baseline_table, baselines

    if args.table or args.write_readme or args.check:
        table = baseline_table.baseline_table(args.version, args.split)
        if args.check or args.write_readme:
            return _report(baseline_table.update_readme(table, check=args.check), args.check)
        print(table, end="")
        return 0
    if args.name is None:
        raise SqcorpusError("give a baseline name (majority, rules, crf, linear) or --table")
    text = baselines.to_jsonl(baselines.predict(args.name, args.split, args.version))
    if args.out:
        write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


# --- agreement ---------------------------------------------------------------------------
def _add_agreement(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help="inter-annotator agreement of Label Studio exports")
    p.add_argument("exports", nargs="*", type=Path, help="default: annotation/exports/*.json")
    p.add_argument("--json", type=Path, dest="json_out", help="also write the report as JSON")
    p.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="resamples for the CIs (1000)"
    )
    p.add_argument("--seed", type=int, default=20261201, help="bootstrap seed (20261201)")
    p.add_argument(
        "--guidelines",
        metavar="VERSION",
        help="only annotations made under this guidelines version",
    )
    p.add_argument(
        "--write-datasheet", action="store_true", help="also write DATASHEET.md's agreement block"
    )
    p.add_argument("--check", action="store_true", help="with --write-datasheet: only compare")
    p.set_defaults(run=_run_agreement)


def _run_agreement(args: argparse.Namespace) -> int:
    from .annotate.agreement_ci import agreement_with_intervals, format_layer_table
    from .annotate.agreement_text import format_agreement
    from .evaluation.report import write_report

    if args.bootstrap < 1:
        raise SqcorpusError("needs at least 1 resample", field="--bootstrap")
    report = agreement_with_intervals(
        args.exports, bootstrap=args.bootstrap, seed=args.seed, guidelines=args.guidelines
    )
    if args.write_datasheet:
        from .annotate.agreement_ci import update_datasheet_agreement

        return _report(update_datasheet_agreement(report, check=args.check), args.check)
    print(format_layer_table(report["layers"], args.bootstrap, args.seed))
    print(format_agreement(report))
    if args.json_out:
        write_report(report, args.json_out)
    return 0


# --- adjudicate --------------------------------------------------------------------------
def _add_adjudicate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "adjudicate", help="list a document's disagreements, or record decisions as ground truth"
    )
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument(
        "--apply",
        type=Path,
        metavar="FILE",
        help="JSON list of {sid, adjudicator, take: ANNOTATOR | words: {entities, stance, "
        "holder, cues, scopes, note} | result: [...], decisions: [{key, decision, rationale, "
        "guidelines_section}]}",
    )
    p.add_argument("--json", type=Path, dest="json_out", help="also write the list as JSON")
    p.set_defaults(run=_run_adjudicate)


def _run_adjudicate(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .annotate import adjudication
    from .files import read_json, write_json

    if args.apply is None:
        waiting = adjudication.pending(args.doc_id)
        for item in waiting:
            print(f"{item.sid} ({', '.join(item.annotators)}):")
            for found in item.disagreements or ():
                print(f"  {found.key}")
            if not item.disagreements:
                print("  (no disagreement: adjudicate with no decisions to accept it)")
        print(f"{len(waiting)} sentence(s) of {args.doc_id} wait for adjudication")
        if args.json_out:
            write_json(args.json_out, [asdict(item) for item in waiting])
        return 0
    entries = read_json(args.apply, what="adjudication file")
    if not isinstance(entries, list):
        raise SqcorpusError("expected a list of adjudications", file=args.apply)
    for entry in entries:
        adjudication.apply_entry(args.doc_id, entry, source=args.apply)
        print(f"adjudicated {entry['sid']}: ground truth by {entry['adjudicator']}")
    return 0


# --- export ------------------------------------------------------------------------------
def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export a release as CoNLL, JSON Lines, spaCy DocBin or Albanian-English parallel",
    )
    p.add_argument("out", type=Path, help="file (with --split) or folder (one file a split)")
    p.add_argument(
        "--format",
        required=True,
        choices=["conll", "jsonl", "spacy", "parallel"],
        help="parallel: JSON Lines of the records with an English original (text_en), "
        "Albanian text and labels beside the English",
    )
    p.add_argument("--config", choices=CONFIGS, metavar="CONFIG", help="%(choices)s (sentences)")
    p.add_argument("--version", help="release version (default: the latest)")
    p.add_argument(
        "--split", choices=SPLITS, metavar="SPLIT", help="%(choices)s (default: every split)"
    )
    p.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from .release.export import export_records
    from .release.parallel import without_english
    from .release.store import open_release

    records = open_release(args.version).records()
    for path in export_records(
        args.format, args.out, records, config=args.config, split=args.split
    ):
        print(f"wrote {path}")
    if args.format == "parallel":
        chosen = [args.split] if args.split else list(records)
        skipped = sum(without_english(records[name]) for name in chosen)
        print(f"left out {skipped} records without an English original (text_en)")
    return 0


# --- publication: card, datasheet, cite, croissant, diff (logic in publish/card.py,
# publish/datasheet.py, release/citation.py, release/croissant.py, release/diff.py) ---------
def _report(result: Generated, check: bool) -> int:
    """``--check`` exits 1 naming the first differing line; otherwise says what was written."""
    code, line = result.report(check)
    print(line, file=sys.stderr if code else sys.stdout)
    return code


def _add_card(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("card", help="regenerate README.md's dataset-card YAML header")
    p.add_argument("--check", action="store_true", help="exit 1 if the header is out of date")
    p.set_defaults(run=_run_card)


def _run_card(args: argparse.Namespace) -> int:
    from .publish.card import update_card

    return _report(update_card(check=args.check), args.check)


def _add_datasheet(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasheet", help="regenerate the statistics block of DATASHEET.md")
    p.add_argument("--check", action="store_true", help="exit 1 if a statistic is out of date")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.set_defaults(run=_run_datasheet)


def _run_datasheet(args: argparse.Namespace) -> int:
    from .publish.datasheet import update_datasheet

    return _report(update_datasheet(check=args.check, version=args.version), args.check)


def _add_cite(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cite", help="print how to cite a release; --write-cff updates CITATION.cff")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument("--format", choices=("bibtex", "cff", "apa"), default="bibtex")
    p.add_argument("--write-cff", action="store_true", help="write CITATION.cff (latest release)")
    p.add_argument("--check", action="store_true", help="with --write-cff: exit 1 if stale")
    p.set_defaults(run=_run_cite)


def _run_cite(args: argparse.Namespace) -> int:
    from .release.citation import citation, render, write_cff

    if args.write_cff:
        if args.version:
            raise SqcorpusError("CITATION.cff follows the latest release: drop --version")
        return _report(write_cff(check=args.check), args.check)
    sys.stdout.write(render(citation(args.version), args.format))
    return 0


def _add_croissant(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "croissant", help="check a release's croissant.json (Croissant 1.1), or write it --out"
    )
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument("--check", action="store_true", help="exit 1 if croissant.json is stale")
    p.add_argument(
        "--out", type=Path, help="write it here (a release's own file is never rewritten)"
    )
    p.set_defaults(run=_run_croissant)


def _run_croissant(args: argparse.Namespace) -> int:
    from .release.croissant import update_croissant

    return _report(update_croissant(args.version, check=args.check, out=args.out), args.check)


def _add_diff(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="sentences added/removed and labels changed between releases")
    p.add_argument("old", help="older release X.Y.Z")
    p.add_argument("new", help="newer release X.Y.Z")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-v", "--verbose", action="store_true", help="show every changed value")
    p.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    from .release.diff import diff_releases, format_diff

    result = diff_releases(args.old, args.new)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_diff(result, verbose=args.verbose))
    return 0


# --- view (logic in view/) ------------------------------------------------------------------
def _add_view(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("view", help="write a static HTML viewer of a release; --serve serves it")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument(
        "--out", type=Path, help="site folder (default: site/ in the checkout, else ./site)"
    )
    p.add_argument(
        "--annotations",
        type=Path,
        action="append",
        help="Label Studio export(s) for the adjudication view (default: annotation/exports)",
    )
    p.add_argument("--serve", action="store_true", help="then serve the site on 127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="with --serve (default: a free port)")
    p.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="then save PNG screenshots into DIR"
    )
    p.set_defaults(run=_run_view)


def _run_view(args: argparse.Namespace) -> int:
    from . import paths
    from .annotate.tasks import export_files
    from .publish.viewer import build_site, serve

    # site/ of the checkout; an installed package has no checkout, so the working folder's
    out = args.out or (paths.project_root() if paths.build_dir().is_dir() else Path()) / "site"
    annotations = (
        None if args.annotations is None else [f for a in args.annotations for f in export_files(a)]
    )
    site = build_site(out, args.version, annotations=annotations)
    print(
        f"wrote {site.path}: release {site.version}, {site.documents} documents, "
        f"{site.sentences} sentences, {site.pages} pages, "
        f"{site.adjudicated_sentences} doubly annotated sentences"
    )
    if args.screenshots:
        from .publish.viewer.screenshots import take_screenshots

        for path in take_screenshots(site.path, args.screenshots):
            print(f"wrote {path}")
    if args.serve:
        serve(site.path, args.port)
    return 0


# --- the command table --------------------------------------------------------------------

Adder = Callable[[argparse._SubParsersAction], None]

COMMANDS: tuple[Adder, ...] = (
    _add_segment,
    _add_add,
    _add_splits,
    _add_build,
    _add_studio,
    _add_label_config,
    _add_preannotate,
    _add_evaluate,
    _add_baseline,
    _add_agreement,
    _add_adjudicate,
    _add_export,
    _add_card,
    _add_datasheet,
    _add_cite,
    _add_croissant,
    _add_diff,
    _add_view,
)
"""Every subcommand, in the order ``sqcorpus --help`` lists them."""


def _parser(adders: Sequence[Adder]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqcorpus", description="Build, annotate and use the sqcorpus Albanian news corpus."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in adders:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and a non-zero exit.

    Bad input raises :class:`SqcorpusError` where it is found. The OS errors below are the
    last line of defence (each write already names its file): a reader that closed the pipe
    (``| head``), an interrupt, and any other OS error are one line, never a traceback.
    """
    args = _parser(COMMANDS).parse_args(argv)
    try:
        # Fail before any work when an output would land inside a release.
        for name, option in (("out", "--out"), ("json_out", "--json")):
            if isinstance(getattr(args, name, None), Path):
                try:
                    refuse_inside_release(getattr(args, name))
                except SqcorpusError as err:
                    raise SqcorpusError(err.reason, file=err.file, field=option) from None
        status: int = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not after exit
        return status
    except SqcorpusError as err:
        return _fail(args.command, str(err))
    except KeyboardInterrupt:
        _fail(args.command, "interrupted")
        return 130
    except BrokenPipeError:
        # Python would flush stdout again at exit and fail once more: point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _fail(args.command, "output closed before everything was written (broken pipe)")
    except OSError as err:
        reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        where = f"{err.filename}: " if err.filename else ""
        return _fail(args.command, f"{where}{reason}")
    except RecursionError:
        return _fail(args.command, "input nested too deeply")


def _fail(command: str, message: str) -> int:
    # If stderr itself is gone, the exit status still says it failed.
    with contextlib.suppress(OSError):
        print(f"sqcorpus {command}: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
