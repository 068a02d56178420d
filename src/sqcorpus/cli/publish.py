"""``sqcorpus card``, ``datasheet`` and ``view``: what people read about, and in, a release."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import Adder, report_generated


def _add_card(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("card", help="regenerate README.md's dataset-card YAML header")
    p.add_argument("--check", action="store_true", help="exit 1 if the header is out of date")
    p.set_defaults(run=_run_card)


def _run_card(args: argparse.Namespace) -> int:
    from ..publish.card import update_card

    return report_generated(update_card(check=args.check), args.check)


def _add_datasheet(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasheet", help="regenerate the statistics block of DATASHEET.md")
    p.add_argument("--check", action="store_true", help="exit 1 if a statistic is out of date")
    p.add_argument("--version", help="release X.Y.Z (default: the latest)")
    p.set_defaults(run=_run_datasheet)


def _run_datasheet(args: argparse.Namespace) -> int:
    from ..publish.datasheet import update_datasheet

    return report_generated(update_datasheet(check=args.check, version=args.version), args.check)


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
    from .. import paths
    from ..annotate.tasks import export_files
    from ..publish.viewer import build_site, serve

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
        from ..publish.viewer.screenshots import take_screenshots

        for path in take_screenshots(site.path, args.screenshots):
            print(f"wrote {path}")
    if args.serve:
        serve(site.path, args.port)
    return 0


COMMANDS: tuple[Adder, ...] = (
    _add_card,
    _add_datasheet,
    _add_view,
)
