"""``sqcorpus studio``, ``label-config``, ``preannotate``, ``agreement`` and ``adjudicate``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import SqcorpusError
from ..files import write_atomic, write_json, write_or_print
from .common import Adder, report_generated


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
    from ..annotate.studio import users

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
    from ..annotate import studio

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


def _add_label_config(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "label-config", help="write (or --check) annotation/label_config.xml from the schema"
    )
    p.add_argument(
        "--check", action="store_true", help="only check the file is up to date; exit 1 if not"
    )
    p.set_defaults(run=_run_label_config)


def _run_label_config(args: argparse.Namespace) -> int:
    from ..annotate.labelconfig import update_label_config

    return report_generated(update_label_config(check=args.check), args.check)


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
    from ..evaluation.prerun import run_compare, run_preannotate, to_jsonl

    if args.compare:
        table, results = run_compare(args.compare, args.release, args.docs, args.batches)
        if args.write_datasheet:
            from ..evaluation.precompare import update_datasheet_comparison

            command = " ".join(
                [
                    f"sqcorpus preannotate --compare {args.compare.as_posix()}",
                    *([f"--release {args.release}"] if args.release else []),
                    *([f"--batches {args.batches.as_posix()}"] if args.batches else []),
                    "--write-datasheet",
                ]
            )
            result = update_datasheet_comparison(table, command, check=args.check)
            return report_generated(result, args.check)
        print(table, end="")
        if args.json_out:
            write_json(args.json_out, results)
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
    write_or_print(to_jsonl(predictions), args.out)
    return 0


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
    from ..annotate.agreement_ci import agreement_with_intervals, format_layer_table
    from ..annotate.agreement_text import format_agreement
    from ..evaluation.report import write_report

    if args.bootstrap < 1:
        raise SqcorpusError("needs at least 1 resample", field="--bootstrap")
    report = agreement_with_intervals(
        args.exports, bootstrap=args.bootstrap, seed=args.seed, guidelines=args.guidelines
    )
    if args.write_datasheet:
        from ..annotate.agreement_ci import update_datasheet_agreement

        return report_generated(update_datasheet_agreement(report, check=args.check), args.check)
    print(format_layer_table(report["layers"], args.bootstrap, args.seed))
    print(format_agreement(report))
    if args.json_out:
        write_report(report, args.json_out)
    return 0


def _add_adjudicate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "adjudicate",
        help="list a document's disagreements, record decisions as ground truth, list the "
        "decisions no rule covered (--gaps), or correct gold annotations (--correct)",
    )
    p.add_argument(
        "doc_id",
        metavar="DOC_ID",
        nargs="?",
        help="the document (optional with --gaps and --correct: every document)",
    )
    p.add_argument(
        "--gaps",
        action="store_true",
        help="list the recorded decisions whose rationale starts with 'gap:' (guidelines 8.3)",
    )
    p.add_argument(
        "--apply",
        type=Path,
        metavar="FILE",
        help="JSON list of {sid, adjudicator, take: ANNOTATOR | words: {entities, stance, "
        "holder, cues, scopes, note} | result: [...], decisions: [{key, decision, rationale, "
        "guidelines_section}]}",
    )
    p.add_argument(
        "--correct",
        type=Path,
        metavar="FILE",
        help="JSON list of {sid, adjudicator, words: {...} | result: [...], decisions: [...]}: "
        "each replaces its sentence's gold under the current guidelines (a PATCH release's "
        "corrections; the earlier gold is kept, unmarked)",
    )
    p.add_argument("--json", type=Path, dest="json_out", help="also write the list as JSON")
    p.set_defaults(run=_run_adjudicate)


def _run_adjudicate(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from ..annotate import adjudication
    from ..files import read_json

    if sum(bool(option) for option in (args.gaps, args.apply, args.correct)) > 1:
        raise SqcorpusError("give one of --gaps, --apply and --correct")
    if args.correct is not None:
        from ..annotate.corrections import correct, doc_id_of, read_corrections

        corrections = read_corrections(args.correct)
        for fix in corrections:
            if args.doc_id is not None and doc_id_of(fix.sid) != args.doc_id:
                raise SqcorpusError(f"not a sentence of {args.doc_id}", item=fix.sid, field="sid")
        correct(corrections)
        for fix in corrections:
            print(f"corrected {fix.sid}: {len(fix.decisions)} decision(s) by {fix.adjudicator}")
        return 0
    if args.gaps:
        listed = adjudication.gaps(args.doc_id)
        for gap in listed:
            print(f"{gap.sid} {gap.key or gap.layer}")
            print(
                f"  {gap.decision} — {gap.rationale} (§{gap.guidelines_section}, "
                f"guidelines {gap.guidelines_version})"
            )
        documents = len({gap.doc_id for gap in listed})
        print(f"{len(listed)} gap(s) in {documents} document(s)")
        if args.json_out:
            write_json(args.json_out, [asdict(gap) for gap in listed])
        return 0
    if args.doc_id is None:
        raise SqcorpusError("needs a DOC_ID (only --gaps lists every document)", field="DOC_ID")
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


COMMANDS: tuple[Adder, ...] = (
    _add_studio,
    _add_label_config,
    _add_preannotate,
    _add_agreement,
    _add_adjudicate,
)
