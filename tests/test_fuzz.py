"""Fuzz and property suite (issue 10): hostile Label Studio exports, predictions files, manifests
and raw text. The promise, asserted on every generated input: a clean :class:`SqcorpusError`
or a correct result, never another exception; offsets always index the original text; and on
failure the project is unchanged.

Derandomized (the same examples on every run, so CI is deterministic) with modest example
counts, so the whole suite takes seconds.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MINI_DOC, MINI_TEXT, ls_task, span, write_document
from sqcorpus.annotate.convert import read_annotations
from sqcorpus.errors import SqcorpusError
from sqcorpus.evaluation.score import score
from sqcorpus.models import SentenceAnnotation
from sqcorpus.release.build import build_release
from sqcorpus.release.splits import assign_split_file
from sqcorpus.release.store import open_release
from sqcorpus.text.corpus import corpus_sentences, document_sentences, read_corpus, read_document

FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any JSON value, including the ones Python's json module would emit but JSON does not have.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("fuzz") / "raw"
    write_document(raw, MINI_DOC, MINI_TEXT)
    return raw


@pytest.fixture(scope="module")
def sentences(corpus: Path) -> dict[str, Any]:
    return {s.id: s for s in corpus_sentences(read_corpus(corpus))}


def _valid_export(sentences: dict[str, Any]) -> list[dict[str, Any]]:
    first, *others = sentences.values()
    gold = SentenceAnnotation(
        entities=[span(first.text, "Vladimir Putin", "PER"), span(first.text, "Phenian", "GPE")],
        stance="neutral",
        stance_holder="author",
    )
    return [ls_task(first, gold)] + [ls_task(s, SentenceAnnotation()) for s in others]


def _read(path: Path, sentences: dict[str, Any]) -> Any:
    """Read an export; only SqcorpusError may escape. A result is checked for correctness."""
    try:
        tasks = read_annotations([path], sentences)
    except SqcorpusError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
        return None
    for sid, task in tasks.items():
        text = sentences[sid].text
        for annotation in [task.gold, *task.annotations]:
            if annotation is None:
                continue
            for item in [*annotation.entities, *annotation.hedge_cues, *annotation.hedge_scopes]:
                assert 0 <= item.start < item.end <= len(text)
                assert item.text == text[item.start : item.end]
                assert isinstance(item.start, int) and not isinstance(item.start, bool)
            assert "@" not in annotation.annotator
    return tasks


# --- Label Studio exports ---------------------------------------------------------------------


@FUZZ
@given(document=JSON)
def test_an_export_of_any_json_shape_is_read_or_refused(
    document: Any, sentences: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    _read(path, sentences)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a nested value of a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@FUZZ
@given(data=st.data())
def test_a_mutated_valid_export_is_read_correctly_or_refused(
    data: st.DataObject, sentences: dict[str, Any], tmp_path: Path
) -> None:
    export = _valid_export(sentences)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(_paths(export)[1:]))
        parent = export
        for key in where[:-1]:
            parent = parent[key]
        replacement = data.draw(
            JSON | st.sampled_from([float("inf"), float("nan"), "3", 3.0, [1], True, -1, 10**9])
        )
        parent[where[-1]] = replacement
    path = tmp_path / "export.json"
    # allow_nan: Python writes NaN/Infinity, which a careless tool may hand us.
    path.write_text(json.dumps(export, allow_nan=True), encoding="utf-8")
    _read(path, sentences)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t.__setitem__("annotations", None),
        lambda t: t["annotations"][0]["result"][0].__setitem__("id", ["ent0"]),
        lambda t: t["annotations"][0]["result"][0]["value"].__setitem__("start", float("inf")),
        lambda t: t["annotations"][0]["result"][0]["value"].__setitem__("start", "0"),
        lambda t: t["annotations"][0]["result"][0]["value"].__setitem__("end", 25.0),
        lambda t: t["annotations"][0]["result"][0]["value"].__setitem__("start", True),
        lambda t: t["annotations"][0].__setitem__("result", None),
        lambda t: t["data"].__setitem__("guidelines_version", ["2.0"]),
    ],
)
def test_malformed_exports_seen_in_the_attack_are_refused(
    mutate: Callable[[dict[str, Any]], None], sentences: dict[str, Any], tmp_path: Path
) -> None:
    """Issue 10, defects 11 and 12: null ``annotations``, list region ids and ``Infinity``
    offsets crashed the reader; string and float offsets were accepted silently."""
    export = _valid_export(sentences)
    mutate(export[0])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, allow_nan=True), encoding="utf-8")
    with pytest.raises(SqcorpusError, match=r"export\.json(, id |: cannot read .*Infinity)"):
        read_annotations([path], sentences)


def test_deeply_nested_json_is_one_error(sentences: dict[str, Any], tmp_path: Path) -> None:
    """Issue 10, defect 12: deeply nested JSON raised RecursionError (a traceback)."""
    path = tmp_path / "export.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(SqcorpusError, match="nested too deeply"):
        read_annotations([path], sentences)


# --- predictions files ------------------------------------------------------------------------


def _gold(sentences: dict[str, Any]) -> list[dict[str, Any]]:
    from sqcorpus.annotate.convert import to_record

    first = next(iter(sentences.values()))
    annotation = SentenceAnnotation(
        entities=[span(first.text, "Vladimir Putin", "PER")],
        stance="neutral",
        stance_holder="author",
    )
    return [
        to_record(s, annotation if s is first else SentenceAnnotation()) for s in sentences.values()
    ]


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            JSON.map(lambda v: json.dumps(v, allow_nan=True)),
            st.text(max_size=30),
            st.fixed_dictionaries(
                {"id": st.sampled_from([f"{MINI_DOC}-s001", f"{MINI_DOC}-s002", "x"])},
                optional={"ner_tags": JSON, "entities": JSON, "stance": JSON, "holder": JSON},
            ).map(json.dumps),
        ),
        max_size=4,
    ),
    config=st.sampled_from(["ner", "stance", "hedging"]),
)
def test_a_predictions_file_is_scored_or_refused(
    lines: list[str], config: str, sentences: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "predictions.jsonl"
    path.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8")
    try:
        report = score(config, _gold(sentences), path, split="test")
    except SqcorpusError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
        return
    assert report["config"] == config


# --- manifests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    releases = tmp_path_factory.mktemp("releases")
    splits = releases.parent / "splits.json"
    assign_split_file(read_corpus(corpus), splits)
    exports = tmp_path_factory.mktemp("exports")
    build_release("0.1.0", annotations=exports, out=releases, raw_dir=corpus, splits_path=splits)
    return releases


@FUZZ
@given(data=st.data())
def test_a_manifest_of_any_shape_is_read_or_refused(data: st.DataObject, built: Path) -> None:
    path = built / "0.1.0" / "manifest.json"
    original = path.read_bytes()
    manifest = json.loads(original)
    where = data.draw(st.sampled_from(_paths(manifest)))
    if where:
        parent = manifest
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = data.draw(JSON)
    else:
        manifest = data.draw(JSON)
    before = snapshot(built)
    try:
        path.write_text(json.dumps(manifest, allow_nan=True), encoding="utf-8")
        try:
            release = open_release(None, built)
            for config in ("sentences", "ner"):
                release.verified_files(config)
            release.records()
        except SqcorpusError as err:
            assert "\n" not in str(err)
    finally:
        path.write_bytes(original)
    assert snapshot(built) == before


# --- raw text ---------------------------------------------------------------------------------

RAW_TEXT = st.text(
    alphabet=st.sampled_from([*"ab .?!…\n\r\t\u00a0\ufeff\u0301\u2028«»\"'—-", "Ë", "ç", "Ç"]),
    max_size=80,
) | st.text(max_size=40)


@FUZZ
@given(text=RAW_TEXT)
def test_raw_text_is_read_with_offsets_into_it_or_refused(text: str, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "doc.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    metadata = {
        "doc_id": "doc",
        "language": "sq",
        "title": "fuzz",
        "publisher": "unknown",
        "url": "unknown",
        "rights": "test fixture",
        "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    (raw / "doc.json").write_text(json.dumps(metadata), encoding="utf-8")
    try:
        document = read_document(raw / "doc.txt")
    except SqcorpusError as err:
        assert "\n" not in str(err)
        return
    for sentence in document_sentences(document):
        assert document.text[sentence.start : sentence.end] == sentence.text
        for token in sentence.tokens:
            assert sentence.text[token.start : token.end] == token.text
            assert token.text.strip() == token.text != ""


# --- the checkout is unchanged on failure -----------------------------------------------------


@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_a_failed_build_leaves_the_project_unchanged(
    data: st.DataObject,
    corpus: Path,
    sentences: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("project")
    releases, exports = root / "releases", root / "exports"
    exports.mkdir()
    splits = root / "splits.json"
    assign_split_file(read_corpus(corpus), splits)
    export = copy.deepcopy(_valid_export(sentences))
    where = data.draw(st.sampled_from(_paths(export)[1:]))
    parent = export
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = data.draw(JSON)
    (exports / "export.json").write_text(json.dumps(export, allow_nan=True), encoding="utf-8")
    before = snapshot(root)
    try:
        summary = build_release(
            "0.1.0", annotations=exports, out=releases, raw_dir=corpus, splits_path=splits
        )
    except SqcorpusError:
        after = snapshot(root)
        # The lock file is the only trace a refused build may leave (it holds no data).
        after.pop("releases/.build.lock", None)
        assert after == before
        return
    assert summary.status == "written"
