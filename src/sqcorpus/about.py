"""The project's facts, stated once: name, title, authors, homepage and rights.

Every generated file (dataset card, datasheet, CITATION.cff, Croissant) states these; they sit
at the foundation so that any stage can read them without importing another stage.
"""

from __future__ import annotations

from typing import Final

NAME: Final = "sqcorpus"
TITLE: Final = "sqcorpus: an annotated Albanian news corpus"
PRETTY_NAME: Final = "sqcorpus: Albanian news with entities, stance and hedging"
AUTHOR: Final = "sqcorpus maintainers"
"""The authors as one entity: the project's maintainers, who are not named individually."""
HOMEPAGE: Final[str | None] = None
"""Public URL of the dataset; none is known yet, so no file states one."""
KEYWORDS: Final[tuple[str, ...]] = (
    "Albanian",
    "named entity recognition",
    "stance detection",
    "hedge detection",
    "uncertainty",
    "news",
)

# --- rights: three parts, three owners ----------------------------------------------------
CODE_LICENSE: Final = "MIT"
ANNOTATIONS_LICENSE: Final = "CC-BY-4.0"
ANNOTATIONS_LICENSE_URL: Final = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENSE_URL: Final = "https://opensource.org/license/mit"
RIGHTS_SUMMARY: Final = (
    "Mixed rights. The annotations (entity, stance and hedge labels, splits, metadata) are by "
    "the sqcorpus maintainers under CC BY 4.0 (LICENSE-annotations). The code is under the MIT "
    "licence (LICENSE). The article text is under the copyright of its original publisher, "
    "who is unknown: the project claims no rights to it and grants no licence to it."
)

# --- rights from 2.0.0: the NTREX-128 slice is openly licensed, the seed is not ----------
SHARE_ALIKE_LICENSE: Final = "CC-BY-SA-4.0"
LICENSE_URLS: Final[dict[str, str]] = {
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-4.0": ANNOTATIONS_LICENSE_URL,
    "MIT": CODE_LICENSE_URL,
}
NTREX_RIGHTS: Final = (
    "The NTREX-128 slice (source ntrex-128): its Albanian text and English "
    "originals come from NTREX-128 (Federmann, Kocmi and Xin, 2022), whose English is the WMT "
    "2019 news test set (Barrault et al., 2019), under CC BY-SA 4.0; the sqcorpus annotations "
    "of it are shared under CC BY-SA 4.0 too. Cite NTREX-128 and WMT19 with sqcorpus."
)
SEED_RIGHTS: Final = (
    "The seed article (source seed): its text is under the copyright of its original "
    "publisher, who is unknown; the project claims no rights to it and grants no licence to "
    "it. Its annotations are by the sqcorpus maintainers under CC BY 4.0 (LICENSE-annotations)."
)
CODE_RIGHTS: Final = "The code is under the MIT licence (LICENSE)."


def rights_summary(sources: object) -> str:
    """The rights statement of a release holding ``sources`` (its records' ``source`` values).

    A 1.x release (the seed only, no ``source`` field) keeps the statement it was published
    with; a release with the NTREX-128 slice states each part's rights.
    """
    if not isinstance(sources, dict) or "ntrex-128" not in sources:
        return RIGHTS_SUMMARY
    return f"Mixed rights. {NTREX_RIGHTS} {SEED_RIGHTS} {CODE_RIGHTS}"
