"""Protest event records per story (issue 21): story_events.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("story_events"):  # run again after an interruption: done
        return
    op.create_table(
        "story_events",
        sa.Column("story_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("participants_category", sa.String(length=16), nullable=True),
        sa.Column("participants_estimate", sa.BigInteger(), nullable=True),
        sa.Column("protester_violence", sa.Boolean(), nullable=False),
        sa.Column("demands", sa.JSON(), nullable=False),
        sa.Column("state_response", sa.JSON(), nullable=False),
        sa.Column("action_types", sa.JSON(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_story_events_start_date", "story_events", ["start_date"])
    op.create_index("ix_story_events_country", "story_events", ["country"])


def downgrade() -> None:
    op.drop_index("ix_story_events_country", table_name="story_events")
    op.drop_index("ix_story_events_start_date", table_name="story_events")
    op.drop_table("story_events")
