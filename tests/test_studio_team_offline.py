"""The team server's offline parts: database URLs, one server per data folder, accounts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MiniProject
from sqcorpus.annotate import studio
from sqcorpus.annotate.studio.push import task_payloads
from sqcorpus.annotate.studio.server import LOCK_FILE
from sqcorpus.annotate.studio.users import check_name
from sqcorpus.errors import SqcorpusError


def test_a_database_url_is_parsed_and_its_password_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    database = studio.parse_database_url("postgresql://ls:s3cret@db.example:6543/labels")
    assert (database.user, database.host, database.port, database.name) == (
        "ls",
        "db.example",
        6543,
        "labels",
    )
    assert "s3cret" not in repr(database) and "s3cret" not in database.display()
    assert database.environment()["POSTGRE_PASSWORD"] == "s3cret"
    assert database.environment()["DJANGO_DB"] == "default"
    monkeypatch.setenv("PGPASSWORD", "from-env")
    assert studio.parse_database_url("postgres://ls@db/labels").password == "from-env"
    assert studio.parse_database_url("postgres://ls@db/labels").port == 5432
    for bad in (
        "mysql://ls@db/x",
        "postgresql://db/x",
        "postgresql://ls@db/",
        "postgresql://ls@db:x/y",
    ):
        with pytest.raises(SqcorpusError, match="--database"):
            studio.parse_database_url(bad)


def test_a_second_server_on_a_data_folder_is_refused(tmp_path: Path) -> None:
    # A live process holds the lock: refused with one clear line, before anything starts.
    (tmp_path / LOCK_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")
    server = studio.LocalServer(tmp_path, install_missing=False)
    with pytest.raises(SqcorpusError, match=f"pid {os.getpid()}.*already running"):
        server.start()
    assert (tmp_path / LOCK_FILE).read_text(encoding="utf-8") == f"{os.getpid()}\n"
    # The lock of a process that is gone is stale: it no longer names an owner.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (tmp_path / LOCK_FILE).write_text(gone.stdout, encoding="utf-8")
    assert studio.lock_owner(tmp_path) is None


def test_a_data_folder_keeps_its_database(tmp_path: Path) -> None:
    (tmp_path / "connection.json").write_text(
        json.dumps(
            {
                "url": "http://127.0.0.1:1",
                "token": "t",
                "username": "u",
                "password": "p",
                "database": "local-postgres",
            }
        ),
        encoding="utf-8",
    )
    server = studio.LocalServer(tmp_path, install_missing=False, database="sqlite")
    with pytest.raises(SqcorpusError, match="uses the database 'local-postgres'"):
        server._database_choice(server._credentials())


def test_annotator_names_and_the_users_file(tmp_path: Path) -> None:
    assert check_name("claude-a") == "claude-a"
    for bad in ("Alice", "a b", "-a", "a@b", "x" * 40, "../x"):
        with pytest.raises(SqcorpusError, match="annotator name"):
            check_name(bad)
    assert studio.read_users(tmp_path) == {}
    with pytest.raises(SqcorpusError, match="no such annotator"):
        studio.annotator_connection("alice", tmp_path)


def test_each_task_carries_its_neighbours_and_its_documents_target(
    mini_project: MiniProject,
) -> None:
    sentences = mini_project.sentences()
    payloads = task_payloads(sentences, {"mini-doc": "Putin visits Pyongyang"})
    data = [p["data"] for p in payloads]
    assert data[0]["previous"] == "" and data[-1]["next"] == ""
    assert data[1]["previous"] == sentences[0].text and data[1]["next"] == sentences[2].text
    assert {d["stance_target"] for d in data} == {"Putin visits Pyongyang"}
    assert all(p["predictions"][0]["model_version"] for p in payloads)
    untargeted = task_payloads(sentences, {})
    assert "no stance target" in untargeted[0]["data"]["stance_target"]
