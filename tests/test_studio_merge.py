"""The pull's merge (offline): no committed annotation is ever lost silently."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sqcorpus.annotate.studio.merge import (
    check_regions,
    combine_projects,
    merge_document,
    tag_source,
)
from sqcorpus.annotate.studio.pull import export_path
from sqcorpus.errors import SqcorpusError

PROJECTS = frozenset({"sqcorpus-alice", "sqcorpus-bob"})


def annotation(number: int, who: str, stance: str, updated: str = "2026-12-01T10:00:00Z") -> Any:
    return {
        "id": number,
        "completed_by": {"username": who},
        "created_at": f"2026-12-01T09:00:{number:02d}Z",
        "updated_at": updated,
        "ground_truth": False,
        "was_cancelled": False,
        "result": [
            {
                "id": "s",
                "from_name": "stance",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [stance]},
            },
        ],
    }


def task(sid: str, *annotations: Any, project: str | None = None) -> dict[str, Any]:
    made = {
        "id": 1,
        "data": {"sid": sid, "text": "Putin foli.", "doc_id": "doc", "sentence_index": 0},
        "annotations": list(copy.deepcopy(annotations)),
        "predictions": [],
    }
    return tag_source(made, project) if project else made


def test_new_annotations_are_added_and_committed_ones_kept() -> None:
    committed = [task("doc-s001", annotation(1, "annotator-01", "favor"))]  # an older server
    pulled = [task("doc-s001", annotation(1, "annotator-02", "against"), project="sqcorpus-bob")]
    merged, report = merge_document(committed, pulled, PROJECTS, replace=False)
    assert [a["completed_by"]["username"] for a in merged[0]["annotations"]] == [
        "annotator-01",
        "annotator-02",
    ]
    assert (report.added, report.elsewhere, report.kept) == (1, 1, [])


def test_an_annotation_the_server_lost_is_kept_and_reported() -> None:
    committed = [task("doc-s001", annotation(1, "annotator-02", "favor"), project="sqcorpus-bob")]
    pulled = [task("doc-s001", project="sqcorpus-bob")]
    merged, report = merge_document(committed, pulled, PROJECTS, replace=False)
    assert len(merged[0]["annotations"]) == 1
    assert report.kept == ["doc-s001 (annotator-02, sqcorpus-bob)"]
    dropped, report = merge_document(committed, pulled, PROJECTS, replace=True)
    assert dropped[0]["annotations"] == [] and len(report.dropped) == 1


def test_a_changed_annotation_replaces_only_if_newer() -> None:
    old = annotation(1, "annotator-02", "favor", updated="2026-12-01T10:00:00Z")
    newer = annotation(1, "annotator-02", "against", updated="2026-12-01T11:00:00Z")
    committed = [task("doc-s001", old, project="sqcorpus-bob")]
    merged, report = merge_document(
        committed, [task("doc-s001", newer, project="sqcorpus-bob")], PROJECTS, replace=False
    )
    assert merged[0]["annotations"][0]["result"][0]["value"]["choices"] == ["against"]
    assert report.updated == 1
    # The server's copy is older than the committed one: refused, unless --replace.
    with pytest.raises(SqcorpusError, match="newer than the server's"):
        merge_document(
            [task("doc-s001", newer, project="sqcorpus-bob")],
            [task("doc-s001", old, project="sqcorpus-bob")],
            PROJECTS,
            replace=False,
        )


def test_unchanged_gold_copies_from_the_adjudication_project_are_not_added_twice() -> None:
    gold = annotation(1, "annotator-01", "favor")
    copied = annotation(7, "annotator-09", "favor")
    committed = [task("doc-s001", gold)]
    pulled = [task("doc-s001", copied, project="sqcorpus-adjudication")]
    merged, report = merge_document(
        committed, pulled, PROJECTS | {"sqcorpus-adjudication"}, replace=False
    )
    assert len(merged[0]["annotations"]) == 1 and report.copies_skipped == 1


def test_two_ground_truths_are_refused() -> None:
    first, second = annotation(1, "a", "favor"), annotation(2, "b", "against")
    first["ground_truth"] = second["ground_truth"] = True
    with pytest.raises(SqcorpusError, match="more than one annotation would be ground truth"):
        merge_document(
            [task("doc-s001", first)],
            [task("doc-s001", second, project="sqcorpus-bob")],
            PROJECTS,
            replace=False,
        )


def test_projects_are_combined_by_sentence() -> None:
    a = task("doc-s001", annotation(1, "annotator-02", "favor"), project="sqcorpus-alice")
    b = task("doc-s001", annotation(1, "annotator-03", "against"), project="sqcorpus-bob")
    (combined,) = combine_projects([a, b])
    assert [x["sqcorpus_source"]["project"] for x in combined["annotations"]] == [
        "sqcorpus-alice",
        "sqcorpus-bob",
    ]


def test_a_region_with_an_entity_and_a_hedge_label_is_refused_by_sentence_and_words() -> None:
    bad = annotation(1, "annotator-02", "favor")
    value = {"start": 0, "end": 5, "text": "Putin"}
    bad["result"] += [
        {"id": "r", "from_name": "entities", "value": {**value, "labels": ["PER"]}},
        {"id": "r", "from_name": "hedges", "value": {**value, "labels": ["CUE"]}},
    ]
    with pytest.raises(SqcorpusError, match="both an entity and a hedge label") as caught:
        check_regions(task("doc-s001", bad), "sqcorpus-bob")
    assert "doc-s001" in str(caught.value) and "'Putin'" in str(caught.value)


@pytest.mark.parametrize("doc_id", ["../escape", "a/b", "UPPER", "", 7, "x.json"])
def test_a_document_id_from_the_server_cannot_leave_the_exports_folder(
    doc_id: Any, tmp_path: Any
) -> None:
    with pytest.raises(SqcorpusError, match="document id"):
        export_path(tmp_path, doc_id)
    assert export_path(tmp_path, "ntrex-abcnews-1") == tmp_path / "ntrex-abcnews-1.json"
