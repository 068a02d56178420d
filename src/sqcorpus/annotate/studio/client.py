"""The sqcorpus project on a Label Studio server, found by title, its labeling config checked
against the schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from label_studio_sdk import LabelStudio

from ...errors import SqcorpusError
from ..labelconfig import check_label_config, label_config
from .connection import server_id

DEFAULT_PROJECT: Final = "sqcorpus"


def find_project(client: LabelStudio, title: str) -> Any | None:
    """The project titled exactly ``title`` (the API filter matches substrings), or None."""
    projects: Iterable[Any] = client.projects.list(title=title)
    matches = [p for p in projects if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise SqcorpusError(
            f"{len(matches)} projects are titled {title!r} (ids {ids}); rename all but one",
            field="--project",
        )
    return matches[0] if matches else None


def checked_project(client: LabelStudio, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise SqcorpusError(
            f"no project titled {title!r}: run `sqcorpus studio push` first", field="--project"
        )
    return checked_config(client, project)


def checked_config(client: LabelStudio, project: Any, *, update: bool = False) -> Any:
    """The project, after checking its labeling config still matches the schema.

    A config that matches but differs cosmetically (hints, colours) is replaced by the
    generated one when ``update`` is set.
    """
    full = client.projects.get(project.id)
    where = f"Label Studio project {full.title!r} (id {full.id})"
    try:
        check_label_config(full.label_config or "", where)
    except SqcorpusError as err:
        raise SqcorpusError(
            f"{err.reason}; fix its labeling interface or push to a new --project",
            file=where,
            field="label_config",
        ) from None
    if update and full.label_config != label_config():
        client.projects.update(id=server_id(full.id, "a project"), label_config=label_config())
    return full
