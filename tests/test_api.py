"""The public API: four functions that stay functions whatever else is imported."""

from __future__ import annotations

import importlib

import sqcorpus


def test_public_functions_survive_importing_every_module() -> None:
    for module in (
        "text.corpus",
        "text.segmentation",
        "annotate.convert",
        "release.validate",
        "release.splits",
        "release.build",
        "release.loading",
        "evaluation.score",
        "evaluation.baselines",
        "annotate.agreement",
        "release.export",
    ):
        importlib.import_module(f"sqcorpus.{module}")
    for name in sqcorpus.__all__:
        assert callable(getattr(sqcorpus, name)), name
        assert getattr(sqcorpus, name).__module__ == "sqcorpus", name


def test_segment_is_the_segmenter() -> None:
    sentences = sqcorpus.segment("Dr. Rama erdhi. Ai foli.")
    assert [s.text for s in sentences] == ["Dr. Rama erdhi.", "Ai foli."]
