"""Stage 3, annotate: a local Label Studio server, and pushing tasks to it and pulling them back.

The package reads from its foot up: ``connection`` (where a server is, its token kept out of
every message), ``install`` (Label Studio in a virtual environment of its own), ``server``
(a local server on 127.0.0.1 with SQLite or PostgreSQL, see ``postgres``), ``users``
(one account per annotator), ``client`` (the project and its labeling config),
``push`` (import every sentence with its context, target and pre-annotation, to an
annotator's own project for blind double annotation), ``pseudonyms`` (no e-mail address
ever leaves the server) and ``pull`` (every project's annotations, pseudonymized and merged
by ``merge`` into the exports without losing any).

Label Studio does not validate results: checking them is the converter's job
(:mod:`sqcorpus.annotate.convert`). This module gathers the public names, so callers can
write ``studio.push(...)``.
"""

from .client import DEFAULT_PROJECT, find_project
from .command import label_studio_command, serve
from .connection import CONNECTION_FILE, Connection, connect, resolve_connection
from .gold import ADJUDICATION_PROJECT
from .install import LABEL_STUDIO_VERSION, install, installed_version, venv_dir
from .merge import MergeReport
from .postgres import Database, PrivateCluster, parse_database_url
from .pseudonyms import PSEUDONYM_FILE, Pseudonyms, find_email, pseudonymize
from .pull import PullSummary, StatusReport, format_pull, format_status, pull, status
from .push import PushSummary, format_push, push, task_payload
from .server import ADMIN_USERNAME, LocalServer, lock_owner, running_server
from .users import Annotator, add_user, annotator_connection, project_title, read_users

__all__ = [
    "ADJUDICATION_PROJECT",
    "ADMIN_USERNAME",
    "CONNECTION_FILE",
    "DEFAULT_PROJECT",
    "LABEL_STUDIO_VERSION",
    "PSEUDONYM_FILE",
    "Annotator",
    "Connection",
    "Database",
    "LocalServer",
    "MergeReport",
    "PrivateCluster",
    "Pseudonyms",
    "PullSummary",
    "PushSummary",
    "StatusReport",
    "add_user",
    "annotator_connection",
    "connect",
    "find_email",
    "find_project",
    "format_pull",
    "format_push",
    "format_status",
    "install",
    "installed_version",
    "label_studio_command",
    "lock_owner",
    "parse_database_url",
    "project_title",
    "pseudonymize",
    "pull",
    "push",
    "read_users",
    "resolve_connection",
    "running_server",
    "serve",
    "status",
    "task_payload",
    "venv_dir",
]
