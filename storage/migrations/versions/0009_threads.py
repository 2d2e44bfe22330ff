"""Threads (developing stories across weeks), the grouping method of each article, document
frequencies of story terms, and story keys findable by article.

Revision ID: 0009
Revises: 0008

Rows stored before get ``story_method`` null: ``protestwire regroup`` (run by ``init``) recomputes
their stories and threads with the full-text method. Idempotent: what exists is left alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _indexes(table: str) -> set[str]:
    return {i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    columns = _columns("articles")
    if "thread_id" not in columns:
        op.add_column("articles", sa.Column("thread_id", sa.Integer(), nullable=True))
    if "story_method" not in columns:
        op.add_column("articles", sa.Column("story_method", sa.String(16), nullable=True))
    indexes = _indexes("articles")
    for name, column in (("ix_articles_thread_id", "thread_id"), ("ix_articles_story_method", "story_method")):
        if name not in indexes:
            op.create_index(name, "articles", [column])
    if "ix_story_keys_article_id" not in _indexes("story_keys"):
        op.create_index("ix_story_keys_article_id", "story_keys", ["article_id"])
    if not sa.inspect(op.get_bind()).has_table("story_terms"):
        op.create_table(
            "story_terms",
            sa.Column("term", sa.BigInteger(), primary_key=True),
            sa.Column("documents", sa.Integer(), nullable=False),
            sqlite_with_rowid=False,
        )


def downgrade() -> None:
    op.drop_table("story_terms")
    op.drop_index("ix_story_keys_article_id", table_name="story_keys")
    op.drop_index("ix_articles_story_method", table_name="articles")
    op.drop_index("ix_articles_thread_id", table_name="articles")
    op.drop_column("articles", "story_method")  # SQLite 3.35+ drops columns in place
    op.drop_column("articles", "thread_id")
