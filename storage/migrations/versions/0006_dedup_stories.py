"""Near-duplicate band keys, story keys and ids, versions of re-published articles.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    op.add_column("articles", sa.Column("story_id", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("story_features", sa.Text(), nullable=True))
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_table(
        "article_bands",
        sa.Column("band_key", sa.BigInteger(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sqlite_with_rowid=False,  # the key is the table: no second copy as an index
    )
    op.create_table(
        "story_keys",
        sa.Column("key", sa.BigInteger(), primary_key=True),
        sa.Column("seen", sa.DateTime(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("extractor_version", sa.String(length=40), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("article_id", "content_hash", "title", name="uq_article_versions_content"),
    )
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_versions_article_id", table_name="article_versions")
    op.drop_table("article_versions")
    op.drop_table("story_keys")
    op.drop_table("article_bands")
    op.drop_index("ix_articles_story_id", table_name="articles")
    op.drop_column("articles", "story_features")  # SQLite 3.35+ drops columns in place
    op.drop_column("articles", "story_id")
