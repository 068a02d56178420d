"""The annotator's worker: tasks read as words, decisions given as words and submitted.

Every 2.0 annotation went through :mod:`sqcorpus.annotate.studio.worker`, so its reading of
a span ("these words, the n-th time they stand in the sentence") is tested on its own, over
real corpus sentences, and end to end against a real Label Studio (marked ``studio``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sqcorpus.annotate import studio
from sqcorpus.annotate.convert import Where, from_ls_results
from sqcorpus.annotate.studio import worker
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import Span
from sqcorpus.text.corpus import corpus_sentences
from sqcorpus.text.segmentation import tokenize

ARTICLE = "putin-north-korea-2024-06"
SID = "example-s001"
# "Putin" stands twice as a word, and once inside "Putini" before them.
TEXT = "Putini foli për Putin dhe Putin."


def decide(**layers: Any) -> dict[str, Any]:
    return {"sid": SID, "stance": "neutral", "holder": "author", **layers}


def starts(spans: list[Span]) -> list[int]:
    return [s.start for s in spans]


def test_an_occurrence_counts_the_words_where_they_stand_alone() -> None:
    first = worker.decision_annotation(TEXT, decide(entities=[["Putin", "PER"]]))
    second = worker.decision_annotation(TEXT, decide(entities=[["Putin", "PER", 1]]))
    assert starts(first.entities) == [TEXT.index("Putin dhe")]
    assert starts(second.entities) == [TEXT.rindex("Putin")]
    assert [s.text for s in second.entities] == ["Putin"]


@pytest.mark.parametrize(
    ("layers", "field", "message"),
    [
        ({"entities": [["Puti", "PER"]]}, "entities", "does not start and end on token"),
        ({"entities": [["Putin", "PER", 2]]}, "entities", "occurs 2 time(s) as whole words"),
        ({"entities": [["Putin", "PER", True]]}, "entities", "must be a whole number"),
        ({"entities": [["Moska", "GPE"]]}, "entities", "occurs 0 time(s)"),
        ({"entities": [["Putin", "PRESIDENT"]]}, "entities", "unknown entity label"),
        ({"entities": ["Putin"]}, "entities", "a span is [words, LABEL, occurrence?]"),
        ({"entities": [["Putin"]]}, "entities", "an entity is [words, LABEL"),
        ({"cues": [["foli", 3]]}, "cues", "occurs 1 time(s)"),
        ({"stance": "pro"}, "stance", "stance must be one of"),
        ({"holder": "reader"}, "holder", "holder must be one of"),
        ({"verdict": "x"}, "decision", "unknown keys ['verdict']"),
    ],
)
def test_a_bad_decision_is_one_line_naming_the_sentence_and_field(
    layers: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(SqcorpusError) as refused:
        worker.decision_annotation(TEXT, decide(**layers))
    line = str(refused.value)
    assert "\n" not in line and SID in line and field in line
    assert message in line


def test_cues_and_scopes_may_be_plain_words() -> None:
    annotation = worker.decision_annotation(
        TEXT, decide(cues=["foli"], scopes=[["foli për Putin"]])
    )
    assert [(s.text, s.label) for s in annotation.hedge_cues] == [("foli", "CUE")]
    assert [(s.text, s.label) for s in annotation.hedge_scopes] == [("foli për Putin", "SCOPE")]


def test_every_token_of_the_seed_reads_back_from_its_words() -> None:
    """A span shown to an annotator as words (fetch_tasks) and given back unchanged in a
    decision (submit) lands on the same characters, for every token of every sentence."""
    sentences = [s for s in corpus_sentences() if s.doc_id == ARTICLE]
    assert len(sentences) == 28
    checked = 0
    for sentence in sentences:
        tokens = tokenize(sentence.text)
        values = [{"start": t.start, "end": t.end, "labels": ["PER"]} for t in tokens]
        shown = worker._fragments(sentence.text, values, labelled=True)
        for token, item in zip(tokens, shown, strict=True):
            back = worker.decision_annotation(sentence.text, decide(entities=[item]))
            assert (back.entities[0].start, back.entities[0].end) == (token.start, token.end)
            checked += 1
    assert checked > 500


def test_a_span_off_token_boundaries_is_shown_without_an_occurrence() -> None:
    inside = {"start": 0, "end": 5, "labels": ["PER"]}  # "Putin" inside "Putini"
    alone = {"start": TEXT.rindex("Putin"), "end": TEXT.rindex("Putin") + 5, "labels": ["PER"]}
    assert worker._fragments(TEXT, [inside, alone], labelled=True) == [
        ["Putin", "PER", None],
        ["Putin", "PER", 1],
    ]


# --- against a real Label Studio ----------------------------------------------------------


PROJECT = "sqcorpus-worker"


def annotations_by_sid(server: studio.LocalServer) -> dict[str, list[Any]]:
    client = studio.connect(server.connection)
    project = studio.find_project(client, PROJECT)
    assert project is not None
    return {
        t.data["sid"]: list(client.annotations.list(id=t.id))
        for t in client.tasks.list(project=project.id, page_size=1000)
    }


@pytest.mark.studio
def test_a_session_reads_its_tasks_submits_corrects_and_loses_nothing_on_a_refusal(
    studio_server: studio.LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = studio_server
    studio.push(
        doc_id=ARTICLE,
        project=PROJECT,
        connection=server.connection,
        data_dir=server.data_dir,
        progress=False,
    )
    # The command an annotator session runs, with its own token from the environment.
    monkeypatch.setenv("LABEL_STUDIO_URL", server.connection.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.connection.token)
    tasks_file = tmp_path / "tasks.jsonl"
    assert worker.main(["tasks", "--project", PROJECT, "--out", str(tasks_file)]) == 0
    rows = [json.loads(line) for line in tasks_file.read_text(encoding="utf-8").splitlines()]
    sentences = [s for s in corpus_sentences() if s.doc_id == ARTICLE]
    assert [r["sid"] for r in rows] == [s.id for s in sentences]
    assert rows[1]["previous"] == sentences[0].text and rows[1]["next"] == sentences[2].text
    assert all(r["stance_target"] for r in rows)
    proposed = [r for r in rows if r["pre_annotation"]["entities"]]
    assert proposed, "the rules pre-annotator proposes entities in the seed"

    # Accept the pre-annotation's entities as they are shown, for three sentences.
    chosen = proposed[:3]
    decisions = [
        {
            "sid": r["sid"],
            "entities": r["pre_annotation"]["entities"],
            "stance": "neutral",
            "holder": "author",
        }
        for r in chosen
    ]
    decisions_file = tmp_path / "decisions.jsonl"
    decisions_file.write_text("".join(json.dumps(d) + "\n" for d in decisions), encoding="utf-8")
    assert worker.main(["submit", "--project", PROJECT, str(decisions_file)]) == 0
    stored = annotations_by_sid(server)
    texts = {r["sid"]: r["text"] for r in rows}
    for row in chosen:
        (annotation,) = stored[row["sid"]]
        text = texts[row["sid"]]
        read = from_ls_results(annotation.result, text, tokenize(text), Where("test", row["sid"]))
        expected = worker.decision_annotation(text, decisions[chosen.index(row)])
        assert read.entities == expected.entities and read.stance == "neutral"
    ids = {sid: stored[sid][0].id for sid in (r["sid"] for r in chosen)}

    # A correction replaces the same annotation in place.
    corrected = [{**d, "stance": "against"} for d in decisions]
    summary = worker.submit(server.connection, PROJECT, corrected)
    assert (summary.created, summary.replaced) == (0, 3)
    stored = annotations_by_sid(server)
    for sid, annotation_id in ids.items():
        (annotation,) = stored[sid]
        assert annotation.id == annotation_id
        read = from_ls_results(annotation.result, texts[sid], tokenize(texts[sid]), Where("t", sid))
        assert read.stance == "against"

    # One refused decision in a batch sends nothing, not even the good ones before it.
    untouched = next(r["sid"] for r in rows if r["sid"] not in ids)
    batch = [
        {"sid": untouched, "stance": "favor", "holder": "author"},
        {**corrected[0], "stance": "favor", "entities": [["no such words", "PER"]]},
    ]
    with pytest.raises(SqcorpusError, match=corrected[0]["sid"]):
        worker.submit(server.connection, PROJECT, batch)
    after = annotations_by_sid(server)
    assert after[untouched] == []
    assert [a.result for a in after[corrected[0]["sid"]]] == [
        a.result for a in stored[corrected[0]["sid"]]
    ]
