"""What the stage command modules share: schema-backed choices, ``--check`` reports, output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from functools import cached_property

from ..generated import Generated

Adder = Callable[[argparse._SubParsersAction], None]
"""Adds one subcommand to the parser; its ``run`` default is the ``_run_`` function."""


class SchemaChoices(Sequence[str]):
    """Choices of an option, read from :mod:`sqcorpus.schema` (which imports ``datasets``) only
    when argparse checks them, so that ``sqcorpus segment`` never loads it. Options using it
    give a ``metavar``: argparse would otherwise list the choices while building the parser."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def values(self) -> tuple[str, ...]:
        from .. import schema

        return tuple(getattr(schema, self.name))

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self.values[index]

    def __len__(self) -> int:
        return len(self.values)


SPLITS = SchemaChoices("SPLITS")
CONFIGS = SchemaChoices("CONFIGS")
EVAL_CONFIGS = SchemaChoices("EVAL_CONFIGS")


def report_generated(result: Generated, check: bool) -> int:
    """``--check`` exits 1 naming the first differing line; otherwise says what was written."""
    code, line = result.report(check)
    print(line, file=sys.stderr if code else sys.stdout)
    return code
