"""Every Python example in README.md runs from the checkout and prints what the README shows,
as doctests (the way conllu checks its README), so the docs cannot rot."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_examples_that_show_their_output() -> None:
    assert len(BLOCKS) >= 2
    assert all(block.startswith(">>> ") for block in BLOCKS)


def test_readme_examples_share_one_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks run in order in one namespace, as a reader would type them."""
    monkeypatch.chdir(ROOT)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    namespace: dict[str, object] = {"__name__": "readme_example"}
    for number, block in enumerate(BLOCKS):
        test = parser.get_doctest(block, namespace, f"README example {number}", "README.md", 0)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # a DocTest works on a copy: carry it to the next block
    summary = runner.summarize(verbose=False)
    assert summary.attempted > 10
    assert summary.failed == 0, "a README example printed something else (see above)"


def test_label_examples_are_in_the_release() -> None:
    """Every bold entity example in the README's label table is annotated so in the release."""
    from sqcorpus import schema
    from sqcorpus.release.loading import load_records

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- labels:begin -->")[1].split("<!-- labels:end -->")[0]
    rows = [r for split in load_records().values() for r in split]
    entities = {(e["text"], schema.ENTITY_LABELS[e["label"]]) for r in rows for e in r["entities"]}
    cues = {c["text"] for r in rows for c in r["hedge_cues"]}
    stances = {(r["text"], schema.STANCE_LABELS[r["stance"]]) for r in rows}
    checked = 0
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 4 or cells[0] not in {"entity", "hedge", "stance"}:
            continue
        label = cells[1].strip("`")
        for example in re.findall(r"\*\*(.+?)\*\*", cells[3]):
            if cells[0] == "entity":
                assert (example, label) in entities, (example, label)
            elif label == "cue":
                assert example in cues, example
            checked += 1
        if cells[0] == "stance" and "none in the latest release" not in cells[3]:
            sentence = cells[3].split(" (")[0]
            if sentence.endswith("."):
                assert (sentence, label) in stances, (sentence, label)
                checked += 1
        if "none in the latest release" in cells[3]:
            kind = "entities" if cells[0] == "entity" else "stance"
            assert manifest_count(kind, label) == 0, label
    assert checked >= 10


def manifest_count(kind: str, label: str) -> int:
    from sqcorpus.release.store import read_manifest, resolve_version

    return read_manifest(resolve_version(None))["counts"][kind][label]
