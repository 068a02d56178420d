"""Attack the ``sqcorpus`` command as hostile input and careless users would, and count outcomes.

Every attempt runs the real command line in a fresh process on a throw-away copy of a small
annotated project (the test fixture's release ``0.2.0``), then sorts the outcome:

- **clean error**: exit status not 0, exactly one line on stderr, no traceback, project unchanged;
- **correct**: exit 0 and the attempt's own check of the result holds;
- **traceback**: a Python traceback on stderr;
- **silent wrong**: exit 0 but the check fails (a release changed, a link replaced, ...);
- **leftover**: the command failed but left files behind or changed the project.

Segmentation (quadratic time, streaming, memory) is another engineer's part of issue 10 and is
measured by its own benchmark; it is not attacked here. ``studio pull`` needs a Label Studio
server and is attacked in ``tests/test_hardening.py`` instead.

    python benchmarks/attacks.py                      # this checkout's src/
    python benchmarks/attacks.py --src /old/checkout/src   # another version of the code

Runs the command with ``PYTHONPATH=<src>``; the fixture project is built with the same code.

Longer than 400 lines because every attack is declared here, one short entry each, so that
the whole list can be read (and re-run against old code) in one place.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = "0.2.0"  # tests/fixtures/small_release.py
OUTCOMES = ("clean error", "correct", "traceback", "silent wrong", "leftover")


def snapshot(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not path.is_dir():
            found[name] = "special"
    return found


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@dataclass
class Attack:
    kind: str
    name: str
    argv: Callable[[Path], list[str]]
    expect_error: bool = True
    prepare: Callable[[Path], None] | None = None
    check: Callable[[Path, Run], bool] | None = None
    """For an expected success: is the result right? For an expected error the project must
    be unchanged, and this says whether the rest is tidy (default: nothing written outside)."""
    stdout: str | None = None  # "closed" or "full"


class Runner:
    def __init__(self, src: Path, work: Path) -> None:
        self.src = src
        self.work = work
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(src), str(ROOT / "tests")]),
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_OFFLINE": "1",
        }
        self.template = work / "template"
        self._python(
            "from fixtures.small_release import build_small_release; import sys; "
            "build_small_release(__import__('pathlib').Path(sys.argv[1]))",
            str(self.template),
        )
        (self.template / "CHANGELOG.md").write_text(
            f"# Changelog\n\n## [{VERSION}] - 2026-11-30\n\nTest fixture release.\n"
        )
        shutil.copy(ROOT / "DATASHEET.md", self.template / "DATASHEET.md")
        shutil.copy(ROOT / "tests" / "fixtures" / "ls_export_small.json", work / "export.json")
        self.cli(self.template, ["splits"])  # the fixture's release used splits of its own
        predictions = self.cli(self.template, ["baseline", "majority"])
        (work / "predictions.jsonl").write_text(predictions.stdout)

    held: int | None = None

    def hold_lock(self, releases: Path) -> None:
        """Take the lock file a build takes (an older build that takes none ignores it)."""
        self.held = os.open(releases / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.held, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release_lock(self) -> None:
        if self.held is not None:
            os.close(self.held)
            self.held = None

    def _python(self, code: str, *args: str) -> None:
        subprocess.run([sys.executable, "-c", code, *args], env=self.env, check=True)

    def cli(self, root: Path, argv: list[str], stdout: str | None = None) -> Run:
        env = {**self.env, "SQCORPUS_ROOT": str(root)}
        command = [sys.executable, "-m", "sqcorpus.cli", *argv]
        if stdout is None:
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            return Run(done.returncode, done.stdout, done.stderr)
        if stdout == "closed":
            read_end, write_end = os.pipe()
            os.close(read_end)
        else:
            write_end = os.open("/dev/full", os.O_WRONLY)
        try:
            done = subprocess.run(
                command, env=env, stdout=write_end, stderr=subprocess.PIPE, text=True, check=False
            )
        finally:
            os.close(write_end)
        return Run(done.returncode, "", done.stderr)

    def attack(self, attack: Attack) -> str:
        root = self.work / "project"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(self.template, root, symlinks=True)
        outside = self.work / "outside"
        shutil.rmtree(outside, ignore_errors=True)
        outside.mkdir()
        if attack.prepare:
            attack.prepare(root)
        before = snapshot(root)
        run = self.cli(root, attack.argv(root), attack.stdout)
        if "Traceback" in run.stderr:
            return "traceback"
        if attack.expect_error:
            if run.code == 0:
                return "silent wrong"
            tidy = attack.check(root, run) if attack.check else not any(outside.iterdir())
            if snapshot(root) != before or not tidy:
                return "leftover"
            return "clean error" if run.stderr.count("\n") == 1 else "traceback"
        if run.code != 0:
            return "silent wrong"  # refused a correct request: counted against us
        return "correct" if attack.check is None or attack.check(root, run) else "silent wrong"


# --- the attack classes -----------------------------------------------------------------------


def release(root: Path) -> Path:
    return root / "corpus" / "releases" / VERSION


def edit_json(path: Path, change: Callable[[object], object]) -> None:
    path.write_text(json.dumps(change(json.loads(path.read_text()))))


def release_writes(work: Path) -> list[Attack]:
    pred = str(work / "predictions.jsonl")
    exports = str(work / "export.json")

    def link_into_release(root: Path) -> None:
        (work / "outside" / "link").symlink_to(release(root) / "manifest.json")

    def outside_link(root: Path) -> list[str]:
        return ["baseline", "majority", "--out", str(work / "outside" / "link")]

    def edit_croissant(root: Path) -> None:
        path = release(root) / "croissant.json"
        path.write_text(path.read_text().replace(VERSION, "9.9.9", 1))

    a = [
        Attack("release write", "export OUT = a release's config folder",
               lambda r: ["export", str(release(r) / "ner"), "--format", "jsonl"]),
        Attack("release write", "export --split OUT = a released Parquet file",
               lambda r: ["export", str(release(r) / "ner" / "test.parquet"), "--format",
                          "jsonl", "--split", "test"]),
        Attack("release write", "export adds a file to a release",
               lambda r: ["export", str(release(r) / "x.conll"), "--format", "conll",
                          "--split", "test"]),
        Attack("release write", "baseline --out = manifest.json",
               lambda r: ["baseline", "majority", "--out", str(release(r) / "manifest.json")]),
        Attack("release write", "evaluate --out inside a release",
               lambda r: ["evaluate", pred, "--config", "stance", "--out",
                          str(release(r) / "report.json")]),
        Attack("release write", "agreement --json inside a release",
               lambda r: ["agreement", exports, "--json", str(release(r) / "agreement.json")]),
        Attack("release write", "build --out = a release folder",
               lambda r: ["build", "--out", str(release(r)), "--version", "9.0.0-rc.1",
                          "--annotations", exports]),
        Attack("release write", "croissant rewrites an edited release file",
               lambda r: ["croissant", "--version", VERSION], prepare=edit_croissant),
        Attack("release write", "baseline --out = a link to manifest.json", outside_link,
               prepare=link_into_release,
               check=lambda r, run: (work / "outside" / "link").is_symlink()),
    ]  # fmt: skip
    return a


def _no_manifest(root: Path) -> None:
    (release(root) / "manifest.json").unlink()


def _older_release(root: Path) -> None:
    older = root / "corpus" / "releases" / "0.1.0"
    shutil.copytree(release(root), older)
    edit_json(older / "manifest.json", lambda m: {**m, "version": "0.1.0"})  # type: ignore[dict-item]


# The API raises SqcorpusError for bad input: that is its clean error (one line, exit 1).
LOAD = """
import sys, sqcorpus
from sqcorpus.errors import SqcorpusError
try:
    print(sqcorpus.load("ner")["test"].info.description)
