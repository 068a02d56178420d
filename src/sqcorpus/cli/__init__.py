"""The ``sqcorpus`` command: a thin layer over the Python API, one module a stage.

Each stage's module (:mod:`.text`, :mod:`.annotate`, :mod:`.release`, :mod:`.publish`,
:mod:`.evaluation`) declares its subcommands as pairs ``_add_<name>(subparsers)`` /
``_run_<name>(args) -> int`` and lists the adders in its ``COMMANDS``; :data:`COMMANDS` here
joins them in pipeline order. Errors from bad input (:class:`SqcorpusError`) become one line
on stderr and exit 1. Stage code is imported by the command that needs it, so that
``sqcorpus segment`` does not load ``datasets`` or scikit-learn.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import SqcorpusError
from ..files import refuse_inside_release
from . import annotate, evaluation, publish, release, text
from .common import Adder

__all__ = ["COMMANDS", "main"]

STAGE_MODULES = (text, annotate, release, publish, evaluation)
"""The command modules, in the order of the pipeline (and of ``sqcorpus --help``)."""

COMMANDS: tuple[Adder, ...] = tuple(add for module in STAGE_MODULES for add in module.COMMANDS)
"""Every subcommand, in the order ``sqcorpus --help`` lists them."""


def _parser(adders: Sequence[Adder]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqcorpus", description="Build, annotate and use the sqcorpus Albanian news corpus."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in adders:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and a non-zero exit.

    Bad input raises :class:`SqcorpusError` where it is found. The OS errors below are the
    last line of defence (each write already names its file): a reader that closed the pipe
    (``| head``), an interrupt, and any other OS error are one line, never a traceback.
    """
    args = _parser(COMMANDS).parse_args(argv)
    try:
        # Fail before any work when an output would land inside a release.
        for name, option in (("out", "--out"), ("json_out", "--json")):
            if isinstance(getattr(args, name, None), Path):
                try:
                    refuse_inside_release(getattr(args, name))
                except SqcorpusError as err:
                    raise SqcorpusError(err.reason, file=err.file, field=option) from None
        status: int = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not after exit
        return status
    except SqcorpusError as err:
        return _fail(args.command, str(err))
    except KeyboardInterrupt:
        _fail(args.command, "interrupted")
        return 130
    except BrokenPipeError:
        # Python would flush stdout again at exit and fail once more: point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _fail(args.command, "output closed before everything was written (broken pipe)")
    except OSError as err:
        reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        where = f"{err.filename}: " if err.filename else ""
        return _fail(args.command, f"{where}{reason}")
    except RecursionError:
        return _fail(args.command, "input nested too deeply")


def _fail(command: str, message: str) -> int:
    # If stderr itself is gone, the exit status still says it failed.
    with contextlib.suppress(OSError):
        print(f"sqcorpus {command}: error: {message}", file=sys.stderr)
    return 1
