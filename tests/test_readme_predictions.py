"""The README's predictions examples, written to files as a reader would save them, score
with `sqcorpus evaluate` and print exactly the output the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sqcorpus.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def example(config: str) -> tuple[str, str, str]:
    """The example file, the command and the printed output the README gives for a config."""
    pattern = (
        rf"<!-- predictions:{config} -->\n```jsonl\n(.*?)```\n\n`(sqcorpus evaluate [^`]*)` "
        r"prints:\n\n```text\n(.*?)```"
    )
    found = re.search(pattern, README, re.S)
    assert found, f"README has no complete predictions example for {config}"
    return found.group(1), found.group(2), found.group(3)


@pytest.mark.parametrize("config", ["ner", "stance", "hedging"])
def test_readme_predictions_example_scores_as_shown(
    config: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    text, command, shown = example(config)
    words = command.split()
    assert words[:2] == ["sqcorpus", "evaluate"] and f"--config {config}" in command
    (tmp_path / words[-1]).write_text(text, encoding="utf-8")
    monkeypatch.setenv("SQCORPUS_ROOT", str(ROOT))
    monkeypatch.chdir(tmp_path)
    assert main(words[1:]) == 0
    assert capsys.readouterr().out == shown


def test_examples_use_both_names_and_class_label_ids() -> None:
    files = "".join(example(config)[0] for config in ("ner", "stance", "hedging"))
    assert re.search(r'"label": \d', files) and re.search(r'"stance": \d', files)
    assert re.search(r'"stance": "', files) and re.search(r'"uncertain": \d', files)


def test_docs_promise_no_git_tag() -> None:
    """The published repository carries its main branch only: no doc may send users to a tag."""
    for name in ("README.md", "DATASHEET.md", "CHANGELOG.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert not re.search(r"git checkout v\d|tagged `?v<?version|revision=\"v\d", text), name
