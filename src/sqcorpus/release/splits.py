"""Frozen train/validation/test assignment, kept in the repo (``corpus/splits.json``).

Once a sentence id has a split it never moves. News articles repeat themselves, and a
repeated statement in train and test would leak, so near-duplicates share a split:
sentences whose word stems overlap heavily are grouped automatically, and paraphrases that
no surface measure can find are grouped by hand in the file's ``groups`` (a maintainer's
judgement, each group with its reason). New sentences join the split of an assigned
member of their group; new groups are dealt to the split furthest below its target share,
in a hash order that does not depend on the order of documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import SqcorpusError
from ..files import json_text, read_json
from ..text.corpus import CorpusSentence

TARGET_SHARES: dict[str, float] = {"train": 0.6, "validation": 0.2, "test": 0.2}
"""Shares for new sentences; a small corpus needs a test split large enough to report on."""

NEAR_DUPLICATE_THRESHOLD = 0.5
"""Automatic grouping: Jaccard overlap of word stems at or above this. On the seed article
the most similar pair of different statements scores 0.38, so only real repeats (the same
sentence reused, lightly edited) reach it; paraphrases are grouped by hand."""

_WORD = re.compile(r"\w+")
STEM_LENGTH = 5
"""Albanian inflects by suffix (Rusia, Rusisë; Koreja, Koresë): a word's first five letters
stand in for its stem."""


def stems(text: str) -> frozenset[str]:
    """Stems of the words of four letters or more (drops function words and articles)."""
    return frozenset(
        w[:STEM_LENGTH] for w in _WORD.findall(text.lower()) if len(w) >= 4 and not w.isdigit()
    )


@dataclass(frozen=True, slots=True)
class SplitFile:
    """The content of ``corpus/splits.json``."""

    assignment: dict[str, str] = field(default_factory=dict)
    groups: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> str:
        content: dict[str, Any] = {
            "description": (
                "Frozen split of every sentence id: ids never move. `sqcorpus build` adds new "
                "ids; near-duplicates share a split (automatic stem overlap, plus the "
                "hand-made groups below)."
            ),
            "target_shares": TARGET_SHARES,
            "near_duplicate_threshold": NEAR_DUPLICATE_THRESHOLD,
            "groups": list(self.groups),
            "assignment": dict(sorted(self.assignment.items())),
        }
        return json_text(content)


def read_split_file(path: Path) -> SplitFile:
    """The frozen assignment and hand-made groups (empty when the file does not exist)."""
    if not path.exists():
        return SplitFile()
    content = read_json(path, what="the split file")
    try:
        assignment = dict(content["assignment"])
        groups = tuple(content.get("groups", []))
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        raise SqcorpusError(f"cannot read the split file: {err}", file=path) from None
    for sid, split in assignment.items():
        if split not in schema.SPLITS:
            raise SqcorpusError(f"unknown split {split!r}", file=path, item=sid, field="assignment")
    for position, group in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("ids"), list):
            raise SqcorpusError(
                "a group is an object with a list of 'ids'", file=path, field=f"groups[{position}]"
            )
        splits = {assignment[sid] for sid in group["ids"] if sid in assignment}
        if len(splits) > 1:
            raise SqcorpusError(
                f"the group's sentences are in different splits ({', '.join(sorted(splits))})",
                file=path,
                field=f"groups[{position}]",
            )
    return SplitFile(assignment=assignment, groups=groups)


def _clusters(
    sentences: Sequence[CorpusSentence], groups: Sequence[Mapping[str, Any]] = ()
) -> list[list[CorpusSentence]]:
    """Connected components of the near-duplicate graph (union-find)."""
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    position = {s.id: i for i, s in enumerate(sentences)}
    for group in groups:
        members = [position[sid] for sid in group["ids"] if sid in position]
        for member in members[1:]:
            parent[root(member)] = root(members[0])
    words = [stems(s.text) for s in sentences]
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            union = words[i] | words[j]
            if union and len(words[i] & words[j]) / len(union) >= NEAR_DUPLICATE_THRESHOLD:
                parent[root(j)] = root(i)
    clusters: dict[int, list[CorpusSentence]] = {}
    for i, sentence in enumerate(sentences):
        clusters.setdefault(root(i), []).append(sentence)
    return list(clusters.values())


def _stable_key(cluster: Sequence[CorpusSentence]) -> str:
    return hashlib.sha256(min(s.id for s in cluster).encode()).hexdigest()


def assign_splits(sentences: Sequence[CorpusSentence], frozen: SplitFile) -> SplitFile:
    """Extend the frozen assignment to every sentence; frozen ids keep their split.

    Ids of the frozen file that are no longer in the corpus stay in the file, so that a
    removed sentence can never come back in another split.
    """
    assignment = dict(frozen.assignment)
    counts = {split: 0 for split in schema.SPLITS}
    for split in assignment.values():
        counts[split] += 1
    for cluster in sorted(_clusters(sentences, frozen.groups), key=_stable_key):
        new = [s for s in cluster if s.id not in assignment]
        if not new:
            continue
        already = sorted({assignment[s.id] for s in cluster if s.id in assignment})
        if already:
            # If frozen ids of one cluster were split before the cluster formed, they stay
            # where they are; the newcomers join the first of their splits.
            target = already[0]
        else:
            total = sum(counts.values()) + len(new)
            target = max(
                schema.SPLITS, key=lambda split: TARGET_SHARES[split] * total - counts[split]
            )
        for sentence in new:
            assignment[sentence.id] = target
        counts[target] += len(new)
    return SplitFile(assignment=assignment, groups=frozen.groups)
