"""Publication: dataset card, datasheet, citation, Croissant and release diff.

Most tests run on a throw-away project with two small releases (tests/publishing.py); the
``*_of_the_repository`` tests check the real README, DATASHEET.md, CITATION.cff and the
latest release's croissant.json, and skip only while no release exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
import yaml

from publishing import ROOT, Published, make_published
from sqcorpus import schema
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.publish.card import split_front_matter, update_card
from sqcorpus.publish.datasheet import update_datasheet
from sqcorpus.release.citation import citation, render, render_cff, write_cff
from sqcorpus.release.croissant import CROISSANT, update_croissant
from sqcorpus.release.croissant import render as render_croissant
from sqcorpus.release.diff import diff_releases, format_diff
from sqcorpus.release.store import list_versions, read_manifest

REPO_RELEASES = ROOT / "corpus" / "releases"
# The CFF 1.2.0 JSON schema, copied from the cffconvert 2.0.0 wheel
# (cffconvert/schemas/1.2.0/schema.json; schema by the Citation File Format project,
# CC BY 4.0). `cffconvert --validate` is exactly jsonschema.validate(instance, this schema,
# format_checker=FormatChecker()) on the loaded YAML; running that here gives the same
# verdict without cffconvert, which pins jsonschema<4 and so cannot share our environment
# (an isolated venv would need the network at test time).
CFF_SCHEMA = json.loads((Path(__file__).parent / "data" / "cff-1.2.0.schema.json").read_text())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    root = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SQCORPUS_ROOT", str(root))
        yield make_published(root)


@pytest.fixture
def at_root(published: Published, monkeypatch: pytest.MonkeyPatch) -> Published:
    """The CLI sees the throw-away project as the checkout."""
    monkeypatch.setenv("SQCORPUS_ROOT", str(published.root))
    return published


@pytest.fixture
def at_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real checkout, even inside a module whose fixture points elsewhere."""
    monkeypatch.setenv("SQCORPUS_ROOT", str(ROOT))


def repo_latest() -> str:
    versions = list_versions(REPO_RELEASES)
    if not versions:
        pytest.skip(
            f"no release in {REPO_RELEASES} yet (build one with `sqcorpus build --version X.Y.Z`)"
        )
    return versions[-1]


# --- dataset card ---------------------------------------------------------------------------
def test_card_header_is_generated_and_body_kept(at_root: Published) -> None:
    body = at_root.readme.read_text(encoding="utf-8")
    assert main(["card", "--check"]) == 1  # no header yet
    assert main(["card"]) == 0
    text = at_root.readme.read_text(encoding="utf-8")
    front, rest = split_front_matter(text)
    assert rest == "\n" + body  # the body, byte for byte, after one blank line
    meta = yaml.safe_load(front.strip().strip("-"))
    assert meta["language"] == ["sq"]
    assert meta["license"] == "other" and meta["license_link"] == "LICENSE-annotations"
    assert "unknown" in meta["license_details"] and "CC BY 4.0" in meta["license_details"]
    assert meta["size_categories"] == ["n<1K"]
    assert meta["task_ids"] == ["named-entity-recognition", "multi-class-classification"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == set(schema.CONFIGS)
    assert configs["sentences"]["default"] is True
    assert [c for c in configs if configs[c].get("default")] == ["sentences"]
    assert {f["path"] for f in configs["ner"]["data_files"]} <= {
        f"corpus/releases/1.0.1/ner/{split}.parquet" for split in schema.SPLITS
    }
    assert main(["card", "--check"]) == 0
    assert main(["card"]) == 0 and at_root.readme.read_text(encoding="utf-8") == text


def test_card_check_names_the_edited_line(
    at_root: Published, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["card"])
    text = at_root.readme.read_text(encoding="utf-8")
    edited = text.replace("num_examples: 2", "num_examples: 3", 1)
    assert edited != text
    at_root.readme.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["card", "--check"]) == 1
    err = capsys.readouterr().err
    assert "README.md line" in err and "num_examples: 3" in err
    assert main(["card"]) == 0
    assert at_root.readme.read_text(encoding="utf-8") == text


