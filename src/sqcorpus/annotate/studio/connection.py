"""Where a Label Studio server is and how to talk to it: the foot of the ``studio`` package.

A :class:`Connection` comes from ``$LABEL_STUDIO_URL`` + ``$LABEL_STUDIO_API_KEY`` or from the
connection file a local server wrote (mode 0600). The API token never appears in messages or
output: ``repr`` hides it and every client error is translated into one line without it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from ... import paths
from ...errors import SqcorpusError
from ...files import read_json

CONNECTION_FILE: Final = "connection.json"
POLL_INTERVAL: Final = 0.25
"""Seconds between two polls of the server (readiness, exports)."""


@dataclass(frozen=True, slots=True)
class Connection:
    """Where the server is and the API token to use (never printed: ``repr`` hides it)."""

    url: str
    token: str = field(repr=False)
    source: str = "environment"

    def scrub(self, text: str) -> str:
        """``text`` with the token blanked out (for messages built from server answers)."""
        return text.replace(self.token, "***") if self.token else text


def resolve_connection(data_dir: Path | None = None) -> Connection:
    """``$LABEL_STUDIO_URL`` + ``$LABEL_STUDIO_API_KEY``, else what ``serve`` wrote."""
    url = os.environ.get("LABEL_STUDIO_URL", "")
    token = os.environ.get("LABEL_STUDIO_API_KEY", "")
    if url and token:
        return Connection(url.rstrip("/"), token, "environment")
    if url or token:
        missing = "LABEL_STUDIO_API_KEY" if url else "LABEL_STUDIO_URL"
        raise SqcorpusError(
            f"set both LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY ({missing} is unset)"
        )
    path = (data_dir or paths.studio_data_dir()) / CONNECTION_FILE
    if not path.is_file():
        raise SqcorpusError(
            "no Label Studio connection: start one with `sqcorpus studio serve` or set "
            "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY",
            file=path,
        )
    saved = read_json(path, what="connection file")
    if not isinstance(saved, dict) or not all(
        isinstance(saved.get(key), str) and saved[key] for key in ("url", "token")
    ):
        raise SqcorpusError("needs non-empty 'url' and 'token' strings", file=path)
    return Connection(saved["url"].rstrip("/"), saved["token"], str(path))


def _api_error_detail(err: Exception) -> str:
    body = getattr(err, "body", None)
    if isinstance(body, Mapping):
        body = body.get("detail") or body.get("validation_errors") or body
    text = " ".join(str(body or err).split())
    return text[:300]


@contextlib.contextmanager
def translated(connection: Connection, action: str) -> Iterator[None]:
    """Turn client errors into one-line :class:`SqcorpusError`\\ s without the token."""
    try:
        yield
    except ApiError as err:
        status = err.status_code
        if status in (401, 403):
            message = (
                f"Label Studio at {connection.url} rejected the API token (HTTP {status}) while "
                f"{action}; check the token from {connection.source}"
            )
        else:
            message = (
                f"Label Studio at {connection.url} answered HTTP {status} while {action}: "
                f"{_api_error_detail(err)}"
            )
        raise SqcorpusError(connection.scrub(message)) from None
    except httpx.HTTPError as err:
        message = (
            f"cannot reach Label Studio at {connection.url} while {action} "
            f"({type(err).__name__}: {err}); is it running? (`sqcorpus studio serve`)"
        )
        raise SqcorpusError(connection.scrub(message)) from None


def server_id(value: int | None, what: str) -> int:
    """The id the server gave an object (the SDK types every id as optional)."""
    if value is None:
        raise SqcorpusError(f"Label Studio returned {what} without an id")
    return int(value)


def connect(connection: Connection | None = None, *, data_dir: Path | None = None) -> LabelStudio:
    """A client for a server that is up and accepts the token; raise a clear error otherwise."""
    conn = connection or resolve_connection(data_dir)
    # A plain health probe first: the SDK retries refused connections for seconds.
    with translated(conn, "checking its health"):
        answer = httpx.get(f"{conn.url}/health", timeout=10.0)
    if answer.status_code != 200:
        raise SqcorpusError(
            f"Label Studio at {conn.url} is not healthy (GET /health: HTTP {answer.status_code})"
        )
    client = LabelStudio(base_url=conn.url, api_key=conn.token, timeout=120.0)
    with translated(conn, "checking the API token"):
        client.users.whoami()
    return client
