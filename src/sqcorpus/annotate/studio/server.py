"""A local Label Studio server on 127.0.0.1 with its data folder (default ``<project
root>/.studio/``, never committed) and an admin account whose random API token is written to
``<data dir>/connection.json`` (mode 0600).

The database is SQLite in the data folder (one person), a private PostgreSQL cluster in it
(``--postgres``, a team) or a PostgreSQL server the team runs (``--database postgresql://...``);
the choice is remembered in the connection file. One server per data folder: a lock file with
the server's pid refuses a second ``serve``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TextIO

import httpx

from ... import paths
from ...errors import SqcorpusError
from ...files import read_json, write_json
from .connection import CONNECTION_FILE, POLL_INTERVAL, Connection
from .install import LABEL_STUDIO_VERSION, install, installed_version, venv_dir
from .postgres import CLUSTER_DIR, LOCAL, Database, PrivateCluster, parse_database_url

ADMIN_USERNAME: Final = "admin@sqcorpus.local"
LOG_FILE: Final = "label-studio.log"
START_TIMEOUT: Final = 300.0
"""Seconds to wait for readiness: a fresh data folder runs its migrations first (~30 s)."""
STOP_TIMEOUT: Final = 20.0
LOCK_FILE: Final = "serve.lock"
SQLITE: Final = "sqlite"
PROGRESS_INTERVAL: Final = 5.0
"""Seconds between two progress lines while the server starts (a migration takes ~20-60 s)."""
# Variables Label Studio would read from the environment without its prefix (HOST, PORT,
# DEBUG, DATABASE_NAME...): the server gets a clean environment with only these passed on.
PASSED_ENV: Final = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def free_port() -> int:
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
        database: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.data_dir = (data_dir or paths.studio_data_dir()).resolve()
        self.requested_database = database
        self.progress = progress or (lambda line: None)
        self.cluster: PrivateCluster | None = None
        self.database: Database | None = None
        self._locked = False
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
            saved = read_json(self.connection_file, what="connection file")
            if isinstance(saved, dict) and all(
                isinstance(saved.get(key), str) and saved[key]
                for key in ("token", "username", "password")
            ):
                return saved
            raise SqcorpusError(
                "needs 'token', 'username' and 'password' strings", file=self.connection_file
            )
        if any((self.data_dir / name).exists() for name in ("label_studio.sqlite3", CLUSTER_DIR)):
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

    def _database_choice(self, credentials: Mapping[str, Any]) -> str:
        """``sqlite``, ``local-postgres`` or a postgresql:// URL: as asked, else as saved."""
        saved = credentials.get("database")
        saved = saved if isinstance(saved, str) else SQLITE if "url" in credentials else None
        asked = self.requested_database
        if asked is not None and asked.startswith("postgres"):
            asked = parse_database_url(asked).display()  # the password is never saved
        if asked is not None and saved is not None and asked != saved:
            raise SqcorpusError(
                f"this data folder's server uses the database {saved!r}; its admin token lives "
                "there, so another database needs another --data-dir",
                field="--database",
            )
        return asked or saved or SQLITE

    def _start_database(self, choice: str) -> Database | None:
        if choice == SQLITE:
            return None
        if choice == LOCAL:
            self.cluster = PrivateCluster(self.data_dir)
            return self.cluster.start(free_port(), out=self.progress)
        if self.requested_database and self.requested_database.startswith("postgres"):
            return parse_database_url(self.requested_database)
        return parse_database_url(choice)  # as saved, password from $PGPASSWORD

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
        if self.database is not None:
            env.update(self.database.environment())
        return env

    def _lock(self) -> None:
        """Refuse a second server on this data folder: its database and token are one."""
        path = self.data_dir / LOCK_FILE
        owner = lock_owner(self.data_dir)
        if owner is not None:
            raise SqcorpusError(
                f"a server (pid {owner}) is already running on this data folder; stop it first "
                "or use another --data-dir",
                file=path,
            )
        path.unlink(missing_ok=True)  # stale: its process is gone
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(f"{os.getpid()}\n")
        except FileExistsError:
            raise SqcorpusError("another server started on this data folder", file=path) from None
        self._locked = True

    def _unlock(self) -> None:
        if self._locked:
            (self.data_dir / LOCK_FILE).unlink(missing_ok=True)
            self._locked = False

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
        self._lock()
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> Connection:
        credentials = self._credentials()
        choice = self._database_choice(credentials)
        self.database = self._start_database(choice)
        saved_port = credentials.get("port")
        if self.requested_port is not None:
            port = self.requested_port
            if not _port_is_free(port):
                raise SqcorpusError(f"port {port} is in use", field="--port")
        elif isinstance(saved_port, int) and _port_is_free(saved_port):
            port = saved_port
        else:
            port = free_port()
        url = f"http://127.0.0.1:{port}"
        connection_record = {
            **credentials,
            "url": url,
            "port": port,
            "label_studio_version": LABEL_STUDIO_VERSION,
            "database": choice,
        }
        if self.database is not None:
            connection_record["database_url"] = self.database.display()
        # Written before the start: the admin (and its token) may be created even if we fail.
        write_json(self.connection_file, connection_record, mode=0o600)
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
        self._wait_ready(credentials["username"])
        return self._connection

    def _wait_ready(self, username: str) -> None:
        assert self.process is not None and self._connection is not None
        started = time.monotonic()
        deadline = started + self.timeout
        next_report = started + PROGRESS_INTERVAL
        url = self._connection.url
        self.progress(f"starting Label Studio {LABEL_STUDIO_VERSION} (log: {self.log_file})")
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
            now = time.monotonic()
            if now >= next_report:
                self.progress(
                    f"  still starting after {now - started:.0f} s (a new database is migrated "
                    "first; this takes a minute or two)"
                )
                next_report = now + PROGRESS_INTERVAL
            if now > deadline:
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
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None
        self._unlock()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def lock_owner(data_dir: Path) -> int | None:
    """The pid of the live server holding ``data_dir``'s lock, or None (no lock, or stale)."""
    try:
        pid = int((data_dir / LOCK_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, another user's
    return pid


@contextlib.contextmanager
def running_server(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    venv: Path | None = None,
    timeout: float = START_TIMEOUT,
    database: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[LocalServer]:
    """A started :class:`LocalServer`, stopped on exit."""
    server = LocalServer(
        data_dir, port=port, venv=venv, timeout=timeout, database=database, progress=progress
    )
    with server:
        yield server
