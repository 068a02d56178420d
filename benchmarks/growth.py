"""Cost as the corpus grows: build time, load time and peak memory at 1x, 10x and 100x.

The 2.0 corpus (every document of the checkout's raw store) is copied N times into a
throw-away project. Each copy gets new doc ids and a copy code in front of every word of four
letters or more, so copies are distinct documents to the near-duplicate finder (which reads a
word's first five letters) while token counts and lengths stay those of real news. Each
measurement runs in a fresh process, so its peak resident memory is its own.

    python benchmarks/growth.py                 # 1x and 10x, prints the table
    python benchmarks/growth.py --scales 1 10 100 --write   # and writes benchmarks/GROWTH.md

Load is timed two ways on the same verified Parquet files: ``sqcorpus.load`` (sha256 checks
included) and ``datasets.load_dataset("parquet", data_files=...)``, each in a fresh process
with a fresh ``datasets`` cache, so neither reuses the other's Arrow cache.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import OWN_PEAK_RSS_KIB  # noqa: E402

WORD = re.compile(r"\b(\w{4,})")


def make_project(root: Path, scale: int) -> int:
    """A project with ``scale`` copies of every raw document; returns its record count."""
    sys.path.insert(0, str(ROOT / "src"))
    from sqcorpus.release.splits import assign_split_file
    from sqcorpus.text.corpus import NewDocument, add_documents, document_sentences, read_corpus

    originals = read_corpus(ROOT / "corpus" / "raw")
    raw = root / "corpus" / "raw"
    copies = []
    for copy in range(scale):
        code = "" if copy == 0 else _code(copy)
        for document in originals:
            segments = tuple(WORD.sub(rf"{code}\1", p) for p in document.paragraphs)
            metadata = {
                **document.metadata,
                "doc_id": f"{document.doc_id}-c{copy}",
                "rights": {**document.metadata["rights"], "text_license": "CC-BY-SA-4.0"}
                if isinstance(document.metadata["rights"], dict)
                else {"text_license": "CC-BY-SA-4.0"},
            }
            copies.append(
                NewDocument(f"{document.doc_id}-c{copy}", segments, document.original, metadata)
            )
    add_documents(copies, raw)
    (root / "none").mkdir()  # no annotations: a pre-release
    documents = read_corpus(raw)
    assign_split_file(documents, root / "corpus" / "splits.json")
    return sum(len(document_sentences(d)) for d in documents)


def _code(number: int) -> str:
    letters = ""
    while number:
        number, digit = divmod(number, 26)
        letters += chr(ord("q") + digit % 10)
    return letters + "z"


# Each step: (imports, timed code). Imports are timed apart: a user pays them once.
STEPS = {
    "build": (
        "from sqcorpus.release.build import build_release\nfrom pathlib import Path\n",
        "r = Path({root!r}) / 'corpus'\n"
        "build_release('9.0.0-rc.1', raw_dir=r / 'raw', out=r / 'releases',"
        " splits_path=r / 'splits.json', annotations=Path({root!r}) / 'none')\n",
    ),
    "sqcorpus.load": (
        "import sqcorpus.release.loading as L\nfrom pathlib import Path\n",
        "d = L.load('sentences', releases_dir=Path({root!r}) / 'corpus' / 'releases')\n"
        "assert sum(d.num_rows.values()) == {records}\n",
    ),
    "datasets.load_dataset": (
        "from datasets import load_dataset\nfrom pathlib import Path\n",
        "base = Path({root!r}) / 'corpus' / 'releases' / '9.0.0-rc.1' / 'sentences'\n"
        "files = {{s: str(base / f'{{s}}.parquet') for s in ('train', 'validation', 'test')}}\n"
        "d = load_dataset('parquet', data_files=files, cache_dir={cache!r})\n"
        "assert sum(d.num_rows.values()) == {records}\n",
    ),
}


def run_step(imports: str, code: str) -> tuple[float, float, float]:
    """Import seconds, call seconds and peak RSS (MiB) of ``code`` in a fresh interpreter."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "t0 = time.perf_counter()\n"
        f"{imports}"
        "t1 = time.perf_counter()\n"
        f"{code}"
        "t2 = time.perf_counter()\n"
        f"print(t1 - t0, t2 - t1, {OWN_PEAK_RSS_KIB})\n"
    )
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip().splitlines()[-1])
    out = done.stdout.split()
    return float(out[-3]), float(out[-2]), int(out[-1]) / 1024


