"""PostgreSQL full-text search: a generated tsvector over title, subtitle and body, GIN-indexed.

Accents are folded by an IMMUTABLE SQL function (so the column can be generated) and
words are indexed with the 'simple' configuration, matching SQLite's FTS5 tokens
("protesta" finds "Protestá"). A no-op on SQLite, whose FTS5 index came with 0001.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnaaaaaaeeeeiiiiooooouuuucn"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION protestwire_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT "
        f"AS $$ SELECT lower(translate(value, '{ACCENTED}', '{PLAIN}')) $$"
    )
    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', protestwire_fold(coalesce(title, ''))), 'A') || "
        "setweight(to_tsvector('simple', protestwire_fold(coalesce(subtitle, ''))), 'B') || "
        "setweight(to_tsvector('simple', protestwire_fold(coalesce(body, ''))), 'C')) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.execute("DROP FUNCTION IF EXISTS protestwire_fold(text)")
