"""Real servers for tests that need them: found running, else started, else the test is skipped.

The machine notes say how this machine kind starts PostgreSQL; on a machine without it the
tests that need it are skipped with the reason, never failed.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get("PROTESTWIRE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> str | None:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc.__class__.__name__}"


def _start_postgres() -> None:
    versions = [os.path.basename(p) for p in glob.glob("/etc/postgresql/*")]
    if not versions or shutil.which("pg_ctlcluster") is None:
        return
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start"],
                   capture_output=True, timeout=60, check=False)
    for _ in range(30):
        if _postgres_reachable() is None:
            return
        time.sleep(1)


def require_postgres() -> None:
    if _postgres_reachable() is None:
        return
    _start_postgres()
    reason = _postgres_reachable()
    if reason:
        pytest.skip(f"needs PostgreSQL, which is absent and could not be started here: {reason}")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new empty database for one test module, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    require_postgres()
    name = f"protestwire_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
