"""Commands around a local server: ``serve`` (run it until Ctrl-C, with progress) and
``label_studio_command`` (Label Studio's own management commands on the server's database)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ...errors import SqcorpusError
from .install import LABEL_STUDIO_VERSION
from .postgres import parse_database_url
from .server import ADMIN_USERNAME, START_TIMEOUT, LocalServer, running_server


def label_studio_command(data_dir: Path | None, *arguments: str) -> str:
    """Run ``label-studio ARGUMENTS`` (e.g. ``reset_password``) on the data folder's database.

    The server must have been started once (its connection file says which database it uses;
    an external PostgreSQL's password comes from ``$PGPASSWORD``). Returns its output.
    """
    server = LocalServer(data_dir)
    saved = server._credentials() if server.connection_file.is_file() else None
    if saved is None or "url" not in saved:
        raise SqcorpusError(
            "start the server once first (`sqcorpus studio serve`)", file=server.connection_file
        )
    database_url = saved.get("database_url")
    server.database = parse_database_url(database_url) if isinstance(database_url, str) else None
    done = subprocess.run(
        [str(server.venv / "bin" / "label-studio"), *arguments],
        cwd=server.data_dir,
        env=server._environment(saved),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=START_TIMEOUT,
    )
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise SqcorpusError(f"`label-studio {arguments[0]}` failed: {tail}")
    return done.stdout


def serve(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    database: str | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """Run a local server until Ctrl-C, SIGTERM or SIGHUP (raised as KeyboardInterrupt).

    The server runs in its own session, so only this process gets the terminal's Ctrl-C; it
    then stops the server's whole process group (and a private PostgreSQL) before returning.
    Raises if the server exits by itself.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def say(line: str) -> None:
        out(line)
        sys.stdout.flush()

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with running_server(data_dir, port=port, database=database, progress=say) as server:
            assert server.process is not None
            private = server.connection_file
            where = server.database.display() if server.database else "SQLite"
            say(f"Label Studio {LABEL_STUDIO_VERSION} is running at {server.url} ({where})")
            say(f"log in as {ADMIN_USERNAME}; password and API token are in {private} (private)")
            say("add annotators with `sqcorpus studio users add NAME`")
            say(f"server log: {server.log_file}; stop with Ctrl-C")
            code = server.process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise SqcorpusError(
        f"Label Studio exited unexpectedly with status {code}", file=server.log_file
    )
