"""The corpus viewer: a static, offline HTML site of a release (``sqcorpus view``).

``model`` turns release rows into what is shown, ``markup`` draws spans over a sentence,
``adjudication`` arranges doubly annotated sentences, ``plots`` draws the figures (also for
DATASHEET.md), ``render`` writes the HTML and ``site`` writes and serves the whole site.
"""

from __future__ import annotations

from .site import Site, build_site, serve

__all__ = ["Site", "build_site", "serve"]
