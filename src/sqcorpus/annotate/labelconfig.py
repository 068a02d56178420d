"""The Label Studio labeling config, generated from :mod:`sqcorpus.schema`.

The XML is never edited by hand: :func:`label_config` builds it from the schema constants
(control names, label sets, descriptions), ``sqcorpus label-config`` writes it to
``annotation/label_config.xml``, and :func:`check_label_config` tells whether a config (for
example the one a running Label Studio project holds) still matches the schema.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from .. import paths, schema
from ..errors import SqcorpusError
from ..generated import Generated, sync, whole_file

# Tableau-10 colours: distinct, readable with the white label text Label Studio uses.
ENTITY_COLOURS: Final[dict[str, str]] = {
    "PER": "#1F77B4",
    "NORP": "#9467BD",
    "FAC": "#8C564B",
    "ORG": "#2CA02C",
    "GPE": "#D62728",
    "LOC": "#17BECF",
    "PRODUCT": "#E377C2",
    "EVENT": "#BCBD22",
    "DATE": "#FF7F0E",
}
# A strong dark cue over a yellow scope: two greys were hard to tell apart where scopes nest,
# and a grey scope made the sentence look disabled.
HEDGE_COLOURS: Final[dict[str, str]] = {"CUE": "#222222", "SCOPE": "#E6AB02"}
HEDGE_HINTS: Final[dict[str, str]] = {
    "CUE": "minimal word(s) expressing uncertainty or speculation (pretendohet, mund të, ...)",
    "SCOPE": "the clause a cue affects, cue included; one scope per cue",
}
# Hotkeys are explicit so none is generated behind our back. Label Studio 1.23 binds
# "u" (unselect region) and single letters e h k m o p r w to its own tools: avoid them.
ENTITY_HOTKEYS: Final[dict[str, str]] = {
    label: str(number) for number, label in enumerate(schema.ENTITY_LABELS, start=1)
}
HEDGE_HOTKEYS: Final[dict[str, str]] = {"CUE": "c", "SCOPE": "s"}
STANCE_HOTKEYS: Final[dict[str, str]] = {"favor": "f", "against": "a", "neutral": "n"}
HOLDER_HOTKEYS: Final[dict[str, str]] = {"author": "j", "source": "q"}
STANCE_HINTS: Final[dict[str, str]] = {
    "favor": "the holder supports or welcomes the target (or one can infer so)",
    "against": "the holder opposes or criticises the target, or one can infer so",
    "neutral": "neither, including plain factual reporting",
}
HOLDER_HINTS: Final[dict[str, str]] = {
    "author": "j = journalist: the stance is the author's own narration",
    "source": "q = quoted: the stance is a quoted or paraphrased speaker's",
}
LABEL_STUDIO_RESERVED_KEYS: Final = frozenset("ehkmoprwu")

# Control name -> (tag, labels). Label/Choice ``alias`` is refused: Label Studio writes the
# alias instead of the value into results, which would break the converter.
EXPECTED_CONTROLS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    schema.LS_ENTITIES: ("Labels", schema.ENTITY_LABELS),
    schema.LS_STANCE: ("Choices", schema.STANCE_LABELS),
    schema.LS_HOLDER: ("Choices", schema.HOLDER_LABELS),
    schema.LS_HEDGES: ("Labels", schema.HEDGE_SPAN_LABELS),
    schema.LS_NOTE: ("TextArea", ()),
}
_CHILD_TAG: Final = {"Labels": "Label", "Choices": "Choice"}
_OBJECT_TAGS: Final = frozenset({"text", "hypertext", "paragraphs"})
_CONTROL_TAGS: Final = frozenset(
    {"labels", "choices", "textarea", "rating", "number", "taxonomy", "relations", "datetime"}
)


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)


def _labels(
    parent: ET.Element,
    name: str,
    labels: Iterable[str],
    colours: dict[str, str],
    hotkeys: dict[str, str],
    hints: dict[str, str],
) -> None:
    control = _sub(parent, "Labels", name=name, toName=schema.LS_TEXT, showInline="true")
    for label in labels:
        _sub(
            control,
            "Label",
            value=label,
            background=colours[label],
            hotkey=hotkeys[label],
            hint=hints[label],
        )


def _choices(
    parent: ET.Element,
    name: str,
    choices: Iterable[str],
    hotkeys: dict[str, str],
    hints: dict[str, str],
) -> None:
    control = _sub(
        parent,
        "Choices",
        name=name,
        toName=schema.LS_TEXT,
        choice="single-radio",
        required="true",
        showInline="true",
    )
    for choice in choices:
        _sub(control, "Choice", value=choice, hotkey=hotkeys[choice], hint=hints[choice])


def label_config() -> str:
    """The labeling config XML (deterministic; ends with a newline)."""
    view = ET.Element("View")
    _sub(view, "Header", value=f"${schema.LS_SENTENCE_ID}", size="6")
    _sub(view, "Header", value="Entities (OntoNotes 5.0, flat, maximal names)", size="5")
    _labels(
        view,
        schema.LS_ENTITIES,
        schema.ENTITY_LABELS,
        ENTITY_COLOURS,
        ENTITY_HOTKEYS,
        schema.ENTITY_DESCRIPTIONS,
    )
    _sub(view, "Header", value="Hedging (a cue, and one scope per cue)", size="5")
    _labels(
        view, schema.LS_HEDGES, schema.HEDGE_SPAN_LABELS, HEDGE_COLOURS, HEDGE_HOTKEYS, HEDGE_HINTS
    )
    # Read-only neighbours: the stance holder depends on them (guidelines). No control
    # points at them, so nothing in them can be labelled.
    context = "color: #666; font-size: 14px; padding: 2px 10px"
    _sub(view, "Header", value="Previous sentence (context only)", size="6")
    _sub(
        _sub(view, "View", style=context),
        "Text",
        name=schema.LS_PREVIOUS,
        value=f"${schema.LS_PREVIOUS}",
    )
    # The sentence is what the annotator reads: framed and larger than the controls.
    _sub(view, "Header", value="Sentence", size="5")
    sentence = _sub(
        view,
        "View",
        style="font-size: 17px; line-height: 1.8; padding: 10px; border: 1px solid #ccc",
    )
    # Word granularity snaps a selection to whole words, so spans land on token boundaries.
    _sub(sentence, "Text", name=schema.LS_TEXT, value=f"${schema.LS_TEXT}", granularity="word")
    _sub(view, "Header", value="Next sentence (context only)", size="6")
    _sub(_sub(view, "View", style=context), "Text", name=schema.LS_NEXT, value=f"${schema.LS_NEXT}")
    _sub(view, "Header", value="Stance toward the document's target:", size="5")
    _sub(view, "Header", value=f"${schema.LS_TARGET}", size="5")
    _choices(view, schema.LS_STANCE, schema.STANCE_LABELS, STANCE_HOTKEYS, STANCE_HINTS)
    _sub(
        view,
        "Header",
        value="Whose stance is it? (j = journalist/author, q = quoted or paraphrased source;"
        " required even when neutral)",
        size="5",
    )
    _choices(view, schema.LS_HOLDER, schema.HOLDER_LABELS, HOLDER_HOTKEYS, HOLDER_HINTS)
    _sub(
        view,
        "Header",
        value="Note (doubts, for the adjudicator; hover a saved note to edit it)",
        size="5",
    )
    _sub(
        view,
        "TextArea",
        name=schema.LS_NOTE,
        toName=schema.LS_TEXT,
        rows="2",
        editable="true",
        maxSubmissions="1",
        placeholder="doubts about this sentence (optional)",
    )
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def check_label_config(xml: str, where: str) -> None:
    """Raise :class:`SqcorpusError` naming every way ``xml`` drifted from the schema.

    Checks the control names, their tag types and ``toName``, the exact label/choice sets,
    single choice for stance and holder, no ``alias`` (it would rename values in results),
    no duplicate hotkeys, and the ``text`` object bound to ``$text``. Cosmetic attributes
    (colours, hints, headers, layout) may differ.
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as err:
        raise SqcorpusError(f"label config is not XML: {err}", file=where) from None
    problems: list[str] = []
    elements = list(root.iter())
    objects = {e.get("name"): e for e in elements if e.tag.lower() in _OBJECT_TAGS}
    text = objects.get(schema.LS_TEXT)
    if text is None or text.tag.lower() != "text":
        problems.append(f"no <Text name={schema.LS_TEXT!r}> object")
    elif text.get("value") != f"${schema.LS_TEXT}":
        problems.append(f"<Text name={schema.LS_TEXT!r}> must show ${schema.LS_TEXT}")
    controls = {e.get("name"): e for e in elements if e.tag.lower() in _CONTROL_TAGS}
    for name in sorted(set(controls) - set(EXPECTED_CONTROLS), key=str):
        problems.append(f"extra control {name!r} (<{controls[name].tag}>)")
    hotkeys: dict[str, str] = {}
    for name, (tag, expected) in EXPECTED_CONTROLS.items():
        control = controls.get(name)
        if control is None:
            problems.append(f"missing control {name!r} (<{tag}>)")
            continue
        if control.tag.lower() != tag.lower():
            problems.append(f"control {name!r} is <{control.tag}>, expected <{tag}>")
            continue
        if control.get("toName") != schema.LS_TEXT:
            problems.append(f"control {name!r} has toName={control.get('toName')!r}")
        if tag == "Choices" and control.get("choice", "single") not in ("single", "single-radio"):
            problems.append(f"control {name!r} must be single choice")
        children = [c for c in control if c.tag.lower() == _CHILD_TAG.get(tag, "").lower()]
        values = [c.get("value") for c in children]
        for value in sorted(set(expected) - set(values)):
            problems.append(f"control {name!r}: missing label {value!r}")
        for value in sorted({v or "" for v in values} - set(expected)):
            problems.append(f"control {name!r}: extra label {value!r}")
        for value in sorted({v for v in values if v and values.count(v) > 1}):
            problems.append(f"control {name!r}: label {value!r} appears twice")
        for child in children:
            if child.get("alias") is not None:
                problems.append(f"control {name!r}: label {child.get('value')!r} has an alias")
            key = child.get("hotkey")
            if key is None:
                continue
            owner = f"{name}/{child.get('value')}"
            if key in hotkeys:
                problems.append(f"hotkey {key!r} used by {hotkeys[key]} and {owner}")
            hotkeys[key] = owner
    if problems:
        raise SqcorpusError(
            "label config drifted from the schema: " + "; ".join(problems), file=where
        )


def update_label_config(*, check: bool = False, path: Path | None = None) -> Generated:
    """Write (or with ``check``, compare) ``annotation/label_config.xml`` from the schema."""
    target = path or paths.label_config_file()
    return sync("label-config", target, whole_file(target), label_config(), check=check)
