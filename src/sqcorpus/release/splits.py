"""Frozen train/validation/test assignment by document, kept in the repo (``corpus/splits.json``).

Every sentence of a document is in its document's split, and once a document has a split it
never moves. News repeats itself across outlets (two agencies' reports of one referendum), so
documents that share a near-duplicate sentence form a group and share a split: otherwise the
same statement could sit in train and in test.

New groups are dealt in a hash order that does not depend on the order of documents, each to
the split furthest below its target share of *segments*, first within the group's outlet, then
overall. That keeps every outlet's documents spread over the splits in the target proportions,
as far as whole documents allow.

Near-duplicates are found exactly, without comparing every pair of sentences: two sets with a
Jaccard overlap of at least *t* must share one of the rarest ``|s| - ceil(t·|s|) + 1`` elements
of each (the prefix filter of Bayardo, Ma and Srikant's All-Pairs), so only sentences sharing a
rare stem are compared.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .. import schema
from ..errors import SqcorpusError
from ..files import json_text, read_json, write_atomic
from ..text.corpus import Document, document_sentences

TARGET_SHARES: Final[dict[str, float]] = {"train": 0.6, "validation": 0.2, "test": 0.2}
"""Target shares of segments for new documents."""

NEAR_DUPLICATE_THRESHOLD: Final = 0.5
"""Jaccard overlap of word stems at or above which two sentences are near-duplicates. On the
seed article the most similar pair of different statements scores 0.38."""
MIN_STEMS: Final = 4
"""Sentences with fewer stems are never near-duplicates: "Ja çfarë ndodhi." (Here is what
happened) and "Ëë, çfarë?" share half their stems and nothing else."""

_WORD: Final = re.compile(r"\w+")
STEM_LENGTH: Final = 5
"""Albanian inflects by suffix (Rusia, Rusisë; Koreja, Koresë): a word's first five letters
stand in for its stem."""

SPLIT_FILE_FORMAT: Final = 2


def stems(text: str) -> frozenset[str]:
    """Stems of the words of four letters or more (drops function words and articles)."""
    return frozenset(
        w[:STEM_LENGTH] for w in _WORD.findall(text.lower()) if len(w) >= 4 and not w.isdigit()
    )


@dataclass(frozen=True, slots=True)
class SplitUnit:
    """What the split assignment needs to know of a document."""

    doc_id: str
    outlet: str | None
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SplitFile:
    """The content of ``corpus/splits.json``: a split per document, and why."""

    documents: dict[str, str] = field(default_factory=dict)
    groups: tuple[dict[str, Any], ...] = ()
    decisions: tuple[dict[str, Any], ...] = ()

    def split_of(self, doc_id: str) -> str:
        return self.documents[doc_id]

    def to_json(self) -> str:
        content: dict[str, Any] = {
            "format": SPLIT_FILE_FORMAT,
            "description": (
                "Frozen split of every document: all sentences of a document share its split, "
                "and a document never moves. `sqcorpus add` assigns new documents; documents "
                "with a near-duplicate sentence share a split (`groups`)."
            ),
            "target_shares": TARGET_SHARES,
            "near_duplicate_threshold": NEAR_DUPLICATE_THRESHOLD,
            "decisions": list(self.decisions),
            "groups": list(self.groups),
            "documents": dict(sorted(self.documents.items())),
        }
        return json_text(content)


def read_split_file(path: Path) -> SplitFile:
    """The frozen assignment (empty when the file does not exist)."""
    if not path.exists():
        return SplitFile()
    content = read_json(path, what="split file")
    if not isinstance(content, dict) or content.get("format") != SPLIT_FILE_FORMAT:
        raise SqcorpusError(
            f"not a split file of format {SPLIT_FILE_FORMAT}", file=path, field="format"
        )
    documents = content.get("documents")
    if not isinstance(documents, dict):
        raise SqcorpusError("expected an object of doc_id: split", file=path, field="documents")
    for doc_id, split in documents.items():
        if split not in schema.SPLITS:
            raise SqcorpusError(
                f"unknown split {split!r}", file=path, item=doc_id, field="documents"
            )
    groups = content.get("groups", [])
    decisions = content.get("decisions", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, dict) and isinstance(g.get("doc_ids"), list) for g in groups
    ):
        raise SqcorpusError(
            "each group is an object with a list of 'doc_ids'", file=path, field="groups"
        )
    if not isinstance(decisions, list):
        raise SqcorpusError("expected a list", file=path, field="decisions")
    for position, group in enumerate(groups):
        splits = {documents[d] for d in group["doc_ids"] if d in documents}
        if len(splits) > 1:
            raise SqcorpusError(
                f"the group's documents are in different splits ({', '.join(sorted(splits))})",
                file=path,
                field=f"groups[{position}]",
            )
    return SplitFile(documents=dict(documents), groups=tuple(groups), decisions=tuple(decisions))


def near_duplicate_pairs(
    texts: Sequence[str], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of texts whose stem sets overlap at ``threshold``+."""
    sets = [stems(t) for t in texts]
    frequency = Counter(stem for s in sets for stem in s)
    ordered = [sorted(s, key=lambda stem: (frequency[stem], stem)) for s in sets]
    index: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[int, int]] = []
    for j, tokens in enumerate(ordered):
        if len(tokens) < MIN_STEMS:
            continue
        prefix = tokens[: len(tokens) - math.ceil(threshold * len(tokens)) + 1]
        candidates = {i for stem in prefix for i in index[stem]}
        for i in sorted(candidates):
            union = len(sets[i] | sets[j])
            if len(sets[i] & sets[j]) >= threshold * union:
                found.append((i, j))
        for stem in prefix:
            index[stem].append(j)
    return found


