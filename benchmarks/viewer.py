"""How fast `sqcorpus view` writes a 2.0-sized release, and how big its pages get.

The release is synthetic: release 1.0.1's ``sentences`` rows copied ``--copies`` times (70:
1,960 sentences in 70 documents), each copy a new document with new ids. To exercise the
fields 2.0 adds, every copy gets an ``outlet`` (``synthetic-outlet-<k mod 5>``), a
``text_license`` ("unknown") and, on every other sentence, a ``text_en`` that is a
placeholder, not a translation. Nothing here is corpus data; it only has the right shape.

    python benchmarks/viewer.py [--copies 70] [--repeat 3]

Prints a Markdown table: build time (best and median of the runs) and the largest files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sqcorpus import schema
from sqcorpus.publish.viewer import build_site
from sqcorpus.release.loading import load_records

SOURCE = "1.0.1"
VERSION = "9.0.0"


def synthetic_release(root: Path, copies: int) -> Path:
    """Write release VERSION under ``root`` and return its releases folder."""
    records = load_records(SOURCE)
    release = root / VERSION
    files = {}
    for split, rows in records.items():
        out = []
        for k in range(copies):
            doc = f"synthetic-{k:03d}"
            for row in rows:
                copy = dict(row)
                copy["id"] = f"{doc}-s{row['sentence_index']:03d}"
                copy["doc_id"] = doc
                copy["outlet"] = f"synthetic-outlet-{k % 5}"
                copy["text_license"] = "unknown"
                copy["text_en"] = (
                    f"(placeholder English segment for {copy['id']})"
                    if row["sentence_index"] % 2
                    else None
                )
                out.append(copy)
        path = release / "sentences" / f"{split}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(out), path)
        files[f"sentences/{split}.parquet"] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "num_rows": len(out),
            "num_bytes": path.stat().st_size,
        }
    all_rows = [r for rows in records.values() for r in rows]
    manifest = {
        "name": "sqcorpus",
        "version": VERSION,
        "schema_version": schema.SCHEMA_VERSION,
        "annotated": True,
        "description": f"Synthetic benchmark release: {SOURCE} x {copies}.",
        "files": files,
        "counts": {
            "documents": copies,
            "sentences": len(all_rows) * copies,
            "splits": {s: len(r) * copies for s, r in records.items()},
        },
    }
    (release / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    # A release folder holds its Croissant file; the viewer does not read it, and a synthetic
    # release with one config has no real one to write.
    (release / "croissant.json").write_text("{}\n", encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=70)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        releases = synthetic_release(Path(scratch) / "releases", args.copies)
        times = []
        for run in range(args.repeat):
            started = time.perf_counter()
            site = build_site(
                Path(scratch) / "site", VERSION, releases_dir=releases, annotations=[]
            )
            times.append(time.perf_counter() - started)
            print(f"run {run + 1}: {times[-1]:.2f} s", file=sys.stderr)
        files = [p for p in site.path.rglob("*") if p.is_file()]
        html = [p for p in files if p.suffix == ".html"]
        biggest = max(html, key=lambda p: p.stat().st_size)
        other = max((p for p in files if p.suffix != ".html"), key=lambda p: p.stat().st_size)

        def kib(path: Path) -> str:
            return f"{path.stat().st_size / 1024:,.1f} KiB"

        rows = [
            ("documents / sentences", f"{site.documents:,} / {site.sentences:,}"),
            ("build time, best / median", f"{min(times):.2f} s / {statistics.median(times):.2f} s"),
            ("HTML pages", f"{len(html):,}"),
            ("largest page", f"{biggest.relative_to(site.path)}: {kib(biggest)}"),
            ("index.html", kib(site.path / "index.html")),
            ("largest other file", f"{other.relative_to(site.path)}: {kib(other)}"),
            ("whole site", f"{sum(p.stat().st_size for p in files) / 1024:,.0f} KiB"),
        ]
        print(f"| `sqcorpus view`, synthetic release ({SOURCE} x {args.copies}) | |")
        print("|---|---:|")
        for name, value in rows:
            print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
