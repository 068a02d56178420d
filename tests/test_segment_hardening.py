"""Segmentation on hostile input: linear work, streaming, exact newlines, bad bytes, OS errors."""

from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from sqcorpus.paths import raw_dir
from sqcorpus.text import segmentation
from sqcorpus.text.segmentation import segment

SEED = raw_dir() / "putin-north-korea-2024-06.txt"


# --- linear work -----------------------------------------------------------------------------
class _ReachCounter:
    """Stands in for a compiled pattern and adds up how much text each call may read.

    ``re`` cannot count its own steps, but it can never read outside ``[pos, endpos)``; the
    sum of those windows bounds the characters the engine is allowed to look at.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.reach = 0

    def _window(self, text: str, pos: int, endpos: int | None) -> int:
        end = len(text) if endpos is None else min(endpos, len(text))
        return max(end - pos, 0)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self.reach += self._window(text, pos, endpos)
        return self.pattern.match(text, pos, len(text) if endpos is None else endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self.reach += self._window(text, pos, endpos)
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        self.reach += self._window(text, pos, endpos)
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


def _token_reach(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    counter = _ReachCounter(segmentation._TOKEN_RE)
    with monkeypatch.context() as patch:
        patch.setattr(segmentation, "_TOKEN_RE", counter)
        segment(text)
    return counter.reach


@pytest.mark.parametrize(
    "unit",
    [
        "abcde.",  # no spaces: every token used to rescan the rest of the run (e-mail, domain)
        "a.b.c.d.e.",
        "ab-cd.ef@",
        "1.2.3.4.5",
        "a@b.c.",
    ],
)
def test_tokenizer_work_grows_linearly(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    single = _token_reach(unit * 2000, monkeypatch)
    double = _token_reach(unit * 4000, monkeypatch)
    assert double <= 2.2 * single, (single, double)


def _repeats(node: Any) -> Iterator[list[tuple[Any, Any]]]:
    """Every sequence of a parsed pattern, with capture groups flattened into it."""
    items: list[tuple[Any, Any]] = []
    for op, arg in node:
        name = str(op)
        if name == "SUBPATTERN":
            sub = list(arg[-1])
            items.extend(sub)
            yield from _repeats(sub)
        else:
            items.append((op, arg))
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                yield from _repeats(arg[2])
            elif name == "BRANCH":
                for branch in arg[1]:
                    yield from _repeats(branch)
            elif name in ("ASSERT", "ASSERT_NOT"):
                yield from _repeats(arg[1])
            elif name == "ATOMIC_GROUP":
                yield from _repeats(arg)
    yield items


_PROBE = [chr(c) for c in range(0x3000)]


def _char_set(item: Any) -> set[str] | None:
    """The characters one single-character item matches, probed over U+0000-U+2FFF."""
    try:
        compiled = re.compile(_unparse(item))
    except (ValueError, re.error):
        return None
    return {c for c in _PROBE if compiled.fullmatch(c)}


def _unparse(item: Any) -> str:
    op, arg = item
    name = str(op)
    if name == "LITERAL":
        return re.escape(chr(arg))
    if name == "IN":
        return "[" + "".join(_unparse(i) for i in arg) + "]"
    if name == "NEGATE":
        return "^"
    if name == "RANGE":
        return f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}"
    if name == "CATEGORY":
        return {"CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w", "CATEGORY_DIGIT": r"\d"}.get(
            str(arg), r"\S"
        )
    raise ValueError(name)


def _quadratic_pairs(pattern: re.Pattern[str]) -> list[str]:
    """Adjacent greedy repeats of overlapping character sets (``\\s+[\\s"]*x``).

    On a long run of shared characters that is not followed by what comes next, the engine
    tries every split of the run between the two repeats: quadratic work in one call.
    """
    import re._parser as parser

    found = []
    for items in _repeats(parser.parse(pattern.pattern, pattern.flags)):
        for (op1, arg1), (op2, arg2) in pairwise(items):
            if str(op1) != "MAX_REPEAT" or str(op2) not in ("MAX_REPEAT", "MIN_REPEAT"):
                continue
            body1, body2 = list(arg1[2]), list(arg2[2])
            if len(body1) != 1 or len(body2) != 1:
                continue
            set1, set2 = _char_set(body1[0]), _char_set(body2[0])
            if set1 and set2 and set1 & set2:
                found.append(f"{_unparse(body1[0])} then {_unparse(body2[0])}")
    return found


def test_boundary_patterns_cannot_backtrack_quadratically() -> None:
    patterns = {n: v for n, v in vars(segmentation).items() if isinstance(v, re.Pattern)}
    assert "_EXTRA_BOUNDARY_RE" in patterns
    offenders = {name: pairs for name, p in patterns.items() if (pairs := _quadratic_pairs(p))}
    assert offenders == {}


def test_ellipsis_and_a_long_run_of_spaces() -> None:
    # Rule 3 still splits after an ellipsis before a capital, however far away it is...
    assert [s.text for s in segment("Po..." + " " * 5000 + "\u201cAi erdhi.")] == [
        "Po...",
        "\u201cAi erdhi.",
    ]
    # ...and not before punctuation (the case that used to take quadratic time).
    text = "Po..." + " " * 5000 + "\u201c" * 3 + " " * 5000 + "."
    assert [s.text for s in segment(text)] == [text]


def test_long_paragraph_is_given_to_punkt_in_pieces_with_the_same_boundaries() -> None:
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    long = " ".join(paragraphs * 3)
    whole = {start for start, _ in segmentation._punkt().span_tokenize(long)} - {0}
    pieces = segmentation._punkt_starts(long, piece=400)
    assert pieces == whole
    assert len(long) > 10 * 400


# --- BOM and combining marks -------------------------------------------------------------------
def test_leading_bom_is_skipped_but_offsets_index_the_original() -> None:
    text = "\ufeffRusia foli. Kina jo."
    sentences = segment(text)
    assert [s.text for s in sentences] == ["Rusia foli.", "Kina jo."]
    assert sentences[0].start == 1
    assert sentences[0].tokens[0].text == "Rusia"


def test_combining_marks_stay_with_the_preceding_character() -> None:
    decomposed = unicodedata.normalize("NFD", "Çështja është përfunduar.")
    words = [t.text for s in segment(decomposed) for t in s.tokens]
    assert words == [
        unicodedata.normalize("NFD", w) for w in ["Çështja", "është", "përfunduar", "."]
    ]
    stray = "Po.\u0301 Jo"
    assert [t.text for s in segment(stray) for t in s.tokens] == ["Po", ".\u0301", "Jo"]


# --- streaming API -------------------------------------------------------------------------------
def test_iter_segment_equals_segment_for_any_split_of_the_input() -> None:
    from sqcorpus.text.streaming import iter_segment

    text = "\ufeff" + SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    expected = segment(text)
    for size in (1, 2, 7, 64, 1000, len(text)):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        assert list(iter_segment(pieces)) == expected, size


def test_iter_segment_yields_before_the_input_ends() -> None:
    from sqcorpus.text.streaming import iter_segment

    def pieces() -> Iterator[str]:
        yield "Titulli\n"
        raise AssertionError("read past the first paragraph before yielding it")

    assert next(iter(iter_segment(pieces()))).text == "Titulli"


# --- command line --------------------------------------------------------------------------------
def cli(*args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sqcorpus.cli", "segment", *args],
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def run(*args: str, data: bytes = b"") -> tuple[int, list[dict[str, Any]], str]:
    process = cli(*args)
    out, err = process.communicate(data, timeout=120)
    records = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    return process.returncode, records, err.decode("utf-8")


def test_file_with_crlf_keeps_its_offsets(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    status, records, err = run(str(path))
    assert status == 0, err
    assert len(records) == 28
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]
    status, from_stdin, _ = run(data=text.encode("utf-8"))
    assert from_stdin == records


@pytest.mark.parametrize("where", ["stdin", "file"])
def test_invalid_utf8_is_refused_with_its_byte_offset(where: str, tmp_path: Path) -> None:
    # The bad byte comes after more than one read block (64 KiB) of good text.
    good = "Në fillim.\n" + "Mbushje.\n" * 10_000 + "Pas "
    data = good.encode() + b"\xff" + b"fund.\n"
    if where == "file":
        path = tmp_path / "bad.txt"
        path.write_bytes(data)
        status, records, err = run(str(path))
        name = str(path)
    else:
        status, records, err = run(data=data)
        name = "<stdin>"
    assert status == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert name in err and f"byte {len(good.encode())}" in err and "UTF-8" in err
    texts = [r["text"] for r in records]
    if where == "file":
        assert texts == []  # checked whole before anything is written
    else:  # a pipe is refused where it goes bad: what came before may be out already
        assert texts == ["Në fillim.", *["Mbushje."] * (len(texts) - 1)]
        assert "Pas" not in texts


def _read_line_within(stream: Any, seconds: float) -> bytes:
    """One line from ``stream``, failing (not hanging) when none comes before the deadline."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        assert selector.select(timeout=seconds), "no output while stdin is still open"
    return stream.readline()


def test_output_starts_before_stdin_is_closed() -> None:
    process = cli()
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("Paragrafi i parë. Me dy fjali.\n".encode())
        process.stdin.flush()
        first = json.loads(_read_line_within(process.stdout, seconds=60))
        assert first["text"] == "Paragrafi i parë."
        process.stdin.write(b"I dyti.\n")
        process.stdin.close()
        rest = [json.loads(line) for line in process.stdout.read().splitlines()]
        assert [r["text"] for r in rest] == ["Me dy fjali.", "I dyti."]
        assert rest[-1]["start"] == len("Paragrafi i parë. Me dy fjali.\n")
    finally:
        process.kill()
        process.wait(timeout=60)


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(("Një fjali e shkurtër. " * 20 + "\n") * 4000, encoding="utf-8")
    reader, writer = os.pipe()
    process = cli(str(path), stdout=writer)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        assert json.loads(pipe.readline())["text"] == "Një fjali e shkurtër."
    # The reader is gone long before the writer is done: no traceback, no message.
    _, err = process.communicate(timeout=120)
    assert err.decode() == ""


@pytest.mark.parametrize("kind", ["directory", "missing"])
def test_unreadable_input_is_one_error_line(kind: str, tmp_path: Path) -> None:
    target = tmp_path if kind == "directory" else tmp_path / "missing.txt"
    status, records, err = run(str(target))
    assert status == 1 and records == []
    assert err.count("\n") == 1 and str(target) in err and "Traceback" not in err
