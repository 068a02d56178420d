"""sqcorpus: an annotated Albanian news corpus and the toolkit that builds it.

The public API is four functions; everything else lives in one subpackage a pipeline stage:
``text`` (raw documents, segmentation) → ``annotate`` (Label Studio, conversion to records) →
``release`` (validate, split, write, load) → ``publish`` (card, datasheet) → ``evaluation``.
Beneath them lie the foundation modules: ``schema``, ``models``, ``errors``, ``paths``,
``files``, ``generated`` and ``about``.

Each function imports its stage when called, so that ``import sqcorpus`` stays light (no
``datasets``, no scikit-learn) and ``segment`` never loads what ``load`` needs. The stage
subpackages are named so that none shadows a function here (no ``evaluate/`` or ``load.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasets import DatasetDict

    from .models import Sentence
    from .release.build import BuildSummary

__all__ = ["build", "evaluate", "load", "segment"]


def segment(text: str) -> list[Sentence]:
    """Split Albanian text into sentences and tokens with code-point offsets into ``text``."""
    from .text.segmentation import segment as _segment

    return _segment(text)


def build(version: str, **options: Any) -> BuildSummary:
    """Build, validate and write release ``version`` (see ``sqcorpus.release.build``)."""
    from .release.build import build_release

    return build_release(version, **options)


def load(
    config: str = "sentences", version: str | None = None, *, licence: str | None = None
) -> DatasetDict:
    """Load a released config as a ``datasets.DatasetDict``; ``version=None`` is the latest.

    ``licence="open"`` keeps only the openly licensed texts (the NTREX-128 slice, CC BY-SA 4.0).
    """
    from .release.loading import load as _load

    return _load(config, version=version, licence=licence)


def evaluate(
    config: str,
    predictions: Any,
    split: str = "test",
    version: str | None = None,
    *,
    releases_dir: Any = None,
) -> dict[str, Any]:
    """Score predictions against a released split with the field's standard metrics."""
    from .evaluation.score import evaluate as _evaluate

    return _evaluate(config, predictions, split=split, version=version, releases_dir=releases_dir)
