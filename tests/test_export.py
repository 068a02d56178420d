"""Exports read back to the release's tokens and labels: CoNLL, JSON Lines, spaCy DocBin."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures.small_release import sid
from sqcorpus import schema
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.release.export import export, named_record, read_conll
from sqcorpus.release.loading import load_records


@pytest.fixture(scope="module")
def records(releases: Path) -> dict[str, list[dict[str, Any]]]:
    return load_records(releases_dir=releases)


def in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["doc_id"], r["sentence_index"]))


def test_conll_round_trip_every_split(releases: Path, records: dict, tmp_path: Path) -> None:
    written = export("conll", tmp_path / "conll", releases_dir=releases)
    assert [p.name for p in written] == ["train.conll", "validation.conll", "test.conll"]
    for split, path in zip(schema.SPLITS, written, strict=True):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[0] == "-DOCSTART- -X- O O" and lines[1] == ""
        assert text.count("-DOCSTART-") == 1  # one document
        # Plain parsing: blank-line separated blocks of whitespace-separated columns.
        blocks = [b for b in text.split("\n\n") if b.strip() and not b.startswith("-DOCSTART-")]
        expected = in_order(records[split])
        assert len(blocks) == len(expected)
        for block, record in zip(blocks, expected, strict=True):
            rows = [line.split(" ") for line in block.strip("\n").split("\n")]
            assert all(len(row) == 3 for row in rows)
            assert [r[0] for r in rows] == record["tokens"]
            assert [r[1] for r in rows] == [schema.NER_TAGS[t] for t in record["ner_tags"]]
            assert [r[2] for r in rows] == [schema.HEDGE_TAGS[t] for t in record["hedge_tags"]]
        assert [[row[0] for row in s] for s in read_conll(text)] == [r["tokens"] for r in expected]


def test_conll_of_one_config_and_one_split(releases: Path, records: dict, tmp_path: Path) -> None:
    out = tmp_path / "test-ner.conll"
    assert export("conll", out, config="ner", split="test", releases_dir=releases) == [out]
    sentences = read_conll(out.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in records["test"]}
    s006 = by_id[sid(6)]
    position = [r["sentence_index"] for r in in_order(records["test"])].index(6)
    assert all(len(row) == 2 for row in sentences[position])
    assert [row[1] for row in sentences[position]] == [schema.NER_TAGS[t] for t in s006["ner_tags"]]
    assert "B-ORG" in [row[1] for row in sentences[position]]


def test_jsonl_round_trip_with_label_names(releases: Path, records: dict, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    export("jsonl", out, split="train", releases_dir=releases)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = in_order(records["train"])
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    assert list(rows[0]) == list(schema.FEATURES)
    for row, record in zip(rows, expected, strict=True):
        assert row["tokens"] == record["tokens"]
        assert row["ner_tags"] == [schema.NER_TAGS[t] for t in record["ner_tags"]]
        assert [e["label"] for e in row["entities"]] == [
            schema.ENTITY_LABELS[e["label"]] for e in record["entities"]
        ]
        if record["stance"] == schema.MISSING_LABEL:
            assert row["stance"] is None
        else:
            assert row["stance"] == schema.STANCE_LABELS[record["stance"]]
        assert row["hedge_cues"] == record["hedge_cues"]
    s007 = next(r for r in rows if r["id"] == sid(7))
    assert s007["uncertain"] == "uncertain" and s007["stance_holder"] == "source"

    stance = tmp_path / "stance"
    export("jsonl", stance, config="stance", releases_dir=releases)
    first = json.loads((stance / "test.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == list(schema.CONFIGS["stance"])


def test_spacy_docbin_round_trip(releases: Path, records: dict, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "train.spacy"
    export("spacy", out, split="train", releases_dir=releases)
    nlp = spacy.blank("sq")
    docs = list(DocBin().from_bytes(out.read_bytes()).get_docs(nlp.vocab))
    expected = in_order(records["train"])
    assert len(docs) == len(expected)
    for doc, record in zip(docs, expected, strict=True):
        assert [t.text for t in doc] == record["tokens"]
        assert doc.text == record["text"]  # single spaces between tokens in this corpus
        assert doc.user_data["id"] == record["id"]
        bio = ["O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}" for t in doc]
        assert bio == [schema.NER_TAGS[t] for t in record["ner_tags"]]
        starts, ends = record["token_starts"], record["token_ends"]
        assert [(starts[e.start], ends[e.end - 1], e.label_) for e in doc.ents] == [
            (e["start"], e["end"], schema.ENTITY_LABELS[e["label"]]) for e in record["entities"]
        ]
        assert [(starts[s.start], ends[s.end - 1]) for s in doc.spans["hedge_cues"]] == [
            (c["start"], c["end"]) for c in record["hedge_cues"]
        ]
        if record["uncertain"] != schema.MISSING_LABEL:
            assert doc.cats["uncertain:uncertain"] == float(record["uncertain"] == 1)
        else:
            assert doc.cats == {}
        named = named_record(record)
        for field in ("stance", "stance_holder", "uncertain", "stance_target", "source"):
            assert doc.user_data[field] == named[field], field
        assert doc.user_data["text_license"] == named["text_license"]
        assert doc.user_data["doc_id"] == record["doc_id"]


@pytest.mark.parametrize(
    ("config", "layers", "absent"),
    [
        ("ner", {"ents"}, {"stance", "uncertain", "hedge_cues"}),
        ("stance", {"stance", "stance_holder", "stance_target"}, {"uncertain", "hedge_cues"}),
        ("hedging", {"hedge_cues", "uncertain"}, {"stance", "stance_holder"}),
    ],
)
def test_spacy_export_honours_the_config(
    releases: Path, records: dict, tmp_path: Path, config: str, layers: set, absent: set
) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "train.spacy"
    export("spacy", out, config=config, split="train", releases_dir=releases)
    docs = list(DocBin().from_bytes(out.read_bytes()).get_docs(spacy.blank("sq").vocab))
    assert len(docs) == len(records["train"])
    has_ents = any(doc.ents for doc in docs)
    assert has_ents == ("ents" in layers)
    for doc in docs:
        keys = set(doc.user_data) | set(doc.spans)
        assert not (keys & absent), config
        assert (layers - {"ents"}) <= keys, config
        assert not any(c.startswith("stance:") for c in doc.cats) or config == "stance"


def test_spacy_missing_is_a_clear_error(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy -> ImportError
    with pytest.raises(SqcorpusError, match=r"pip install 'sqcorpus\[spacy\]'"):
        export("spacy", tmp_path / "out", releases_dir=releases)
    assert not (tmp_path / "out").exists()


def test_bad_options_write_nothing(releases: Path, tmp_path: Path) -> None:
    with pytest.raises(SqcorpusError, match="format"):
        export("xml", tmp_path / "x", releases_dir=releases)
    with pytest.raises(SqcorpusError, match="config"):
        export("conll", tmp_path / "x", config="stance", releases_dir=releases)
    with pytest.raises(SqcorpusError, match="split"):
        export("conll", tmp_path / "x", split="dev", releases_dir=releases)
    assert list(tmp_path.iterdir()) == []


def test_cli_export(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(project))
    out = tmp_path / "conll"
    assert main(["export", "--format", "conll", "--config", "hedging", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "test.conll",
        "train.conll",
        "validation.conll",
    ]
    assert main(["export", "--format", "conll", "--config", "stance", str(tmp_path / "s")]) == 1


def test_parallel_export_puts_english_beside_the_albanian_labels(records: dict) -> None:
    from sqcorpus.release.parallel import to_parallel, without_english

    train = [dict(r) for r in records["train"]]
    assert train[0]["text_en"] is None  # the seed article has no English original
    with_english = train[: len(train) // 2]
    for number, record in enumerate(with_english):
        record["text_en"] = f"English sentence {number}."
    lines = [json.loads(line) for line in to_parallel(train, "sentences").splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in in_order(with_english)]
    assert without_english(train) == len(train) - len(with_english)
    by_id = {r["id"]: r for r in with_english}
    for line in lines:
        record = by_id[line["id"]]
        assert list(line)[:7] == [
            "id",
            "doc_id",
            "source",
            "outlet",
            "text_license",
            "text",
            "text_en",
        ]
        assert line["text"] == record["text"] and line["text_en"] == record["text_en"]
        assert line == {**named_record(record, line), "text_en": record["text_en"]}
        assert line["tokens"] == record["tokens"]
        for field in ("entities", "stance", "stance_holder", "stance_target", "hedge_cues"):
            assert field in line, field
    ner_only = json.loads(to_parallel(with_english, "ner").splitlines()[0])
    assert "entities" in ner_only and "stance" not in ner_only and "text_en" in ner_only


def test_cli_parallel_export_counts_what_it_leaves_out(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(project))
    out = tmp_path / "test.jsonl"
    assert main(["export", "--format", "parallel", "--split", "test", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""  # the fixture is the seed article only
    printed = capsys.readouterr().out
    assert "left out 8 records without an English original" in printed


def test_parallel_export_of_a_built_release_with_an_ntrex_document(
    mini_project: Any, tmp_path: Path
) -> None:
    """A real NTREX-128 document of the checkout, built into a release: every one of its
    records comes out beside its English line; the mini document (no original) is left out."""
    import shutil

    from sqcorpus.release.export import export as export_release

    root = Path(__file__).resolve().parents[1] / "corpus" / "raw"
    doc = "ntrex-abcnews-306755"
    for suffix in (".txt", ".json", ".en.txt"):
        shutil.copyfile(root / f"{doc}{suffix}", mini_project.raw_dir / f"{doc}{suffix}")
    english = (root / f"{doc}.en.txt").read_text(encoding="utf-8").split("\n")
    mini_project.build("0.1.0")
    every = load_records(releases_dir=mini_project.releases)
    out = tmp_path / "parallel"
    written = export_release("parallel", out, version="0.1.0", releases_dir=mini_project.releases)
    assert [p.name for p in written] == [f"{s}.parallel.jsonl" for s in schema.SPLITS]
    lines = [json.loads(x) for p in written for x in p.read_text(encoding="utf-8").splitlines()]
    ntrex = [r for rows in every.values() for r in rows if r["doc_id"] == doc]
    assert sorted(line["id"] for line in lines) == sorted(r["id"] for r in ntrex)
    assert len(lines) == len(english)
    by_index = {line["id"]: line for line in lines}
    for record in ntrex:
        line = by_index[record["id"]]
        assert line["text_en"] == english[record["sentence_index"] - 1]
        assert line["text"] == record["text"] and line["source"] == "ntrex-128"
        assert line["stance"] is None and line["entities"] == []  # unannotated pre-release
