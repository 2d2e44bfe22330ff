"""Engine factory, schema set-up and sessions.

The store is chosen by URL: ``--db URL`` beats ``PROTESTWIRE_DB`` beats the
embedded default ``sqlite:///protestwire.db`` in the working directory. Only SQLite and
PostgreSQL are supported. A SQLite file whose folder (or the file itself) is not writable is
opened read-only, so reading a store on a read-only disk or share works; writing to it fails
with a ``StoreError`` that says so. SQLite runs in WAL mode with foreign keys on and a busy
timeout. ``init_db`` runs the alembic migrations of ``migrations/``: on SQLite, 0001 adds an
external-content FTS5 index over title, subtitle and body with accent-insensitive tokens, kept in
sync by triggers; on PostgreSQL, 0002 adds a generated, GIN-indexed ``tsvector`` with the same
folding; 0012 adds the stems (``storage.fulltext``); 0013 the write counter (``storage.version``); 0014 the covering indexes search pages are chosen on (``storage.paging``); 0015 saved searches.
``explain`` turns any engine error into one line naming the problem and what to do: the CLI and
the HTTP API show that line, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url

if TYPE_CHECKING:  # imported where used: alembic by migrations, the ORM by sessions (see ``connect``)
    from alembic.config import Config
    from sqlalchemy.orm import Session

DEFAULT_DB_URL = "sqlite:///protestwire.db"
ENV_VAR = "PROTESTWIRE_DB"
# Readers and a crawl may write at once; wait this long for a lock instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest migration in migrations/versions/, so that commands that only read can check a store's
# schema without loading alembic (tests/test_migrations.py checks it is alembic's head).
SCHEMA_REVISION = "0015"


class StoreError(Exception):
    """The store cannot be opened or is not set up; the message says what to do."""


SUPPORTED_URLS = ("sqlite:///path/to/store.db (or just a file path) and "
                  "postgresql+psycopg://user@host:5432/dbname (with the postgres extra)")
POSTGRES_EXTRA_HINT = "pip install -e '.[postgres]'"


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


def _set_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # A read-only file keeps the journal mode it was written with: nothing to set but the waits.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def read_only_uri_query(path: Path) -> dict[str, str] | None:
    """How to open an existing SQLite file that cannot be written, or None when it can be.

    A folder that is not writable cannot hold the WAL's -shm and -wal files, so nobody can be
    writing the store: it is opened ``immutable``. A read-only file in a writable folder is
    opened ``mode=ro`` (another user may still be writing it)."""
    if not os.access(path.parent, os.W_OK):
        return {"immutable": "1", "uri": "true"}
    if not os.access(path, os.W_OK):
        return {"mode": "ro", "uri": "true"}
    return None


def sqlite_store_is_new(engine: Engine) -> bool:
    """Whether ``engine`` is a SQLite file store not made yet (no file, or an empty one)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or engine.url.query.get("uri"):
        return False
    path = Path(database).expanduser()
    return not path.exists() or path.stat().st_size == 0


def is_read_only(engine: Engine) -> bool:
    """Whether ``engine`` opened its SQLite file read-only (see ``read_only_uri_query``)."""
    query = engine.url.query
    return engine.dialect.name == "sqlite" and (query.get("mode") == "ro" or query.get("immutable") == "1")


def store_location(url: str | None) -> str:
    """The store as a person names it: the SQLite file's path, else the URL without its password."""
    resolved = resolve_db_url(url)
    try:
        parsed = make_url(resolved)
    except Exception:  # noqa: BLE001 - not a URL at all: show it as given
        return resolved
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        if parsed.query.get("uri") and parsed.database.startswith("file:"):  # opened read-only
            return unquote(parsed.database.removeprefix("file:"))
        return str(Path(parsed.database).expanduser().resolve())
    return parsed.render_as_string(hide_password=True)


def explain(exc: BaseException, where: str) -> str:
    """One line for an engine error: what is wrong with the store at ``where`` and what to do."""
    original = getattr(exc, "orig", None) or exc
    message = (str(original).strip().splitlines() or [type(original).__name__])[0]
    lower = message.lower()
    if "not a database" in lower or "malformed" in lower or "truncated" in lower:
        return (f"{where} is not a SQLite database, or it is damaged ({message}): check the path given to --db, "
                "or restore the file from a backup")
    if "readonly" in lower or "read-only" in lower:
        return (f"the store {where} is read-only ({message}): reading works, this command writes; "
                "make the file and its folder writable, or copy the store somewhere writable")
    if "unable to open database file" in lower:
        return f"cannot open the store {where} ({message}): check that the file and its folder exist and are readable"
    if "database is locked" in lower:
        return f"the store {where} stayed locked by another process ({message}): try again when it has finished"
    if "does not exist" in lower and "database" in lower:
        return f"PostgreSQL has no such database: {where} ({message}): create it (createdb NAME) or fix the URL"
    if any(words in lower for words in ("refused", "could not connect", "timeout expired", "no route to host",
                                        "could not translate host name", "name or service not known")):
        return (f"cannot connect to PostgreSQL at {where} ({message}): is the server running, and are the host "
                "and port in --db (or $PROTESTWIRE_DB) right?")
    if "connection failed" in lower or "authentication failed" in lower:
        return f"cannot connect to PostgreSQL at {where} ({message}): check the user and password in the URL"
    return f"the store {where} failed: {message}"