def test_card_loads_with_datasets_offline(at_root: Published) -> None:
    from datasets import load_dataset

    update_card()
    manifest = read_manifest("1.0.1", at_root.releases)
    for config in schema.CONFIGS:
        dataset = load_dataset(str(at_root.root), config)
        expected = schema.config_features(config)
        # Empty splits are left out of the card: `datasets` cannot load an empty Parquet.
        non_empty = [
            s for s in schema.SPLITS if manifest["files"][f"{config}/{s}.parquet"]["num_rows"]
        ]
        assert list(dataset) == non_empty
        for split in non_empty:
            assert dataset[split].features == expected
            assert (
                dataset[split].num_rows
                == manifest["files"][f"{config}/{split}.parquet"]["num_rows"]
            )
    ner = load_dataset(str(at_root.root), "ner")["train"].features
    assert ner["ner_tags"].feature.names == list(schema.NER_TAGS)
    default = load_dataset(str(at_root.root))["train"]
    assert default.features == schema.config_features(schema.DEFAULT_CONFIG)


def test_card_of_the_repository_is_current_and_loads(at_repository: None) -> None:
    from datasets import load_dataset

    repo_latest()
    result = update_card(check=True, readme=ROOT / "README.md", releases_dir=REPO_RELEASES)
    assert not result.changed, f"{result.difference}: run `sqcorpus card`"
    for config in schema.CONFIGS:
        dataset = load_dataset(str(ROOT), config)
        for split in dataset.values():
            assert split.features == schema.config_features(config)


# --- datasheet ------------------------------------------------------------------------------
def test_datasheet_stats_block_is_generated(at_root: Published) -> None:
    assert main(["datasheet"]) == 0
    text = at_root.datasheet.read_text(encoding="utf-8")
    block = text.split("<!-- stats:begin -->")[1].split("<!-- stats:end -->")[0]
    assert "release 1.0.1" in block
    assert "| sentences | 2 | 1 | 0 | 3 |" in block
    assert "| entity: DATE | 1 | 0 | 0 | 1 |" in block  # the 1.0.1 correction
    assert "| stance: neutral | 2 | 1 | 0 | 3 |" in block
    assert "| mini-doc | test document | unknown | unknown | unknown | 3 |" in block
    # The prose outside the block is untouched.
    original = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    assert text.split("<!-- stats:begin -->")[0] == original.split("<!-- stats:begin -->")[0]
    assert main(["datasheet", "--check"]) == 0


def test_datasheet_check_fails_when_a_count_is_edited(
    at_root: Published, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["datasheet"])
    text = at_root.datasheet.read_text(encoding="utf-8")
    edited = text.replace("| sentences | 2 | 1 | 0 | 3 |", "| sentences | 2 | 1 | 0 | 4 |")
    assert edited != text
    at_root.datasheet.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["datasheet", "--check"]) == 1
    err = capsys.readouterr().err
    line = edited.splitlines().index("| sentences | 2 | 1 | 0 | 4 |") + 1
    assert f"DATASHEET.md line {line}:" in err
    assert "| sentences | 2 | 1 | 0 | 4 |" in err and "| sentences | 2 | 1 | 0 | 3 |" in err
    main(["datasheet"])
    assert at_root.datasheet.read_text(encoding="utf-8") == text


def test_datasheet_refuses_a_manifest_that_disagrees_with_the_data(
    published: Published, tmp_path: Path
) -> None:
    import shutil

    releases = tmp_path / "releases"
    shutil.copytree(published.releases / "1.0.0", releases / "1.0.0")
    manifest_path = releases / "1.0.0" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["counts"]["tokens"] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    sheet = tmp_path / "DATASHEET.md"
    sheet.write_text("<!-- stats:begin -->\n<!-- stats:end -->\n", encoding="utf-8")
    with pytest.raises(SqcorpusError, match="tokens"):
        update_datasheet(datasheet=sheet, releases_dir=releases, raw_dir=published.raw_dir)


def test_datasheet_of_the_repository_is_current(at_repository: None) -> None:
    repo_latest()
    result = update_datasheet(
        check=True,
        datasheet=ROOT / "DATASHEET.md",
        releases_dir=REPO_RELEASES,
        raw_dir=ROOT / "corpus" / "raw",
    )
    assert not result.changed, f"{result.difference}: run `sqcorpus datasheet`"


