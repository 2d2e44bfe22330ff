"""Start-up: the commands that read the store import only what they run (issue 20).

Each command runs in a fresh interpreter against a small store; Scrapy, Twisted, the extractors
(trafilatura, dateparser, htmldate) and alembic must never be loaded by them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storage.db import SCHEMA_REVISION, connect, head_revision
from tests.helpers import fill_store

FORBIDDEN = ("scrapy", "twisted", "trafilatura", "dateparser", "htmldate", "alembic")
# Runs the CLI as the console script does, then reports which forbidden modules it loaded.
RUN_CLI = f"""
import atexit, json, sys
atexit.register(lambda: print("LOADED " + json.dumps(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)),
                              file=sys.stderr))
sys.argv = ["protestwire", *json.loads(sys.argv[1])]
from protestwire.cli import main
main()
"""
COMMANDS = {
    "help": ["--help"],
    "search help": ["search", "--help"],
    "search": ["search", "carretera", "--db", "{db}"],
    "search json": ["search", "paro", "--format", "json", "--db", "{db}"],
    "search sql": ["search", "paro", "--sql", "--db", "{db}"],
    "feed": ["feed", "carretera", "--format", "rss", "--db", "{db}"],
    "export": ["export", "--format", "csv", "--db", "{db}"],
    "export jsonl": ["export", "paro", "--db", "{db}"],
    "stats": ["stats", "--db", "{db}"],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    from storage.db import init_db

    url = f"sqlite:///{tmp_path_factory.mktemp('startup') / 'store.db'}"
    engine = connect(url)
    init_db(engine)
    fill_store(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("name", list(COMMANDS))
def test_reading_commands_load_no_crawler_extractor_or_alembic(store: str, name: str) -> None:
    args = [arg.replace("{db}", store) for arg in COMMANDS[name]]
    done = subprocess.run([sys.executable, "-c", RUN_CLI, json.dumps(args)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = [line for line in done.stderr.splitlines() if line.startswith("LOADED ")]
    assert loaded and json.loads(loaded[-1].removeprefix("LOADED ")) == [], done.stderr


def test_the_web_app_loads_no_crawler_or_extractor() -> None:
    check = (f"import sys, web; web.create_app; print([m for m in {FORBIDDEN!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_schema_revision_is_the_newest_migration(tmp_path) -> None:
    """Reading commands check the schema against SCHEMA_REVISION without alembic: it must be its head."""
    assert SCHEMA_REVISION == head_revision(connect(f"sqlite:///{tmp_path / 'x.db'}"))