def _begin(connection: Any) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE): a deferred transaction that reads,
    # then writes after another process committed, fails at once instead of waiting.
    connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


def connect(url: str | None = None, *, create: bool = True, read_only: bool = False,
            pool_size: int | None = None) -> Engine:
    """An engine for the store at ``url`` (resolved as described in the module docstring).

    ``create=False`` (commands that only read): a SQLite file that does not exist is an error,
    not a new empty file. ``read_only`` (the HTTP server): SQLite files are opened ``mode=ro``,
    PostgreSQL sessions are read-only transactions. ``pool_size``: connections kept open, one per
    thread that may read at once. Raises StoreError for an unsupported URL or a missing driver."""
    resolved = resolve_db_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise StoreError(f"not a database URL: {resolved!r} ({exc}); protestwire supports {SUPPORTED_URLS}") from exc
    backend = parsed.get_backend_name()
    pool = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": 0}
    if backend == "sqlite":
        return _sqlite_engine(parsed, create=create, read_only=read_only, pool=pool)
    if backend != "postgresql":
        raise StoreError(f"protestwire cannot keep its store at {backend}:// URLs ({store_location(resolved)}); "
                         f"it supports {SUPPORTED_URLS}")
    if parsed.drivername == "postgresql":  # SQLAlchemy's default driver is psycopg2; the extra installs psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        options = {"postgresql_readonly": True} if read_only else {}
        return create_engine(parsed, pool_pre_ping=True, execution_options=options, **pool)
    except ImportError as exc:
        raise StoreError(f"a PostgreSQL store needs its driver ({exc}): {POSTGRES_EXTRA_HINT}") from exc


def _sqlite_engine(parsed: URL, *, create: bool, read_only: bool, pool: dict[str, int]) -> Engine:
    database = parsed.database or ""
    opened = None
    if database and database != ":memory:" and not parsed.query.get("uri"):
        path = Path(database).expanduser().resolve()
        if not path.parent.is_dir():
            raise StoreError(f"folder {path.parent} does not exist for the SQLite store {database}")
        if not path.exists() and not create:
            raise StoreError(f"no store at {path} (nothing was created): check the path or URL given to --db "
                             f"(it supports {SUPPORTED_URLS}), or make a new store there with "
                             f"`protestwire init --db {database}`")
        opened = read_only_uri_query(path) if path.exists() else None
        if opened is None and read_only and path.exists():
            opened = {"mode": "ro", "uri": "true"}
        if opened is not None:
            parsed = parsed.set(database=f"file:{quote(str(path))}", query=opened)
    engine = create_engine(parsed, **(pool if database and database != ":memory:" else {}))
    event.listen(engine, "connect", _set_read_only_pragmas if opened else _set_sqlite_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def init_db(engine: Engine, *, on_total: Callable[[int], None] | None = None,
            on_done: Callable[[int], None] | None = None) -> str:
    """Create the schema or upgrade it to the newest migration, then write the stems of articles
    stored before stemming (``on_total``/``on_done`` follow that fill); safe to re-run. Returns
    the revision."""
    from alembic import command

    from storage.fulltext import fill_stems

    command.upgrade(alembic_config(engine), "head")
    fill_stems(engine, on_total=on_total, on_done=on_done)
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision (alembic's version table, read with plain SQL), or None."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision(engine: Engine) -> str | None:
    """The newest revision among the migration scripts, as alembic reads them (``SCHEMA_REVISION``)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def require_schema(engine: Engine) -> None:
    """Fail with a hint when the store has never been initialised, or is older than this code."""
    where = engine.url.render_as_string(hide_password=True)
    current = current_revision(engine)
    if current is None:
        raise StoreError(f"the store at {where} has no schema yet: run `protestwire init` (or `protestwire demo`) first")
    head = SCHEMA_REVISION
    if current != head:
        raise StoreError(
            f"the store at {where} has schema version {current}, this protestwire needs {head}: "
            "run `protestwire init` to upgrade it (your articles are kept)"
        )


def check_store(engine: Engine) -> None:
    """Raise (StoreError, or the engine's error) unless the store can answer: its SQLite file is as
    long as its header says, and the articles table and its full-text index can be read."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite" and engine.url.database and engine.url.database != ":memory:":
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar() or 0
            page_size = connection.exec_driver_sql("PRAGMA page_size").scalar() or 0
            path = Path(unquote(engine.url.database.removeprefix("file:"))).expanduser()
            size = path.stat().st_size if path.exists() else None
            wal = path.with_name(path.name + "-wal")
            in_wal = wal.exists() and wal.stat().st_size > 0  # pages not yet copied back into the file
            if size is not None and not in_wal and size < pages * page_size:  # a copy or download cut short
                raise StoreError(f"{path} is truncated: {size} of {pages * page_size} bytes; restore it from a backup")
        connection.exec_driver_sql("SELECT max(id) FROM articles").scalar()
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'protesta' LIMIT 1").scalar()
        else:
            connection.exec_driver_sql("SELECT 1 FROM articles WHERE search_vector @@ to_tsquery('simple', 'x') "
                                       "LIMIT 1").scalar()


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    ``write=False`` is for reads only; on SQLite it does not take the write lock.
    """
    from sqlalchemy.orm import sessionmaker

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
