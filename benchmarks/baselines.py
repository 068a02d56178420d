"""Time of every baseline at the 2.0 size: each must train and predict on CPU in under 2 minutes.

The 2.0 gold does not exist yet, so the benchmark runs on the 2.0 texts (every document of
the checkout's raw store, segmented, split by `corpus/splits.json`) with FIXTURE labels:
entities, hedge cues and scopes from the rule pre-annotator, stance and holder from a hash of
the sentence id. The labels are not gold and the scores mean nothing; only the times (and
the sentence counts the models see) are the point. Each baseline runs in this process, one
after the other, timed by the wall clock (the 2-minute limit) and by this process's CPU time
(which does not grow when other jobs share the machine).

    python benchmarks/baselines.py            # prints the table
    python benchmarks/baselines.py --write    # and writes benchmarks/BASELINES.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIMIT_SECONDS = 120.0


def fixture_records() -> dict[str, list[dict[str, Any]]]:
    """The 2.0 sentences with fixture labels, by split."""
    sys.path.insert(0, str(ROOT / "src"))
    from sqcorpus import schema
    from sqcorpus.annotate.convert import to_record
    from sqcorpus.annotate.preannotate import preannotate
    from sqcorpus.text.corpus import corpus_sentences, read_corpus

    split_of = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))
    records: dict[str, list[dict[str, Any]]] = {split: [] for split in schema.SPLITS}
    for sentence in corpus_sentences(read_corpus(ROOT / "corpus" / "raw")):
        annotation = preannotate(sentence.text, sentence.tokens)
        digest = hashlib.sha256(sentence.id.encode()).digest()
        annotation.stance = schema.STANCE_LABELS[digest[0] % 3]
        annotation.stance_holder = schema.HOLDER_LABELS[digest[1] % 2]
        record = dict(to_record(sentence, annotation, "fixture target"))
        records[split_of["documents"][sentence.doc_id]].append(record)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write benchmarks/BASELINES.md")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    started = time.perf_counter()
    records = fixture_records()
    prepared = time.perf_counter() - started
    from sqcorpus.evaluation.baselines import BASELINES
    from sqcorpus.evaluation.runs import run_baseline

    sizes = {split: len(rows) for split, rows in records.items()}
    rows = []
    for name in BASELINES:
        start, cpu_start = time.perf_counter(), time.process_time()
        run = run_baseline(name, records, "test")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        verdict = "yes" if seconds < LIMIT_SECONDS else "NO"
        rows.append(
            f"| {name} | {len(run.trained_on)} | {len(run.tuned_on)} | {len(run.scored)} "
            f"| {seconds:.1f} | {cpu:.1f} | {verdict} |"
        )
    lines = [
        "# Baseline cost at the 2.0 size",
        "",
        "Written by `python benchmarks/baselines.py --write`; do not edit by hand. Fixture",
        "labels (rule pre-annotations, hashed stances), not gold: times only.",
        "",
        f"Sentences: train {sizes['train']}, validation {sizes['validation']}, test "
        f"{sizes['test']}; preparing them (segmentation, fixture labels) took {prepared:.1f} s.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}.",
        "",
        f"Load average when it started: {load:.1f} (wall seconds grow with it;"
        " CPU seconds are this process's own).",
        "",
        "| baseline | trained on (sentences) | tuned on | scored | wall s | CPU s | under 2 min |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.write:
        (ROOT / "benchmarks" / "BASELINES.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
