"""A store that cannot be used gives one line saying why and what to do, and exit status 1 (a JSON
error over HTTP), never a traceback: damaged files, read-only folders, unsupported URLs, a
PostgreSQL server that is down or a driver that is missing, inputs in another encoding."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from protestwire.cli import main
from storage.db import connect
from tests.helpers import fill_store

ARTICLE = {"url": "https://altiplano.example/paro", "title": "Paro cívico en Potosí",
           "text": "Los comités cívicos de Potosí cumplen un paro de 48 horas en demanda de obras."}


def run(*args: str, input: str | bytes | None = None):  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    text = "".join(result.output.split())  # rich wraps long paths anywhere
    assert text.startswith("Error:") or "\nError:" in result.output, result.output
    for word in words:
        assert "".join(word.split()) in text, result.output


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "protestwire.db"
    path.parent.mkdir()
    engine = connect(f"sqlite:///{path}")
    from storage.db import init_db

    init_db(engine)
    fill_store(engine)
    engine.dispose()
    return path


def test_a_truncated_store_is_named_in_one_line(store_file: Path) -> None:
    data = store_file.read_bytes()
    store_file.write_bytes(data[: len(data) // 2])
    for command in (["search", "carretera"], ["export"], ["feed", "paro"]):
        one_line_error(run(*command, "--db", str(store_file)), str(store_file), "from a backup")
    one_line_error(run("ingest", "-", "--db", str(store_file), input=json.dumps(ARTICLE)), str(store_file))


def test_a_junk_file_is_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(os.urandom(4096))
    one_line_error(run("search", "paro", "--db", str(junk)), "is not a SQLite database", "check the path")


def test_healthz_answers_503_on_a_truncated_store(store_file: Path) -> None:
    from web import create_app

    engine = connect(f"sqlite:///{store_file}")
    client = TestClient(create_app(engine))
    assert client.get("/healthz").json() == {"status": "ok"}
    engine.dispose()
    data = store_file.read_bytes()
    store_file.write_bytes(data[: len(data) // 2])
    engine = connect(f"sqlite:///{store_file}")
    client = TestClient(create_app(engine))
    response = client.get("/healthz")
    assert response.status_code == 503
    message = response.json()["error"]["message"]
    assert str(store_file) in message and ("truncated" in message or "damaged" in message)
    engine.dispose()


def test_the_api_answers_a_store_failure_with_a_json_error(tmp_path: Path) -> None:
    from web import create_app

    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    engine = connect(f"sqlite:///{junk}")
    client = TestClient(create_app(engine))
    for path in ("/api/search?q=paro", "/healthz"):
        response = client.get(path)
        assert response.status_code == 503
        assert "not a SQLite database" in response.json()["error"]["message"]
    engine.dispose()


@pytest.fixture
def read_only_folder(store_file: Path) -> Iterator[Path]:
    """The store's folder made unwritable: chmod for a user, the immutable attribute for root
    (whom permissions do not stop)."""
    folder = store_file.parent
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("running as root without chattr +i: cannot make a folder read-only")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    try:
        yield store_file
    finally:
        subprocess.run(undo, check=True)


def test_a_store_in_a_read_only_folder_can_be_read_but_not_written(read_only_folder: Path) -> None:
    db = str(read_only_folder)
    found = run("search", "carretera", "--format", "json", "--db", db)
    assert found.exit_code == 0, found.output
    assert [hit["title"] for hit in json.loads(found.stdout)] == ["Transportistas bloquean la carretera Oruro-La Paz"]
    exported = run("export", "--all", "--db", db)
    assert exported.exit_code == 0 and len([line for line in exported.stdout.splitlines() if line.startswith("{")]) == 2
    for command in (["ingest", "-"], ["demo"]):
        one_line_error(run(*command, "--db", db, input=json.dumps(ARTICLE)), "is read-only", "commands that read it work")
    assert sorted(p.name for p in read_only_folder.parent.iterdir()) == ["protestwire.db"]


def test_ingest_and_classify_name_the_line_and_byte_that_is_not_utf8(tmp_path: Path, db_url: str) -> None:
    latin = tmp_path / "latin1.jsonl"
    good = json.dumps({**ARTICLE, "url": "https://altiplano.example/otro"}) + "\n"
    latin.write_bytes(good.encode() + json.dumps(ARTICLE, ensure_ascii=False).encode("latin-1") + b"\n")
    result = run("ingest", str(latin), "--db", db_url)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 2: byte 59 (0xed) is not utf-8 text" in " ".join(result.output.split())
    assert "--encoding" in result.output and "new 1" in result.output  # the good line is stored
    classified = run("classify", "--input", str(latin))
    lines = [json.loads(line) for line in classified.stdout.splitlines()]
    assert lines[1]["line"] == 2 and "byte 59 (0xed)" in lines[1]["error"] and "--encoding" in lines[1]["error"]
    again = run("ingest", str(latin), "--encoding", "latin-1", "--db", db_url)
    assert again.exit_code == 0 and "duplicate 1" in again.output and "unchanged 1" in again.output
    one_line_error(run("classify", "--input", str(latin), "--encoding", "klingon"), "unknown encoding")


def test_export_to_a_missing_folder(store_file: Path) -> None:
    for fmt in ("csv", "jsonl", "parquet"):
        one_line_error(run("export", "--format", fmt, "-o", "/nonexistent/x." + fmt, "--db", str(store_file)),
                       "cannot write /nonexistent/x." + fmt)


@pytest.mark.parametrize("url", ["mysql://user@localhost/news", "http://example.com/protestwire.db"])
def test_an_unsupported_url_says_which_are_supported(url: str) -> None:
    one_line_error(run("search", "paro", "--db", url), "cannot keep its store at", "sqlite:///", "postgresql+psycopg://")


def test_postgresql_refusing_connections() -> None:
    # Port 1 on this machine: nothing listens there.
    one_line_error(run("search", "paro", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/test"),
                   "cannot connect to PostgreSQL", "is the server running")


def test_postgresql_without_its_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    for url in ("postgresql+psycopg://postgres@127.0.0.1/test", "postgresql://postgres@127.0.0.1/test"):
        one_line_error(run("search", "paro", "--db", url), "pip install -e '.[postgres]'")


def test_a_mistyped_db_creates_nothing_when_reading_and_says_what_it_created_when_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    one_line_error(run("search", "paro", "--db", "foo"), "no store at", "nothing was created", "protestwire init --db foo")
    assert not (tmp_path / "foo").exists()
    created = run("ingest", "-", "--db", "research.db", input=json.dumps(ARTICLE))
    assert created.exit_code == 0
    assert f"Created a new store at {tmp_path / 'research.db'}" in " ".join(created.output.split())
    again = run("ingest", "-", "--db", "research.db", input=json.dumps(ARTICLE))
    assert "Created" not in again.output


def test_healthz_reads_the_store_on_each_backend(any_engine) -> None:
    from web import create_app

    fill_store(any_engine)
    assert TestClient(create_app(any_engine)).get("/healthz").json() == {"status": "ok"}


def test_a_missing_postgresql_database_is_named() -> None:
    from tests.services import POSTGRES_ADMIN_URL, require_postgres

    require_postgres()
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_ADMIN_URL).set(database="protestwire_no_such_db").render_as_string(hide_password=False)
    one_line_error(run("search", "paro", "--db", url), "PostgreSQL has no such database", "createdb")
