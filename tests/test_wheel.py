"""The wheel carries the corpus: installed from a wheel built through the sdist, every config
loads from any directory with no checkout and no network, and a corrupted file is refused.

Slow-ish (~30 s): builds the sdist and the wheel (no build isolation, so no download), makes a
fresh virtual environment whose dependencies come from this one through a .pth file, installs
the wheel there with --no-deps and loads each config in a subprocess from a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from publishing import ROOT, make_published
from sqcorpus import schema
from sqcorpus.release.store import list_versions

PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-annotations")


def _source_tree(target: Path, tmp: Path) -> str:
    """A copy of the project to build from; its corpus is the repository's latest release,
    or two small releases while the repository has none. Returns the latest version."""
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(
        ROOT / "src",
        target / "src",
        # src/sqcorpus/data is an ignored leftover folder, never part of a build.
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "data"),
    )
    if list_versions(ROOT / "corpus" / "releases"):
        shutil.copytree(ROOT / "corpus" / "releases", target / "corpus" / "releases")
        shutil.copytree(ROOT / "corpus" / "raw", target / "corpus" / "raw")
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SQCORPUS_ROOT", str(tmp / "mini"))
            mini = make_published(tmp / "mini")
        shutil.copytree(mini.releases, target / "corpus" / "releases")
        shutil.copytree(mini.raw_dir, target / "corpus" / "raw")
    return list_versions(target / "corpus" / "releases")[-1]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    env.pop("SQCORPUS_ROOT", None)  # the installed package must find its own data
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(python of the fresh venv, its site-packages, the latest version in the wheel)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    version = _source_tree(source, tmp)
    dist = tmp / "dist"
    # Default `python -m build`: the sdist first, then the wheel built from the unpacked sdist,
    # so a wheel with the data proves the sdist carries it too.
    built = _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)], tmp
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("*.whl")
    venv = tmp / "venv"
    created = _run([sys.executable, "-m", "venv", str(venv)], tmp)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp)
        .stdout.strip()
    )  # fmt: skip
    # Dependencies (datasets, pyarrow, ...) from this environment, without re-downloading them;
    # a plain path line appends the folder and runs none of its .pth files (so not the
    # editable install of the checkout).
    (site / "_sqcorpus_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], tmp
    )
    assert install.returncode == 0, install.stderr
    return python, site, version


def test_wheel_and_sdist_hold_the_corpus(installed: tuple[Path, Path, str]) -> None:
    _, site, version = installed
    data = site / "sqcorpus" / "data"
    manifest = json.loads((data / "releases" / version / "manifest.json").read_text("utf-8"))
    for name in manifest["files"]:
        assert (data / "releases" / version / name).is_file(), name
    assert (data / "releases" / version / "croissant.json").is_file()
    assert list((data / "raw").glob("*.txt")) and list((data / "raw").glob("*.json"))
    # Nothing else of the checkout: not the frozen split file, not the exports.
    assert not (data / "splits.json").exists()


def test_every_config_loads_from_the_wheel_anywhere(
    installed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    python, site, version = installed
    # The public API, called once per config in one process, as a user would.
    script = (
        "import json, sqcorpus, sqcorpus.paths as p\n"
        "out = {'file': sqcorpus.__file__, 'releases': str(p.releases_dir()), 'configs': {}}\n"
        f"for config in {list(schema.CONFIGS)!r}:\n"
        "    d = sqcorpus.load(config)\n"
        "    out['configs'][config] = {s: [d[s].num_rows, list(d[s].features)] for s in d}\n"
        "out['ner_names'] = sqcorpus.load('ner')['train'].features['ner_tags'].feature.names\n"
        "print(json.dumps(out))\n"
    )
    result = _run([str(python), "-c", script], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    assert Path(out["file"]).is_relative_to(site)  # the wheel, not the checkout
    assert Path(out["releases"]) == site / "sqcorpus" / "data" / "releases"
    manifest = json.loads(
        (site / "sqcorpus" / "data" / "releases" / version / "manifest.json").read_text("utf-8")
    )
    for config in schema.CONFIGS:
        assert set(out["configs"][config]) == set(schema.SPLITS)
        for split, (rows, columns) in out["configs"][config].items():
            assert rows == manifest["files"][f"{config}/{split}.parquet"]["num_rows"]
            assert columns == list(schema.CONFIGS[config])
    assert out["ner_names"] == list(schema.NER_TAGS)


def test_a_corrupted_file_in_the_installed_wheel_is_refused(
    installed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    python, site, version = installed
    # Corrupt a copy of the installed package, not the shared installation.
    copy = tmp_path / "site"
    shutil.copytree(site / "sqcorpus", copy / "sqcorpus")
    target = copy / "sqcorpus" / "data" / "releases" / version / "ner" / "train.parquet"
    payload = bytearray(target.read_bytes())
    payload[len(payload) // 2] ^= 0xFF
    target.write_bytes(bytes(payload))
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(copy)!r})\n"
        "from sqcorpus.errors import SqcorpusError\n"
        "from sqcorpus.release.loading import load\n"
        "try:\n"
        "    load('ner')\n"
        "except SqcorpusError as err:\n"
        "    print('REFUSED', err)\n"
    )
    result = _run([str(python), "-c", script], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "REFUSED" in result.stdout
    assert "ner/train.parquet" in result.stdout and "sha256" in result.stdout


def test_wheel_metadata_states_both_licences(installed: tuple[Path, Path, str]) -> None:
    _, site, _ = installed
    (dist_info,) = site.glob("sqcorpus-*.dist-info")
    metadata = (dist_info / "METADATA").read_text(encoding="utf-8")
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata
    licenses = {p.name for p in (dist_info / "licenses").iterdir()}
    assert licenses == {"LICENSE", "LICENSE-annotations"}
    assert "unknown" in (dist_info / "licenses" / "LICENSE-annotations").read_text("utf-8")
