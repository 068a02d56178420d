"""The command line contract: JSON Lines from `segment`, a summary and clean errors from `build`."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MiniProject
from sqcorpus.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sqcorpus.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def test_segment_reads_stdin_and_writes_json_lines() -> None:
    text = "Z. Rama tha: “Jemi gati.” Ç'po ndodh?\nTitull pa pikë"
    result = run_cli("segment", stdin=text)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) >= 3
    for sentence in lines:
        assert set(sentence) == {"start", "end", "text", "tokens"}
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        for token in sentence["tokens"]:
            assert set(token) == {"start", "end", "text"}
            assert text[token["start"] : token["end"]] == token["text"]
    assert lines[-1]["text"] == "Titull pa pikë"


def test_segment_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Një. Dy.", encoding="utf-8")
    result = run_cli("segment", str(path))
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["Një.", "Dy."]


def test_segment_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("segment", str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "missing.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_prints_a_summary(
    mini_project: MiniProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(mini_project.root))
    assert main(["build", "--version", "0.1.0"]) == 1  # the document has no split yet
    assert "sqcorpus splits" in capsys.readouterr().err
    assert main(["splits"]) == 0
    assert "1 documents assigned a split" in capsys.readouterr().out
    status = main(["build", "--version", "0.1.0"])
    out = capsys.readouterr().out
    assert status == 0
    assert "sentences" in out and "3" in out
    assert (mini_project.releases / "0.1.0" / "manifest.json").is_file()
    assert main(["build"]) == 0  # no version: rebuild the latest and check it is unchanged
    assert "unchanged" in capsys.readouterr().out


def test_build_error_is_one_line_with_nonzero_exit(mini_project: MiniProject) -> None:
    mini_project.write_export([{"data": {"sid": "mini-doc-s001"}}])
    env_root = {"SQCORPUS_ROOT": str(mini_project.root)}
    result = subprocess.run(
        [sys.executable, "-m", "sqcorpus.cli", "build", "--version", "0.1.0"],
        capture_output=True,
        text=True,
        env={**os.environ, **env_root},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "mini-doc.json" in result.stderr and "data.text" in result.stderr
    assert not (mini_project.releases / "0.1.0").exists()


def test_python_dash_m_sqcorpus_is_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sqcorpus", "segment"],
        input="Një. Dy.",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["Një.", "Dy."]


def test_every_subcommand_is_in_the_command_table(capsys: pytest.CaptureFixture[str]) -> None:
    """A new ``_add_<name>`` that its stage module does not list in ``COMMANDS`` would never
    be reachable, nor would a command module left out of the package's table."""
    import pkgutil

    from sqcorpus import cli

    modules = {
        name: importlib.import_module(f"sqcorpus.cli.{name}")
        for _, name, _ in pkgutil.iter_modules(cli.__path__)
        if name not in {"common", "__main__"}
    }
    assert set(modules.values()) == set(cli.STAGE_MODULES)
    defined = {
        f"{name}.{attribute}"
        for name, module in modules.items()
        for attribute in vars(module)
        if attribute.startswith("_add_")
    }
    listed = {f"{add.__module__.rsplit('.', 1)[-1]}.{add.__name__}" for add in cli.COMMANDS}
    assert listed == defined
    assert len(cli.COMMANDS) == 18
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    for add in cli.COMMANDS:
        assert add.__name__.removeprefix("_add_").replace("_", "-") in listing


def test_unknown_split_or_config_is_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The choices come from the schema: a typo fails before anything is read."""
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", "--config", "ner", "--split", "dev", "predictions.jsonl"])
    assert caught.value.code == 2
    assert "invalid choice: 'dev'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "out", "--format", "jsonl", "--config", "nerr"])
    assert "choose from 'sentences', 'ner', 'stance', 'hedging'" in capsys.readouterr().err


def test_segment_does_not_load_datasets(tmp_path: Path) -> None:
    """The parser reads the schema's choices lazily: segmenting needs neither the schema's
    Features nor ``datasets``."""
    text = tmp_path / "in.txt"
    text.write_text("Një. Dy.", encoding="utf-8")
    probe = (
        "import sys; from sqcorpus.cli import main; "
        f"code = main(['segment', {str(text)!r}]); "
        "print('datasets' in sys.modules, 'sqcorpus.schema' in sys.modules, code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "False False 0", result.stderr
