"""Adding documents from an outside source: NTREX-128, repeatably, with provenance and refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sqcorpus.errors import SqcorpusError
from sqcorpus.text import ntrex
from sqcorpus.text.corpus import document_sentences, read_corpus
from sqcorpus.text.sources import add_source

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ntrex-128"
LICENSE_HEAD = "Attribution-ShareAlike 4.0 International\r\n\r\n=====\r\n"
COMMIT = "MicrosoftTranslator/NTREX " + "a" * 40 + "\n"


def write_source(
    folder: Path,
    rows: list[tuple[str, str, str]],
    *,
    license_text: str = LICENSE_HEAD,
    line_end: str = "\r\n",
) -> Path:
    """A folder shaped like NTREX-128: (doc id, Albanian, English) per line, CRLF as upstream."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ntrex.LICENSE_FILE).write_text(license_text, encoding="utf-8", newline="")
    (folder / ntrex.COMMIT_FILE).write_text(COMMIT, encoding="utf-8")
    columns = {ntrex.IDS_FILE: 0, ntrex.ALBANIAN_FILE: 1, ntrex.ENGLISH_FILE: 2}
    for name, column in columns.items():
        end = "\n" if name == ntrex.IDS_FILE else line_end
        content = "".join(row[column] + end for row in rows)
        (folder / name).write_text(content, encoding="utf-8", newline="")
    return folder


ROWS = [
    ("bbc.1", "Titulli i parë", "The first headline"),
    (
        "bbc.1",
        "Qeveria tha se do të vendosë nesër. Opozita nuk u përgjigj.",
        "The government said it will decide tomorrow. The opposition did not respond.",
    ),
    ("rt.com.22", "Titulli i dytë", "The second headline"),
    ("rt.com.22", "Tërmeti goditi ishullin.", "The earthquake hit the island."),
    ("rt.com.22", "Nuk pati viktima.", "There were no casualties."),
]


def store_files(raw: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(raw.iterdir())}


def test_adds_each_document_with_its_original_and_provenance(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    summary = add_source("ntrex", write_source(tmp_path / "src", ROWS), raw)
    assert summary.added == ("ntrex-bbc-1", "ntrex-rt-com-22")
    documents = {d.doc_id: d for d in read_corpus(raw)}
    doc = documents["ntrex-rt-com-22"]
    assert doc.paragraphs == ["Titulli i dytë", "Tërmeti goditi ishullin.", "Nuk pati viktima."]
    assert doc.original == (
        "The second headline",
        "The earthquake hit the island.",
        "There were no casualties.",
    )
    meta = doc.metadata
    assert meta["title"] == "Titulli i dytë" and meta["outlet"] == "rt.com"
    assert meta["translated_from"] == "en"
    assert meta["source"]["upstream_doc_id"] == "rt.com.22"
    assert meta["source"]["commit"] == "a" * 40 and meta["source"]["lines"] == [3, 5]
    assert meta["rights"]["text_license"] == "CC-BY-SA-4.0"
    assert "NTREX-128" in meta["rights"]["attribution"]
    assert any("WMT19" in c for c in meta["citations"])


def test_a_segment_holding_two_sentences_stays_one_record(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    add_source("ntrex", write_source(tmp_path / "src", ROWS), raw)
    doc = next(d for d in read_corpus(raw) if d.doc_id == "ntrex-bbc-1")
    records = document_sentences(doc)
    assert [r.text for r in records] == [ROWS[0][1], ROWS[1][1]]
    assert records[1].original == ROWS[1][2]
    assert [r.id for r in records] == ["ntrex-bbc-1-s001", "ntrex-bbc-1-s002"]
    assert all(doc.text[r.start : r.end] == r.text for r in records)
    assert all(r.text[t.start : t.end] == t.text for r in records for t in r.tokens)


def test_adding_twice_changes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    source = write_source(tmp_path / "src", ROWS)
    add_source("ntrex", source, raw)
    before = store_files(raw)
    again = add_source("ntrex", source, raw)
    assert again.added == () and again.unchanged == ("ntrex-bbc-1", "ntrex-rt-com-22")
    assert store_files(raw) == before


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: (f / ntrex.ENGLISH_FILE).write_text("x\r\n", encoding="utf-8"), "line counts"),
        (lambda f: (f / ntrex.LICENSE_FILE).unlink(), "LICENSE.md: file is missing"),
        (
            lambda f: (f / ntrex.LICENSE_FILE).write_text("All rights reserved\n"),
            "unknown licence",
        ),
        (
            lambda f: (f / ntrex.IDS_FILE).write_text("bbc.1\nrt.com.22\nbbc.1\nx.2\nx.2\n"),
            "duplicate document id",
        ),
        (
            lambda f: (f / ntrex.IDS_FILE).write_text("../etc.1\n../etc.1\nb.2\nb.2\nb.2\n"),
            "'<outlet>.<number>'",
        ),
        (lambda f: (f / ntrex.COMMIT_FILE).write_text("main\n"), "40-hex commit"),
        (
            lambda f: (f / ntrex.ALBANIAN_FILE).write_bytes(b"\xff\r\n" * 5),
            "not UTF-8",
        ),
    ],
)
def test_bad_sources_are_refused_and_nothing_is_written(
    tmp_path: Path, damage: object, expected: str
) -> None:
    source = write_source(tmp_path / "src", ROWS)
    damage(source)  # type: ignore[operator]
    raw = tmp_path / "raw"
    with pytest.raises(SqcorpusError, match=expected.replace(".", r"\.").replace("(", r"\(")):
        add_source("ntrex", source, raw)
    assert not raw.exists() or not any(raw.iterdir())


