"""The frozen split logic (``corpus/splits.json``), unit by unit: ids never move, near-duplicates
share a split, new groups go where the split is furthest below its share, whatever the order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sqcorpus.errors import SqcorpusError
from sqcorpus.release.splits import (
    NEAR_DUPLICATE_THRESHOLD,
    TARGET_SHARES,
    SplitFile,
    assign_splits,
    read_split_file,
    stems,
)
from sqcorpus.text.corpus import CorpusSentence

DISTINCT = [
    "Presidenti rus mbërriti në Phenian për një vizitë zyrtare.",
    "Udhëheqësi koreano-verior e priti në aeroportin ndërkombëtar.",
    "Marrëveshja parashikon bashkëpunim ushtarak midis dy vendeve.",
    "Shtetet e Bashkuara shprehën shqetësim për traktatin e ri.",
    "Analistët thonë se takimi ndryshon ekuilibrin rajonal.",
    "Delegacionet diskutuan tregtinë, energjinë dhe transportin.",
    "Gazetarët nuk patën qasje në bisedimet e mbyllura.",
    "Kremlini publikoi fotografi nga ceremonia e mbërritjes.",
    "Ministria e Jashtme e Japonisë kërkoi sqarime të menjëhershme.",
    "Vizita zgjati dy ditë dhe përfundoi me një darkë shtetërore.",
]


def sentence(index: int, text: str, doc_id: str = "doc") -> CorpusSentence:
    return CorpusSentence(f"{doc_id}-s{index:03d}", doc_id, index, 0, len(text), text, ())


def corpus(texts: list[str], doc_id: str = "doc") -> list[CorpusSentence]:
    return [sentence(i, text, doc_id) for i, text in enumerate(texts, start=1)]


def test_stems_are_word_starts_of_four_letters_or_more() -> None:
    assert stems("Rusia dhe Rusisë, në 2024 me Korenë") == {"rusia", "rusis", "koren"}


def test_every_sentence_gets_a_split_near_the_target_shares() -> None:
    plan = assign_splits(corpus(DISTINCT), SplitFile())
    counts = {split: list(plan.assignment.values()).count(split) for split in TARGET_SHARES}
    assert counts == {"train": 6, "validation": 2, "test": 2}


def test_the_assignment_does_not_depend_on_the_order_of_sentences() -> None:
    sentences = corpus(DISTINCT)
    shuffled = sentences[:]
    random.Random(7).shuffle(shuffled)
    assert assign_splits(shuffled, SplitFile()).assignment == (
        assign_splits(sentences, SplitFile()).assignment
    )


def test_frozen_ids_never_move_and_removed_ids_stay_in_the_file() -> None:
    sentences = corpus(DISTINCT)
    frozen = SplitFile(assignment={s.id: "test" for s in sentences[:5]} | {"gone-s001": "train"})
    plan = assign_splits(sentences, frozen)
    assert all(plan.assignment[s.id] == "test" for s in sentences[:5])
    assert plan.assignment["gone-s001"] == "train"
    # The five new sentences fill the splits furthest below their share: not test.
    assert {plan.assignment[s.id] for s in sentences[5:]} <= {"train", "validation"}


def test_near_duplicates_share_a_split_even_when_one_is_frozen() -> None:
    original = DISTINCT[0]
    repeat = original.replace("zyrtare", "shtetërore")  # the same statement, lightly edited
    assert len(stems(original) & stems(repeat)) / len(stems(original) | stems(repeat)) >= (
        NEAR_DUPLICATE_THRESHOLD
    )
    sentences = [*corpus(DISTINCT), sentence(99, repeat)]
    first = assign_splits(sentences, SplitFile())
    assert first.assignment["doc-s099"] == first.assignment["doc-s001"]
    frozen = SplitFile(assignment={"doc-s001": "validation"})
    assert assign_splits(sentences, frozen).assignment["doc-s099"] == "validation"


def test_hand_made_groups_share_a_split() -> None:
    sentences = corpus(DISTINCT)
    group = {"ids": ["doc-s002", "doc-s009"], "reason": "the same claim, paraphrased"}
    plan = assign_splits(sentences, SplitFile(groups=(group,)))
    assert plan.assignment["doc-s002"] == plan.assignment["doc-s009"]
    assert plan.groups == (group,)


def test_the_split_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "splits.json"
    assert read_split_file(path) == SplitFile()  # no file yet: nothing frozen
    plan = assign_splits(corpus(DISTINCT), SplitFile(groups=({"ids": ["doc-s001"]},)))
    path.write_text(plan.to_json(), encoding="utf-8")
    assert read_split_file(path) == plan


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read the split file"),
        ('{"groups": []}', "cannot read the split file"),
        ('{"assignment": {"a-s001": "dev"}}', "id a-s001, field 'assignment': unknown split 'dev'"),
        ('{"assignment": {}, "groups": [["a-s001"]]}', "field 'groups[0]': a group is an object"),
        (
            '{"assignment": {"a-s001": "train", "a-s002": "test"}, '
            '"groups": [{"ids": ["a-s001", "a-s002"]}]}',
            "field 'groups[0]': the group's sentences are in different splits (test, train)",
        ),
    ],
    ids=["json", "no-assignment", "split", "group-shape", "group-split"],
)
def test_a_broken_split_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "splits.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SqcorpusError) as caught:
        read_split_file(path)
    assert caught.value.file == str(path)
    assert message in str(caught.value)


def test_the_split_file_states_its_rules() -> None:
    content = json.loads(SplitFile(assignment={"b-s002": "test", "a-s001": "train"}).to_json())
    assert content["target_shares"] == TARGET_SHARES
    assert content["near_duplicate_threshold"] == NEAR_DUPLICATE_THRESHOLD
    assert list(content["assignment"]) == ["a-s001", "b-s002"]  # sorted: stable diffs
