"""Stage 3, annotate: a local Label Studio server, and pushing tasks to it and pulling them back.

- :func:`install` puts Label Studio in a virtual environment of its own (it pins many
  dependencies that must not leak into the toolkit's environment).
- :class:`LocalServer` / :func:`running_server` start it on 127.0.0.1 with SQLite in a data
  folder (default ``<project root>/.studio/``, never committed) and an admin account whose
  random API token is written to ``<data dir>/connection.json`` (mode 0600).
- :func:`push` creates the project and imports every corpus sentence once, with a
  pre-annotation as the prediction; :func:`pull` exports every task with full annotations,
  replaces annotator identities with stable pseudonyms and writes
  ``annotation/exports/<doc_id>.json``; :func:`status` reports progress.

Label Studio does not validate results: checking them is the converter's job
(:mod:`sqcorpus.convert`). The API token never appears in messages or output.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from .. import paths, schema
from ..errors import SqcorpusError
from ..files import write_atomic

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

    from ..text.corpus import CorpusSentence

LABEL_STUDIO_VERSION: Final = "1.23.2"
DEFAULT_PROJECT: Final = "sqcorpus"
ADMIN_USERNAME: Final = "admin@sqcorpus.local"
CONNECTION_FILE: Final = "connection.json"
PSEUDONYM_FILE: Final = "pseudonyms.json"
LOG_FILE: Final = "label-studio.log"
IMPORT_BATCH: Final = 100
START_TIMEOUT: Final = 300.0
"""Seconds to wait for readiness: a fresh data folder runs its migrations first (~30 s)."""
EXPORT_TIMEOUT: Final = 300.0
STOP_TIMEOUT: Final = 20.0
POLL_INTERVAL: Final = 0.25

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
# Variables Label Studio would read from the environment without its prefix (HOST, PORT,
# DEBUG, DATABASE_NAME...): the server gets a clean environment with only these passed on.
PASSED_ENV: Final = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


# --- paths -------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """The server's data folder: ``<project root>/.studio`` (git-ignored)."""
    return paths.project_root() / ".studio"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sqcorpus"


def venv_dir() -> Path:
    """Label Studio's own virtual environment: ``$SQCORPUS_STUDIO_VENV`` or the user cache."""
    env = os.environ.get("SQCORPUS_STUDIO_VENV")
    return Path(env).expanduser() if env else cache_dir() / f"label-studio-{LABEL_STUDIO_VERSION}"


# --- install -----------------------------------------------------------------------------


def installed_version(venv: Path | None = None) -> str | None:
    """The Label Studio version installed in ``venv``, or ``None``."""
    target = venv or venv_dir()
    python = target / "bin" / "python"
    if not python.is_file() or not (target / "bin" / "label-studio").is_file():
        return None
    probe = "from importlib.metadata import version; print(version('label-studio'))"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def install(venv: Path | None = None) -> Path:
    """Create (or reuse) Label Studio's virtual environment; a no-op when it is up to date."""
    import venv as venv_module

    target = venv or venv_dir()
    if installed_version(target) == LABEL_STUDIO_VERSION:
        return target
    python = target / "bin" / "python"
    if not python.is_file():
        print(f"creating a virtual environment in {target}", file=sys.stderr)
        target.parent.mkdir(parents=True, exist_ok=True)
        venv_module.EnvBuilder(with_pip=True).create(target)
    requirement = f"label-studio=={LABEL_STUDIO_VERSION}"
    print(f"installing {requirement} into {target}", file=sys.stderr)
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", requirement]
    # pip's own output goes to stderr so stdout stays clean for scripts.
    result = subprocess.run(command, stdout=sys.stderr, check=False)
    if result.returncode != 0:
        raise SqcorpusError(
            f"pip install {requirement} failed (exit {result.returncode}); see pip's output",
            file=target,
        )
    found = installed_version(target)
    if found != LABEL_STUDIO_VERSION:
        raise SqcorpusError(
            f"expected Label Studio {LABEL_STUDIO_VERSION} after installing, found {found}",
            file=target,
        )
    return target


