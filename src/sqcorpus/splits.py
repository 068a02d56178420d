"""Frozen train/validation/test assignment, kept in the repo (``corpus/splits.json``).

Once a sentence id has a split it never moves. New sentences join the split of a
near-duplicate already assigned (news articles repeat themselves, and a repeated fact in
train and test would leak); the rest are grouped into near-duplicate clusters, which are
dealt to the split furthest below its target share, in a hash order that does not depend
on the order of documents.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import schema
from .corpus import CorpusSentence
from .errors import SqcorpusError

TARGET_SHARES: dict[str, float] = {"train": 0.6, "validation": 0.2, "test": 0.2}
"""Shares for new sentences; a small corpus needs a test split large enough to report on."""

NEAR_DUPLICATE_THRESHOLD = 0.5
"""Two sentences are near-duplicates when their content-word sets overlap at least this much
(Jaccard). Chosen on the seed article: its repeated statements (the arrival, the treaty, the
gift, the first visit in 24 years) score 0.5 or more, unrelated sentences under 0.3."""

_WORD = re.compile(r"\w+")


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of four letters or more (drops Albanian function words and articles)."""
    return frozenset(w for w in _WORD.findall(text.lower()) if len(w) >= 4 and not w.isdigit())


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the content-word sets of two sentences."""
    left, right = content_words(a), content_words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def read_assignment(path: Path) -> dict[str, str]:
    """The frozen assignment ``{sentence id: split}`` (empty when the file does not exist)."""
    if not path.exists():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        assignment = content["assignment"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as err:
        raise SqcorpusError(f"cannot read the split assignment: {err}", file=path) from None
    for sid, split in assignment.items():
        if split not in schema.SPLITS:
            raise SqcorpusError(f"unknown split {split!r}", file=path, item=sid, field="assignment")
    return dict(assignment)


def assignment_json(assignment: Mapping[str, str]) -> str:
    """Deterministic file content for an assignment."""
    content: dict[str, Any] = {
        "description": (
            "Frozen split of every sentence id. Ids never move; new ids are added by "
            "`sqcorpus build` (near-duplicates of assigned sentences join their split)."
        ),
        "target_shares": TARGET_SHARES,
        "near_duplicate_threshold": NEAR_DUPLICATE_THRESHOLD,
        "assignment": dict(sorted(assignment.items())),
    }
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


def _clusters(sentences: Sequence[CorpusSentence]) -> list[list[CorpusSentence]]:
    """Connected components of the near-duplicate graph (union-find)."""
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [content_words(s.text) for s in sentences]
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            union = words[i] | words[j]
            if union and len(words[i] & words[j]) / len(union) >= NEAR_DUPLICATE_THRESHOLD:
                parent[root(j)] = root(i)
    groups: dict[int, list[CorpusSentence]] = {}
    for i, sentence in enumerate(sentences):
        groups.setdefault(root(i), []).append(sentence)
    return list(groups.values())


def _stable_key(cluster: Sequence[CorpusSentence]) -> str:
    return hashlib.sha256(min(s.id for s in cluster).encode()).hexdigest()


def assign_splits(sentences: Sequence[CorpusSentence], frozen: Mapping[str, str]) -> dict[str, str]:
    """Extend the frozen assignment to every sentence; frozen ids keep their split."""
    assignment = {s.id: frozen[s.id] for s in sentences if s.id in frozen}
    counts = {split: 0 for split in schema.SPLITS}
    for split in assignment.values():
        counts[split] += 1
    for cluster in sorted(_clusters(sentences), key=_stable_key):
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
    return assignment