def test_the_refusal_names_file_document_and_field(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src", ROWS)
    (source / ntrex.IDS_FILE).write_text("bbc.1\nbbc.1\nrt.com.22\nbbc.1\nbbc.1\n")
    with pytest.raises(SqcorpusError) as caught:
        add_source("ntrex", source, tmp_path / "raw")
    message = str(caught.value)
    assert "DOCUMENT_IDS.tsv:4" in message and "id bbc.1" in message and "'doc_id'" in message


def test_a_changed_upstream_file_under_an_existing_doc_id_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    add_source("ntrex", write_source(tmp_path / "src", ROWS), raw)
    before = store_files(raw)
    changed = [*ROWS[:4], ("rt.com.22", "Pati dy viktima.", "There were two casualties.")]
    with pytest.raises(SqcorpusError, match="already in the store with other content") as caught:
        add_source("ntrex", write_source(tmp_path / "src2", changed), raw)
    assert "ntrex-rt-com-22" in str(caught.value) and "'sha256'" in str(caught.value)
    assert store_files(raw) == before


def test_unknown_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SqcorpusError, match="unknown source 'wiki'"):
        add_source("wiki", tmp_path)


def test_a_stored_original_that_was_edited_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    add_source("ntrex", write_source(tmp_path / "src", ROWS), raw)
    (raw / "ntrex-bbc-1.en.txt").write_text("edited\nlines", encoding="utf-8")
    with pytest.raises(SqcorpusError, match="sha256_en"):
        read_corpus(raw)


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/data/ntrex-128 is not beside the checkout"
)
def test_the_checkout_holds_every_ntrex_document_aligned_with_its_english_line(
    tmp_path: Path,
) -> None:
    """The committed raw store equals a fresh import of ../shared, and every English original
    is its line of newstest2019-src.eng.txt."""
    from sqcorpus import paths

    fresh = tmp_path / "raw"
    add_source("ntrex", SHARED, fresh)
    committed = paths.raw_dir()
    for path in sorted(fresh.iterdir()):
        assert (committed / path.name).read_bytes() == path.read_bytes(), path.name
    english = (SHARED / ntrex.ENGLISH_FILE).read_bytes().decode("utf-8").split("\r\n")[:-1]
    documents = [d for d in read_corpus() if d.source == "ntrex-128"]
    records = [r for d in documents for r in document_sentences(d)]
    assert len(documents) == 123 and len(records) == 1997
    for document in documents:
        first, last = document.metadata["source"]["lines"]
        assert list(document.original or ()) == english[first - 1 : last]
    assert sorted(r.original for r in records) == sorted(english)
    # The seed keeps its bytes.
    seed = SHARED.parents[1] / "seed" / "article.sq.txt"
    assert (committed / "putin-north-korea-2024-06.txt").read_bytes() == seed.read_bytes()
