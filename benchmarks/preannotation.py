"""Pre-annotation benchmark: the pre-annotators on documents none of their resources came from.

    python benchmarks/preannotation.py [--release X.Y.Z] [--docs DOC_ID ...]
        [--batches FILE] [--output benchmarks/RESULTS-preannotation.md] [--no-write]

Scores each pre-annotator against a release's gold, per batch of documents (default: each
document is a batch) and per layer: entities (strict P/R/F1, seqeval IOB2), hedge cues and
scopes (exact span), the sentence ``uncertain`` flag, with 95% bootstrap intervals
(``sqcorpus.evaluation.precompare.compare``, the figures ``sqcorpus evaluate`` gives).

A pre-annotator is scored on a batch only if no entry of its lexicon was written from a
document of the batch (``sqcorpus.annotate.provenance.check_unseen``); otherwise its row says
"refused". The CRF is trained on the annotated documents of the release outside the batch
(leave one batch out). ``sqcorpus-rules-1.0`` on the seed article is printed apart, as the
upper bound it is: it was written from that article.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from sqcorpus.annotate.premodel import preannotate_batch, sentences_from_records, train_crf_model
from sqcorpus.annotate.provenance import (
    RULES_1,
    RULES_2,
    SEED_ARTICLE,
    Lexicon,
    check_unseen,
    load_lexicon,
    resource_digest,
)
from sqcorpus.errors import SqcorpusError
from sqcorpus.evaluation.precompare import batch_lookup, compare, figure_cell, read_batches
from sqcorpus.evaluation.score import is_scored
from sqcorpus.release.loading import load_records
from sqcorpus.release.store import resolve_version

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS-preannotation.md"
LAYERS = ("entities", "hedge cues", "hedge scopes", "uncertain")

Record = Mapping[str, Any]

CAVEAT = (
    "Read the unseen rows with care. Leaving out the `seed-article` lexicon entries removes",
    "every gazetteer name and cue written from the seed article, but not the code rules of",
    "`annotate/lexicon.py` (date patterns, name heads such as *Pallati*, nationality prefixes such",
    "as *ruso-*, the capitalisation rule), which were written while annotating it too; and the",
    "`general` cue list was written after reading the 1.0 cue lexicon and the guidelines, whose",
    "examples come from the seed. On the seed, `without-seed-article` is therefore an optimistic",
    "estimate; documents that nothing was written from (NTREX-128, once adjudicated) give the",
    "real figure, with the same command.",
)


def _cell(figure: Mapping[str, Any]) -> str:
    return figure_cell(figure, digits=3)


def _rows(name: str, result: Mapping[str, Any]) -> list[str]:
    rows = []
    for layer in LAYERS:
        figures = result["layers"].get(layer)
        if figures is None:
            continue
        rows.append(
            f"| {name} | {layer} | {figures['support']} | {figures['predicted']} | "
            f"{_cell(figures['precision'])} | {_cell(figures['recall'])} | "
            f"{_cell(figures['f1'])} |"
        )
    return rows


def _note_row(name: str, note: str) -> str:
    return f"| {name} | {note} | | | | | |"


def _score_rules(lexicon: Lexicon, batch: Sequence[Record], model: str = "rules") -> list[str]:
    try:
        check_unseen(lexicon, {r["doc_id"] for r in batch})
    except SqcorpusError as err:
        return [_note_row(lexicon.model_version, f"refused: {err.reason.split(':')[0]}")]
    predictions = preannotate_batch(sentences_from_records(batch), model, lexicon=lexicon)
    return _rows(lexicon.model_version, compare(predictions, batch))


def _score_crf(
    lexicon: Lexicon | None, batch: Sequence[Record], others: Sequence[Record]
) -> list[str]:
    name = "crf" if lexicon is None else f"{lexicon.model_version}+crf"
    training = [r for r in others if is_scored("ner", r)]
    if not training:
        return [_note_row(name, "n/a: no adjudicated document outside this batch to train on")]
    model = train_crf_model(training)
    name = model.version if lexicon is None else f"{lexicon.model_version}+{model.version}"
    if lexicon is not None:
        try:
            check_unseen(lexicon, {r["doc_id"] for r in batch})
        except SqcorpusError as err:
            return [_note_row(name, f"refused: {err.reason.split(':')[0]}")]
    kind = "crf" if lexicon is None else "rules+crf"
    predictions = preannotate_batch(sentences_from_records(batch), kind, crf=model, lexicon=lexicon)
    return _rows(f"{name} ({len(training)} training sentences)", compare(predictions, batch))


def benchmark(
    release: str | None, docs: Sequence[str], batch_of: Callable[[Record], str] | None
) -> list[str]:
    version = resolve_version(release)
    records = [r for split in load_records(version).values() for r in split]
    annotated = [r for r in records if is_scored("ner", r)]
    if docs:
        missing = sorted(set(docs) - {r["doc_id"] for r in annotated})
        if missing:
            raise SqcorpusError(f"no annotated sentence in release {version}", item=missing[0])
    chosen = [r for r in annotated if not docs or r["doc_id"] in docs]
    key = batch_of or (lambda r: str(r["doc_id"]))
    batches: dict[str, list[Record]] = {}
    for record in sorted(chosen, key=lambda r: r["id"]):
        batches.setdefault(key(record), []).append(record)

    rules_1 = load_lexicon(RULES_1)
    rules_2 = load_lexicon(RULES_2)
    unseen_2 = load_lexicon(RULES_2, without={SEED_ARTICLE})
    header = "| pre-annotator | layer | gold | predicted | P [95% CI] | R [95% CI] | F1 [95% CI] |"
    rule = "|---|---|---:|---:|---|---|---|"
    lines = [f"Gold: sqcorpus {version}, every annotated sentence of the chosen documents.", ""]
    lines += [*CAVEAT, ""]
    for name, batch in batches.items():
        batch_docs = sorted({r["doc_id"] for r in batch})
        others = [r for r in annotated if r["doc_id"] not in batch_docs]
        lines += [
            f"### Batch `{name}`",
            "",
            f"{len(batch)} sentences of {len(batch_docs)} document(s): {', '.join(batch_docs)}.",
            "",
            header,
            rule,
            *_score_rules(rules_1, batch, "rules-1.0"),
            *_score_rules(rules_2, batch),
            *_score_rules(unseen_2, batch),
            *_score_crf(None, batch, others),
            *_score_crf(unseen_2, batch, others),
            "",
        ]
        seen_by_1 = rules_1.documents() & set(batch_docs)
        if seen_by_1:
            upper = preannotate_batch(sentences_from_records(batch), "rules-1.0")
            lines += [
                f"Upper bound, not an unseen score: {RULES_1} on the document(s) it was "
                f"written from ({', '.join(sorted(seen_by_1))}).",
                "",
                header,
                rule,
                *_rows(f"{RULES_1} (seen)", compare(upper, batch)),
                "",
            ]
    return lines


def environment() -> list[str]:
    from babel.core import get_cldr_version

    names = ("sqcorpus", "babel", "sklearn-crfsuite", "seqeval")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in names)
    digests = ", ".join(f"{v} `{resource_digest(v)[:16]}`" for v in (RULES_1, RULES_2))
    return [
        f"Environment: Python {platform.python_version()}, {versions} (CLDR {get_cldr_version()}).",
        "",
        "Lexicon digests (sha256 of the resource files, "
        f"`sqcorpus.annotate.provenance.resource_digest`): {digests}.",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--release", help="gold release X.Y.Z (default: the latest)")
    parser.add_argument("--docs", nargs="+", default=[], help="only these documents")
    parser.add_argument("--batches", type=Path, help="doc_id<TAB>batch lines")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Markdown report path")
    parser.add_argument("--no-write", action="store_true", help="only print the report")
    args = parser.parse_args(argv)
    try:
        batch_of = batch_lookup(read_batches(args.batches), args.batches) if args.batches else None
        body = benchmark(args.release, args.docs, batch_of)
    except SqcorpusError as err:
        print(f"preannotation benchmark: error: {err}", file=sys.stderr)
        return 1
    command = "python benchmarks/preannotation.py" + (
        " " + " ".join(argv if argv is not None else sys.argv[1:])
        if (argv if argv is not None else sys.argv[1:])
        else ""
    )
    report = [
        "# Pre-annotation benchmark results",
        "",
        f"Produced by `{command}` (see benchmarks/README.md); do not edit by hand.",
        "",
        *environment(),
        "",
        *body,
    ]
    text = "\n".join(report).rstrip("\n") + "\n"
    print(text, end="")
    if not args.no_write:
        from sqcorpus.files import write_atomic

        write_atomic(args.output, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
