"""The viewer's site (``sqcorpus view``) without a browser: markup, page data, files, refusals.

The browser tests (test_viewer_browser.py) check what a reader sees; these check the HTML,
the offline guarantee and the bad-input paths.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sqcorpus import schema
from sqcorpus.annotate.agreement import disagreements, read_codings
from sqcorpus.cli import main
from sqcorpus.publish.viewer import build_site
from sqcorpus.publish.viewer.markup import sentence_markup
from sqcorpus.publish.viewer.model import Mark, sentence_view
from sqcorpus.publish.viewer.plots import figures
from sqcorpus.publish.viewer.render import LICENCE_LINKS
from sqcorpus.publish.viewer.site import MARKER
from sqcorpus.release.loading import load_records

REAL = "1.0.1"


class _Spans(HTMLParser):
    """Text inside each ``data-mark`` element, by mark id (pieces of a split span joined)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}
        self.classes: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        mark = found.get("data-mark")
        self.stack.append(mark)
        if mark:
            self.text.setdefault(mark, "")
            self.classes.setdefault(mark, set()).update((found.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for mark in self.stack:
            if mark:
                self.text[mark] += data


def _spans(html: str) -> _Spans:
    parser = _Spans()
    parser.feed(html)
    return parser


# --- markup ---------------------------------------------------------------------------------


def test_nested_scopes_and_a_crossing_entity_keep_every_span_whole() -> None:
    text = "Sipas <Tass> ai mund të ketë thënë se Rusia fiton"
    end = len(text)
    mund = text.index("mund")
    outer = Mark(text.index("ai"), end, "scope")
    inner = Mark(mund, end, "scope")
    entity = Mark(text.index("ai"), mund + 4, "entity", "PER")  # crosses the inner scope's start
    cue = Mark(mund, mund + 7, "cue")
    html = sentence_markup(text, [outer, inner, entity, cue], prefix="t")
    spans = _spans(html)
    for n, mark in enumerate([outer, inner, entity, cue]):
        assert spans.text[f"t{n}"] == text[mark.start : mark.end]
    assert {"depth-0", "first", "last"} <= spans.classes["t0"]
    assert {"depth-1", "first", "last"} <= spans.classes["t1"]
    assert {"entity", "ent-PER", "first", "last"} <= spans.classes["t2"]
    assert html.count('data-mark="t2"') == 2  # split where it crosses the inner scope
    assert "&lt;Tass&gt;" in html and "<Tass>" not in html


def test_corpus_text_is_escaped_everywhere() -> None:
    row = {
        "id": "x-s001",
        "doc_id": "x",
        "text": '<script>alert("x")</script>',
        "entities": [{"start": 0, "end": 8, "text": "<script>", "label": 0}],
        "stance": -1,
        "stance_holder": -1,
        "uncertain": -1,
        "text_en": "<img src=x onerror=alert(1)>",
    }
    from sqcorpus.publish.viewer.render import sentence_block

    html = sentence_block(sentence_view(row, "train"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_missing_labels_and_new_fields_are_shown_as_they_are() -> None:
    bare = sentence_view({"id": "a", "doc_id": "d", "text": "t", "stance": -1}, "test")
    assert (bare.stance, bare.holder, bare.uncertain) == ("not annotated",) * 3
    assert bare.target is None
    assert (bare.license, bare.outlet, bare.source, bare.text_en) == (
        "unknown",
        "unknown",
        "unknown",
        None,
    )
    full = sentence_view(
        {
            "id": "b",
            "doc_id": "d",
            "text": "t",
            "stance": 1,
            "stance_holder": 0,
            "uncertain": 1,
            "stance_target": "the treaty",
            "text_en": "the English source",
            "text_license": "CC-BY-SA-4.0",
            "source": "ntrex-128",
            "outlet": "bbc",
        },
        "validation",
    )
    assert (full.stance, full.holder, full.uncertain, full.target) == (
        "against",
        "author",
        "uncertain",
        "the treaty",
    )
    assert (full.license, full.source, full.outlet, full.text_en) == (
        "CC-BY-SA-4.0",
        "ntrex-128",
        "bbc",
        "the English source",
    )


# --- the site of the real release ------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "site"
    build_site(out, REAL, annotations=[])
    return out


def test_a_document_page_highlights_every_entity_of_the_release(real_site: Path) -> None:
    records = load_records(REAL)
    for doc_id in {r["doc_id"] for rows in records.values() for r in rows}:
        html = (real_site / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
        spans = _spans(html)
        shown = {m: t for m, t in spans.text.items() if "entity" in spans.classes[m]}
        expected = [
            e["text"]
            for rows in records.values()
            for r in rows
            if r["doc_id"] == doc_id
            for e in r["entities"]
        ]
        assert sorted(shown.values()) == sorted(expected)
        articles = html.count('<article class="sentence"')
        assert articles == sum(r["doc_id"] == doc_id for rows in records.values() for r in rows)


def test_each_sentence_shows_its_split_from_the_file_it_came_from(real_site: Path) -> None:
    html = next((real_site / "doc").glob("*.html")).read_text(encoding="utf-8")
    shown = dict(re.findall(r'<article class="sentence" id="([^"]+)" data-split="([^"]+)"', html))
    expected = {r["id"]: split for split, rows in load_records(REAL).items() for r in rows}
    assert shown == expected


_ASSET = re.compile(
    r"""(?:\bsrc|xlink:href|\bhref)\s*=\s*["']([^"']*)["']|url\(\s*['"]?([^)'"]*)"""
)


def test_the_site_fetches_nothing_from_the_network(real_site: Path) -> None:
    """No asset (script, style, image, font) comes from outside the site; the only absolute
    links are licence pages that a reader may click, in plain <a href>."""
    for path in real_site.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert "@import" not in text and "@font-face" not in text, path
        assert not re.search(r"\bfetch\(|XMLHttpRequest|\bimport\(", text), path
        for match in _ASSET.finditer(text):
            target = match.group(1) or match.group(2) or ""
            if re.match(r"(?i)\s*(https?:)?//", target):
                tag = text[text.rfind("<", 0, match.start()) : match.start()]
                assert tag.startswith("<a "), f"{path}: asset from {target}"
                assert target in LICENCE_LINKS.values(), f"{path}: link to {target}"
    # every relative link and asset points at a file of the site
    for page in real_site.rglob("*.html"):
        for match in re.finditer(r'(?:src|href)="([^"#:]+)(?:#[^"]*)?"', page.read_text()):
            assert (page.parent / match.group(1)).resolve().is_file(), (page, match.group(1))


# --- adjudication -----------------------------------------------------------------------------


def test_the_adjudication_page_lists_every_disagreement_of_a_document(
    tmp_path: Path, releases: Path
) -> None:
    from fixtures.small_release import DOC, EXPORT, VERSION

    site = build_site(tmp_path / "site", VERSION, releases_dir=releases, annotations=[EXPORT])
    html = (site.path / "adjudication" / f"{DOC}.html").read_text(encoding="utf-8")
    tasks = [t for t in read_codings([EXPORT]) if len(t.annotations) >= 2]
    assert site.adjudicated_sentences == len(tasks) == 2
    expected = sum(len(disagreements(t)) for t in tasks)
    assert expected > 0
    assert html.count('<li class="difference">') == expected
    assert f"<strong id='disagreement-total'>{expected}</strong>" in html
    for task in tasks:
        assert f'id="{task.sid}"' in html
    # "Shteteve" (annotator-02) against "Shteteve të Bashkuara" (annotator-01): both outlined
    spans = _spans(html)
    disputed = {t for m, t in spans.text.items() if "disputed" in spans.classes[m]}
    assert {"Shteteve", "Shteteve të Bashkuara", "Tass", "mund"} <= disputed
    doc = (site.path / "doc" / f"{DOC}.html").read_text(encoding="utf-8")
    assert doc.count('class="adj-link"') == 2


# --- plots ------------------------------------------------------------------------------------


def test_plots_are_byte_identical_from_run_to_run(real_site: Path) -> None:
    from sqcorpus.publish.viewer.model import Statistics

    stats = Statistics({"train": {"PER": 2}, "test": {"GPE": 1}}, {"d": 3}, {"bbc": 3}, [3, 5])
    first, second = figures(stats, None), figures(stats, None)
    assert first == second
    assert set(first) == {
        "labels-per-split.svg",
        "sentences-per-document.svg",
        "sentence-lengths.svg",
        "sentences-per-outlet.svg",
    }
    assert "Date" not in first["labels-per-split.svg"]
    assert sorted(p.name for p in (real_site / "plots").iterdir()) == [
        "labels-per-split.svg",
        "sentence-lengths.svg",
        "sentences-per-document.svg",
    ]


# --- the command and bad input ---------------------------------------------------------------


def test_view_writes_the_latest_release_and_rewrites_its_own_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["view", "--out", str(out)]) == 0
    assert "release" in capsys.readouterr().out
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    (out / "stale.html").write_text("old")
    assert main(["view", "--out", str(out), "--version", REAL]) == 0
    assert not (out / "stale.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["view", *argv]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_out_inside_the_releases_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from sqcorpus import paths

    target = paths.build_dir() / REAL / "site"
    err = _refused(["--out", str(target)], capsys)
    assert "corpus/releases" in err and "--out" in err
    assert not target.exists()


def test_an_unknown_version_is_refused_and_the_old_site_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["view", "--out", str(out)]) == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    capsys.readouterr()
    err = _refused(["--out", str(out), "--version", "9.9.9"], capsys)
    assert "9.9.9" in err and "not found" in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_an_unwritable_folder_is_refused_with_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Root ignores permission bits, so the folder is unwritable by being under a file.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    err = _refused(["--out", str(blocker / "site")], capsys)
    assert "cannot write" in err and str(blocker) in err
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


def test_a_folder_that_is_not_a_site_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    err = _refused(["--out", str(tmp_path)], capsys)
    assert "not written by `sqcorpus view`" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_schema_labels_all_have_a_colour() -> None:
    css = (Path(__file__).parents[1] / "src/sqcorpus/publish/viewer/static/viewer.css").read_text()
    for label in schema.ENTITY_LABELS:
        assert f".ent-{label} " in css


# --- the datasheet's figures ------------------------------------------------------------------


def test_datasheet_figures_are_written_then_checked_byte_for_byte(tmp_path: Path) -> None:
    from sqcorpus.publish.viewer.figures import release_figures, update_figures
    from sqcorpus.release.store import open_release

    svgs = release_figures(open_release(REAL))
    assert update_figures(svgs, tmp_path).changed
    assert not update_figures(svgs, tmp_path, check=True).changed
    drawn = tmp_path / "sentence-lengths.svg"
    drawn.write_text(drawn.read_text(encoding="utf-8").replace("#4e79a7", "#000000"))
    result = update_figures(svgs, tmp_path, check=True)
    assert result.changed and f"{drawn}: out of date" == result.difference
    (tmp_path / "old.svg").write_text("<svg/>")
    update_figures(svgs, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(svgs)
    assert not update_figures(svgs, tmp_path, check=True).changed


def test_the_site_is_served_on_localhost_only(real_site: Path) -> None:
    import threading
    import urllib.request

    from sqcorpus.publish.viewer.site import make_server

    with make_server(real_site) as server:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1" and port > 0
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as r:
                served = r.read()
        finally:
            server.shutdown()
            thread.join(timeout=10)
    assert served == (real_site / "index.html").read_bytes()
