"""Segmentation cost against input size: the streaming command, and adversarial inputs.

Usage (from the project root)::

    python benchmarks/scaling.py [--sizes 5 50 500] [--units 20000] [--before REV] [--no-write]

1. Synthetic news-like input of each size (MB = 10**6 bytes of UTF-8): the lines of
   ``benchmarks/data/news-sq.txt`` (invented news, see benchmarks/README.md) repeated, written
   to a temporary file and given to ``python -m sqcorpus.cli segment FILE`` with the output
   sent to /dev/null. Reported: wall time, seconds per MB (flat = linear) and the peak
   resident memory of the command's own process (VmHWM; see ``results.OWN_PEAK_RSS_KIB``).
   ``--before REV`` runs the same command with the sources of an earlier git revision, for
   comparison, on inputs of at most 50 MB only (a command that holds the whole input and its
   output in memory could exhaust the machine).
2. The Python heap peak (tracemalloc) of the streaming API (``decode_utf8`` + ``iter_segment``)
   over the smallest input: what the segmenter itself holds, without the interpreter.
3. Adversarial inputs, each at N and 2N repetitions of a unit (``abcde.`` with no space, an
   ellipsis followed by a run of spaces, ...), through ``segment()``: best of five wall
   times and the ratio of 2N to N (2 = linear, 4 = quadratic).

Times depend on the machine (and on what else runs on it); the ratios are what to read.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import OWN_PEAK_RSS_KIB, write_section

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT / "benchmarks" / "data" / "news-sq.txt"
MB = 10**6
BEFORE_MAX_MB = 50

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "`abcde.` x N, no spaces": lambda n: "abcde." * n,
    "`Po...` + 6N spaces": lambda n: "Po..." + " " * (6 * n),
    "`Po...` + 3N spaces + `“` + 3N spaces + `.`": lambda n: (
        "Po..." + " " * (3 * n) + "\u201c" + " " * (3 * n) + "."
    ),
    "`a!)` x N": lambda n: "a!)" * n,
    "`x. ` x N": lambda n: "x. " * n,
    "`Dr. ` x N": lambda n: "Dr. " * n,
    "`“` x 3N": lambda n: "\u201c" * (3 * n),
    "`a` + 3N combining marks": lambda n: "a" + "\u0301" * (3 * n),
    "`a` x 6N (one word)": lambda n: "a" * (6 * n),
}


def news_file(directory: Path, megabytes: float) -> Path:
    """A file of at least ``megabytes`` MB: the synthetic news lines, repeated."""
    unit = NEWS.read_bytes()
    if not unit.endswith(b"\n"):
        unit += b"\n"
    path = directory / f"news-{megabytes:g}MB.txt"
    target = int(megabytes * MB)
    with path.open("wb") as out:
        written = 0
        while written < target:
            out.write(unit)
            written += len(unit)
    return path


SEGMENT_AND_REPORT_PEAK = (
    "import atexit, os, runpy\n"
    "def report():\n"
    "    with open(os.environ['SQCORPUS_BENCH_PEAK'], 'w') as out:\n"
    f"        out.write(str({OWN_PEAK_RSS_KIB}))\n"
    "atexit.register(report)\n"
    "runpy.run_module('sqcorpus.cli', run_name='__main__', alter_sys=True)\n"
)
"""``python -m sqcorpus.cli ...`` that also writes its own peak RSS (KiB) when it exits."""


def run_command(path: Path, source: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and sentence count of ``sqcorpus segment path``."""
    with tempfile.TemporaryDirectory(prefix="sqcorpus-peak-") as tmp:
        peak_file = Path(tmp) / "peak"
        env = {**os.environ, "PYTHONPATH": str(source), "SQCORPUS_BENCH_PEAK": str(peak_file)}
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", SEGMENT_AND_REPORT_PEAK, "segment", str(path)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert process.stdout is not None
        lines = sum(1 for _ in process.stdout)  # read as it comes, as a consumer would
        status = process.wait()
        elapsed = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"segment {path} failed with status {status}")
        return elapsed, int(peak_file.read_text()) / 1024, lines


def heap_peak(path: Path) -> float:
    """Peak Python-heap MiB of the streaming API over ``path`` (tracemalloc)."""
    from sqcorpus.text.streaming import decode_utf8, iter_segment

    tracemalloc.start()
    with path.open("rb") as stream:
        for _ in iter_segment(decode_utf8(stream, str(path))):
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def best_time(text: str, runs: int = 5) -> float:
    """The least wall time of ``runs`` runs (the machine is shared: the least is the cleanest)."""
    from sqcorpus.text.segmentation import segment

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        segment(text)
        times.append(time.perf_counter() - started)
    return min(times)


def checkout(revision: str, directory: Path) -> Path:
    """The ``src`` directory of ``revision``, exported with ``git archive``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive, check=True)
    return directory / "src"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 50], help="sizes in MB")
    parser.add_argument("--units", type=int, default=20000, help="N for adversarial inputs")
    parser.add_argument("--before", help="also run the command from this git revision")
    parser.add_argument("--no-write", action="store_true", help="only print the tables")
    args = parser.parse_args(argv)

    lines = [
        "# Segmentation scaling",
        "",
        "Produced by `python benchmarks/scaling.py "
        + " ".join(
            [f"--sizes {' '.join(f'{s:g}' for s in args.sizes)}", f"--units {args.units}"]
            + ([f"--before {args.before}"] if args.before else [])
        )
        + "` (see benchmarks/README.md); do not edit by hand. "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs (shared).",
        "",
        "## Streaming command on synthetic news",
        "",
        "| sources | MB | sentences | wall s | s per MB | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory(prefix="sqcorpus-scaling-") as temporary:
        directory = Path(temporary)
        sources = [("this checkout", ROOT / "src")]
        if args.before:
            sources.append((f"`{args.before}`", checkout(args.before, directory)))
        for size in args.sizes:
            path = news_file(directory, size)
            megabytes = path.stat().st_size / MB
            for label, source in sources:
                if source != ROOT / "src" and size > BEFORE_MAX_MB:
                    continue
                elapsed, rss, count = run_command(path, source)
                row = (
                    f"| {label} | {megabytes:.1f} | {count:,} | {elapsed:.1f} "
                    f"| {elapsed / megabytes:.2f} | {rss:,.0f} |"
                )
                print(row, flush=True)
                lines.append(row)
            if size == min(args.sizes):
                heap = heap_peak(path)
            path.unlink()
    lines += [
        "",
        f"Python heap peak of `iter_segment` over the {min(args.sizes):g} MB input "
        f"(tracemalloc): {heap:.1f} MiB.",
        "",
        f"## Adversarial inputs through `segment()` (N = {args.units:,})",
        "",
        "| input | chars at N | s at N | s at 2N | ratio 2N/N |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, make in ADVERSARIAL.items():
        single, double = best_time(make(args.units)), best_time(make(2 * args.units))
        row = (
            f"| {name} | {len(make(args.units)):,} | {single:.3f} | {double:.3f} "
            f"| {double / single:.2f} |"
        )
        print(row, flush=True)
        lines.append(row)
    report = "\n".join(lines) + "\n"
    print()
    print(report)
    if not args.no_write:
        write_section("scaling", report)
        print("wrote benchmarks/RESULTS.md (section scaling)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
