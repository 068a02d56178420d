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
