"""initial schema: sources, crawl runs, articles, full-text index

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# Accent- and case-insensitive words, so "protesta" finds "Protestá" and "greve" finds "Greve".
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FTS_COLUMNS = "title, subtitle, body"


def create_sqlite_fulltext() -> None:
    """External-content FTS5 index over articles, kept in sync by triggers."""
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({FTS_COLUMNS}, "
        f"content='articles', content_rowid='id', tokenize='{FTS_TOKENIZER}')"
    )
    insert_new = "INSERT INTO articles_fts(rowid, title, subtitle, body) VALUES (new.id, new.title, new.subtitle, new.body);"
    delete_old = (
        "INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, body) "
        "VALUES ('delete', old.id, old.title, old.subtitle, old.body);"
    )
    op.execute(f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN {delete_old} END")
    op.execute(
        f"CREATE TRIGGER articles_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON articles "
        f"BEGIN {delete_old} {insert_new} END"
    )


def upgrade() -> None:
    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spider', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pages_fetched', sa.Integer(), nullable=False),
    sa.Column('articles_new', sa.Integer(), nullable=False),
    sa.Column('articles_updated', sa.Integer(), nullable=False),
    sa.Column('articles_unchanged', sa.Integer(), nullable=False),
    sa.Column('articles_duplicate', sa.Integer(), nullable=False),
    sa.Column('articles_dropped', sa.Integer(), nullable=False),
    sa.Column('drop_reasons', sa.JSON(), nullable=False),
    sa.Column('per_source', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sources',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('homepage', sa.String(length=500), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_country'), ['country'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('canonical_url', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('subtitle', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('published', sa.DateTime(), nullable=True),
    sa.Column('published_source', sa.String(length=40), nullable=True),
    sa.Column('modified', sa.DateTime(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('image', sa.Text(), nullable=True),
    sa.Column('site_name', sa.Text(), nullable=True),
    sa.Column('paywalled', sa.Boolean(), nullable=False),
    sa.Column('extractor_version', sa.String(length=40), nullable=False),
    sa.Column('protest', sa.Boolean(), nullable=False),
    sa.Column('protest_score', sa.Float(), nullable=False),
    sa.Column('protest_types', sa.JSON(), nullable=False),
    sa.Column('duplicate_of', sa.Integer(), nullable=True),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('crawl_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['crawl_run_id'], ['crawl_runs.id'], ),
    sa.ForeignKeyConstraint(['duplicate_of'], ['articles.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('canonical_url')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_duplicate_of'), ['duplicate_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_protest'), ['protest'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_source_id'), ['source_id'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_fulltext()



def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")  # its triggers go with the articles table
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_source_id'))
        batch_op.drop_index(batch_op.f('ix_articles_published'))
        batch_op.drop_index(batch_op.f('ix_articles_protest'))
        batch_op.drop_index(batch_op.f('ix_articles_language'))
        batch_op.drop_index(batch_op.f('ix_articles_duplicate_of'))
        batch_op.drop_index(batch_op.f('ix_articles_content_hash'))

    op.drop_table('articles')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_country'))

    op.drop_table('sources')
    op.drop_table('crawl_runs')
