"""Build → validate → release → load, on a small corpus written by the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from helpers import MiniProject, ls_task, span
from sqcorpus import schema
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation
from sqcorpus.release.loading import load, load_records
from sqcorpus.release.store import list_versions, sha256_file


def gold_annotations(project: MiniProject) -> list[dict]:
    first, second, third = project.sentences()
    return [
        ls_task(
            first,
            SentenceAnnotation(
                entities=[
                    span(first.text, "Vladimir Putin", "PER"),
                    span(first.text, "Phenian", "GPE"),
                    span(first.text, "18 qershor", "DATE"),
                ],
                stance="neutral",
                stance_holder="author",
            ),
        ),
        ls_task(
            second,
            SentenceAnnotation(
                entities=[span(second.text, "Kim Jong-un", "PER")],
                stance="favor",
                stance_holder="author",
            ),
        ),
        ls_task(
            third,
            SentenceAnnotation(
                entities=[span(third.text, "Tass", "ORG")],
                stance="neutral",
                stance_holder="source",
                hedge_cues=[span(third.text, "pretendohet", "CUE")],
                hedge_scopes=[
                    span(third.text, "pretendohet të kenë nënshkruar një traktat", "SCOPE")
                ],
                note="“ never closes",
            ),
        ),
    ]


def test_release_layout_manifest_and_labels(mini_project: MiniProject) -> None:
    mini_project.write_export(gold_annotations(mini_project))
    summary = mini_project.build("1.0.0")
    assert summary.status == "written"
    release = mini_project.releases / "1.0.0"
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        f"{config}/{split}.parquet" for config in schema.CONFIGS for split in schema.SPLITS
    }
    for name, entry in manifest["files"].items():
        assert sha256_file(release / name) == entry["sha256"]
        assert pq.read_metadata(release / name).num_rows == entry["num_rows"]
    assert manifest["annotated"] is True
    assert manifest["counts"]["entities"]["PER"] == 2
    assert manifest["counts"]["uncertain"] == {"certain": 2, "uncertain": 1}
    assert manifest["annotation"]["annotators"] == ["annotator-01"]
    assert manifest["annotation"]["guidelines_version"] == "1.0"

    rows = {
        r["id"]: r
        for split in load_records(releases_dir=mini_project.releases).values()
        for r in split
    }
    third = rows["mini-doc-s003"]
    tags = [schema.HEDGE_TAGS[t] for t in third["hedge_tags"]]
    assert tags[third["tokens"].index("pretendohet")] == "B-CUE"
    assert schema.UNCERTAINTY_LABELS[third["uncertain"]] == "uncertain"
    first = rows["mini-doc-s001"]
    ner = [schema.NER_TAGS[t] for t in first["ner_tags"]]
    assert ner[:3] == ["O", "B-PER", "I-PER"]
    assert (
        first["text"][first["entities"][0]["start"] : first["entities"][0]["end"]]
        == "Vladimir Putin"
    )


def test_load_gives_classlabel_names_for_every_config(mini_project: MiniProject) -> None:
    mini_project.write_export(gold_annotations(mini_project))
    mini_project.build("1.0.0")
    ner = load("ner", releases_dir=mini_project.releases)
    assert set(ner) == set(schema.SPLITS)
    assert ner["train"].features["ner_tags"].feature.names == list(schema.NER_TAGS)
    stance = load("stance", "1.0.0", releases_dir=mini_project.releases)
    assert stance["train"].features["stance"].names == list(schema.STANCE_LABELS)
    hedging = load("hedging", releases_dir=mini_project.releases)
    assert hedging["test"].features["uncertain"].names == list(schema.UNCERTAINTY_LABELS)
    total = sum(d.num_rows for d in load("sentences", releases_dir=mini_project.releases).values())
    assert total == 3


def test_rebuild_is_byte_identical_and_a_noop(mini_project: MiniProject, tmp_path: Path) -> None:
    mini_project.write_export(gold_annotations(mini_project))
    first = mini_project.build("1.0.0")
    before = {p: p.read_bytes() for p in sorted(first.path.rglob("*")) if p.is_file()}
    assert mini_project.build("1.0.0").status == "unchanged"
    assert {p: p.read_bytes() for p in sorted(first.path.rglob("*")) if p.is_file()} == before
    # A build into another folder, in the same process, gives the same Parquet bytes.
    mini_project.releases = tmp_path / "elsewhere"
    other = mini_project.build("1.0.0")
    for path, content in before.items():
        if path.suffix == ".parquet":
            assert (other.path / path.relative_to(first.path)).read_bytes() == content


def test_released_version_is_immutable(mini_project: MiniProject) -> None:
    tasks = gold_annotations(mini_project)
    mini_project.write_export(tasks)
    mini_project.build("1.0.0")
    manifest_before = (mini_project.releases / "1.0.0" / "manifest.json").read_bytes()
    stance = next(r for r in tasks[1]["annotations"][0]["result"] if r["from_name"] == "stance")
    stance["value"]["choices"] = ["against"]
    mini_project.write_export(tasks)
    with pytest.raises(SqcorpusError, match="immutable"):
        mini_project.build("1.0.0")
    assert (mini_project.releases / "1.0.0" / "manifest.json").read_bytes() == manifest_before
    assert mini_project.build("1.0.1").status == "written"
    assert list_versions(mini_project.releases) == ["1.0.0", "1.0.1"]


def test_pre_release_without_annotations_has_empty_layers(mini_project: MiniProject) -> None:
    summary = mini_project.build("0.1.0")
    assert summary.manifest["annotated"] is False
    assert "Pre-release" in summary.manifest["description"]
    rows = [r for split in load_records(releases_dir=mini_project.releases).values() for r in split]
    assert all(r["stance"] == schema.MISSING_LABEL and not r["entities"] for r in rows)


def test_major_release_needs_every_sentence_annotated(mini_project: MiniProject) -> None:
    mini_project.write_export(gold_annotations(mini_project)[:2])
    with pytest.raises(SqcorpusError, match=r"2/3") as error:
        mini_project.build("1.0.0")
    assert "mini-doc-s003" in str(error.value)
    assert not (mini_project.releases / "1.0.0").exists()


def test_corrupted_file_is_refused_on_load(mini_project: MiniProject) -> None:
    mini_project.build("0.1.0")
    victim = mini_project.releases / "0.1.0" / "ner" / "train.parquet"
    victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
    with pytest.raises(SqcorpusError, match="sha256") as error:
        load("ner", releases_dir=mini_project.releases)
    assert "ner/train.parquet" in str(error.value)


def test_invalid_version_is_refused(mini_project: MiniProject) -> None:
    for bad in ("1.0", "1.0.0\n", "1.0.0-beta", "01.0.0", "1" * 300 + ".0.0"):
        with pytest.raises(SqcorpusError, match="not a version"):
            mini_project.build(bad)
