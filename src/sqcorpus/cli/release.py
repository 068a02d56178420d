"""``sqcorpus build``, ``export``, ``diff``, ``cite`` and ``croissant``: releases and metadata."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import SqcorpusError
from .common import CONFIGS, SPLITS, Adder, report_generated


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
    from ..release.build import build_release, format_summary

    summary = build_release(args.version, annotations=args.annotations, out=args.out)
    print(format_summary(summary))
    return 0


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
    from ..release.export import export_records
    from ..release.parallel import without_english
    from ..release.store import open_release

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


def _add_diff(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="sentences added/removed and labels changed between releases")
    p.add_argument("old", help="older release X.Y.Z")
    p.add_argument("new", help="newer release X.Y.Z")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-v", "--verbose", action="store_true", help="show every changed value")
    p.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    from ..release.diff import diff_releases, format_diff

    result = diff_releases(args.old, args.new)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_diff(result, verbose=args.verbose))
    return 0


def _add_cite(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cite", help="print how to cite a release; --write-cff updates CITATION.cff")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.add_argument("--format", choices=("bibtex", "cff", "apa"), default="bibtex")
    p.add_argument("--write-cff", action="store_true", help="write CITATION.cff (latest release)")
    p.add_argument("--check", action="store_true", help="with --write-cff: exit 1 if stale")
    p.set_defaults(run=_run_cite)


def _run_cite(args: argparse.Namespace) -> int:
    from ..release.citation import citation, render, write_cff

    if args.write_cff:
        if args.version:
            raise SqcorpusError("CITATION.cff follows the latest release: drop --version")
        return report_generated(write_cff(check=args.check), args.check)
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
    from ..release.croissant import update_croissant

    return report_generated(
        update_croissant(args.version, check=args.check, out=args.out), args.check
    )


COMMANDS: tuple[Adder, ...] = (
    _add_build,
    _add_export,
    _add_diff,
    _add_cite,
    _add_croissant,
)
