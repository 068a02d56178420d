"""One error type for every bad input, naming where the problem is."""

from __future__ import annotations


class SqcorpusError(Exception):
    """A bad input or a refused operation.

    The message always names the file and, where known, the task or sentence id and
    the field, so a maintainer can go straight to the problem.
    """

    def __init__(
        self,
        message: str,
        *,
        file: object | None = None,
        item: str | int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.item = item
        self.field = field
        self.reason = message
        where = ", ".join(
            part
            for part in (
                self.file,
                None if item is None else f"id {item}",
                None if field is None else f"field {field!r}",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
