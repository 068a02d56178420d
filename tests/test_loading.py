"""``sqcorpus.load`` on the committed releases: the files' rows as written, and the licence
filter that keeps only the openly licensed part (2.0) or refuses a release without rights."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from sqcorpus import paths, schema
from sqcorpus.errors import SqcorpusError
from sqcorpus.release.loading import load


def test_every_config_loads_the_rows_and_features_of_its_files() -> None:
    for config in schema.CONFIGS:
        loaded = load(config, "2.0.0")
        for split, dataset in loaded.items():
            path = paths.releases_dir() / "2.0.0" / config / f"{split}.parquet"
            table = pq.read_table(path)
            assert dataset.data.table.equals(table, check_metadata=True), (config, split)
            assert dataset.features.arrow_schema.equals(table.schema)


def test_the_licence_filter_keeps_exactly_the_records_with_that_licence() -> None:
    everything = load("sentences", "2.0.0")
    for licence, wanted in (
        ("open", schema.OPEN_LICENSES),
        ("CC-BY-SA-4.0", {"CC-BY-SA-4.0"}),
        ("unknown", {"unknown"}),
    ):
        kept = load("sentences", "2.0.0", licence=licence)
        for split, dataset in everything.items():
            expected = [r["id"] for r in dataset if r["text_license"] in wanted]
            assert kept[split]["id"] == expected, (licence, split)
            assert kept[split].features == dataset.features
    # The seed's text has no known licence: "open" leaves out its 28 records, and only them.
    seed = load("sentences", "2.0.0", licence="unknown")
    assert sum(seed.num_rows.values()) == 28
    assert set(seed["train"]["doc_id"]) == {"putin-north-korea-2024-06"}
    opened = load("ner", "2.0.0", licence="open")
    assert sum(opened.num_rows.values()) == sum(everything.num_rows.values()) - 28


def test_a_filtered_load_is_not_mistaken_for_the_whole_one() -> None:
    whole = load("stance", "2.0.0")["train"]
    filtered = load("stance", "2.0.0", licence="open")["train"]
    assert whole._fingerprint != filtered._fingerprint


@pytest.mark.parametrize(
    ("version", "licence", "message"),
    [
        ("1.0.1", "open", "release 1.0.1 has no text_license field"),
        ("2.0.0", "GPL-3.0-only", "unknown licence filter 'GPL-3.0-only'"),
    ],
)
def test_a_licence_filter_that_cannot_apply_is_one_line(
    version: str, licence: str, message: str
) -> None:
    with pytest.raises(SqcorpusError) as refused:
        load("ner", version, licence=licence)
    assert message in str(refused.value) and "licence" in str(refused.value)
    assert "\n" not in str(refused.value)
