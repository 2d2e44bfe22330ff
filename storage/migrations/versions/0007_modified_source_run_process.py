"""Keep where the modified date came from, and which process runs each crawl.

``articles.modified_source`` completes ``modified`` as ``published_source`` does ``published``;
``crawl_runs.pid`` and ``crawl_runs.host`` let the next crawl close a run whose process is gone.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
    op.add_column("articles", sa.Column("modified_source", sa.String(40), nullable=True))
    op.add_column("crawl_runs", sa.Column("pid", sa.Integer(), nullable=True))
    op.add_column("crawl_runs", sa.Column("host", sa.String(255), nullable=True))


def downgrade() -> None:
    op.drop_column("crawl_runs", "host")
    op.drop_column("crawl_runs", "pid")
    op.drop_column("articles", "modified_source")
