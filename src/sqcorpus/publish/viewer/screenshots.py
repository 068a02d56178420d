"""PNG screenshots of a written site (for the README), taken with headless Chromium.

The browser is Debian's ``chromium`` package, driven by Playwright's Python client; no
browser is ever downloaded (``playwright install`` is not used). ``$SQCORPUS_CHROMIUM``
names another executable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import SqcorpusError

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = (
    "--no-sandbox",  # running as root in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> Path:
    path = Path(os.environ.get("SQCORPUS_CHROMIUM", CHROMIUM))
    if not path.is_file():
        raise SqcorpusError(
            "Chromium not found; install Debian's package: apt-get install chromium", file=path
        )
    return path


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``), closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SqcorpusError(
            "the Python package playwright is needed: pip install -e '.[dev]'"
        ) from None
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=list(LAUNCH_ARGS), headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


def take_screenshots(site: Path, out: Path) -> list[Path]:
    """Screenshots of the index, the first document page and the first adjudication page."""
    documents = sorted((site / "doc").glob("*.html"))
    adjudications = sorted((site / "adjudication").glob("*.html"))
    # (file, page, element to scroll to, whole page?)
    shots: list[tuple[str, Path, str | None, bool]] = [
        ("index.png", site / "index.html", None, True)
    ]
    if documents:  # a sentence with a nested hedge scope shows every layer at once
        shots.append(("document.png", documents[0], "article:has(.scope.depth-1)", False))
    if adjudications:
        shots.append(("adjudication.png", adjudications[0], None, False))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with browser() as chromium:
        page = chromium.new_page(viewport=VIEWPORT, device_scale_factor=1)
        for name, path, focus, full in shots:
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("main", timeout=10_000)
            if focus and page.locator(focus).count():
                page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
            target = out / name
            page.screenshot(path=str(target), full_page=full, animations="disabled")
            written.append(target)
    return written
