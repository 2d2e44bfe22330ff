"""Saved searches (issue 13): named searches served as feeds, /feeds/NAME.atom.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("saved_searches"):  # run again after an interruption: done
        return
    op.create_table(
        "saved_searches",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("saved_searches")
