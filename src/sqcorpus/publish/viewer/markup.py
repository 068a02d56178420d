"""A sentence as HTML with its entities, hedge cues and (nested) hedge scopes drawn over it.

Spans of different layers may cross (an entity half inside a scope, two scopes that overlap
without nesting). HTML elements must nest, so the markup is built from the boundaries of
every span: between two consecutive boundaries the set of open spans is constant, and the
element stack is rewritten to that set, closing and reopening a span where another crosses
it. Every piece of one span carries the same ``data-mark`` id, so a split span still counts
once. The text is always escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from .model import Mark

_LAYER_ORDER = {"scope": 0, "entity": 1, "cue": 2}
"""Outermost first: scopes hold entities and cues, entities hold cues."""


def scope_depths(marks: Sequence[Mark]) -> dict[int, int]:
    """For each scope (by position in ``marks``), how many other scopes contain it."""
    scopes = [(i, m) for i, m in enumerate(marks) if m.kind == "scope"]
    depths = {}
    for i, mark in scopes:
        depths[i] = sum(
            1
            for j, other in scopes
            if j != i
            and other.start <= mark.start
            and mark.end <= other.end
            and (other.start, -other.end, j) < (mark.start, -mark.end, i)
        )
    return depths


def _opening(ident: str, mark: Mark, depth: int, first: bool) -> str:
    classes = [mark.kind]
    attributes = [f'data-mark="{ident}"']
    if mark.kind == "entity":
        classes.append(f"ent-{escape(mark.label)}")
        attributes.append(f'data-label="{escape(mark.label)}" title="{escape(mark.label)}"')
    elif mark.kind == "scope":
        classes.append(f"depth-{min(depth, 3)}")
        attributes.append(f'data-depth="{depth}" title="hedge scope"')
    else:
        attributes.append('title="hedge cue"')
    if first:
        classes.append("first")
    if mark.disputed:
        classes.append("disputed")
    return f'<span class="{" ".join(classes)}" {" ".join(attributes)}>'


def sentence_markup(text: str, marks: Sequence[Mark], prefix: str = "m") -> str:
    """``text`` as escaped HTML with ``marks`` drawn; ``prefix`` keeps mark ids page-unique.

    The first piece of a span has the class ``first``, the last one ``last`` (where the
    CSS draws a scope's brackets and an entity's label).
    """
    depths = scope_depths(marks)
    valid = [i for i, m in enumerate(marks) if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(marks[i].start for i in valid), *(marks[i].end for i in valid)})

    def order(i: int) -> tuple[int, int, int, int, int]:
        mark = marks[i]
        return (_LAYER_ORDER[mark.kind], depths.get(i, 0), mark.start, -mark.end, i)

    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (mark index, position of its opening tag in out)

    def close_to(keep: int, at: int) -> None:
        while len(stack) > keep:
            i, opened = stack.pop()
            if marks[i].end == at:
                out[opened] = out[opened].replace('class="', 'class="last ', 1)
            out.append("</span>")

    for left, right in itertools.pairwise(cuts):
        wanted = sorted(
            (i for i in valid if marks[i].start <= left and right <= marks[i].end), key=order
        )
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep][0] == wanted[keep]:
            keep += 1
        close_to(keep, left)
        for i in wanted[keep:]:
            out.append(_opening(f"{prefix}{i}", marks[i], depths.get(i, 0), marks[i].start == left))
            stack.append((i, len(out) - 1))
        out.append(escape(text[left:right]))
    close_to(0, len(text))
    return "".join(out)
