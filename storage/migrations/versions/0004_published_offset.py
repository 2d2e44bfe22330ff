"""Keep the UTC offset a page gave with its publication time, and how far the date is trusted.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    op.add_column("articles", sa.Column("published_offset_minutes", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("published_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "published_confidence")
    op.drop_column("articles", "published_offset_minutes")
