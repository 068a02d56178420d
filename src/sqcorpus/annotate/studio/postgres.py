"""PostgreSQL for a team server: Label Studio's recommended database for more than one annotator.

Two ways: a server the team already runs (``postgresql://USER[:PASSWORD]@HOST:PORT/NAME``,
password also from ``$PGPASSWORD``), or a private cluster that ``serve --postgres`` creates in
``<data dir>/postgres/`` from Debian's PostgreSQL, bound to 127.0.0.1 on a free port and owned
by the ``postgres`` user (PostgreSQL refuses to run as root). The password never appears in a
message: :class:`Database` hides it from ``repr`` and :meth:`Database.display` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from ...errors import SqcorpusError

LOCAL: Final = "local-postgres"
"""The ``--database`` value for a private cluster in the data folder (``--postgres``)."""
CLUSTER_DIR: Final = "postgres"
DATABASE_NAME: Final = "labelstudio"
SUPERUSER: Final = "postgres"
BIN_DIRS: Final = tuple(
    sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True)
)
PG_TIMEOUT: Final = 60


@dataclass(frozen=True, slots=True)
class Database:
    """A PostgreSQL database Label Studio uses (the password is never printed)."""

    name: str
    user: str
    host: str
    port: int
    password: str = field(default="", repr=False)

    def display(self) -> str:
        """The URL without the password, for messages and the connection file."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.name}"

    def environment(self) -> dict[str, str]:
        """Label Studio's settings for this database."""
        return {
            "DJANGO_DB": "default",
            "POSTGRE_NAME": self.name,
            "POSTGRE_USER": self.user,
            "POSTGRE_PASSWORD": self.password,
            "POSTGRE_HOST": self.host,
            "POSTGRE_PORT": str(self.port),
        }


def parse_database_url(url: str) -> Database:
    """``postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME`` → :class:`Database` (port 5432)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise SqcorpusError(
            f"expected postgresql://USER@HOST:PORT/NAME or {LOCAL!r}", field="--database"
        )
    try:
        port = parts.port or 5432
    except ValueError:
        raise SqcorpusError("the port is not a number", field="--database") from None
    name = unquote(parts.path.lstrip("/"))
    if not parts.username or not parts.hostname or not name or "/" in name:
        raise SqcorpusError(
            "expected postgresql://USER@HOST:PORT/NAME (user, host and database name are needed)",
            field="--database",
        )
    password = unquote(parts.password or "") or os.environ.get("PGPASSWORD", "")
    return Database(name, unquote(parts.username), parts.hostname, port, password)


def _bin(tool: str) -> str:
    for folder in BIN_DIRS:
        if (folder / tool).is_file():
            return str(folder / tool)
    found = shutil.which(tool)
    if found is None:
        raise SqcorpusError(
            f"PostgreSQL's {tool} is not installed: `apt-get install postgresql` (Debian)"
        )
    return found


def _as_owner(command: list[str]) -> list[str]:
    """Run as ``postgres`` when we are root (PostgreSQL refuses root), else as ourselves."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SUPERUSER, "--", *command]
    return command


def _run(command: list[str], what: str, *, as_owner: bool = True) -> str:
    full = _as_owner(command) if as_owner else command
    try:
        done = subprocess.run(
            full, capture_output=True, text=True, timeout=PG_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SqcorpusError(f"PostgreSQL could not {what}: {err}") from None
    if done.returncode != 0:
        detail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise SqcorpusError(f"PostgreSQL could not {what}: {detail}")
    return done.stdout


class PrivateCluster:
    """A PostgreSQL cluster in ``<data dir>/postgres/`` on 127.0.0.1 (trust auth, loopback only).

    ``start`` creates it on first use (``initdb``), starts it on ``port`` and creates the
    ``labelstudio`` database; ``stop`` shuts it down. Only processes on this machine can reach
    it, like the Label Studio server itself.
    """

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / CLUSTER_DIR
        self.port: int | None = None

    @property
    def log_file(self) -> Path:
        return self.folder.parent / "postgres.log"

    def _check_reachable(self) -> None:
        """The postgres user must be able to enter every folder above the cluster."""
        if os.geteuid() != 0:
            return
        probe = subprocess.run(
            _as_owner(["test", "-x", str(self.folder.parent)]), capture_output=True
        )
        if probe.returncode != 0:
            raise SqcorpusError(
                "the postgres user cannot enter the data folder (a parent folder is private); "
                "use a data folder every user can traverse (chmod o+x its parents)",
                file=self.folder.parent,
            )

    def _initialise(self) -> None:
        self.folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        _run(
            [_bin("initdb"), "-D", str(self.folder), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8"],
            "create its cluster",
        )

    def running(self) -> bool:
        if not (self.folder / "PG_VERSION").is_file():
            return False
        status = subprocess.run(
            _as_owner([_bin("pg_ctl"), "-D", str(self.folder), "status"]),
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        return status.returncode == 0

    def start(self, port: int, out: Callable[[str], None] = print) -> Database:
        """Start the cluster (creating it first if needed) and its database."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # Search-only for others: postgres must reach its folder; nobody can list ours.
            self.folder.parent.chmod(0o711)
        self._check_reachable()
        if not (self.folder / "PG_VERSION").is_file():
            out(f"creating a private PostgreSQL cluster in {self.folder}")
            self._initialise()
        if self.running():
            raise SqcorpusError(
                "its PostgreSQL cluster is already running: is another `sqcorpus studio serve` "
                "using this data folder?",
                file=self.folder,
            )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        if os.geteuid() == 0:
            self.log_file.touch()
            shutil.chown(self.log_file, SUPERUSER, SUPERUSER)
        out(f"starting PostgreSQL on 127.0.0.1:{port}")
        _run(
            [
                _bin("pg_ctl"),
                "-D",
                str(self.folder),
                "-o",
                options,
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                str(PG_TIMEOUT),
                "start",
            ],
            "start",
        )
        self.port = port
        database = Database(DATABASE_NAME, SUPERUSER, "127.0.0.1", port)
        psql = [_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, "-tA"]
        exists = _run(
            [*psql, "-c", f"select 1 from pg_database where datname = '{DATABASE_NAME}'"],
            "list its databases",
            as_owner=False,
        )
        if exists.strip() != "1":
            _run(
                [*psql, "-c", f"create database {DATABASE_NAME}"],
                "create a database",
                as_owner=False,
            )
        return database

    def stop(self) -> None:
        if self.running():
            _run([_bin("pg_ctl"), "-D", str(self.folder), "-m", "fast", "-w", "stop"], "stop")
        self.port = None
