"""What changed between two releases: sentences added or removed, text, split and labels per layer.

Both releases are read through :meth:`Release.records`, so both are verified against their
manifests first. Sentences are matched by their stable id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from .. import schema
from .store import open_release

LAYERS: Final[dict[str, tuple[str, ...]]] = {
    "entities": ("entities", "ner_tags"),
    "stance": ("stance", "stance_holder"),
    "hedging": ("hedge_cues", "hedge_scopes", "hedge_tags", "uncertain"),
}
"""Annotation layers and the fields that make each one."""
TOKEN_FIELDS: Final = ("tokens", "token_starts", "token_ends")


@dataclass(slots=True)
class ReleaseDiff:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    tokens_changed: list[str] = field(default_factory=list)
    split_changed: list[dict[str, str]] = field(default_factory=list)
    labels_changed: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {layer: [] for layer in LAYERS}
    )

    @property
    def unchanged(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.text_changed
            or self.tokens_changed
            or self.split_changed
            or any(self.labels_changed.values())
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _indexed(
    records: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, tuple[str, Mapping[str, Any]]]:
    return {row["id"]: (split, row) for split, rows in records.items() for row in rows}


def _spans(value: list[dict[str, Any]], names: tuple[str, ...] | None) -> list[str]:
    """Spans as sorted readable strings: ``start-end label "text"``."""
    out = []
    for span in value:
        label = f" {names[span['label']]}" if names is not None and "label" in span else ""
        out.append(f"{span['start']}-{span['end']}{label} {span['text']!r}")
    return sorted(out)


def _readable(name: str, value: Any) -> Any:
    if name == "entities":
        return _spans(value, schema.ENTITY_LABELS)
    if name in ("hedge_cues", "hedge_scopes"):
        return _spans(value, None)
    if name in schema.SENTENCE_LABELS:
        return schema.label_name(name, value) or "-"
    if name in ("ner_tags", "hedge_tags"):
        return " ".join(schema.label_names(name, value))
    return value


def diff_releases(old: str, new: str, *, releases_dir: Path | None = None) -> ReleaseDiff:
    """Compare release ``old`` with release ``new`` sentence by sentence."""
    old_release, new_release = open_release(old, releases_dir), open_release(new, releases_dir)
    before = _indexed(old_release.records())
    after = _indexed(new_release.records())
    result = ReleaseDiff(old_release.version, new_release.version)
    result.added = sorted(set(after) - set(before))
    result.removed = sorted(set(before) - set(after))
    for sid in sorted(set(before) & set(after)):
        (old_split, a), (new_split, b) = before[sid], after[sid]
        if a["text"] != b["text"]:
            result.text_changed.append(sid)
        if any(a[name] != b[name] for name in TOKEN_FIELDS):
            result.tokens_changed.append(sid)
        if old_split != new_split:
            result.split_changed.append({"id": sid, "old": old_split, "new": new_split})
        for layer, names in LAYERS.items():
            changes = {
                name: {"old": _readable(name, a[name]), "new": _readable(name, b[name])}
                for name in names
                if _readable(name, a[name]) != _readable(name, b[name])
            }
            if changes:
                result.labels_changed[layer].append({"id": sid, **changes})
    return result


def format_diff(diff: ReleaseDiff, *, verbose: bool = False) -> str:
    """A summary (and with ``verbose``, every change) for the terminal."""
    lines = [f"sqcorpus {diff.old} -> {diff.new}"]

    def listing(title: str, ids: list[str]) -> None:
        lines.append(f"{title}: {len(ids)}" + (f"  ({', '.join(ids)})" if ids else ""))

    listing("sentences added", diff.added)
    listing("sentences removed", diff.removed)
    listing("text changed", diff.text_changed)
    listing("tokens changed", diff.tokens_changed)
    lines.append(
        f"split changed: {len(diff.split_changed)}"
        + "".join(f"\n  {c['id']}: {c['old']} -> {c['new']}" for c in diff.split_changed)
    )
    for layer, changes in diff.labels_changed.items():
        lines.append(f"{layer} labels changed: {len(changes)} sentences")
        for change in changes:
            fields = [name for name in change if name != "id"]
            lines.append(f"  {change['id']}: {', '.join(fields)}")
            if verbose:
                for name in fields:
                    lines.append(f"    {name}: {change[name]['old']} -> {change[name]['new']}")
    if diff.unchanged:
        lines.append("no differences")
    return "\n".join(lines)
