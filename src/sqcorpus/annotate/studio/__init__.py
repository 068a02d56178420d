"""Stage 3, annotate: a local Label Studio server, and pushing tasks to it and pulling them back.

The package reads from its foot up: ``connection`` (where a server is, its token kept out of
every message), ``install`` (Label Studio in a virtual environment of its own), ``server``
(a local server on 127.0.0.1 with SQLite), ``client`` (the project and its labeling config),
``push`` (import every sentence with its pre-annotation), ``pseudonyms`` (no e-mail address
ever leaves the server) and ``pull`` (pseudonymized exports and progress).

Label Studio does not validate results: checking them is the converter's job
(:mod:`sqcorpus.annotate.convert`). This module gathers the public names, so callers can
write ``studio.push(...)``.
"""

from .client import DEFAULT_PROJECT, find_project
from .connection import CONNECTION_FILE, Connection, connect, resolve_connection
from .install import LABEL_STUDIO_VERSION, install, installed_version, venv_dir
from .pseudonyms import PSEUDONYM_FILE, Pseudonyms, find_email, pseudonymize
from .pull import PullSummary, StatusReport, format_pull, format_status, pull, status
from .push import PushSummary, format_push, push, task_payload
from .server import ADMIN_USERNAME, LocalServer, running_server, serve

__all__ = [
    "ADMIN_USERNAME",
    "CONNECTION_FILE",
    "DEFAULT_PROJECT",
    "LABEL_STUDIO_VERSION",
    "PSEUDONYM_FILE",
    "Connection",
    "LocalServer",
    "Pseudonyms",
    "PullSummary",
    "PushSummary",
    "StatusReport",
    "connect",
    "find_email",
    "find_project",
    "format_pull",
    "format_push",
    "format_status",
    "install",
    "installed_version",
    "pseudonymize",
    "pull",
    "push",
    "resolve_connection",
    "running_server",
    "serve",
    "status",
    "task_payload",
    "venv_dir",
]