except SqcorpusError as err:
    sys.exit(f"load: error: {err}")
"""


def load_checks(work: Path) -> list[Attack]:
    def python_load(root: Path) -> list[str]:
        return ["__python__", LOAD]

    def extra(root: Path) -> None:
        (release(root) / "ner" / "dev.parquet").write_bytes(b"PAR1")

    def fallback(root: Path) -> None:
        _older_release(root)
        _no_manifest(root)

    return [
        Attack("load", "a file added to a release", python_load, prepare=extra),
        Attack("load", "croissant.json removed",
               python_load, prepare=lambda r: (release(r) / "croissant.json").unlink()),
        Attack("load", "latest manifest deleted (silent fallback?)", python_load, prepare=fallback),
        Attack("load", "a folder named '9.0.0\\n' is not the latest", python_load,
               expect_error=False,
               prepare=lambda r: shutil.copytree(release(r), release(r).with_name("9.0.0\n")),
               check=lambda r, run: run.stdout.startswith(f"sqcorpus {VERSION},")),
    ]  # fmt: skip


BAD_MANIFESTS: list[object] = [
    [],
    {"version": VERSION},
    {"version": VERSION, "files": {"ner/test.parquet": None}},
    {"version": VERSION, "files": "x"},
]
MANIFEST_COMMANDS: list[list[str]] = [
    ["export", "{out}", "--format", "jsonl"],
    ["evaluate", "{pred}", "--config", "stance"],
    ["baseline", "majority"],
    ["diff", VERSION, VERSION],
    ["cite"],
    ["croissant", "--check"],
    ["datasheet", "--check"],
]


def manifest_shapes(work: Path) -> list[Attack]:
    attacks = []
    for number, manifest in enumerate(BAD_MANIFESTS):
        for command in MANIFEST_COMMANDS:

            def argv(root: Path, command: list[str] = command) -> list[str]:
                values = {"{out}": str(work / "outside" / "out"), "{pred}": str(work / "pred")}
                return [values.get(a, a) for a in command]

            def prepare(root: Path, manifest: object = manifest) -> None:
                (release(root) / "manifest.json").write_text(json.dumps(manifest))
                (work / "pred").write_text((work / "predictions.jsonl").read_text())

            attacks.append(
                Attack("manifest shape", f"manifest #{number}: {command[0]}", argv, prepare=prepare)
            )
    return attacks


def _export_with(change: Callable[[list[dict]], None]) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        tasks = json.loads((ROOT / "tests" / "fixtures" / "ls_export_small.json").read_text())
        change(tasks)
        folder = root / "hostile"
        folder.mkdir(exist_ok=True)
        (folder / "export.json").write_text(json.dumps(tasks, allow_nan=True))

    return prepare


def _first_result(tasks: list[dict]) -> dict:
    annotated = next(t for t in tasks if t["annotations"] and t["annotations"][0]["result"])
    return annotated["annotations"][0]["result"][0]


def malformed_exports(work: Path) -> list[Attack]:
    def build(root: Path) -> list[str]:
        return ["build", "--version", "0.3.0-rc.1", "--annotations", str(root / "hostile"),
                "--out", str(root / "corpus" / "releases")]  # fmt: skip

    def deep(root: Path) -> None:
        (root / "hostile").mkdir()
        (root / "hostile" / "export.json").write_text("[" * 100_000 + "]" * 100_000)

    changes: dict[str, Callable[[list[dict]], None]] = {
        "null annotations": lambda t: t[0].__setitem__("annotations", None),
        "list region id": lambda t: _first_result(t).__setitem__("id", ["x"]),
        "Infinity offset": lambda t: _first_result(t)["value"].__setitem__("start", float("inf")),
        "NaN offset": lambda t: _first_result(t)["value"].__setitem__("end", float("nan")),
        "string offset": lambda t: _first_result(t)["value"].__setitem__(
            "start", str(_first_result(t)["value"]["start"])
        ),
        "float offset": lambda t: _first_result(t)["value"].__setitem__(
            "end", _first_result(t)["value"]["end"] + 0.0
        ),
        "null result": lambda t: t[0]["annotations"][0].__setitem__("result", None),
        "annotation is a string": lambda t: t[0].__setitem__("annotations", ["x"]),
        "list guidelines version": lambda t: t[0]["data"].__setitem__("guidelines_version", [1]),
        "list from_name": lambda t: _first_result(t).__setitem__("from_name", ["ner"]),
    }
    attacks = [
        Attack("malformed export", name, build, prepare=_export_with(change))
        for name, change in changes.items()
    ]
    attacks.append(Attack("malformed export", "deeply nested JSON", build, prepare=deep))

    def email(tasks: list[dict]) -> None:
        for task in tasks:
            for annotation in task["annotations"]:
                annotation["completed_by"] = {"id": 1, "email": "ana.hoxha@example.org"}

    def no_email(root: Path, run: Run) -> bool:
        manifest = root / "corpus" / "releases" / "0.3.0-rc.1" / "manifest.json"
        return manifest.is_file() and "@" not in manifest.read_text()

    attacks.append(
        Attack("personal data", "e-mail in completed_by reaches the manifest?", build,
               expect_error=False, prepare=_export_with(email), check=no_email)
    )  # fmt: skip
    return attacks


def versions(work: Path) -> list[Attack]:
    exports = str(work / "export.json")
    attacks = []
    for version in ("2.0.0\n", "\u0661.0.0", "9" * 400 + ".0.0", "../2.0.0", "2.0.0/../../x"):

        def argv(root: Path, version: str = version) -> list[str]:
            return ["build", "--version", version, "--annotations", exports,
                    "--out", str(root / "corpus" / "releases")]  # fmt: skip

        shown = repr(version if len(version) < 20 else version[:8] + "...")
        attacks.append(Attack("version", shown, argv))
    return attacks


def predictions(work: Path) -> list[Attack]:
    lines = {
        "NaN stance": '{"id": "putin-north-korea-2024-06-s006", "stance": NaN}',
        "Infinity in a span": '{"id": "putin-north-korea-2024-06-s006", '
        '"entities": [{"start": Infinity, "end": 3, "label": "PER"}]}',
        "deep nesting": '{"id": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "not UTF-8": None,
    }
    attacks = []
    for name, line in lines.items():

        def prepare(root: Path, line: str | None = line) -> None:
            path = root / "pred.jsonl"
            if line is None:
                path.write_bytes(b"\xff\xfe{}\n")
            else:
                path.write_text(line + "\n")

        def argv(root: Path) -> list[str]:
            return ["evaluate", str(root / "pred.jsonl"), "--config", "ner"]

        attacks.append(Attack("predictions", name, argv, prepare=prepare))
    return attacks


def os_errors(work: Path) -> list[Attack]:
    def blocker(root: Path) -> None:
        (work / "outside" / "file").write_text("")

    def fifo(root: Path) -> None:
        os.mkfifo(root / "fifo")

    def link(root: Path) -> None:
        target = root / "real.jsonl"
        target.write_text("old\n")
        (root / "link.jsonl").symlink_to(target)

    def written_through(root: Path, run: Run) -> bool:
        link = root / "link.jsonl"
        return link.is_symlink() and (root / "real.jsonl").read_text().startswith("{")

    def still_fifo(root: Path, run: Run) -> bool:
        return (root / "fifo").is_fifo()

    return [
        Attack("OS error", "output under a regular file",
               lambda r: ["baseline", "majority", "--out", str(work / "outside" / "file" / "x")],
               prepare=blocker,
               check=lambda r, run: [p.name for p in (work / "outside").iterdir()] == ["file"]
               and (work / "outside" / "file").is_file()),
        Attack("OS error", "stdout is a closed pipe (| head)",
               lambda r: ["diff", VERSION, VERSION], stdout="closed"),
        Attack("OS error", "stdout is a full disk (/dev/full)",
               lambda r: ["diff", VERSION, VERSION], stdout="full"),
        Attack("OS error", "output is a FIFO (replaced?)",
               lambda r: ["baseline", "majority", "--out", str(r / "fifo")],
               prepare=fifo, check=still_fifo),
        Attack("links", "output is a symlink (written through?)",
               lambda r: ["baseline", "majority", "--out", str(r / "link.jsonl")],
               expect_error=False, prepare=link, check=written_through),
    ]  # fmt: skip


def builds(work: Path, runner: Runner) -> list[Attack]:
    exports = str(work / "export.json")

    def argv(root: Path) -> list[str]:
        return ["build", "--version", "0.3.0-rc.1", "--annotations", exports,
                "--out", str(root / "corpus" / "releases")]  # fmt: skip

    def stale(root: Path) -> None:
        staging = root / "corpus" / "releases" / ".0.3.0-rc.1-killed"
        staging.mkdir()
        (staging / "manifest.json").write_text("{}")

    def no_stale(root: Path, run: Run) -> bool:
        left = [p.name for p in (root / "corpus" / "releases").iterdir()]
        return not any(n.startswith(".0.3.0") for n in left) and "0.3.0-rc.1" in left

    def elsewhere(root: Path) -> list[str]:
        return ["build", "--version", "0.3.0-rc.1", "--annotations", exports,
                "--out", str(work / "elsewhere")]  # fmt: skip

    before: dict[str, str] = {}

    def remember(root: Path) -> None:
        shutil.rmtree(work / "elsewhere", ignore_errors=True)
        before.clear()
        before.update(snapshot(root))

    def unchanged(root: Path, run: Run) -> bool:
        return snapshot(root) == before and (work / "elsewhere" / "0.3.0-rc.1").is_dir()

    return [
        Attack("build", "stale staging folder of a killed build", argv, expect_error=False,
               prepare=stale, check=no_stale),
        Attack("build", "--out elsewhere leaves the checkout alone", elsewhere,
               expect_error=False, prepare=remember, check=unchanged),
        Attack("build", "a second build while one holds the lock", argv,
               prepare=lambda r: runner.hold_lock(r / "corpus" / "releases")),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to attack")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every attempt")
    parser.add_argument("--only", nargs="*", help="attack these classes only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sqcorpus-attacks-") as scratch:
        work = Path(scratch)
        runner = Runner(args.src.resolve(), work)
        original_cli = runner.cli

        def cli(root: Path, argv: list[str], stdout: str | None = None) -> Run:
            if argv and argv[0] == "__python__":
                env = {**runner.env, "SQCORPUS_ROOT": str(root)}
                done = subprocess.run([sys.executable, "-c", argv[1]], env=env,
                                      capture_output=True, text=True, check=False)  # fmt: skip
                return Run(done.returncode, done.stdout, done.stderr)
            return original_cli(root, argv, stdout)

        runner.cli = cli  # type: ignore[method-assign]
        attacks = [
            *release_writes(work),
            *load_checks(work),
            *manifest_shapes(work),
            *malformed_exports(work),
            *versions(work),
            *predictions(work),
            *os_errors(work),
            *builds(work, runner),
        ]
        table: dict[str, Counter[str]] = {}
        for attack in attacks:
            if args.only and attack.kind not in args.only:
                continue
            outcome = runner.attack(attack)
            runner.release_lock()
            table.setdefault(attack.kind, Counter())[outcome] += 1
            if args.verbose:
                print(f"{outcome:12}  {attack.kind}: {attack.name}", file=sys.stderr)
    total: Counter[str] = sum(table.values(), Counter())
    print("| attack class | attempts | " + " | ".join(OUTCOMES) + " |")
    print("|---|---:|" + "---:|" * len(OUTCOMES))
    for kind, counts in [*table.items(), ("**all**", total)]:
        cells = " | ".join(str(counts[o]) for o in OUTCOMES)
        print(f"| {kind} | {sum(counts.values())} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
