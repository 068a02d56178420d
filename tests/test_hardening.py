"""Issue 10, hardening: one test per defect the attack found (each fails on the code before the
fix, as its docstring says), apart from segmentation, which ``test_segment.py`` covers.

The promise under test: a clean one-line error or a correct result, never a traceback, never a
write inside a published release, and nothing left behind on failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.small_release import EXPORT, VERSION
from helpers import MiniProject, ls_task
from sqcorpus import load
from sqcorpus.annotate.studio.pull import checked_tasks, export_path
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.files import write_atomic
from sqcorpus.models import SentenceAnnotation
from sqcorpus.release.build import LOCK_FILE, build_lock
from sqcorpus.release.store import open_release, version_key

ROOT = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (symlinks as their target) with its sha256."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def hostile(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the small annotated project, used as the checkout."""
    root = tmp_path / "checkout"
    shutil.copytree(project, root, symlinks=True)
    shutil.copy(ROOT / "DATASHEET.md", root / "DATASHEET.md")
    monkeypatch.setenv("SQCORPUS_ROOT", str(root))
    return root


def one_error_line(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sqcorpus "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


# --- 1. releases are write-once for every command -------------------------------------------


def _release_targets(root: Path) -> list[list[str]]:
    release = root / "corpus" / "releases" / VERSION
    predictions = root / "predictions.jsonl"
    return [
        ["export", str(release / "sentences"), "--format", "jsonl"],
        ["export", str(release / "ner" / "test.parquet"), "--format", "jsonl", "--split", "test"],
        ["export", str(release / "extra.conll"), "--format", "conll", "--split", "test"],
        ["baseline", "majority", "--out", str(release / "manifest.json")],
        ["evaluate", str(predictions), "--config", "stance", "--out", str(release / "r.json")],
        ["agreement", str(EXPORT), "--json", str(release / "agreement.json")],
        ["build", "--out", str(release), "--version", "9.0.0-rc.1"],
        ["export", str(root / "corpus" / "releases" / "notes.jsonl"), "--format", "jsonl",
         "--split", "test"],
    ]  # fmt: skip


@pytest.mark.parametrize("attempt", range(8))
def test_no_command_writes_inside_a_release(
    hostile: Path, attempt: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 1: ``export OUT``, ``baseline --out``, ``evaluate --out``, ``agreement --json``
    and ``build --out`` overwrote released files or added files to a release, exit 0. Before
    the fix each of these exited 0 and changed the release folder."""
    assert main(["baseline", "majority", "--out", str(hostile / "predictions.jsonl")]) == 0
    capsys.readouterr()
    before = snapshot(hostile / "corpus")
    assert main(_release_targets(hostile)[attempt]) == 1
    one_error_line(capsys, "write-once")
    assert snapshot(hostile / "corpus") == before


def test_a_symlink_into_a_release_is_refused(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 1 through a link: the output path is resolved before the release check."""
    link = tmp_path / "innocent.jsonl"
    link.symlink_to(hostile / "corpus" / "releases" / VERSION / "manifest.json")
    before = snapshot(hostile / "corpus")
    assert main(["baseline", "majority", "--out", str(link)]) == 1
    one_error_line(capsys, "write-once")
    assert snapshot(hostile / "corpus") == before and link.is_symlink()


@pytest.mark.parametrize("change", ["extra", "missing croissant", "replaced by a link"])
def test_load_rejects_a_release_with_extra_missing_or_changed_files(
    hostile: Path, change: str
) -> None:
    """Defect 1, read side: ``sqcorpus.load`` never noticed a file added to a release."""
    release = hostile / "corpus" / "releases" / VERSION
    if change == "extra":
        (release / "ner" / "dev.parquet").write_bytes(b"PAR1")
    elif change == "missing croissant":
        (release / "croissant.json").unlink()
    else:
        target = hostile / "elsewhere.parquet"
        shutil.move(release / "ner" / "test.parquet", target)
        (release / "ner" / "test.parquet").symlink_to(target)
    with pytest.raises(SqcorpusError, match=r"dev\.parquet|croissant\.json|test\.parquet"):
        load("ner")


# --- 2. path traversal in studio pull ---------------------------------------------------------


@pytest.mark.parametrize(
    "doc_id", ["../../escape", "/tmp/absolute", "doc\n", "a/b", "..", "", "Doc", "x" * 2000]
)
def test_studio_pull_refuses_a_doc_id_that_is_not_a_plain_name(doc_id: str) -> None:
    """Defect 2: the export file name came from the server's ``data.doc_id``, checked only to
    be a string, so ``../…`` or an absolute path made a pull write anywhere."""
    tasks = [{"id": 7, "data": {"doc_id": doc_id, "sid": "s", "text": "t"}, "annotations": []}]
    with pytest.raises(SqcorpusError, match=r"id 7, field 'data\.doc_id'"):
        checked_tasks(tasks)
    with pytest.raises(SqcorpusError):
        export_path(Path("exports"), doc_id)


def test_studio_pull_writes_a_plain_doc_id_inside_its_folder(tmp_path: Path) -> None:
    assert export_path(tmp_path, "putin-2024") == tmp_path / "putin-2024.json"


# --- 4. annotator e-mails ---------------------------------------------------------------------


def test_an_email_in_completed_by_never_reaches_the_manifest(mini_project: MiniProject) -> None:
    """Defect 4: an e-mail in ``completed_by`` (an export that was not pseudonymized) was
    copied into the release manifest."""
    tasks = []
    for sentence in mini_project.sentences():
        task = ls_task(sentence, SentenceAnnotation())
        task["annotations"][0]["completed_by"] = {"id": 3, "email": "ana.hoxha@example.org"}
        tasks.append(task)
    tasks[0]["annotations"][0]["completed_by"] = "leak@example.org"
    mini_project.write_export(tasks)
    summary = mini_project.build("1.0.0")
    text = (summary.path / "manifest.json").read_text(encoding="utf-8")
    assert "@" not in text and "example.org" not in text
    assert all(
        name.startswith("annotator-") for name in summary.manifest["annotation"]["annotators"]
    )


# --- 6. versions validated strictly -----------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0.0\n", "\u0661.0.0", "9" * 300 + ".0.0", "../1.0.0"])
def test_a_version_is_matched_whole_in_ascii(version: str) -> None:
    """Defect 6: a version with a trailing newline was accepted and became the latest; an
    Arabic-Indic digit matched ``\\d`` (it would name a folder); an over-long one crashed."""
    with pytest.raises(SqcorpusError, match="not a version"):
        version_key(version)


def test_build_refuses_a_bad_version_in_one_line(
    mini_project: MiniProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(mini_project.root))
    mini_project.assign_splits()
    before = snapshot(mini_project.root)
    assert main(["build", "--version", "2.0.0-rc.1\n"]) == 1
    one_error_line(capsys, "not a version")
    assert snapshot(mini_project.root) == before


# --- 7. a release without manifest is an error, never a fallback (also tests/test_store.py) ---


def test_load_never_falls_back_to_an_older_release(hostile: Path) -> None:
    """Defect 7: deleting a release's manifest made ``load()`` quietly serve the previous one."""
    releases = hostile / "corpus" / "releases"
    shutil.copytree(releases / VERSION, releases / "0.1.0")
    manifest = json.loads((releases / "0.1.0" / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = "0.1.0"
    (releases / "0.1.0" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert open_release(None).version == VERSION
    (releases / VERSION / "manifest.json").unlink()
    with pytest.raises(SqcorpusError, match=f"{VERSION}.*has no manifest"):
        load("ner")


# --- 8. links are written through, special files refused --------------------------------------


def test_writing_goes_through_a_symlink(tmp_path: Path) -> None:
    """Defect 8: writing replaced a symlink by a regular file instead of writing through it."""
    target = tmp_path / "real" / "predictions.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    write_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["predictions.jsonl"]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_or_fifo_is_never_replaced(tmp_path: Path) -> None:
    """Defect 8: output writing replaced even a device node with a regular file."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        with pytest.raises(SqcorpusError, match="not a regular file"):
            write_atomic(path, "x")
    assert Path("/dev/null").is_char_device() and fifo.is_fifo()


def test_an_unwritable_output_path_is_one_error(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 12: an output path under a regular file raised NotADirectoryError (traceback)."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["baseline", "majority", "--out", str(blocker / "sub" / "out.jsonl")]) == 1
    one_error_line(capsys, "cannot write")
    assert list(tmp_path.iterdir()) == [blocker] or blocker in list(tmp_path.iterdir())


# --- 9. builds: a lock, no leftovers, nothing written outside --out ----------------------------


def test_a_build_refuses_while_another_holds_the_lock_and_cleans_stale_staging(
    mini_project: MiniProject,
) -> None:
    """Defect 9 and 12: two builds raced (traceback, or both wrote); ``kill -9`` during a
    build left hidden staging folders that no later build removed."""
    mini_project.assign_splits()
    mini_project.releases.mkdir(parents=True, exist_ok=True)
    stale = mini_project.releases / ".1.0.0-rc.1-killed"
    stale.mkdir()
    (stale / "manifest.json").write_text("{}")
    with build_lock(mini_project.releases), pytest.raises(SqcorpusError, match="another build"):
        mini_project.build("1.0.0-rc.1")
    assert not (mini_project.releases / "1.0.0-rc.1").exists()
    mini_project.build("1.0.0-rc.1")
    assert sorted(p.name for p in mini_project.releases.iterdir()) == [LOCK_FILE, "1.0.0-rc.1"]


def test_the_lock_and_staging_folders_are_git_ignored() -> None:
    """Defect 9: the staging folders a killed build leaves were not ignored by git."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["corpus/releases/.build.lock", "corpus/releases/.2.0.0-abcd/manifest.json"]
    ignored = subprocess.run(
        ["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert ignored == paths
    kept = subprocess.run(
        ["git", "check-ignore", "corpus/releases/1.0.0/manifest.json"], cwd=ROOT, check=False
    )
    assert kept.returncode == 1


def test_build_with_out_elsewhere_leaves_the_checkout_unchanged(
    mini_project: MiniProject,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defect 9: a build with ``--out`` elsewhere still rewrote the checkout's splits file."""
    monkeypatch.setenv("SQCORPUS_ROOT", str(mini_project.root))
    mini_project.assign_splits()
    before = snapshot(mini_project.root)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert main(["build", "--version", "0.1.0", "--out", str(elsewhere)]) == 0
    assert snapshot(mini_project.root) == before
    assert (elsewhere / "0.1.0" / "manifest.json").is_file()


# --- 12. manifests of the wrong shape, broken pipes, full disks -------------------------------

BAD_MANIFESTS = [
    [],
    {"version": VERSION},
    {"version": VERSION, "files": {"ner/test.parquet": None}},
    {"version": VERSION, "files": {"../../x": {"sha256": "0" * 64, "num_rows": 1, "num_bytes": 1}}},
    {"version": "0.0.1", "files": {}},
]


@pytest.mark.parametrize("manifest", range(len(BAD_MANIFESTS)))
@pytest.mark.parametrize(
    "command",
    [
        ["export", "OUT", "--format", "jsonl"],
        ["evaluate", "PRED", "--config", "ner"],
        ["baseline", "majority"],
        ["diff", VERSION, VERSION],
        ["cite"],
        ["croissant", "--check"],
        ["datasheet", "--check"],
    ],
)
def test_a_manifest_of_the_wrong_shape_is_one_error(
    hostile: Path, manifest: int, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 12: a manifest of the wrong shape crashed seven commands with a traceback."""
    (hostile / "predictions.jsonl").write_text("")
    path = hostile / "corpus" / "releases" / VERSION / "manifest.json"
    path.write_text(json.dumps(BAD_MANIFESTS[manifest]), encoding="utf-8")
    argv = [
        {"OUT": str(hostile / "out"), "PRED": str(hostile / "predictions.jsonl")}.get(a, a)
        for a in command
    ]
    assert main(argv) == 1
    one_error_line(capsys, "manifest.json")


def _cli(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sqcorpus.cli", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_closed_pipe_is_one_error_line(hostile: Path) -> None:
    """Defect 12: ``sqcorpus … | head`` ended in a BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: a deterministic EPIPE
    try:
        result = _cli("diff", VERSION, VERSION, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "broken pipe" in result.stderr, result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_error_line(hostile: Path) -> None:
    """Defect 12: a disk-full error (ENOSPC) ended in a traceback."""
    with open("/dev/full", "w") as full:
        result = _cli("diff", VERSION, VERSION, stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "disk full" in result.stderr, result.stderr
