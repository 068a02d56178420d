"""The one mechanism behind every generated file: compare, report the first difference,
write only when asked, and only the generated part."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqcorpus.errors import SqcorpusError
from sqcorpus.generated import first_difference, marker_block, sync, whole_file

BEGIN, END = "<!-- x:begin -->", "<!-- x:end -->"


def test_a_stale_block_is_reported_with_its_line_and_left_alone_when_checking(
    tmp_path: Path,
) -> None:
    path = tmp_path / "doc.md"
    text = f"# title\n\n{BEGIN}\nold 1\nsame\n{END}\nafter\n"
    path.write_text(text, encoding="utf-8")
    result = sync("x", path, marker_block(path, BEGIN, END, "doc"), "new 1\nsame\n", check=True)
    assert result.changed
    assert result.difference == f"{path} line 4: found 'old 1', expected 'new 1'"
    assert path.read_text(encoding="utf-8") == text


def test_regenerating_rewrites_only_the_block_and_then_is_current(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(f"before\n{BEGIN}\nold\n{END}\nafter\n", encoding="utf-8")
    assert sync("x", path, marker_block(path, BEGIN, END, "doc"), "new\n", check=False).changed
    assert path.read_text(encoding="utf-8") == f"before\n{BEGIN}\nnew\n{END}\nafter\n"
    again = sync("x", path, marker_block(path, BEGIN, END, "doc"), "new\n", check=False)
    assert (again.changed, again.difference) == (False, None)


def test_missing_markers_or_file_are_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    with pytest.raises(SqcorpusError, match="doc not found"):
        marker_block(path, BEGIN, END, "doc")
    path.write_text(f"{BEGIN}\nno end\n", encoding="utf-8")
    with pytest.raises(SqcorpusError, match="markers"):
        marker_block(path, BEGIN, END, "doc")


def test_a_whole_generated_file_may_not_exist_yet(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "file.json"
    result = sync("x", path, whole_file(path), "{}\n", check=False, version="1.0.0")
    assert (result.changed, result.version) == (True, "1.0.0")
    assert path.read_text(encoding="utf-8") == "{}\n"


def test_first_difference_names_an_added_line_and_invisible_changes() -> None:
    file = Path("f")
    assert first_difference("a\n", "a\n", file=file) is None
    assert first_difference("a\nb\n", "a\n", file=file) == (
        "f line 2: found '<end of block>', expected 'b'"
    )
    assert first_difference("a\n", "a\r\n", file=file) == (
        "f: differs in line endings or trailing whitespace"
    )


def test_every_generated_file_reports_alike(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("old\n", encoding="utf-8")
    stale = sync("cite --write-cff", path, whole_file(path), "new\n", check=True)
    assert stale.report(check=True) == (
        1,
        f"{path} line 1: found 'old', expected 'new': "
        "out of date (run `sqcorpus cite --write-cff`)",
    )
    written = sync("cite --write-cff", path, whole_file(path), "new\n", check=False)
    assert written.report(check=False) == (0, f"{path}: updated")
    current = sync("cite --write-cff", path, whole_file(path), "new\n", check=True)
    assert current.report(check=True) == (0, f"{path}: up to date")
