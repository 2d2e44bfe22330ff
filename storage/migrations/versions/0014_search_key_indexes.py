"""Search at scale (issue 20): two covering indexes of the columns a search page is chosen on.

A page is chosen, and facets counted, on an article's id, story, copy and thread links, date and
filter columns only
(storage.paging); its body and stems, which make a row span overflow pages, are read for the
page's rows alone. ``ix_articles_page_by_id`` answers the full-text matches' lookups by rowid,
``ix_articles_page_by_date`` walks the newest first and stops when the page is full. Every step
here can run again.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

KEYS = ["story_id", "duplicate_of", "thread_id", "source_id", "language", "protest", "event_country",
        "published_offset_minutes"]
INDEXES = {"ix_articles_page_by_id": ["id", "published", *KEYS], "ix_articles_page_by_date": ["published", "id", *KEYS]}


def upgrade() -> None:
    known = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("articles")}
    for name, columns in INDEXES.items():
        if name not in known:
            op.create_index(name, "articles", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="articles")
