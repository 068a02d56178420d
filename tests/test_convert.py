"""Every malformed Label Studio export is refused with file, task id and field named."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import MiniProject, ls_task, span
from sqcorpus.annotate.convert import Where, from_ls_results, to_ls_results
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation


def one_task(project: MiniProject, **changes: Any) -> list[dict]:
    third = project.sentences()[2]
    annotation = SentenceAnnotation(
        entities=[span(third.text, "Tass", "ORG")],
        stance="neutral",
        stance_holder="source",
        hedge_cues=[span(third.text, "pretendohet", "CUE")],
    )
    return [ls_task(third, annotation, **changes)]


def assert_refused(project: MiniProject, tasks: list[dict], *fragments: str) -> None:
    path = project.write_export(tasks)
    with pytest.raises(SqcorpusError) as error:
        project.build("0.1.0")
    message = str(error.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert not (project.releases / "0.1.0").exists()


def test_span_off_token_boundaries(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    tasks[0]["annotations"][0]["result"][0]["value"]["end"] -= 1  # "Tas"
    assert_refused(mini_project, tasks, "mini-doc-s003", "entities", "token boundaries")


def test_span_out_of_range(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    tasks[0]["annotations"][0]["result"][0]["value"]["end"] = 10_000
    assert_refused(mini_project, tasks, "mini-doc-s003", "out of range")


def test_unknown_label(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    tasks[0]["annotations"][0]["result"][0]["value"]["labels"] = ["PERSON"]
    assert_refused(mini_project, tasks, "mini-doc-s003", "'PERSON'", "entities")


def test_two_stances_on_one_annotation(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    stance = next(r for r in tasks[0]["annotations"][0]["result"] if r["from_name"] == "stance")
    stance["value"]["choices"] = ["neutral", "favor"]
    assert_refused(mini_project, tasks, "mini-doc-s003", "stance", "exactly one choice")


def test_unknown_sentence_id(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    tasks[0]["data"]["sid"] = "mini-doc-s099"
    assert_refused(mini_project, tasks, "mini-doc-s099", "data.sid")


def test_text_that_does_not_match_the_raw_document(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    tasks[0]["data"]["text"] = tasks[0]["data"]["text"].replace("Tass", "TASS")
    assert_refused(mini_project, tasks, "mini-doc-s003", "data.text")


def test_two_annotators_need_adjudication(mini_project: MiniProject) -> None:
    third = mini_project.sentences()[2]
    a = SentenceAnnotation(stance="neutral", stance_holder="source")
    b = SentenceAnnotation(stance="favor", stance_holder="source")
    assert_refused(mini_project, [ls_task(third, a, b)], "mini-doc-s003", "ground_truth")
    mini_project.write_export([ls_task(third, a, b, ground_truth=1)])
    summary = mini_project.build("0.1.0")
    assert summary.manifest["counts"]["stance"]["favor"] == 1
    assert summary.manifest["annotation"]["annotators"] == ["annotator-01", "annotator-02"]


def test_cancelled_annotations_are_ignored(mini_project: MiniProject) -> None:
    third = mini_project.sentences()[2]
    a = SentenceAnnotation(stance="against", stance_holder="source")
    b = SentenceAnnotation(stance="neutral", stance_holder="author")
    mini_project.write_export([ls_task(third, a, b, cancelled=(0,))])
    assert mini_project.build("0.1.0").manifest["counts"]["stance"]["neutral"] == 1


def test_overlapping_entities_are_refused(mini_project: MiniProject) -> None:
    first = mini_project.sentences()[0]
    annotation = SentenceAnnotation(
        entities=[span(first.text, "Vladimir Putin", "PER"), span(first.text, "Putin", "PER")]
    )
    assert_refused(mini_project, [ls_task(first, annotation)], "overlap", "entities")


def test_invalid_json_names_the_file(mini_project: MiniProject) -> None:
    (mini_project.exports / "broken.json").write_text("[{", encoding="utf-8")
    with pytest.raises(SqcorpusError, match=r"broken\.json"):
        mini_project.build("0.1.0")


def test_selection_with_a_trailing_space_is_trimmed_to_the_token() -> None:
    from sqcorpus.text.segmentation import tokenize

    text = "Rusia dhe Koreja e Veriut"
    result = [
        {
            "from_name": "entities",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 10, "end": 26, "labels": ["GPE"], "text": "ignored"},
        }
    ]
    where = Where("export.json", "x-s001")
    with pytest.raises(SqcorpusError, match="out of range"):
        from_ls_results(result, text, tokenize(text), where)
    result[0]["value"]["end"] = 25
    result[0]["value"]["start"] = 9
    annotation = from_ls_results(result, text, tokenize(text), where)
    assert [(e.text, e.label) for e in annotation.entities] == [("Koreja e Veriut", "GPE")]


def test_results_round_trip_through_label_studio_format() -> None:
    from sqcorpus.text.segmentation import tokenize

    text = "Nga ana tjetër Kim, pretendohet të ketë thënë “mbështet plotësisht Rusinë."
    annotation = SentenceAnnotation(
        entities=[span(text, "Kim", "PER"), span(text, "Rusinë", "GPE")],
        stance="favor",
        stance_holder="source",
        hedge_cues=[span(text, "pretendohet", "CUE")],
        hedge_scopes=[span(text, "pretendohet të ketë thënë “mbështet plotësisht Rusinë", "SCOPE")],
        note="a doubt",
    )
    back = from_ls_results(to_ls_results(annotation), text, tokenize(text), Where("x", "y"))
    assert back == annotation


def test_one_region_with_an_entity_and_a_hedge_label_is_refused(mini_project: MiniProject) -> None:
    tasks = one_task(mini_project)
    results = tasks[0]["annotations"][0]["result"]
    entity = next(r for r in results if r["from_name"] == "entities")
    results.append(
        {**entity, "from_name": "hedges", "value": {**entity["value"], "labels": ["CUE"]}}
    )
    assert_refused(mini_project, tasks, "mini-doc-s003", "both an entity and a hedge label")


@pytest.mark.parametrize(
    ("layer", "fragment", "label", "control"),
    [
        ("entities", "Vladimir Putin", "PER", "entities"),
        ("hedge_cues", "Putin", "CUE", "hedges"),
        ("hedge_scopes", "Vladimir Putin", "SCOPE", "hedges"),
    ],
)
def test_a_duplicate_span_is_refused_in_every_layer(
    mini_project: MiniProject, layer: str, fragment: str, label: str, control: str
) -> None:
    first = mini_project.sentences()[0]
    twice = [span(first.text, fragment, label), span(first.text, fragment, label)]
    annotation = SentenceAnnotation(**{layer: twice})
    assert_refused(mini_project, [ls_task(first, annotation)], "mini-doc-s001", control)