# --- connection ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Connection:
    """Where the server is and the API token to use (never printed: ``repr`` hides it)."""

    url: str
    token: str = field(repr=False)
    source: str = "environment"

    def scrub(self, text: str) -> str:
        """``text`` with the token blanked out (for messages built from server answers)."""
        return text.replace(self.token, "***") if self.token else text


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SqcorpusError(f"cannot read: {err}", file=path) from None


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
    path = (data_dir or default_data_dir()) / CONNECTION_FILE
    if not path.is_file():
        raise SqcorpusError(
            "no Label Studio connection: start one with `sqcorpus studio serve` or set "
            "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY",
            file=path,
        )
    saved = _read_json(path)
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
def _translated(connection: Connection, action: str) -> Iterator[None]:
    """Turn client errors into one-line :class:`SqcorpusError`\\ s without the token."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

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


def connect(connection: Connection | None = None, *, data_dir: Path | None = None) -> LabelStudio:
    """A client for a server that is up and accepts the token; raise a clear error otherwise."""
    import httpx
    from label_studio_sdk import LabelStudio

    conn = connection or resolve_connection(data_dir)
    # A plain health probe first: the SDK retries refused connections for seconds.
    with _translated(conn, "checking its health"):
        answer = httpx.get(f"{conn.url}/health", timeout=10.0)
    if answer.status_code != 200:
        raise SqcorpusError(
            f"Label Studio at {conn.url} is not healthy (GET /health: HTTP {answer.status_code})"
        )
    client = LabelStudio(base_url=conn.url, api_key=conn.token, timeout=120.0)
    with _translated(conn, "checking the API token"):
        client.users.whoami()
    return client


# --- the local server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _log_tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


class LocalServer:
    """A Label Studio process on 127.0.0.1 with SQLite in ``data_dir``.

    The admin account and its random API token are created on the first start and kept in
    ``<data_dir>/connection.json`` (mode 0600); later starts reuse them (Label Studio only
    applies the token when it creates the user). Use as a context manager.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        venv: Path | None = None,
        timeout: float = START_TIMEOUT,
        install_missing: bool = True,
    ) -> None:
        self.data_dir = (data_dir or default_data_dir()).resolve()
        self.requested_port = port
        self.venv = venv or venv_dir()
        self.timeout = timeout
        self.install_missing = install_missing
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._connection: Connection | None = None
        self._log: TextIO | None = None

    @property
    def connection_file(self) -> Path:
        return self.data_dir / CONNECTION_FILE

    @property
    def log_file(self) -> Path:
        return self.data_dir / LOG_FILE

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise SqcorpusError("the Label Studio server is not started")
        return self._connection

    @property
    def url(self) -> str:
        return self.connection.url

    def _credentials(self) -> dict[str, Any]:
        if self.connection_file.is_file():
            saved = _read_json(self.connection_file)
            if isinstance(saved, dict) and all(
                isinstance(saved.get(key), str) and saved[key]
                for key in ("token", "username", "password")
            ):
                return saved
            raise SqcorpusError(
                "needs 'token', 'username' and 'password' strings", file=self.connection_file
            )
        if (self.data_dir / "label_studio.sqlite3").exists():
            # The token is only set when the admin is created: without the file it is lost.
            raise SqcorpusError(
                "a Label Studio database exists but its connection file is missing, so its API "
                "token is unknown; restore the file or use a new data folder",
                file=self.connection_file,
            )
        return {
            "username": ADMIN_USERNAME,
            "password": secrets.token_urlsafe(18),
            "token": secrets.token_hex(20),
        }

    def _environment(self, credentials: Mapping[str, Any]) -> dict[str, str]:
        env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
        env["PATH"] = os.pathsep.join(filter(None, [str(self.venv / "bin"), env.get("PATH")]))
        env.update(
            {
                "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir),
                "DJANGO_DB": "sqlite",
                "LABEL_STUDIO_USERNAME": credentials["username"],
                "LABEL_STUDIO_PASSWORD": credentials["password"],
                "LABEL_STUDIO_USER_TOKEN": credentials["token"],
                # Only read when the organisation is first created; the SDK sends "Token <key>".
                "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
                # Offline and private: no analytics, no version check, no error reporting.
                "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
                "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
                "SENTRY_DSN": "",
                "FRONTEND_SENTRY_DSN": "",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> Connection:
        """Start the server and wait until it answers with this folder's token."""
        if self.process is not None:
            return self.connection
        if installed_version(self.venv) != LABEL_STUDIO_VERSION:
            if not self.install_missing:
                raise SqcorpusError(
                    f"Label Studio {LABEL_STUDIO_VERSION} is not installed: run "
                    "`sqcorpus studio install`",
                    file=self.venv,
                )
            install(self.venv)
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        credentials = self._credentials()
        saved_port = credentials.get("port")
        if self.requested_port is not None:
            port = self.requested_port
            if not _port_is_free(port):
                raise SqcorpusError(f"port {port} is in use", field="--port")
        elif isinstance(saved_port, int) and _port_is_free(saved_port):
            port = saved_port
        else:
            port = _free_port()
        url = f"http://127.0.0.1:{port}"
        connection_record = {
            **credentials,
            "url": url,
            "port": port,
            "label_studio_version": LABEL_STUDIO_VERSION,
        }
        # Written before the start: the admin (and its token) may be created even if we fail.
        write_atomic(
            self.connection_file, json.dumps(connection_record, indent=2) + "\n", mode=0o600
        )
        command = [
            str(self.venv / "bin" / "label-studio"),
            "start",
            "--no-browser",
            "--internal-host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        self._log = self.log_file.open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            command,
            cwd=self.data_dir,
            env=self._environment(credentials),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: Ctrl-C is ours, stop() ends it all
        )
        self.port = port
        self._connection = Connection(url, credentials["token"], str(self.connection_file))
        try:
            self._wait_ready(credentials["username"])
        except BaseException:
            self.stop()
            raise
        return self._connection

    def _wait_ready(self, username: str) -> None:
        import httpx

        assert self.process is not None and self._connection is not None
        deadline = time.monotonic() + self.timeout
        url = self._connection.url
        while True:
            code = self.process.poll()
            if code is not None:
                tail = self._connection.scrub(_log_tail(self.log_file))
                raise SqcorpusError(
                    f"Label Studio exited with status {code} while starting: {tail}",
                    file=self.log_file,
                )
            try:
                answer = httpx.get(f"{url}/health", timeout=5.0)
                if answer.status_code == 200 and answer.json().get("status") == "UP":
                    break
            except (httpx.HTTPError, ValueError):
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise SqcorpusError(
                    f"Label Studio did not become ready at {url} within {self.timeout:.0f} s",
                    file=self.log_file,
                )
            time.sleep(POLL_INTERVAL)
        # Label Studio silently moves to the next port when its port is taken: make sure the
        # server answering here is ours, i.e. knows this folder's admin and token.
        answer = httpx.get(
            f"{url}/api/current-user/whoami",
            headers={"Authorization": f"Token {self._connection.token}"},
            timeout=30.0,
        )
        email = answer.json().get("email") if answer.status_code == 200 else None
        if email != username:
            raise SqcorpusError(
                f"the server answering at {url} does not accept this data folder's token "
                f"(HTTP {answer.status_code}); is another server using port {self.port}?",
                file=self.connection_file,
            )

    def stop(self) -> None:
        """Terminate the server's process group and wait for it."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_server(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    venv: Path | None = None,
    timeout: float = START_TIMEOUT,
) -> Iterator[LocalServer]:
    """A started :class:`LocalServer`, stopped on exit."""
    server = LocalServer(data_dir, port=port, venv=venv, timeout=timeout)
    with server:
        yield server


def serve(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """Run a local server until Ctrl-C, SIGTERM or SIGHUP (raised as KeyboardInterrupt).

    The server runs in its own session, so only this process gets the terminal's Ctrl-C; it
    then stops the server's whole process group before returning. Raises if the server
    exits by itself.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with running_server(data_dir, port=port) as server:
            assert server.process is not None
            private = server.connection_file
            out(f"Label Studio {LABEL_STUDIO_VERSION} is running at {server.url}")
            out(f"log in as {ADMIN_USERNAME}; password and API token are in {private} (private)")
            out(f"server log: {server.log_file}; stop with Ctrl-C")
            code = server.process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise SqcorpusError(
        f"Label Studio exited unexpectedly with status {code}", file=server.log_file
    )


# --- projects ------------------------------------------------------------------------------


def find_project(client: LabelStudio, title: str) -> Any | None:
    """The project titled exactly ``title`` (the API filter matches substrings), or None."""
    matches = [p for p in client.projects.list(title=title) if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise SqcorpusError(
            f"{len(matches)} projects are titled {title!r} (ids {ids}); rename all but one",
            field="--project",
        )
    return matches[0] if matches else None


def _checked_project(client: LabelStudio, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise SqcorpusError(
            f"no project titled {title!r}: run `sqcorpus studio push` first", field="--project"
        )
    return _check_config(client, project)


def _check_config(client: LabelStudio, project: Any, *, update: bool = False) -> Any:
    """The project, after checking its labeling config still matches the schema.

    A config that matches but differs cosmetically (hints, colours) is replaced by the
    generated one when ``update`` is set.
    """
    from .labelconfig import check_label_config, label_config

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
        client.projects.update(id=full.id, label_config=label_config())
    return full


# --- push --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PushSummary:
    project_id: int
    project: str
    created: bool
    imported: int
    already_present: int

    @property
    def total(self) -> int:
        return self.imported + self.already_present


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_tasks(client: LabelStudio, project_id: int) -> dict[str, str]:
    """sid → text of the project's tasks; a sid present twice is an error."""
    found: dict[str, str] = {}
    for task in client.tasks.list(project=project_id, page_size=1000):
        data = task.data or {}
        sid = data.get(schema.LS_SENTENCE_ID)
        if not isinstance(sid, str):
            raise SqcorpusError(
                "task has no sentence id", item=task.id, field=f"data.{schema.LS_SENTENCE_ID}"
            )
        if sid in found:
            raise SqcorpusError(
                f"sentence is in project {project_id} twice (task {task.id} is a duplicate)",
                item=sid,
                field=f"data.{schema.LS_SENTENCE_ID}",
            )
        found[sid] = str(data.get(schema.LS_TEXT, ""))
    return found


INSTRUCTIONS = (
    f"<p>Follow <b>annotation/guidelines.md</b> (version {schema.GUIDELINES_VERSION}) in the "
    "sqcorpus repository. Correct the pre-annotation: entity spans (keys 1-9), hedge CUE (c) "
    "and SCOPE (s), one stance (f/a/n) and its holder (j = author, q = source) on every "
    "sentence; write doubts in the note.</p><p>An entity label and a hedge label never share "
    "one region: click the active label again to turn it off before choosing from the other "
    "group. Turn on <i>Show region labels</i> in the settings (bottom left) to see the labels "
    "in the text.</p>"
)


def task_payload(sentence: CorpusSentence) -> dict[str, Any]:
    """One Label Studio task: the sentence, and its pre-annotation as a prediction."""
    from .convert import to_ls_results
    from .preannotate import MODEL_VERSION, preannotate

    annotation = preannotate(sentence.text, sentence.tokens)
    return {
        "data": {
            schema.LS_TEXT: sentence.text,
            schema.LS_SENTENCE_ID: sentence.id,
            "doc_id": sentence.doc_id,
            "sentence_index": sentence.index,
            # The guidelines in force when the task was pushed, so every exported
            # annotation says which rules it followed.
            "guidelines_version": schema.GUIDELINES_VERSION,
        },
        "predictions": [{"model_version": MODEL_VERSION, "result": to_ls_results(annotation)}],
    }


def push(
    *,
    project: str = DEFAULT_PROJECT,
    doc_id: str | None = None,
    connection: Connection | None = None,
    data_dir: Path | None = None,
    raw_dir: Path | None = None,
    batch_size: int = IMPORT_BATCH,
    progress: bool = True,
) -> PushSummary:
    """Create the project if needed and import every sentence not yet in it (idempotent)."""
    from tqdm import tqdm

    from ..text.corpus import corpus_sentences, read_corpus
    from .labelconfig import label_config

    sentences = corpus_sentences(read_corpus(raw_dir))
    if doc_id is not None:
        sentences = [s for s in sentences if s.doc_id == doc_id]
        if not sentences:
            raise SqcorpusError("no such document in the raw store", item=doc_id, field="--doc")
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with _translated(conn, f"pushing to project {project!r}"):
        found = find_project(client, project)
        created = found is None
        if found is None:
            found = client.projects.create(
                title=project,
                label_config=label_config(),
                description="sqcorpus: entities, stance and hedging in Albanian news sentences",
                expert_instruction=INSTRUCTIONS,
                show_instruction=True,
            )
        else:
            found = _check_config(client, found, update=True)
        project_id = int(found.id)
        existing = _existing_tasks(client, project_id)
        for sentence in sentences:
            if sentence.id in existing and existing[sentence.id] != sentence.text:
                raise SqcorpusError(
                    f"the task's text in project {project!r} differs from the corpus sentence",
                    item=sentence.id,
                    field="data.text",
                )
        new = [s for s in sentences if s.id not in existing]
        with tqdm(
            total=len(new), unit="task", desc="importing", disable=not progress or not new
        ) as bar:
            for batch in _batches(new, batch_size):
                client.projects.import_tasks(
                    id=project_id, request=[task_payload(s) for s in batch], return_task_ids=True
                )
                bar.update(len(batch))
    return PushSummary(
        project_id=project_id,
        project=project,
        created=created,
        imported=len(new),
        already_present=len(sentences) - len(new),
    )


# --- pseudonyms ----------------------------------------------------------------------------


class Pseudonyms:
    """Stable ``annotator-NN`` names for Label Studio users, kept outside git.

    The map (e-mail → pseudonym) lives in the data folder; a user keeps their pseudonym across
    pulls and servers. New users are numbered in the order of their server user id.
    """

    def __init__(self, path: Path, table: dict[str, str] | None = None) -> None:
        self.path = path
        self.table: dict[str, str] = dict(table or {})

    @classmethod
    def load(cls, path: Path) -> Pseudonyms:
        if not path.is_file():
            return cls(path)
        saved = _read_json(path)
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
        write_atomic(
            self.path, json.dumps(content, indent=2, ensure_ascii=False) + "\n", mode=0o600
        )

    def name(self, key: str) -> str:
        """The pseudonym of ``key`` (an e-mail, or ``id:N`` for an unknown user)."""
        key = key.strip().lower()
        if key not in self.table:
            taken = {int(v.rsplit("-", 1)[1]) for v in self.table.values() if v[-2:].isdigit()}
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


def find_email(value: Any, where: str = "") -> str | None:
    """The location (a JSON path) of the first e-mail-like string in ``value``, or None."""
    if isinstance(value, str):
        return where or "." if EMAIL_PATTERN.search(value) else None
    if isinstance(value, Mapping):
        for name, item in value.items():
            found = find_email(name, where) or find_email(item, f"{where}.{name}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = find_email(item, f"{where}[{index}]")
            if found:
                return found
    return None


def pseudonymize(
    tasks: Sequence[Any], pseudonyms: Pseudonyms, users: Mapping[int, str] | None = None
) -> list[Any]:
    """The tasks with every user reference replaced by a pseudonym; refuses any e-mail left."""
    anonymizer = _Anonymizer(pseudonyms, users or {})
    anonymizer.assign(tasks)
    cleaned = [anonymizer.clean(task) for task in tasks]
    where = find_email(cleaned)
    if where is not None:
        raise SqcorpusError(
            "an e-mail address remains after pseudonymizing; nothing was written",
            field=f"tasks{where}",
        )
    return cleaned


# --- export, pull and status ----------------------------------------------------------------


def _export_tasks(client: LabelStudio, conn: Connection, project_id: int) -> list[dict[str, Any]]:
    """A full snapshot export: annotations with their users, predictions with their results."""
    with _translated(conn, "exporting"):
        export = client.projects.exports.create(
            project_id,
            title="sqcorpus pull",
            serialization_options={
                "predictions": {"only_id": False},
                "annotations__completed_by": {"only_id": False},
            },
        )
        deadline = time.monotonic() + EXPORT_TIMEOUT
        while export.status not in ("completed", "failed"):
            if time.monotonic() > deadline:
                raise SqcorpusError(
                    f"the export of project {project_id} did not finish in {EXPORT_TIMEOUT:.0f} s"
                )
            time.sleep(POLL_INTERVAL)
            export = client.projects.exports.get(project_id, export.id)
        if export.status == "failed":
            raise SqcorpusError(f"Label Studio failed to export project {project_id}")
        content = b"".join(
            client.projects.exports.download(project_id, export.id, export_type="JSON")
        )
        client.projects.exports.delete(project_id, export.id)
    try:
        tasks = json.loads(content)
    except json.JSONDecodeError as err:
        raise SqcorpusError(f"the export is not JSON: {err}", item=project_id) from None
    if not isinstance(tasks, list):
        raise SqcorpusError("the export is not a list of tasks", item=project_id)
    return tasks


def _users(client: LabelStudio, conn: Connection) -> dict[int, str]:
    with _translated(conn, "listing users"):
        return {int(u.id): u.email or "" for u in client.users.list() if u.id is not None}


def _sort_key(task: Mapping[str, Any]) -> tuple[int, str]:
    data = task.get("data", {})
    index = data.get("sentence_index")
    return (index if isinstance(index, int) else sys.maxsize, str(data.get("sid", "")))


def _tidy(task: dict[str, Any]) -> dict[str, Any]:
    """Fix the order of lists whose order the server does not guarantee."""
    for name in ("annotations", "predictions"):
        items = task.get(name)
        if isinstance(items, list):
            task[name] = sorted(
                items, key=lambda item: (str(item.get("created_at")), str(item.get("id")))
            )
    return task


def _pulled_tasks(
    client: LabelStudio, conn: Connection, project: Any, data_dir: Path
) -> list[dict[str, Any]]:
    raw = _export_tasks(client, conn, int(project.id))
    pseudonyms = Pseudonyms.load(data_dir / PSEUDONYM_FILE)
    tasks = pseudonymize(raw, pseudonyms, _users(client, conn))
    pseudonyms.save()
    for task in tasks:
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("doc_id"), str):
            raise SqcorpusError(
                "task has no document id (was it imported by `sqcorpus studio push`?)",
                item=task.get("id"),
                field="data.doc_id",
            )
    return [_tidy(task) for task in tasks]


def export_json(tasks: Sequence[Mapping[str, Any]]) -> str:
    """The deterministic text of an export file."""
    return json.dumps(list(tasks), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@dataclass(frozen=True, slots=True)
class PullSummary:
    project: str
    files: tuple[Path, ...]
    tasks: int
    annotations: int
    annotators: tuple[str, ...]


def pull(
    *,
    out: Path | None = None,
    project: str = DEFAULT_PROJECT,
    connection: Connection | None = None,
    data_dir: Path | None = None,
) -> PullSummary:
    """Export the project and write ``<out>/<doc_id>.json`` per document, pseudonymized."""
    folder = data_dir or default_data_dir()
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with _translated(conn, f"reading project {project!r}"):
        found = _checked_project(client, project)
    tasks = _pulled_tasks(client, conn, found, folder)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(task["data"]["doc_id"], []).append(task)
    target = out or paths.exports_dir()
    contents = {
        target / f"{doc}.json": export_json(sorted(items, key=_sort_key))
        for doc, items in sorted(by_doc.items())
    }
    for path, content in contents.items():
        # The same guard on the exact bytes about to be written.
        if EMAIL_PATTERN.search(content):
            raise SqcorpusError(
                "an e-mail address would be written; nothing was written", file=path
            )
    for path, content in contents.items():
        write_atomic(path, content)
    annotations = [a for t in tasks for a in t.get("annotations", [])]
    return PullSummary(
        project=project,
        files=tuple(contents),
        tasks=len(tasks),
        annotations=len(annotations),
        annotators=tuple(sorted({_annotator(a) for a in annotations} - {""})),
    )


def _annotator(annotation: Mapping[str, Any]) -> str:
    who = annotation.get("completed_by")
    return str(who.get("username", "")) if isinstance(who, Mapping) else ""


@dataclass(frozen=True, slots=True)
class TaskProgress:
    sid: str
    done: int
    cancelled: int
    annotators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusReport:
    project: str
    tasks: tuple[TaskProgress, ...]
    done_by: dict[str, int]
    cancelled_by: dict[str, int]

    @property
    def annotated(self) -> int:
        return sum(1 for task in self.tasks if task.done)

    @property
    def total(self) -> int:
        return len(self.tasks)


def status(
    *,
    project: str = DEFAULT_PROJECT,
    connection: Connection | None = None,
    data_dir: Path | None = None,
) -> StatusReport:
    """Per-task progress and totals, annotators by pseudonym."""
    folder = data_dir or default_data_dir()
    conn = connection or resolve_connection(data_dir)
    client = connect(conn)
    with _translated(conn, f"reading project {project!r}"):
        found = _checked_project(client, project)
    tasks = sorted(_pulled_tasks(client, conn, found, folder), key=_sort_key)
    done_by: Counter[str] = Counter()
    cancelled_by: Counter[str] = Counter()
    rows = []
    for task in tasks:
        annotations = task.get("annotations", [])
        done = [a for a in annotations if not a.get("was_cancelled")]
        cancelled = [a for a in annotations if a.get("was_cancelled")]
        done_by.update(_annotator(a) for a in done)
        cancelled_by.update(_annotator(a) for a in cancelled)
        rows.append(
            TaskProgress(
                sid=str(task["data"].get(schema.LS_SENTENCE_ID, task.get("id"))),
                done=len(done),
                cancelled=len(cancelled),
                annotators=tuple(sorted({_annotator(a) for a in done})),
            )
        )
    return StatusReport(
        project=project,
        tasks=tuple(rows),
        done_by=dict(sorted(done_by.items())),
        cancelled_by=dict(sorted(cancelled_by.items())),
    )


def format_status(report: StatusReport) -> str:
    """A plain-text progress table with totals."""
    width = max([len("sentence"), *(len(t.sid) for t in report.tasks)])
    lines = [f"{'sentence':<{width}}  done  cancelled  annotators"]
    for task in report.tasks:
        names = ", ".join(task.annotators) or "-"
        lines.append(f"{task.sid:<{width}}  {task.done:>4}  {task.cancelled:>9}  {names}")
    lines.append("")
    lines.append(f"project {report.project!r}: {report.annotated}/{report.total} tasks annotated")
    for name in sorted({*report.done_by, *report.cancelled_by}):
        done, cancelled = report.done_by.get(name, 0), report.cancelled_by.get(name, 0)
        lines.append(f"  {name}: {done} annotations, {cancelled} cancelled")
    return "\n".join(lines)


def format_push(summary: PushSummary) -> str:
    action = "created" if summary.created else "updated"
    return (
        f"project {summary.project!r} (id {summary.project_id}) {action}: "
        f"{summary.imported} tasks imported, {summary.already_present} already present"
    )


def format_pull(summary: PullSummary) -> str:
    lines = [
        f"pulled {summary.tasks} tasks ({summary.annotations} annotations) from project "
        f"{summary.project!r}; annotators: {', '.join(summary.annotators) or 'none'}"
    ]
    lines += [f"  wrote {path}" for path in summary.files]
    return "\n".join(lines)
