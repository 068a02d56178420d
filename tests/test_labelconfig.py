"""The Label Studio config is generated from the schema, committed, and drift is caught."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from helpers import span
from sqcorpus import schema
from sqcorpus.annotate.convert import to_ls_results
from sqcorpus.annotate.labelconfig import (
    LABEL_STUDIO_RESERVED_KEYS,
    check_label_config,
    label_config,
    update_label_config,
)
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "annotation" / "label_config.xml"


def controls(xml: str) -> dict[str, ET.Element]:
    return {e.get("name", ""): e for e in ET.fromstring(xml).iter() if e.get("toName")}


def values(control: ET.Element) -> list[str]:
    return [child.get("value", "") for child in control]


def test_committed_file_is_the_generated_config() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == label_config()
    assert label_config() == label_config()  # deterministic


def test_every_control_and_label_comes_from_the_schema() -> None:
    root = ET.fromstring(label_config())
    assert root.tag == "View"
    texts = {e.get("name"): e.get("value") for e in root.iter("Text")}
    # The sentence, and its neighbours as read-only context (no control points at them).
    assert texts == {
        name: f"${name}" for name in (schema.LS_TEXT, schema.LS_PREVIOUS, schema.LS_NEXT)
    }
    headers = {h.get("value") for h in root.iter("Header")}
    assert {f"${schema.LS_SENTENCE_ID}", f"${schema.LS_TARGET}"} <= headers
    found = controls(label_config())
    assert set(found) == {
        schema.LS_ENTITIES,
        schema.LS_STANCE,
        schema.LS_HOLDER,
        schema.LS_HEDGES,
        schema.LS_NOTE,
    }
    assert all(c.get("toName") == schema.LS_TEXT for c in found.values())
    assert found[schema.LS_ENTITIES].tag == "Labels"
    assert values(found[schema.LS_ENTITIES]) == list(schema.ENTITY_LABELS)
    assert found[schema.LS_HEDGES].tag == "Labels"
    assert values(found[schema.LS_HEDGES]) == list(schema.HEDGE_SPAN_LABELS)
    for name, labels in (
        (schema.LS_STANCE, schema.STANCE_LABELS),
        (schema.LS_HOLDER, schema.HOLDER_LABELS),
    ):
        control = found[name]
        assert control.tag == "Choices"
        assert control.get("choice") == "single-radio" and control.get("required") == "true"
        assert values(control) == list(labels)
    assert found[schema.LS_NOTE].tag == "TextArea"


def test_entity_labels_have_hotkeys_1_to_9_colours_and_hints() -> None:
    entities = controls(label_config())[schema.LS_ENTITIES]
    assert [label.get("hotkey") for label in entities] == [str(i) for i in range(1, 10)]
    colours = [label.get("background") for label in entities]
    assert len(set(colours)) == len(colours) == 9
    for label in entities:
        assert label.get("hint") == schema.ENTITY_DESCRIPTIONS[label.get("value", "")]
        assert label.get("alias") is None  # an alias would replace the value in results


def test_hotkeys_are_unique_and_avoid_label_studio_keys() -> None:
    keys = [e.get("hotkey") for e in ET.fromstring(label_config()).iter() if e.get("hotkey")]
    assert len(keys) == len(set(keys)) == 9 + 2 + 3 + 2
    assert not set(keys) & LABEL_STUDIO_RESERVED_KEYS


def test_label_studio_sdk_accepts_the_config_and_our_results() -> None:
    interface = LabelInterface(label_config())
    interface.validate()
    text = "Sipas Tass, Putin pretendohet të ketë mbërritur sot."
    annotation = SentenceAnnotation(
        entities=[span(text, "Tass", "ORG"), span(text, "Putin", "PER"), span(text, "sot", "DATE")],
        stance="neutral",
        stance_holder="source",
        hedge_cues=[span(text, "pretendohet", "CUE")],
        hedge_scopes=[span(text, "pretendohet të ketë mbërritur sot", "SCOPE")],
        note="a doubt",
    )
    results = to_ls_results(annotation)
    assert {r["from_name"] for r in results} == set(controls(label_config()))
    assert interface.validate_prediction({"model_version": "test", "result": results})
    renamed = [{**r, "value": {**r["value"], "labels": ["PERSON"]}} for r in results[:1]]
    assert not interface.validate_prediction({"model_version": "test", "result": renamed})


def test_generated_config_passes_the_drift_check() -> None:
    check_label_config(label_config(), "generated")


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ('<Label value="LOC"', '<Label value="LOCATION"', "missing label 'LOC'"),
        ('<Label value="DATE"', '<Label value="TIME" /><Label value="DATE"', "extra label 'TIME'"),
        ('<Choice value="neutral"', '<Choice value="none"', "control 'stance': missing label"),
        ('name="hedges"', 'name="hedging"', "missing control 'hedges'"),
        ('<TextArea name="note"', '<Choices name="note"', "control 'note' is <Choices>"),
        ('<Choices name="holder" toName="text"', '<Choices name="holder" toName="txt"', "toName"),
        (
            'choice="single-radio" required="true" showInline="true">\n    <Choice value="author"',
            'choice="multiple">\n    <Choice value="author"',
            "'holder' must be single choice",
        ),
        ('<Label value="CUE"', '<Label alias="C" value="CUE"', "has an alias"),
        ('hotkey="s"', 'hotkey="c"', "hotkey 'c' used by hedges/CUE and hedges/SCOPE"),
        ('value="$text"', 'value="$sentence"', "must show $text"),
        ("</View>", '<Rating name="quality" toName="text" /></View>', "extra control 'quality'"),
    ],
)
def test_drift_is_named(old: str, new: str, complaint: str) -> None:
    xml = label_config()
    assert old in xml
    with pytest.raises(SqcorpusError) as caught:
        check_label_config(xml.replace(old, new, 1), "project 7")
    assert complaint in str(caught.value)
    assert "project 7" in str(caught.value)


def test_not_xml_is_an_error() -> None:
    with pytest.raises(SqcorpusError, match="not XML"):
        check_label_config("<View>", "project 7")


def test_cosmetic_changes_are_not_drift() -> None:
    xml = label_config().replace("#1F77B4", "#000000").replace('size="5"', 'size="4"')
    check_label_config(xml, "edited in the UI")


def test_cli_writes_then_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQCORPUS_ROOT", str(tmp_path))
    target = tmp_path / "annotation" / "label_config.xml"
    assert main(["label-config", "--check"]) == 1  # missing
    assert main(["label-config"]) == 0
    assert target.read_text(encoding="utf-8") == label_config()
    assert main(["label-config", "--check"]) == 0
    target.write_text(label_config().replace("#1F77B4", "#000000"), encoding="utf-8")
    stale = update_label_config(check=True, path=target)
    assert stale.changed and "#000000" in (stale.difference or "")
    assert main(["label-config", "--check"]) == 1
    assert update_label_config(path=target).changed is True
    assert target.read_text(encoding="utf-8") == label_config()
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


GUIDELINES = ROOT / "annotation" / "guidelines.md"


def table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the first table under ``heading``."""
    section = markdown.split(heading, 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # header and separator


def test_guidelines_agree_with_the_schema_and_the_config() -> None:
    text = GUIDELINES.read_text(encoding="utf-8")
    # The header names the version (and its date, which changes with it) the code records.
    header = re.fullmatch(r"\*\*Version (\S+) — \d{4}-\d{2}-\d{2}\*\*", text.splitlines()[2])
    assert header is not None
    assert header[1] == schema.GUIDELINES_VERSION
    labels = [row[0] for row in table_rows(text, "### 3.2 The labels")]
    assert labels == list(schema.ENTITY_LABELS)
    mapping = {row[0]: row[1] for row in table_rows(text, "## 7. Mapping to CoNLL-2003")}
    assert mapping == {k: v or "—" for k, v in schema.TO_CONLL2003.items()}
    hotkeys = " ".join(row[1] for row in table_rows(text, "Hotkeys (no two controls"))
    for element in ET.fromstring(label_config()).iter():
        if element.get("hotkey"):
            assert f"`{element.get('hotkey')}` {element.get('value')}" in hotkeys