def measure(scale: int, repeats: int) -> dict[str, float]:
    """One build, then each load ``repeats`` times (alternating), as medians.

    A single cold load varied by up to 2x between runs on this machine, more than the
    difference being measured; the median of several fresh processes is stable.
    """
    with tempfile.TemporaryDirectory(prefix=f"sqcorpus-growth-{scale}x-") as tmp:
        root = Path(tmp)
        records = make_project(root, scale)
        row: dict[str, float] = {"scale": scale, "records": records}
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in STEPS}
        for attempt in range(repeats):
            for name, (imports, template) in STEPS.items():
                if name == "build" and attempt > 0:
                    continue  # later loads read the one release this build wrote
                cache = root / f"cache-{name}"
                code = template.format(root=str(root), records=records, cache=str(cache))
                runs[name].append(run_step(imports, code))
                shutil.rmtree(cache, ignore_errors=True)
        for name, results in runs.items():
            row[f"{name} import s"], row[f"{name} s"], row[f"{name} MiB"] = (
                statistics.median(column) for column in zip(*results, strict=True)
            )
        return row


def table(rows: list[dict[str, float]]) -> str:
    base = rows[0]
    lines = [
        "| scale | records | build s | build µs/record | build MiB | sqcorpus.load s "
        "| load_dataset s | ratio | sqcorpus.load MiB | load_dataset MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    imports = (
        f"Imports, paid once per process (1x run): sqcorpus.load "
        f"{base['sqcorpus.load import s']:.2f} s, datasets.load_dataset "
        f"{base['datasets.load_dataset import s']:.2f} s; the table times the calls."
    )
    for row in rows:
        ratio = row["sqcorpus.load s"] / row["datasets.load_dataset s"]
        lines.append(
            f"| {row['scale']:.0f}x | {row['records']:,.0f} | {row['build s']:.1f} "
            f"| {1e6 * row['build s'] / row['records']:.0f} | {row['build MiB']:.0f} "
            f"| {row['sqcorpus.load s']:.2f} | {row['datasets.load_dataset s']:.2f} "
            f"| {ratio:.2f} | {row['sqcorpus.load MiB']:.0f} "
            f"| {row['datasets.load_dataset MiB']:.0f} |"
        )
    growth = rows[-1]["build s"] / base["build s"] / (rows[-1]["records"] / base["records"])
    lines.append("")
    lines.append(imports)
    lines.append("")
    lines.append(
        f"Build time per record at {rows[-1]['scale']:.0f}x is {growth:.2f} times that at "
        f"{base['scale']:.0f}x (1.00 = linear)."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--write", action="store_true", help="write benchmarks/GROWTH.md")
    parser.add_argument(
        "--repeats", type=int, default=5, help="fresh-process loads per loader (median kept)"
    )
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        rows.append(measure(scale, args.repeats))
        print(json.dumps(rows[-1]), file=sys.stderr)
    text = table(rows)
    print(text)
    if args.write:
        header = (
            "# Cost as the corpus grows\n\n"
            "Written by `python benchmarks/growth.py --scales "
            f"{' '.join(map(str, args.scales))} --write`; do not edit by hand. "
            f"Python {platform.python_version()}, {platform.machine()}, "
            "peak memory is the step's own maximum resident set (VmHWM of a fresh "
            "interpreter, not ru_maxrss, which would count the benchmark's own). "
            f"Load figures are medians of {args.repeats} fresh processes per loader.\n\n"
        )
        (ROOT / "benchmarks" / "GROWTH.md").write_text(header + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
