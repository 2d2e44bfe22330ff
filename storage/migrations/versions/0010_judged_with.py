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
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    op.add_column("articles", sa.Column("judged_with", sa.String(40), nullable=True))
    op.create_index("ix_articles_judged_with", "articles", ["judged_with"])


def downgrade() -> None:
    op.drop_index("ix_articles_judged_with", table_name="articles")
    op.drop_column("articles", "judged_with")