# --- citation -------------------------------------------------------------------------------
def validate_cff(text: str) -> dict:
    instance = yaml.safe_load(text)
    jsonschema.validate(instance, CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return instance


def test_cff_is_valid_and_version_specific(published: Published) -> None:
    for version, day in (("1.0.0", "2026-11-28"), ("1.0.1", "2026-12-05")):
        cite = citation(version, releases_dir=published.releases, changelog=published.changelog)
        cff = validate_cff(render_cff(cite))
        assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
        assert cff["version"] == version and cff["date-released"] == day
        assert cff["authors"] == [{"name": "sqcorpus maintainers"}]
        assert cff["license"] == "CC-BY-4.0"
        assert cff["preferred-citation"]["version"] == version
        assert cff["preferred-citation"]["authors"] == [{"name": "sqcorpus maintainers"}]


def test_cff_validator_rejects_an_invalid_file(published: Published) -> None:
    cite = citation(releases_dir=published.releases, changelog=published.changelog)
    broken = render_cff(cite).replace("  type: data\n", "  type: dataset\n")
    with pytest.raises(jsonschema.ValidationError):
        validate_cff(broken)
    with pytest.raises(jsonschema.ValidationError):
        validate_cff(render_cff(cite).replace("date-released: '2026-12-05'", "date-released: x"))


def test_bibtex_and_apa_keep_the_version(published: Published) -> None:
    cite = citation("1.0.0", releases_dir=published.releases, changelog=published.changelog)
    bibtex = render(cite, "bibtex")
    assert bibtex.startswith("@misc{sqcorpus_1_0_0,")
    assert "version = {1.0.0}" in bibtex and "year    = {2026}" in bibtex
    assert "author  = {{sqcorpus maintainers}}" in bibtex
    assert bibtex.count("{") == bibtex.count("}")
    apa = render(cite, "apa")
    assert apa.startswith("sqcorpus maintainers. (2026). sqcorpus: An annotated")
    assert "(Version 1.0.0) [Data set]" in apa


def test_cite_cli_prints_and_writes(at_root: Published, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--version", "1.0.0"]) == 0
    assert "version = {1.0.0}" in capsys.readouterr().out
    assert main(["cite", "--format", "cff"]) == 0
    assert validate_cff(capsys.readouterr().out)["version"] == "1.0.1"
    cff_path = at_root.root / "CITATION.cff"
    assert main(["cite", "--write-cff", "--check"]) == 1
    assert main(["cite", "--write-cff"]) == 0
    assert validate_cff(cff_path.read_text(encoding="utf-8"))["version"] == "1.0.1"
    assert main(["cite", "--write-cff", "--check"]) == 0


def test_cite_without_a_changelog_date_is_a_clear_error(
    published: Published, tmp_path: Path
) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    with pytest.raises(SqcorpusError, match=r"## \[1\.0\.1\] - YYYY-MM-DD"):
        citation(releases_dir=published.releases, changelog=changelog)


def test_citation_cff_of_the_repository_is_current_and_valid(at_repository: None) -> None:
    repo_latest()
    result = write_cff(check=True, path=ROOT / "CITATION.cff", releases_dir=REPO_RELEASES)
    assert not result.changed, f"{result.difference}: run `sqcorpus cite --write-cff`"
    validate_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


# --- Croissant ------------------------------------------------------------------------------
def mlcroissant_validate(path: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("mlcroissant")
    return subprocess.run(
        [str(executable), "validate", "--jsonld", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def test_build_writes_a_valid_deterministic_croissant(published: Published) -> None:
    for version in ("1.0.0", "1.0.1"):
        release = published.releases / version
        path = release / CROISSANT
        manifest = read_manifest(version, published.releases)
        assert CROISSANT not in manifest["files"]
        assert path.read_text(encoding="utf-8") == render_croissant(
            release, manifest, changelog=published.changelog
        )
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["version"] == version
        assert document["conformsTo"] == "http://mlcommons.org/croissant/1.1"
        assert document["datePublished"] == {"1.0.0": "2026-11-28", "1.0.1": "2026-12-05"}[version]
        files = {d["@id"]: d for d in document["distribution"]}
        assert set(files) == set(manifest["files"])
        for name, entry in manifest["files"].items():
            assert files[name]["sha256"] == entry["sha256"]
        result = mlcroissant_validate(path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_croissant_records_match_the_parquet(published: Published) -> None:
    import mlcroissant as mlc

    release = published.releases / "1.0.1"
    dataset = mlc.Dataset(jsonld=str(release / CROISSANT))
    for config in schema.CONFIGS:
        for split in schema.SPLITS:
            rows = pq.read_table(release / config / f"{split}.parquet").to_pylist()
            records = list(dataset.records(record_set=f"{config}/{split}"))
            assert len(records) == len(rows)
            prefix = f"{config}/{split}/"
            for record, row in zip(records, rows, strict=True):
                assert set(record) == {prefix + name for name in schema.config_features(config)}
                assert record[prefix + "id"].decode() == row["id"]
                if config == "ner":
                    assert [int(t) for t in record[prefix + "ner_tags"]] == row["ner_tags"]
                    spans = [
                        {key.rsplit("/", 1)[1]: value for key, value in entity.items()}
                        for entity in record[prefix + "entities"]
                    ]
                    assert [(int(s["start"]), int(s["label"])) for s in spans] == [
                        (e["start"], e["label"]) for e in row["entities"]
                    ]
    labels = [r["labels/stance/name"] for r in dataset.records(record_set="labels/stance")]
    assert labels == list(schema.STANCE_LABELS)


def test_croissant_with_a_wrong_sha256_fails_to_read(published: Published, tmp_path: Path) -> None:
    import shutil

    import mlcroissant as mlc

    release = tmp_path / "1.0.1"
    shutil.copytree(published.releases / "1.0.1", release)
    document = json.loads((release / CROISSANT).read_text(encoding="utf-8"))
    for entry in document["distribution"]:
        if entry["@id"] == "stance/train.parquet":
            entry["sha256"] = "0" * 64
    (release / CROISSANT).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Exception, match=r"Download\(stance/train\.parquet\)") as raised:
        list(mlc.Dataset(jsonld=str(release / CROISSANT)).records(record_set="stance/train"))
    assert "0" * 64 in str(raised.value.__cause__)  # the cause: the hash does not match


def test_croissant_cli_check(
    at_root: Published, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``croissant`` checks a release's file, and never rewrites it (issue 10: releases are
    write-once); what it should be can be written elsewhere with ``--out``."""
    path = at_root.releases / "1.0.0" / CROISSANT
    original = path.read_text(encoding="utf-8")
    assert main(["croissant", "--version", "1.0.0", "--check"]) == 0
    assert main(["croissant", "--version", "1.0.0"]) == 0  # up to date: nothing to write
    edited = original.replace('"1.0.0"', '"9.9.9"', 1)
    path.write_text(edited, encoding="utf-8")
    assert main(["croissant", "--version", "1.0.0", "--check"]) == 1
    assert "croissant.json line" in capsys.readouterr().err
    assert main(["croissant", "--version", "1.0.0"]) == 1
    assert "releases are write-once" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == edited
    out = tmp_path / "croissant.json"
    assert main(["croissant", "--version", "1.0.0", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == original
    path.write_text(original, encoding="utf-8")
    assert update_croissant("1.0.0", check=True).changed is False


def test_croissant_of_the_repository_is_current_and_valid(at_repository: None) -> None:
    version = repo_latest()
    result = update_croissant(version, check=True, releases_dir=REPO_RELEASES)
    assert not result.changed, f"{result.difference}: the release's croissant.json is stale"
    validated = mlcroissant_validate(REPO_RELEASES / version / CROISSANT)
    assert validated.returncode == 0, validated.stdout + validated.stderr


# --- diff -----------------------------------------------------------------------------------
def test_diff_reports_label_changes_per_layer(published: Published) -> None:
    diff = diff_releases("1.0.0", "1.0.1", releases_dir=published.releases)
    assert diff.added == [] and diff.removed == [] and diff.text_changed == []
    assert [c["id"] for c in diff.labels_changed["stance"]] == ["mini-doc-s002"]
    assert diff.labels_changed["stance"][0]["stance"] == {"old": "favor", "new": "neutral"}
    entity_change = diff.labels_changed["entities"][0]
    assert entity_change["id"] == "mini-doc-s001"
    assert set(entity_change) == {"id", "entities", "ner_tags"}
    assert diff.labels_changed["hedging"] == []
    text = format_diff(diff, verbose=True)
    assert "stance labels changed: 1 sentences" in text and "favor -> neutral" in text
    assert diff_releases("1.0.1", "1.0.1", releases_dir=published.releases).unchanged


def test_diff_cli(at_root: Published, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1.0.0", "1.0.1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["old"] == "1.0.0" and report["new"] == "1.0.1"
    assert len(report["labels_changed"]["stance"]) == 1
    assert main(["diff", "1.0.0", "7.0.0"]) == 1
    assert "release 7.0.0 not found" in capsys.readouterr().err
