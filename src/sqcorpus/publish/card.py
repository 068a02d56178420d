"""The dataset card header: README.md's YAML front matter, generated from the latest release.

Only the block between the first two ``---`` lines is ours; the README body is left byte for
byte as it is. The YAML is assembled with the same helpers ``datasets`` uses when it pushes a
dataset to the Hub (``MetadataConfigs``/``DatasetInfosDict.to_dataset_card_data`` on a
``huggingface_hub.DatasetCardData``), so ``load_dataset`` reads back exactly the declared
configs, features (ClassLabel names) and split sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datasets import DatasetInfo
from datasets.info import DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from .. import paths, schema
from ..about import PRETTY_NAME, rights_summary
from ..errors import SqcorpusError
from ..generated import Generated, Part, read_text, sync
from ..release.store import Release, open_release

FENCE = "---"
LICENSE_NAME = "sqcorpus-mixed-rights"
LICENSE_LINK = "LICENSE-annotations"
# Hub size buckets, by number of examples (sentences).
SIZE_CATEGORIES: tuple[tuple[int, str], ...] = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
)


def size_category(examples: int) -> str:
    for bound, name in SIZE_CATEGORIES:
        if examples < bound:
            return name
    return "n>1M"


def data_path(version: str, config: str, split: str) -> str:
    """Path of a split's Parquet file relative to the repository root."""
    return f"corpus/releases/{version}/{config}/{split}.parquet"


def card_data(release: Release) -> DatasetCardData:
    """The metadata of the dataset card for ``release``."""
    manifest = release.manifest
    files = manifest["files"]
    translated = "ntrex-128" in release.sources
    card = DatasetCardData(
        pretty_name=PRETTY_NAME,
        # With the NTREX-128 slice each Albanian record carries its English original.
        language=["sq", "en"] if translated else ["sq"],
        # Several licences, each for its part (LICENSE-annotations says which): the Hub reads
        # a list; "other" stands for the seed text, whose rights are unknown.
        license=["cc-by-sa-4.0", "cc-by-4.0", "mit", "other"] if translated else "other",
        license_name=LICENSE_NAME,
        license_link=LICENSE_LINK,
        license_details=rights_summary(release.sources),
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-class-classification"],
        tags=["stance-detection", "hedge-detection", "uncertainty", "albanian", "news"],
        size_categories=[size_category(manifest["counts"]["sentences"])],
        # Release 1.0.0 was annotated by an AI software agent acting as the project's
        # maintainer (see DATASHEET.md), so the honest Hub category is machine-generated.
        annotations_creators=["machine-generated"],
        language_creators=["found"],
        multilinguality=["monolingual", "translation"] if translated else ["monolingual"],
        source_datasets=["original", "extended"] if translated else ["original"],
    )
    configs: dict[str, dict[str, Any]] = {}
    infos = {}
    for config in schema.CONFIGS:
        entries = []
        for split in schema.SPLITS:
            name = f"{config}/{split}.parquet"
            if name not in files:
                raise SqcorpusError(
                    "file is not listed in the manifest", file=release.path / name, field="files"
                )
            # `datasets` cannot load an empty Parquet split ("BatchSize must be greater than
            # 0", or "corresponds to no data" without row groups): the card lists only splits
            # that have rows; sqcorpus.load still returns every split.
            if files[name]["num_rows"] > 0:
                entries.append((split, files[name]))
        if not entries:
            raise SqcorpusError(f"config {config!r} has no rows", file=release.path, field="files")
        configs[config] = {
            "data_files": [
                {"split": split, "path": data_path(release.version, config, split)}
                for split, _ in entries
            ],
            **({"default": True} if config == schema.DEFAULT_CONFIG else {}),
        }
        splits = SplitDict()
        for split, entry in entries:
            # num_bytes is the Parquet file's size (what the manifest records); only
            # num_examples is checked by `datasets` at load time.
            splits.add(
                SplitInfo(name=split, num_bytes=entry["num_bytes"], num_examples=entry["num_rows"])
            )
        size = sum(entry["num_bytes"] for _, entry in entries)
        infos[config] = DatasetInfo(
            features=release.features(config),
            splits=splits,
            download_size=size,
            dataset_size=size,
        )
    MetadataConfigs(configs).to_dataset_card_data(card)
    DatasetInfosDict(infos).to_dataset_card_data(card)
    return card


def render_front_matter(release: Release) -> str:
    """The YAML block, fences included, ending in a newline."""
    return f"{FENCE}\n{card_data(release).to_yaml()}\n{FENCE}\n"


def split_front_matter(text: str) -> tuple[str, str]:
    """``(front matter with fences, body)``; the front matter is ``""`` if there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FENCE:
        return "", text
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == FENCE:
            return "".join(lines[: index + 1]), "".join(lines[index + 1 :])
    raise SqcorpusError("front matter opened with '---' is never closed", field="front matter")


def front_matter_part(path: Path) -> Part:
    """README.md cut around its front matter (none yet: inserted at the top, then a blank line)."""
    text = read_text(path, "README.md")
    try:
        current, body = split_front_matter(text)
    except SqcorpusError as err:
        raise SqcorpusError(err.reason, file=path, field="front matter") from None
    return Part("", current, body if current else "\n" + body)


def update_card(
    *, check: bool = False, readme: Path | None = None, releases_dir: Path | None = None
) -> Generated:
    """Regenerate (or with ``check``, compare) README.md's front matter from the latest release."""
    path = readme or paths.readme_file()
    part = front_matter_part(path)
    release = open_release(None, releases_dir)
    return sync(
        "card", path, part, render_front_matter(release), check=check, version=release.version
    )
