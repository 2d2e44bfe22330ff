"""The relevance model each article was last judged with (``protestwire classify --store`` resumes by it).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent, as every migration here: a run interrupted after its DDL may be run again.
    inspector = sa.inspect(op.get_bind())
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    if "judged_with" not in {c["name"] for c in inspector.get_columns("articles")}:
        op.add_column("articles", sa.Column("judged_with", sa.String(40), nullable=True))
    if "ix_articles_judged_with" not in {i["name"] for i in inspector.get_indexes("articles")}:
        op.create_index("ix_articles_judged_with", "articles", ["judged_with"])


def downgrade() -> None:
    op.drop_index("ix_articles_judged_with", table_name="articles")
    op.drop_column("articles", "judged_with")
