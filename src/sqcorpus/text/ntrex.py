"""The NTREX-128 source adapter: Albanian news documents aligned with their English originals.

NTREX-128 (Federmann, Kocmi and Xin, 2022) translated the English WMT 2019 news test set into
128 languages. Its folder holds three line-aligned files — the Albanian references, the English
sources and the document ids ``<outlet>.<number>`` — beside the licence and the upstream commit.
Consecutive lines with the same id form one document; the first line is its headline.

The adapter only reads and checks: it turns the folder into
:class:`~sqcorpus.text.corpus.NewDocument` values, and the raw store decides what to write.
Every refusal names the file, the line or document, and the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any, Final

from ..errors import SqcorpusError
from .corpus import NewDocument

SOURCE_ID: Final = "ntrex-128"
SOURCE_NAME: Final = "NTREX-128"
ALBANIAN_FILE: Final = "newstest2019-ref.sqi.txt"
ENGLISH_FILE: Final = "newstest2019-src.eng.txt"
IDS_FILE: Final = "DOCUMENT_IDS.tsv"
LICENSE_FILE: Final = "LICENSE.md"
COMMIT_FILE: Final = "SOURCE_COMMIT.txt"

UPSTREAM_ID: Final = re.compile(r"(?P<outlet>[a-z0-9]+(?:[.-][a-z0-9]+)*)\.(?P<number>[0-9]{1,12})")
"""An NTREX document id ``<outlet>.<number>``: ``bbc.381790``, ``euronews-en.117981``,
``dailymail.co.uk.298595``. Anything else is refused, since it becomes a file name."""
_COMMIT: Final = re.compile(
    r"(?P<repository>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+) (?P<commit>[0-9a-f]{40})"
)

# The first line of each licence text this adapter recognises, and its SPDX id. A folder whose
# licence is not one of these is refused: the corpus never guesses the rights to a text.
KNOWN_LICENSES: Final[dict[str, str]] = {
    "Attribution-ShareAlike 4.0 International": "CC-BY-SA-4.0",
    "Attribution 4.0 International": "CC-BY-4.0",
}

ATTRIBUTION: Final = (
    "Albanian text from NTREX-128 (Federmann, Kocmi and Xin, 2022), a professional translation "
    "of the English WMT 2019 news test set (Barrault et al., 2019); licensed under CC BY-SA 4.0. "
    "Annotations of this text are shared under the same licence."
)
_ACL: Final = {"name": "Association for Computational Linguistics"}


def _people(names: str) -> list[dict[str, str]]:
    """CFF persons from "Given Family; Given Family" (the family name is the last word)."""
    people = []
    for name in names.split("; "):
        given, _, family = name.rpartition(" ")
        people.append({"family-names": family, "given-names": given})
    return people


_WMT19_AUTHORS: Final = (
    "Loïc Barrault; Ondřej Bojar; Marta R. Costa-jussà; Christian Federmann; Mark Fishel; "
    "Yvette Graham; Barry Haddow; Matthias Huck; Philipp Koehn; Shervin Malmasi; "
    "Christof Monz; Mathias Müller; Santanu Pal; Matt Post; Marcos Zampieri"
)
CITATIONS: Final[tuple[dict[str, Any], ...]] = (
    {
        "key": "federmann-etal-2022-ntrex",
        "text": (
            "Christian Federmann, Tom Kocmi and Ying Xin. 2022. NTREX-128 – News Test References "
            "for MT Evaluation of 128 Languages. In Proceedings of the First Workshop on Scaling "
            "Up Multilingual Evaluation (SUMEval), pages 21–24, Online. Association for "
            "Computational Linguistics."
        ),
        "apa": (
            "Federmann, C., Kocmi, T., & Xin, Y. (2022). NTREX-128 – News test references for "
            "MT evaluation of 128 languages. In Proceedings of the First Workshop on Scaling Up "
            "Multilingual Evaluation (pp. 21–24). Association for Computational Linguistics. "
            "https://aclanthology.org/2022.sumeval-1.4"
        ),
        "bibtex": (
            "@inproceedings{federmann-etal-2022-ntrex,\n"
            '  title = "{NTREX}-128 {--} News Test References for {MT} Evaluation of 128 '
            'Languages",\n'
            '  author = "Federmann, Christian and Kocmi, Tom and Xin, Ying",\n'
            '  booktitle = "Proceedings of the First Workshop on Scaling Up Multilingual '
            'Evaluation",\n'
            '  month = nov,\n  year = "2022",\n  address = "Online",\n'
            '  publisher = "Association for Computational Linguistics",\n'
            '  url = "https://aclanthology.org/2022.sumeval-1.4",\n'
            '  pages = "21--24",\n}'
        ),
        "cff": {
            "type": "conference-paper",
            "title": "NTREX-128 – News Test References for MT Evaluation of 128 Languages",
            "authors": _people("Christian Federmann; Tom Kocmi; Ying Xin"),
            "year": 2022,
            "collection-title": (
                "Proceedings of the First Workshop on Scaling Up Multilingual Evaluation"
            ),
            "start": 21,
            "end": 24,
            "publisher": _ACL,
            "url": "https://aclanthology.org/2022.sumeval-1.4",
        },
    },
    {
        "key": "barrault-etal-2019-findings",
        "text": (
            "Loïc Barrault, Ondřej Bojar, Marta R. Costa-jussà, Christian Federmann, Mark Fishel, "
            "Yvette Graham, Barry Haddow, Matthias Huck, Philipp Koehn, Shervin Malmasi, Christof "
            "Monz, Mathias Müller, Santanu Pal, Matt Post and Marcos Zampieri. 2019. Findings of "
            "the 2019 Conference on Machine Translation (WMT19). In Proceedings of the Fourth "
            "Conference on Machine Translation (Volume 2: Shared Task Papers, Day 1), pages 1–61, "
            "Florence, Italy. Association for Computational Linguistics."
        ),
        "apa": (
            "Barrault, L., Bojar, O., Costa-jussà, M. R., Federmann, C., Fishel, M., Graham, Y., "
            "Haddow, B., Huck, M., Koehn, P., Malmasi, S., Monz, C., Müller, M., Pal, S., Post, "
            "M., & Zampieri, M. (2019). Findings of the 2019 Conference on Machine Translation "
            "(WMT19). In Proceedings of the Fourth Conference on Machine Translation (Volume 2: "
            "Shared Task Papers, Day 1) (pp. 1–61). Association for Computational Linguistics. "
            "https://doi.org/10.18653/v1/W19-5301"
        ),
        "bibtex": (
            "@inproceedings{barrault-etal-2019-findings,\n"
            '  title = "Findings of the 2019 Conference on Machine Translation ({WMT}19)",\n'
            '  author = "Barrault, Lo{\\"\\i}c and Bojar, Ond{\\v{r}}ej and Costa-juss{\\`a}, '
            "Marta R. and Federmann, Christian and Fishel, Mark and Graham, Yvette and Haddow, "
            "Barry and Huck, Matthias and Koehn, Philipp and Malmasi, Shervin and Monz, Christof "
            'and M{\\"u}ller, Mathias and Pal, Santanu and Post, Matt and Zampieri, Marcos",\n'
            '  booktitle = "Proceedings of the Fourth Conference on Machine Translation (Volume 2: '
            'Shared Task Papers, Day 1)",\n'
            '  month = aug,\n  year = "2019",\n  address = "Florence, Italy",\n'
            '  publisher = "Association for Computational Linguistics",\n'
            '  url = "https://aclanthology.org/W19-5301",\n  doi = "10.18653/v1/W19-5301",\n'
            '  pages = "1--61",\n}'
        ),
        "cff": {
            "type": "conference-paper",
            "title": "Findings of the 2019 Conference on Machine Translation (WMT19)",
            "authors": _people(_WMT19_AUTHORS),
            "year": 2019,
            "collection-title": (
                "Proceedings of the Fourth Conference on Machine Translation "
                "(Volume 2: Shared Task Papers, Day 1)"
            ),
            "start": 1,
            "end": 61,
            "publisher": _ACL,
            "doi": "10.18653/v1/W19-5301",
            "url": "https://aclanthology.org/W19-5301",
        },
    },
)
"""The works a user of the NTREX-128 slice must cite: NTREX-128 itself and, for the English
originals, the WMT19 findings (as NTREX-128's README asks)."""


def doc_id_for(upstream_id: str) -> str:
    """The corpus doc_id of an NTREX document: ``rt.com.91337`` → ``ntrex-rt-com-91337``."""
    match = UPSTREAM_ID.fullmatch(upstream_id)
    if match is None:
        raise ValueError(upstream_id)
    return f"ntrex-{match['outlet'].replace('.', '-')}-{match['number']}"


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SqcorpusError("file is missing", file=path) from None
    except OSError as err:
        raise SqcorpusError(f"cannot read: {err.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SqcorpusError(f"not UTF-8 ({err.reason} at byte {err.start})", file=path) from None
    if not text.endswith("\n"):
        raise SqcorpusError("the last line has no line end (truncated file?)", file=path)
    lines = text[:-1].split("\n")
    # Upstream files end their lines with CRLF; the line end is not part of a segment.
    if all(line.endswith("\r") for line in lines):
        lines = [line[:-1] for line in lines]
    for number, line in enumerate(lines, start=1):
        if "\r" in line:
            raise SqcorpusError(
                "mixed or stray \\r line ends", file=f"{path}:{number}", field="lines"
            )
    return lines


def read_license(folder: Path) -> str:
    """The SPDX id of the folder's licence; refuse a missing or unrecognised one."""
    path = folder / LICENSE_FILE
    lines = _read_lines(path)
    first = lines[0].strip() if lines else ""
    spdx = KNOWN_LICENSES.get(first)
    if spdx is None:
        raise SqcorpusError(
            f"unknown licence {first[:60]!r}: the corpus only adds text whose licence it can "
            f"name (known: {', '.join(sorted(KNOWN_LICENSES.values()))})",
            file=path,
            field="license",
        )
    return spdx


def read_commit(folder: Path) -> tuple[str, str]:
    """``(owner/repository, 40-hex commit)`` from ``SOURCE_COMMIT.txt``."""
    path = folder / COMMIT_FILE
    lines = _read_lines(path)
    match = _COMMIT.fullmatch(lines[0].strip()) if len(lines) == 1 else None
    if match is None:
        raise SqcorpusError(
            "expected one line '<owner>/<repository> <40-hex commit>'", file=path, field="commit"
        )
    return match["repository"], match["commit"]


def _check_segment(text: str, path: Path, line: int, doc: str) -> None:
    where = {"file": f"{path}:{line}", "item": doc}
    if not text.strip():
        raise SqcorpusError("empty segment", **where, field="text")
    if text != text.strip():
        raise SqcorpusError("segment has leading or trailing whitespace", **where, field="text")
    if not unicodedata.is_normalized("NFC", text):
        raise SqcorpusError("segment is not Unicode NFC", **where, field="text")
    if any(c in text for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise SqcorpusError("segment holds a line or paragraph separator", **where, field="text")


def read_ntrex(folder: Path) -> list[NewDocument]:
    """Every Albanian document of an NTREX-128 folder, in file order, checked line by line."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SqcorpusError("not a folder", file=folder)
    spdx = read_license(folder)
    repository, commit = read_commit(folder)
    albanian = _read_lines(folder / ALBANIAN_FILE)
    english = _read_lines(folder / ENGLISH_FILE)
    ids = _read_lines(folder / IDS_FILE)
    counts = {ALBANIAN_FILE: len(albanian), ENGLISH_FILE: len(english), IDS_FILE: len(ids)}
    if len(set(counts.values())) != 1:
        shown = ", ".join(f"{name} {n}" for name, n in counts.items())
        raise SqcorpusError(
            f"line counts differ ({shown}): the files are not aligned",
            file=folder / ALBANIAN_FILE,
            field="lines",
        )

    documents: list[NewDocument] = []
    seen: dict[str, int] = {}
    line = 0
    for upstream_id, group in groupby(ids):
        size = len(list(group))
        first, line = line + 1, line + size
        if UPSTREAM_ID.fullmatch(upstream_id) is None:
            raise SqcorpusError(
                "document id must be '<outlet>.<number>' (lower-case ASCII); it names files",
                file=f"{folder / IDS_FILE}:{first}",
                item=upstream_id[:80],
                field="doc_id",
            )
        if upstream_id in seen:
            raise SqcorpusError(
                f"duplicate document id: its lines are not consecutive (first at line "
                f"{seen[upstream_id]})",
                file=f"{folder / IDS_FILE}:{first}",
                item=upstream_id,
                field="doc_id",
            )
        seen[upstream_id] = first
        doc_id = doc_id_for(upstream_id)
        segments = albanian[first - 1 : line]
        sources = english[first - 1 : line]
        for offset, (sq, en) in enumerate(zip(segments, sources, strict=True)):
            _check_segment(sq, folder / ALBANIAN_FILE, first + offset, doc_id)
            _check_segment(en, folder / ENGLISH_FILE, first + offset, doc_id)
        documents.append(
            NewDocument(
                doc_id=doc_id,
                segments=tuple(segments),
                original=tuple(sources),
                metadata=_metadata(
                    doc_id, upstream_id, segments, sources, (first, line), spdx, repository, commit
                ),
            )
        )
    return documents


def _metadata(
    doc_id: str,
    upstream_id: str,
    segments: Sequence[str],
    english: Sequence[str],
    lines: tuple[int, int],
    spdx: str,
    repository: str,
    commit: str,
) -> dict[str, Any]:
    outlet = upstream_id.rsplit(".", 1)[0]
    return {
        "doc_id": doc_id,
        "language": "sq",
        "title": segments[0],
        "title_note": "The document's first segment, its headline.",
        "title_en": english[0],
        "genre": "news",
        "outlet": outlet,
        "outlet_note": "Taken from the NTREX document id; the outlet of the English original.",
        "publication_date": "unknown",
        "publisher": "unknown",
        "url": "unknown",
        "author": "unknown",
        "translated_from": "en",
        "translation_note": (
            "A professional human translation made for NTREX-128 from the English WMT 2019 "
            "news test set; one Albanian segment per English segment."
        ),
        "segmentation": "source-segments",
        "segments": len(segments),
        "source": {
            "id": SOURCE_ID,
            "name": SOURCE_NAME,
            "repository": repository,
            "commit": commit,
            "upstream_doc_id": upstream_id,
            "files": {"sq": ALBANIAN_FILE, "en": ENGLISH_FILE, "doc_ids": IDS_FILE},
            "lines": list(lines),
        },
        "rights": {
            "text": ATTRIBUTION,
            "text_license": spdx,
            "annotations_license": spdx,
            "attribution": ATTRIBUTION,
        },
        "citations": [citation["text"] for citation in CITATIONS],
    }
