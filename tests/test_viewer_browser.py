"""The viewer in a real browser: Debian's headless Chromium driven by Playwright.

No browser is downloaded: ``/usr/bin/chromium`` (Debian's ``chromium`` package) is launched
by the Playwright client (``sqcorpus.publish.viewer.screenshots.browser``). Pages are opened
from the file system, as a reader of an offline site would. Without Chromium or Playwright the tests
are skipped on a developer's machine but fail in CI (``$CI`` set), where ./run.sh test
installs both. Readiness is awaited with selectors and deadlines, never with sleeps.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sqcorpus.annotate.agreement import disagreements, read_codings
from sqcorpus.publish.viewer import build_site
from sqcorpus.release.loading import load_records

REAL = "1.0.1"
DEADLINE_MS = 15_000


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from sqcorpus.errors import SqcorpusError
    from sqcorpus.publish.viewer.screenshots import browser

    try:
        with browser() as launched:
            yield launched
    except SqcorpusError as err:
        if os.environ.get("CI"):
            pytest.fail(str(err))
        pytest.skip(str(err))


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(DEADLINE_MS)
    # An offline site asks for nothing outside the file system.
    remote: list[str] = []
    opened.on("request", lambda r: remote.append(r.url) if not r.url.startswith("file:") else None)
    yield opened
    context.close()
    assert remote == []


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    return build_site(out, REAL, annotations=[]).path


def _open(page: Any, path: Path) -> None:
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector("main")


def test_the_index_loads_with_counts_plots_and_documents(page: Any, real_site: Path) -> None:
    _open(page, real_site / "index.html")
    page.wait_for_selector("body[data-ready=yes]")
    assert page.title() == f"sqcorpus {REAL}"
    records = load_records(REAL)
    documents = {r["doc_id"] for rows in records.values() for r in rows}
    assert page.locator("#documents tbody tr").count() == len(documents)
    total = sum(len(rows) for rows in records.values())
    assert page.locator("#result-count").inner_text().startswith(f"{total} sentences")
    plots = page.locator("section.plots img")
    assert plots.count() == 3
    for n in range(plots.count()):  # every plot decoded (a broken image has no width)
        assert plots.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")


def test_a_document_page_highlights_as_many_entities_as_the_release_has(
    page: Any, real_site: Path
) -> None:
    records = load_records(REAL)
    for doc_id in sorted({r["doc_id"] for rows in records.values() for r in rows}):
        _open(page, real_site / "doc" / f"{doc_id}.html")
        shown = page.evaluate(
            "() => new Set([...document.querySelectorAll('.entity[data-mark]')]"
            ".map(e => e.dataset.mark)).size"
        )
        expected = sum(
            len(r["entities"]) for rows in records.values() for r in rows if r["doc_id"] == doc_id
        )
        assert shown == expected > 0
        # highlighted: an entity has a background colour, unlike plain text
        colour = page.locator(".entity[data-mark]").first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def _listed(page: Any) -> list[str]:
    return page.locator("#results li").evaluate_all("items => items.map(i => i.dataset.sid)")


def test_a_filter_narrows_the_list_to_exactly_the_matching_sentences(
    page: Any, real_site: Path
) -> None:
    records = load_records(REAL)
    _open(page, real_site / "index.html")
    page.wait_for_selector("body[data-ready=yes]")
    assert _listed(page) == []  # nothing chosen yet

    page.select_option("#filter-split", "validation")
    page.wait_for_selector("body[data-filtered=yes]")
    assert _listed(page) == sorted(r["id"] for r in records["validation"])

    page.select_option("#filter-uncertain", "uncertain")
    expected = sorted(r["id"] for r in records["validation"] if r["uncertain"] == 1)
    page.wait_for_function(
        "n => document.querySelectorAll('#results li').length === n", arg=len(expected)
    )
    assert _listed(page) == expected

    page.select_option("#filter-split", "")
    page.select_option("#filter-uncertain", "")
    page.select_option("#filter-label", "PRODUCT")
    expected = sorted(
        r["id"]
        for rows in records.values()
        for r in rows
        if any(e["label"] == 6 for e in r["entities"])  # 6 = PRODUCT
    )
    page.wait_for_function(
        "n => document.querySelectorAll('#results li').length === n", arg=len(expected)
    )
    assert _listed(page) == expected and expected

    page.select_option("#filter-label", "")
    page.fill("#filter-text", "Aurus")
    expected = sorted(r["id"] for rows in records.values() for r in rows if "Aurus" in r["text"])
    page.wait_for_function(
        "n => document.querySelectorAll('#results li').length === n", arg=len(expected)
    )
    assert _listed(page) == expected and expected


def test_a_sentence_with_nested_scopes_renders_both(page: Any, real_site: Path) -> None:
    records = load_records(REAL)
    nested = next(
        r
        for rows in records.values()
        for r in rows
        if any(
            a is not b and a["start"] <= b["start"] and b["end"] <= a["end"]
            for a in r["hedge_scopes"]
            for b in r["hedge_scopes"]
        )
    )
    _open(page, real_site / "doc" / f"{nested['doc_id']}.html")
    article = page.locator(f"article[id='{nested['id']}']")
    shown = article.locator(".scope[data-mark]").evaluate_all(
        """pieces => {
            const scopes = {};
            for (const p of pieces) {
                const s = scopes[p.dataset.mark] ||=
                    {text: "", depth: p.dataset.depth, colours: []};
                s.text += p.textContent;
                s.colours.push(getComputedStyle(p).borderBottomColor);
                const box = p.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) s.hidden = true;
            }
            return Object.values(scopes);
        }"""
    )
    assert sorted(s["text"] for s in shown) == sorted(s["text"] for s in nested["hedge_scopes"])
    assert not any(s.get("hidden") for s in shown)
    assert {s["depth"] for s in shown} >= {"0", "1"}
    outer = next(s for s in shown if s["depth"] == "0")
    inner = next(s for s in shown if s["depth"] == "1")
    assert set(outer["colours"]).isdisjoint(inner["colours"])  # told apart at a glance


def test_the_adjudication_view_shows_the_fixture_disagreements(
    page: Any, tmp_path: Path, releases: Path
) -> None:
    from fixtures.small_release import DOC, EXPORT, VERSION

    site = build_site(tmp_path / "site", VERSION, releases_dir=releases, annotations=[EXPORT])
    tasks = [t for t in read_codings([EXPORT]) if len(t.annotations) >= 2]
    _open(page, site.path / "adjudication.html")
    page.click(f"a[href='adjudication/{DOC}.html']")
    page.wait_for_selector("article.adjudication")
    for task in tasks:
        article = page.locator(f"article[id='{task.sid}']")
        rows = article.locator("table.coders tbody tr")
        assert rows.count() == len(task.annotations) + 1  # each annotator and the adjudicated
        assert article.locator("li.difference").count() == len(disagreements(task))
        assert article.locator("tr.gold").count() == 1
    s006 = page.locator("article[id$='-s006']")
    # stance differs: the stance cell of every row is marked
    assert s006.locator("td.disputed").count() >= 3
    colour = s006.locator(".entity.disputed").first.evaluate(
        "e => getComputedStyle(e).outlineColor"
    )
    assert colour == "rgb(224, 0, 27)"
