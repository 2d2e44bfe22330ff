"""Geotag columns (countries, event country, places) and the signals behind the protest score.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    op.add_column("articles", sa.Column("protest_signals", sa.JSON(), nullable=True))
    op.add_column("articles", sa.Column("countries", sa.JSON(), nullable=True))
    op.add_column("articles", sa.Column("event_country", sa.String(2), nullable=True))
    op.add_column("articles", sa.Column("places", sa.JSON(), nullable=True))
    op.create_index("ix_articles_event_country", "articles", ["event_country"])


def downgrade() -> None:
    op.drop_index("ix_articles_event_country", table_name="articles")
    for name in ("places", "event_country", "countries", "protest_signals"):
        op.drop_column("articles", name)
