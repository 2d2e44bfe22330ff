"""The store's version: how many writes it has had, and when the last one was (migration 0013).

Triggers bump ``store_version`` in the transaction of every write to the articles, their sources
and the story events, so ``store_version`` is one indexed read however large the store is: the
HTTP server makes its ETag and Last-Modified from it and answers a client that has the current
version with 304 without running its search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, text


@dataclass(frozen=True)
class StoreVersion:
    number: int            # one more for every write (SQLite: every row written; PostgreSQL: every statement)
    changed_at: datetime   # when the last write happened (aware, UTC)


def store_version(bind: Engine | Connection) -> StoreVersion:
    """The store's current version (one read of a one-row table)."""
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return store_version(connection)
    number, changed_at = bind.execute(text("SELECT version, changed_at FROM store_version WHERE id = 1")).one()
    if isinstance(changed_at, str):  # SQLite hands back the text the trigger wrote
        changed_at = datetime.fromisoformat(changed_at)
    return StoreVersion(int(number), changed_at.replace(tzinfo=timezone.utc))
