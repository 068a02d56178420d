"""benchmarks/viewer.py's synthetic release is a valid release whose 2.0 fields the viewer
shows (no timing here: the timing lives in the benchmark)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from sqcorpus.publish.viewer import build_site

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "viewer.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("viewer_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_synthetic_release_with_2_0_fields_is_shown(bench: ModuleType, tmp_path: Path) -> None:
    releases = bench.synthetic_release(tmp_path / "releases", copies=2)
    site = build_site(tmp_path / "site", bench.VERSION, releases_dir=releases, annotations=[])
    assert (site.documents, site.sentences) == (2, 56)
    page = (site.path / "doc" / "synthetic-001.html").read_text(encoding="utf-8")
    assert page.count('<div class="en" lang="en">') == 14  # every other sentence of 28
    assert "(placeholder English segment for synthetic-001-s001)" in page
    assert "synthetic-outlet-1" in page
    index = (site.path / "index.html").read_text(encoding="utf-8")
    assert '<option value="synthetic-outlet-0">' in index
    assert (site.path / "plots" / "sentences-per-outlet.svg").is_file()