def document_groups(
    units: Sequence[SplitUnit], hand_made: Sequence[Mapping[str, Any]] = ()
) -> list[list[SplitUnit]]:
    """Documents joined by a near-duplicate sentence or a hand-made group (union-find)."""
    parent = list(range(len(units)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    position = {unit.doc_id: i for i, unit in enumerate(units)}
    for group in hand_made:
        members = [position[d] for d in group["doc_ids"] if d in position]
        for member in members[1:]:
            parent[root(member)] = root(members[0])
    owner = [i for i, unit in enumerate(units) for _ in unit.sentences]
    texts = [sentence for unit in units for sentence in unit.sentences]
    for i, j in near_duplicate_pairs(texts):
        parent[root(owner[j])] = root(owner[i])
    components: dict[int, list[SplitUnit]] = defaultdict(list)
    for i, unit in enumerate(units):
        components[root(i)].append(unit)
    return list(components.values())


def _hash_key(group: Iterable[SplitUnit]) -> str:
    return hashlib.sha256(min(u.doc_id for u in group).encode()).hexdigest()


def assign_documents(units: Sequence[SplitUnit], frozen: SplitFile) -> SplitFile:
    """Extend the frozen assignment to every document; assigned documents keep their split.

    ``groups`` in the result are the hand-made groups of ``frozen`` (those with a ``reason``
    written by a maintainer) plus every near-duplicate group found now, recomputed each time.
    """
    documents = dict(frozen.documents)
    size = {u.doc_id: len(u.sentences) for u in units}
    overall: Counter[str] = Counter()
    by_outlet: dict[str | None, Counter[str]] = defaultdict(Counter)

    def place(unit: SplitUnit, split: str) -> None:
        overall[split] += size[unit.doc_id]
        by_outlet[unit.outlet][split] += size[unit.doc_id]

    for unit in units:
        if unit.doc_id in documents:
            place(unit, documents[unit.doc_id])
    hand_made = [g for g in frozen.groups if g.get("reason") != AUTOMATIC]
    found: list[dict[str, Any]] = []
    # Largest groups first (whole documents pack closer to the targets that way), then in
    # hash order: the result does not depend on the order of the documents.
    groups = sorted(
        document_groups(units, hand_made),
        key=lambda g: (-sum(size[u.doc_id] for u in g), _hash_key(g)),
    )
    for group in groups:
        if len(group) > 1:
            found.append({"doc_ids": sorted(u.doc_id for u in group), "reason": AUTOMATIC})
        new = [u for u in group if u.doc_id not in documents]
        if not new:
            continue
        already = sorted({documents[u.doc_id] for u in group if u.doc_id in documents})
        # Documents assigned before their group formed stay; newcomers join the first.
        target = already[0] if already else _furthest_below_target(new, size, overall, by_outlet)
        for unit in new:
            documents[unit.doc_id] = target
            place(unit, target)
    return SplitFile(documents=documents, groups=(*hand_made, *found), decisions=frozen.decisions)


AUTOMATIC: Final = "automatic: a near-duplicate sentence (stem overlap)"


def _furthest_below_target(
    new: Sequence[SplitUnit],
    size: Mapping[str, int],
    overall: Counter[str],
    by_outlet: Mapping[str | None, Counter[str]],
) -> str:
    """The split with the largest deficit of segments in the group's outlet, then overall."""
    outlet = Counter(u.outlet for u in new).most_common(1)[0][0]
    added = sum(size[u.doc_id] for u in new)
    local = by_outlet.get(outlet, Counter())
    local_total = sum(local.values()) + added
    total = sum(overall.values()) + added

    def deficit(split: str) -> tuple[float, float]:
        return (
            TARGET_SHARES[split] * local_total - local[split],
            TARGET_SHARES[split] * total - overall[split],
        )

    return max(schema.SPLITS, key=deficit)


def shares(units: Sequence[SplitUnit], assignment: Mapping[str, str]) -> dict[str, float]:
    """The share of segments per split."""
    counts = Counter({split: 0 for split in schema.SPLITS})
    for unit in units:
        counts[assignment[unit.doc_id]] += len(unit.sentences)
    total = sum(counts.values()) or 1
    return {split: counts[split] / total for split in schema.SPLITS}


def split_units(documents: Sequence[Document]) -> list[SplitUnit]:
    """The split units of the raw store's documents (their records' texts)."""
    return [
        SplitUnit(d.doc_id, d.outlet, tuple(s.text for s in document_sentences(d)))
        for d in documents
    ]


def assign_split_file(documents: Sequence[Document], path: Path) -> tuple[SplitFile, list[str]]:
    """Give every unassigned document a split and write the file; return it and the new ids.

    Assigned documents never move. The file is written only when something was added.
    """
    frozen = read_split_file(path)
    result = assign_documents(split_units(documents), frozen)
    added = sorted(set(result.documents) - set(frozen.documents))
    if added:
        write_atomic(path, result.to_json())
    return result, added
