"""SQLite full-text index declared with content="articles", so Datasette finds it.

Datasette (and sqlite-utils) recognise the FTS table of ``articles`` by ``content="articles"`` or
``content=[articles]`` in its declaration; 0001 wrote ``content='articles'``, which FTS5 reads the
same but Datasette does not, so its search box was missing. The index and its triggers are made
again and the index rebuilt from ``articles``: no article is touched, and running it twice (after an
interruption, say) gives the same result. A no-op on PostgreSQL.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # as 0001: accent- and case-insensitive words
FTS_COLUMNS = "title, subtitle, body"
TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")


def recreate_sqlite_fulltext(content: str) -> None:
    """Drop the FTS5 index and its triggers if present, declare them again with ``content`` (the
    table's name as quoted in the declaration) and fill the index from ``articles``."""
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({FTS_COLUMNS}, "
        f"content={content}, content_rowid='id', tokenize='{FTS_TOKENIZER}')"
    )
    insert_new = "INSERT INTO articles_fts(rowid, title, subtitle, body) VALUES (new.id, new.title, new.subtitle, new.body);"
    delete_old = (
        "INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, body) "
        "VALUES ('delete', old.id, old.title, old.subtitle, old.body);"
    )
    op.execute(f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN {delete_old} END")
    op.execute(
        f"CREATE TRIGGER articles_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON articles "
        f"BEGIN {delete_old} {insert_new} END"
    )
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        recreate_sqlite_fulltext('"articles"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        recreate_sqlite_fulltext("'articles'")
