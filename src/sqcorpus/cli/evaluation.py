"""``sqcorpus evaluate`` and ``baseline``: scoring predictions on a released split."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import SqcorpusError
from ..files import write_or_print
from .common import EVAL_CONFIGS, SPLITS, Adder, report_generated


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    from ..evaluation.predictions_format import PREDICTIONS_FORMAT

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
    from ..evaluation.report import format_report, write_report
    from ..evaluation.score import evaluate

    report = evaluate(args.config, args.predictions, split=args.split, version=args.version)
    print(format_report(report))
    if args.out:
        write_report(report, args.out)
    return 0


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
    from ..evaluation import baseline_table, baselines

    if args.table or args.write_readme or args.check:
        table = baseline_table.baseline_table(args.version, args.split)
        if args.check or args.write_readme:
            return report_generated(
                baseline_table.update_readme(table, check=args.check), args.check
            )
        print(table, end="")
        return 0
    if args.name is None:
        raise SqcorpusError("give a baseline name (majority, rules, crf, linear) or --table")
    write_or_print(
        baselines.to_jsonl(baselines.predict(args.name, args.split, args.version)), args.out
    )
    return 0


COMMANDS: tuple[Adder, ...] = (
    _add_evaluate,
    _add_baseline,
)
