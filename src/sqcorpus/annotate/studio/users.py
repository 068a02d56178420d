"""Annotator accounts: one Label Studio user per annotator, with its own password and API token.

``add_user`` creates ``NAME@annotators.sqcorpus.invalid`` (the ``.invalid`` top-level domain
says it is no real address), sets a generated password with Label Studio's own
``reset_password`` (the API ignores passwords), logs in once to check it and fetch the user's
API token, and keeps name, e-mail, password and token in ``<data dir>/users.json`` (mode
0600, git-ignored). Only the password is ever shown, once, to the maintainer who creates it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx

from ... import paths
from ...errors import SqcorpusError
from ...files import read_json, write_json
from .command import label_studio_command
from .connection import Connection, connect, resolve_connection, translated

USERS_FILE: Final = "users.json"
EMAIL_DOMAIN: Final = "annotators.sqcorpus.invalid"
NAME_PATTERN: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
PROJECT_PREFIX: Final = "sqcorpus-"


@dataclass(frozen=True, slots=True)
class Annotator:
    """An annotator account (password and token are never printed: ``repr`` hides them)."""

    name: str
    email: str
    password: str = field(repr=False)
    token: str = field(repr=False)

    @property
    def project(self) -> str:
        """The annotator's own project: blind double annotation needs one per annotator."""
        return project_title(self.name)


def project_title(name: str) -> str:
    return PROJECT_PREFIX + check_name(name)


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise SqcorpusError(
            "an annotator name is 1-32 lower-case letters, digits and inner hyphens",
            item=name,
            field="NAME",
        )
    return name


def users_file(data_dir: Path | None = None) -> Path:
    return (data_dir or paths.studio_data_dir()) / USERS_FILE


def read_users(data_dir: Path | None = None) -> dict[str, Annotator]:
    """The annotators recorded in ``users.json`` (empty when there is none)."""
    path = users_file(data_dir)
    if not path.is_file():
        return {}
    saved = read_json(path, what="users file")
    table = saved.get("annotators") if isinstance(saved, dict) else None
    if not isinstance(table, dict):
        raise SqcorpusError("needs an 'annotators' object", file=path)
    found = {}
    for name, entry in table.items():
        keys = ("email", "password", "token")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise SqcorpusError("needs e-mail, password and token strings", file=path, item=name)
        found[name] = Annotator(name, entry["email"], entry["password"], entry["token"])
    return found


def _save(users: dict[str, Annotator], data_dir: Path | None) -> None:
    content = {
        "note": "private: annotator accounts of the local Label Studio; never commit this file",
        "annotators": {
            a.name: {"email": a.email, "password": a.password, "token": a.token}
            for a in sorted(users.values(), key=lambda a: a.name)
        },
    }
    write_json(users_file(data_dir), content, mode=0o600)


def _login_token(url: str, email: str, password: str) -> str:
    """Log in on the web form as the user (proving the password works) and read its token."""
    with httpx.Client(base_url=url, timeout=60.0, follow_redirects=False) as web:
        web.get("/user/login/")
        csrf = web.cookies.get("csrftoken") or ""
        answer = web.post(
            "/user/login/",
            data={"email": email, "password": password, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{url}/user/login/", "X-CSRFToken": csrf},
        )
        if answer.status_code != 302:
            raise SqcorpusError(
                f"logging in as the new annotator failed (HTTP {answer.status_code})", item=email
            )
        token = web.get("/api/current-user/token").json().get("token")
    if not isinstance(token, str) or not token:
        raise SqcorpusError("Label Studio returned no API token for the new annotator", item=email)
    return token


def add_user(
    name: str,
    *,
    data_dir: Path | None = None,
    connection: Connection | None = None,
) -> Annotator:
    """Create the annotator's account and record it in ``users.json``; returns it."""
    check_name(name)
    users = read_users(data_dir)
    if name in users:
        raise SqcorpusError("this annotator already has an account", item=name, field="NAME")
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    email = f"{name}@{EMAIL_DOMAIN}"
    with translated(conn, f"creating the account of {name!r}"):
        taken = any((u.email or "").lower() == email for u in client.users.list())
        if taken:
            raise SqcorpusError(
                "the server already has this account but users.json does not; its password and "
                "token are unknown here",
                item=name,
                field="NAME",
            )
        client.users.create(username=name, email=email, first_name=name)
    password = secrets.token_urlsafe(12)
    label_studio_command(data_dir, "reset_password", "--username", email, "--password", password)
    token = _login_token(conn.url, email, password)
    annotator = Annotator(name, email, password, token)
    users[name] = annotator
    _save(users, data_dir)
    return annotator


def annotator_connection(name: str, data_dir: Path | None = None) -> Connection:
    """A connection to the server with the annotator's own token (for scripted annotators)."""
    users = read_users(data_dir)
    if name not in users:
        raise SqcorpusError(
            "no such annotator: add it with `sqcorpus studio users add NAME`", item=name
        )
    base = resolve_connection(data_dir)
    return Connection(base.url, users[name].token, f"{USERS_FILE} ({name})")


def login_help(annotator: Annotator, url: str, *, password_file: Path | None = None) -> str:
    """What the maintainer hands the annotator (the only place the password is shown)."""
    password = f"in {password_file}" if password_file else annotator.password
    return "\n".join(
        [
            f"annotator {annotator.name!r} added",
            f"  log in at: {url}/user/login/",
            f"  e-mail:    {annotator.email}",
            f"  password:  {password}",
            f"  project:   {annotator.project} (push to it: "
            f"`sqcorpus studio push --annotator {annotator.name}`)",
            f"  the API token is in {USERS_FILE} (private); this password is not shown again",
        ]
    )


def describe(users: dict[str, Any]) -> str:
    return "\n".join(sorted(users)) if users else "no annotators yet"
