"""Engine factory, schema set-up and sessions.

The store is chosen by URL: ``--db URL`` beats ``PROTESTWIRE_DB`` beats the
embedded default ``sqlite:///protestwire.db`` in the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_URL = "sqlite:///protestwire.db"
ENV_VAR = "PROTESTWIRE_DB"
# Readers and a crawl may write at once; wait this long for a lock instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened or is not set up; the message says what to do."""


def resolve_db_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get(ENV_VAR) or DEFAULT_DB_URL
    if "://" not in url:  # a bare path is a convenience for SQLite files
        url = f"sqlite:///{url}"
    return url


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, open transactions ("BEGIN" in _begin below), so
    # that SAVEPOINTs nest inside the outer transaction and roll back with it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL + NORMAL is durable across application crashes, and much faster than FULL.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection: Any) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE): a deferred transaction that reads,
    # then writes after another process committed, fails at once instead of waiting.
    connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


def connect(url: str | None = None) -> Engine:
    """An engine for the store at ``url`` (resolved as described in the module docstring)."""
    resolved = resolve_db_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise StoreError(f"not a database URL: {resolved!r} ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} does not exist for the SQLite store {database}")
        engine = create_engine(resolved)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(resolved, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def init_db(engine: Engine) -> str:
    """Create the schema or upgrade it to the newest migration; safe to re-run. Returns the revision."""
    command.upgrade(alembic_config(engine), "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def require_schema(engine: Engine) -> None:
    """Fail with a hint when the store has never been initialised, or is older than this code."""
    where = engine.url.render_as_string(hide_password=True)
    current = current_revision(engine)
    if current is None:
        raise StoreError(f"the store at {where} has no schema yet: run `protestwire init` (or `protestwire demo`) first")
    head = head_revision(engine)
    if current != head:
        raise StoreError(
            f"the store at {where} has schema version {current}, this protestwire needs {head}: "
            "run `protestwire init` to upgrade it (your articles are kept)"
        )


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    ``write=False`` is for reads only; on SQLite it does not take the write lock.
    """
    bind = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE") if write else engine
    factory = sessionmaker(bind, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
