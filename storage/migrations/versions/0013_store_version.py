"""The store's version (issue 20): ``store_version``, one row the database bumps on every write.

``store_version(id = 1, version, changed_at)`` counts the writes to what searches, feeds and the
API answer from (``articles``, ``sources``, ``story_events``): triggers add one and stamp the time
in the transaction of the write itself, so every writer (crawl, ingest, reextract, regroup,
rejudge, events, a hand-run UPDATE) moves it and a reader never sees a write without its bump.
``storage.version`` reads it; ``protestwire serve`` makes its ETag and Last-Modified from it.
SQLite runs the triggers for each row written (it has no statement triggers); PostgreSQL once a
statement. The table lives outside the ORM models (``env_support`` keeps autogenerate off it).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

WATCHED = ("articles", "sources", "story_events")
EVENTS = ("insert", "update", "delete")
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if not sa.inspect(bind).has_table("store_version"):  # run again after an interruption: keep the count
        op.execute(
            "CREATE TABLE store_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL, "
            f"changed_at {'DATETIME' if sqlite else 'TIMESTAMP'} NOT NULL)"
        )
        now = SQLITE_NOW if sqlite else "(now() AT TIME ZONE 'UTC')"
        op.execute(f"INSERT INTO store_version (id, version, changed_at) VALUES (1, 1, {now})")
    if sqlite:
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS store_version_{table}_{event}")
                op.execute(
                    f"CREATE TRIGGER store_version_{table}_{event} AFTER {event.upper()} ON {table} BEGIN "
                    f"UPDATE store_version SET version = version + 1, changed_at = {SQLITE_NOW} WHERE id = 1; END"
                )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION protestwire_bump_store_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE store_version SET version = version + 1, "
        "changed_at = (clock_timestamp() AT TIME ZONE 'UTC') WHERE id = 1; RETURN NULL; END $$"
    )
    for table in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS store_version_{table} ON {table}")
        op.execute(f"CREATE TRIGGER store_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION protestwire_bump_store_version()")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS store_version_{table}_{event}")
    else:
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS store_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS protestwire_bump_store_version()")
    op.execute("DROP TABLE IF EXISTS store_version")
