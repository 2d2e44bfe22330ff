"""Raw captures (WARC references), conditional-request state, fetch errors per crawl run.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("crawl_run_id", sa.Integer(), sa.ForeignKey("crawl_runs.id"), nullable=True, index=True),
        sa.Column("source_id", sa.String(length=64), sa.ForeignKey("sources.id"), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("warc_path", sa.Text(), nullable=False),
        sa.Column("warc_offset", sa.BigInteger(), nullable=False),
        sa.Column("warc_length", sa.Integer(), nullable=False),
    )
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
    )
    op.add_column("crawl_runs", sa.Column("errors", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column("crawl_runs", sa.Column("warc_path", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # A plain ADD COLUMN: batch mode would rebuild `articles` and lose its FTS5 triggers.
        op.execute("ALTER TABLE articles ADD COLUMN capture_id INTEGER REFERENCES captures(id)")
    else:
        op.add_column("articles", sa.Column("capture_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_articles_capture_id", "articles", "captures", ["capture_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_articles_capture_id", "articles", type_="foreignkey")
    op.drop_column("articles", "capture_id")  # SQLite 3.35+ drops columns in place
    op.drop_column("crawl_runs", "warc_path")
    op.drop_column("crawl_runs", "errors")
    op.drop_table("fetch_state")
    op.drop_table("captures")
