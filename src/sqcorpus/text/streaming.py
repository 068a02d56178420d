"""Segmenting a text that arrives in pieces, with memory bounded by its longest paragraph.

Paragraph breaks (``\\n``, ``\\r``, U+2028, U+2029) are hard sentence boundaries, so every
complete paragraph can be segmented, and its sentences handed on, as soon as its break has
arrived. Offsets stay code-point offsets into the whole text, exactly as
:func:`sqcorpus.text.segmentation.segment` gives them for the joined text.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, Final

from ..errors import SqcorpusError
from ..models import Sentence
from .segmentation import segment_paragraphs

__all__ = ["decode_utf8", "iter_segment"]

_BREAKS: Final = "\n\r\u2028\u2029"
_BLOCK: Final = 1 << 16


def _last_break(piece: str) -> int:
    """Index just after the last paragraph break in ``piece`` (0 if there is none)."""
    for index in range(len(piece) - 1, -1, -1):
        if piece[index] in _BREAKS:
            return index + 1
    return 0


def iter_segment(pieces: Iterable[str]) -> Iterator[Sentence]:
    """Sentences of the text ``"".join(pieces)``, yielded paragraph by paragraph.

    The pieces may be cut anywhere (lines read with ``newline=""``, blocks of a file);
    the result equals ``segment("".join(pieces))``.
    """
    pending: list[str] = []  # the unfinished paragraph, kept as pieces (joined once)
    offset = 0  # position of pending[0] in the whole text
    first = True
    for piece in pieces:
        cut = _last_break(piece)
        if not cut:
            pending.append(piece)
            continue
        text = "".join([*pending, piece[:cut]])
        yield from segment_paragraphs(text, offset, skip_bom=first)
        first = False
        offset += len(text)
        pending = [piece[cut:]]
    text = "".join(pending)
    yield from segment_paragraphs(text, offset, skip_bom=first)


def decode_utf8(
    stream: BinaryIO, name: str, *, before_read: Callable[[], object] | None = None
) -> Iterator[str]:
    """Decode a byte stream as strict UTF-8, block by block, newlines untouched.

    A block is handed on as soon as the stream returns it (``read1``), so a pipe is
    segmented while it is still being written; ``before_read`` runs before each read (the
    command flushes its output there, so what is done is seen before it waits). Invalid UTF-8 raises
    :class:`SqcorpusError` naming ``name`` and the byte offset of the first bad byte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    read = getattr(stream, "read1", stream.read)
    consumed = 0  # bytes given to the decoder before this block
    while True:
        if before_read is not None:
            before_read()
        try:
            block = read(_BLOCK)
        except OSError as err:
            raise SqcorpusError(f"cannot read text: {err.strerror or err}", file=name) from None
        # err.start counts from the bytes the decoder still held (an unfinished character).
        held = len(decoder.getstate()[0])
        try:
            text = decoder.decode(block, final=not block)
        except UnicodeDecodeError as err:
            raise SqcorpusError(
                f"invalid UTF-8 at byte {consumed - held + err.start}", file=name
            ) from None
        consumed += len(block)
        if text:
            yield text
        if not block:
            return
