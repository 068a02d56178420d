"""Sentence boundaries on NTREX-128 Albanian news, with NTREX's segments as the reference.

Usage (from the project root)::

    python benchmarks/ntrex.py [--data ../shared/data/ntrex-128] [--no-write] [--examples N]

NTREX-128 (CC BY-SA 4.0; Federmann, Kocmi and Xin 2022) is read at run time and never copied
into this repository. ``newstest2019-ref.sqi.txt`` holds 1,997 segments, one a line;
``DOCUMENT_IDS.tsv`` gives each line's document, consecutive lines with the same id forming a
document whose first line is its headline. The Albanian is a professional translation of
English news, not text written in Albanian.

A segment is a translation unit: usually one sentence, sometimes two. So the reference
boundaries (the ends of the segments) are all real sentence ends, but not all sentence ends
are reference boundaries: precision counts a correct split inside a two-sentence segment as
a false positive. The column "segments split" counts the reference segments a system splits
into two or more sentences; most of those are the segments holding two sentences.

Each document is scored as one text in two layouts, and the counts of all documents are added
up (micro-average); the end of each document is left out, as every system gets it for free:

- ``headline ¶``: the headline, a line break, then the other segments joined by one space
  (the layout of a news article, and of the seed article);
- ``running``: every segment joined by one space (the headline must be found without a
  line break).

The segmenter is not tuned to this data; the numbers are reported as they come.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import write_section
from segmentation import PRF, SYSTEMS, Segmenter, Span, boundaries, score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ntrex-128"
LAYOUTS = ("headline ¶", "running")


@dataclass(frozen=True)
class Document:
    """One NTREX document laid out as text, with the spans of its reference segments."""

    doc_id: str
    first_line: int  # 1-based line number of the headline in the NTREX files
    text: str
    segments: list[Span]


def read_documents(data: Path, layout: str) -> list[Document]:
    """The NTREX documents in ``layout`` (see the module docstring)."""
    lines = (data / "newstest2019-ref.sqi.txt").read_text(encoding="utf-8").split("\n")
    ids = (data / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split("\n")
    if lines[-1] == "" and ids[-1] == "":
        lines, ids = lines[:-1], ids[:-1]
    if len(lines) != len(ids):
        raise SystemExit(f"{data}: {len(lines)} segments but {len(ids)} document ids")
    documents = []
    numbered = list(enumerate(zip(ids, lines, strict=True), start=1))
    for doc_id, group in groupby(numbered, key=lambda item: item[1][0]):
        rows = list(group)
        text, spans = "", []
        for index, (_, (_, segment)) in enumerate(rows):
            if index:
                text += "\n" if index == 1 and layout == "headline ¶" else " "
            spans.append((len(text), len(text) + len(segment.strip())))
            text += segment.strip()
        documents.append(Document(doc_id, rows[0][0], text, spans))
    return documents


@dataclass(frozen=True)
class Outcome:
    system: str
    layout: str
    boundaries: PRF
    sentences: int
    segments_split: int
    split_lines: list[int]  # NTREX line numbers of the segments split


def run(system: str, segmenter: Segmenter, documents: list[Document], layout: str) -> Outcome:
    true_positives = predicted = gold = sentences = 0
    split_lines: list[int] = []
    for document in documents:
        spans, _ = segmenter(document.text)
        sentences += len(spans)
        ours = boundaries(document.text, spans)
        reference = boundaries(document.text, document.segments)
        counts = score(reference, ours)
        true_positives += counts.true_positives
        predicted += counts.predicted
        gold += counts.gold
        for number, (start, end) in enumerate(document.segments):
            if any(start < b < end for b in ours):
                split_lines.append(document.first_line + number)
    return Outcome(
        system,
        layout,
        PRF(true_positives, predicted, gold),
        sentences,
        len(split_lines),
        split_lines,
    )


def table(outcomes: list[Outcome], documents: int, segments: int) -> str:
    lines = [
        "# NTREX-128 sentence boundaries",
        "",
        "Produced by `python benchmarks/ntrex.py` (see benchmarks/README.md); do not edit by "
        "hand. Reference: NTREX-128 (CC BY-SA 4.0), `newstest2019-ref.sqi.txt`, "
        f"{documents} documents, {segments} segments; translated (not original) Albanian news.",
        "",
        "| system | layout | boundary P | boundary R | boundary F1 | sentences "
        "| segments split into 2+ |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        b = o.boundaries
        lines.append(
            f"| {o.system} | {o.layout} | {b.precision:.3f} | {b.recall:.3f} | {b.f1:.3f} "
            f"| {o.sentences} | {o.segments_split} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="NTREX-128 directory")
    parser.add_argument("--no-write", action="store_true", help="only print the table")
    parser.add_argument("--systems", nargs="*", help="system names (default: all installed)")
    parser.add_argument(
        "--examples", type=int, default=0, help="print this many split segments (not written)"
    )
    args = parser.parse_args(argv)

    outcomes = []
    for name, (_, factory) in SYSTEMS.items():
        if args.systems and name not in args.systems:
            continue
        try:
            segmenter = factory()
        except ImportError as error:
            print(f"skipping {name}: {error}", file=sys.stderr)
            continue
        for layout in LAYOUTS:
            outcomes.append(run(name, segmenter, read_documents(args.data, layout), layout))
    documents = read_documents(args.data, LAYOUTS[0])
    report = table(outcomes, len(documents), sum(len(d.segments) for d in documents))
    print(report)
    if args.examples and outcomes:
        lines = (args.data / "newstest2019-ref.sqi.txt").read_text(encoding="utf-8").split("\n")
        for number in outcomes[0].split_lines[: args.examples]:
            print(f"{outcomes[0].system} splits line {number}: {lines[number - 1]}")
    if not args.no_write:
        write_section("ntrex", report)
        print("wrote benchmarks/RESULTS.md (section ntrex)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
