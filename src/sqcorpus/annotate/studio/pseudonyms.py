"""Pseudonyms: every user reference of a Label Studio export replaced by a stable
``annotator-NN`` name, and any e-mail address left over refused, so that no personal data
reaches the repository, a release or a log."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ... import schema
from ...errors import SqcorpusError
from ...files import read_json, write_json

PSEUDONYM_FILE: Final = "pseudonyms.json"
EMAIL_PATTERN: Final = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
# Export fields that hold a user (an id, a user object, an e-mail or a list of them).
USER_FIELDS: Final = frozenset(
    {
        "annotator",
        "annotators",
        "assignee",
        "comment_authors",
        "completed_by",
        "created_by",
        "last_created_by",
        "owner",
        "reviewed_by",
        "reviewers",
        "updated_by",
        "user",
    }
)
# Dropped from pulled exports: "created_ago" changes with the clock (the files would never be
# stable) and drafts are an annotator's unsubmitted work, not annotations.
DROPPED_FIELDS: Final = frozenset({"created_ago", "drafts"})


class Pseudonyms:
    """Stable ``annotator-NN`` names for Label Studio users, kept outside git.

    The map (e-mail → pseudonym) lives in the data folder; a user keeps their pseudonym across
    pulls and servers. New users are numbered in the order of their server user id.
    """

    def __init__(self, path: Path, table: dict[str, str] | None = None) -> None:
        self.path = path
        self.table: dict[str, str] = dict(table or {})
        self.reserved: set[str] = set()
        """Pseudonyms already in the committed exports (from another data folder): a new
        user never gets one, so one pseudonym never names two people."""

    @classmethod
    def load(cls, path: Path) -> Pseudonyms:
        if not path.is_file():
            return cls(path)
        saved = read_json(path, what="pseudonym file")
        table = saved.get("annotators") if isinstance(saved, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise SqcorpusError("needs an 'annotators' object of strings", file=path)
        return cls(path, table)

    def save(self) -> None:
        content = {
            "note": "private: maps Label Studio users to the pseudonyms in the exports; "
            "never commit this file",
            "annotators": dict(sorted(self.table.items(), key=lambda item: item[1])),
        }
        write_json(self.path, content, mode=0o600)

    def name(self, key: str) -> str:
        """The pseudonym of ``key`` (an e-mail, or ``id:N`` for an unknown user)."""
        key = key.strip().lower()
        if key not in self.table:
            names = {*self.table.values(), *self.reserved}
            taken = {int(v.rsplit("-", 1)[1]) for v in names if v[-2:].isdigit()}
            number = max(taken, default=0) + 1
            self.table[key] = f"annotator-{number:02d}"
        return self.table[key]


@dataclass(frozen=True, slots=True)
class _User:
    id: int | None
    key: str


class _Anonymizer:
    """Replaces every user reference of an export with a pseudonym."""

    def __init__(self, pseudonyms: Pseudonyms, users: Mapping[int, str]) -> None:
        self.pseudonyms = pseudonyms
        self.emails = {uid: email.strip().lower() for uid, email in users.items() if email}

    def _identify(self, value: Any) -> _User | None:
        if value is None or value == "" or isinstance(value, bool):
            return None
        if isinstance(value, int):
            return _User(value, self.emails.get(value, f"id:{value}"))
        if isinstance(value, Mapping):
            uid = value.get("id")
            uid = uid if isinstance(uid, int) and not isinstance(uid, bool) else None
            email = value.get("email")
            if isinstance(email, str) and email:
                return _User(uid, email.strip().lower())
            if uid is not None:
                return _User(uid, self.emails.get(uid, f"id:{uid}"))
            username = value.get("username")
            return _User(None, str(username)) if username else None
        if isinstance(value, str):
            # created_username looks like "<email>, <id>"
            head, _, tail = value.partition(", ")
            uid = int(tail) if tail.strip().isdigit() else None
            return _User(uid, head)
        return None

    def _users_in(self, value: Any, key: str | None = None) -> Iterator[_User]:
        if key in USER_FIELDS or key == "created_username":
            for item in value if isinstance(value, list) else [value]:
                user = self._identify(item)
                if user is not None:
                    yield user
        elif isinstance(value, Mapping):
            if "email" in value:
                user = self._identify(value)
                if user is not None:
                    yield user
                return
            for name, item in value.items():
                if name not in DROPPED_FIELDS:
                    yield from self._users_in(item, name)
        elif isinstance(value, list):
            for item in value:
                yield from self._users_in(item)

    def assign(self, tasks: Sequence[Any]) -> None:
        """Give pseudonyms to new users: annotators first, each group by server id."""
        completed = [
            annotation.get("completed_by")
            for task in tasks
            for annotation in task.get("annotations", [])
            if isinstance(annotation, Mapping)
        ]
        # "annotators" is a user field: each item of the list is identified as a user.
        for users in (self._users_in(completed, "annotators"), self._users_in(list(tasks))):
            unique = {user.key: user for user in users}
            for user in sorted(unique.values(), key=lambda u: (u.id is None, u.id or 0, u.key)):
                self.pseudonyms.name(user.key)

    def _pseudonym(self, value: Any) -> str | None:
        user = self._identify(value)
        return None if user is None else self.pseudonyms.name(user.key)

    def clean(self, value: Any, key: str | None = None) -> Any:
        if key == "completed_by":
            name = self._pseudonym(value)
            return None if name is None else {"username": name}
        if key in USER_FIELDS or key == "created_username":
            if isinstance(value, list):
                return sorted({n for n in map(self._pseudonym, value) if n is not None})
            return self._pseudonym(value)
        if isinstance(value, Mapping):
            if "email" in value:
                name = self._pseudonym(value)
                return None if name is None else {"username": name}
            return {
                name: self.clean(item, name)
                for name, item in value.items()
                if name not in DROPPED_FIELDS
            }
        if isinstance(value, list):
            return [self.clean(item) for item in value]
        return value


def find_email(value: Any, where: str = "", corpus: Sequence[str] = ()) -> str | None:
    """The location (a JSON path) of the first e-mail-like string in ``value``, or None.

    Strings that are part of the corpus text itself (``corpus``: a task's sentence and its
    context) are not annotator data: a news text may print a help line's address.
    """
    if isinstance(value, str):
        if not EMAIL_PATTERN.search(value) or any(value in text for text in corpus):
            return None
        return where or "."
    if isinstance(value, Mapping):
        for name, item in value.items():
            found = find_email(name, where, corpus) or find_email(item, f"{where}.{name}", corpus)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = find_email(item, f"{where}[{index}]", corpus)
            if found:
                return found
    return None


def corpus_text(task: Any) -> tuple[str, ...]:
    """A task's sentence and context: corpus text, not annotator data."""
    data = task.get("data") if isinstance(task, Mapping) else None
    if not isinstance(data, Mapping):
        return ()
    fields = (schema.LS_TEXT, schema.LS_PREVIOUS, schema.LS_NEXT)  # sentence and context
    return tuple(data[f] for f in fields if isinstance(data.get(f), str))


def pseudonymize(
    tasks: Sequence[Any], pseudonyms: Pseudonyms, users: Mapping[int, str] | None = None
) -> list[Any]:
    """The tasks with every user reference replaced by a pseudonym; refuses any e-mail left."""
    anonymizer = _Anonymizer(pseudonyms, users or {})
    anonymizer.assign(tasks)
    cleaned = [anonymizer.clean(task) for task in tasks]
    where = next(
        (
            found
            for index, task in enumerate(cleaned)
            if (found := find_email(task, f"[{index}]", corpus_text(task)))
        ),
        None,
    )
    if where is not None:
        raise SqcorpusError(
            "an e-mail address remains after pseudonymizing; nothing was written",
            field=f"tasks{where}",
        )
    return cleaned
