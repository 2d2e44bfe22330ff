"""Stemmed full text by article language (Snowball es/pt/en), accents folded.

SQLite: ``articles.search_stems`` holds the stems protestwire computes when it writes an article
(storage.fulltext); the FTS5 index is declared again with it as a fourth column (still
``content="articles"``, so Datasette keeps its search box) and rebuilt.
PostgreSQL: ``articles.stem_vector``, a tsvector of the article's words in its language's
configuration (``protestwire_es``, ``_pt``, ``_en``: Snowball, its stop words left out; 'simple'
otherwise), as written and with accents removed by unaccent, kept by a trigger, GIN-indexed.
Without the unaccent extension accents are removed by ``protestwire_fold`` instead (0002's
letter table), and a warning says so.

Stores made before this migration have no stems yet: ``storage.fulltext.fill_stems`` (run by
``init_db`` right after the migrations, with a progress bar in ``protestwire init``) writes them
in batches of their own transactions, so an interrupted fill resumes where it stopped; until then
those articles are found by their exact words. Every step here can run again.

Revision ID: 0012
Revises: 0011
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")
LANGUAGES = {"es": "spanish", "pt": "portuguese", "en": "english"}
# Every token kind 'simple' maps that is a word (not an email, URL, number with a point...).
WORD_TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"


def _columns() -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns("articles")}


def sqlite_fulltext(columns: tuple[str, ...]) -> None:
    """The FTS5 index over ``columns`` of articles, its triggers, filled from the table."""
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    listed = ", ".join(columns)
    op.execute(f'CREATE VIRTUAL TABLE articles_fts USING fts5({listed}, content="articles", content_rowid=\'id\', '
               f"tokenize='{FTS_TOKENIZER}')")
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert_new = f"INSERT INTO articles_fts(rowid, {listed}) VALUES (new.id, {new});"
    delete_old = f"INSERT INTO articles_fts(articles_fts, rowid, {listed}) VALUES ('delete', old.id, {old});"
    op.execute(f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN {delete_old} END")
    op.execute(f"CREATE TRIGGER articles_fts_update AFTER UPDATE OF {listed} ON articles "
               f"BEGIN {delete_old} {insert_new} END")
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _unaccent_schema() -> str | None:
    """The schema of the unaccent extension, created if the server has it; None when it cannot be."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():  # a refusal must not abort the migration's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except sa.exc.DBAPIError as exc:
        warnings.warn(f"PostgreSQL's unaccent extension is not available ({str(exc.orig).strip()}): accents are "
                      "removed with protestwire_fold's letter table instead; install postgresql-contrib and run "
                      "`protestwire init` again for unaccent", stacklevel=1)
        return None
    return bind.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'").scalar()


def postgresql_upgrade() -> None:
    schema = _unaccent_schema()
    # unaccent() is only STABLE (its rules file could change); pinned to its dictionary it is safe to
    # treat as IMMUTABLE, as an index or generated column needs.
    remove_accents = (f"{schema}.unaccent('{schema}.unaccent'::regdictionary, value)" if schema
                      else "protestwire_fold(value)")
    op.execute("CREATE OR REPLACE FUNCTION protestwire_unaccent(value text) RETURNS text LANGUAGE sql IMMUTABLE "
               f"PARALLEL SAFE STRICT AS $$ SELECT {remove_accents} $$")
    for code, name in LANGUAGES.items():
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS protestwire_{code}")
        op.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS protestwire_{code}_stem")
        op.execute(f"CREATE TEXT SEARCH DICTIONARY protestwire_{code}_stem "
                   f"(TEMPLATE = snowball, LANGUAGE = {name}, STOPWORDS = {name})")
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION protestwire_{code} (COPY = simple)")
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION protestwire_{code} ALTER MAPPING FOR {WORD_TOKENS} "
                   f"WITH protestwire_{code}_stem")
    cases = " ".join(f"WHEN '{code}' THEN 'protestwire_{code}'" for code in LANGUAGES)
    op.execute("CREATE OR REPLACE FUNCTION protestwire_search_config(language text) RETURNS regconfig "
               f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE language {cases} ELSE 'simple' END)::regconfig $$")
    parts = " || ".join(
        f"setweight(to_tsvector(config, coalesce({column}, '')) || "
        f"to_tsvector(config, protestwire_unaccent(coalesce({column}, ''))), '{weight}')"
        for column, weight in (("title", "A"), ("subtitle", "B"), ("body", "C")))
    op.execute(
        "CREATE OR REPLACE FUNCTION protestwire_stem_vector(language text, title text, subtitle text, body text) "
        "RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
        f"$$ SELECT {parts} FROM (SELECT protestwire_search_config(language) AS config) AS chosen $$")
    op.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_stems text")
    op.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS stem_vector tsvector")
    op.execute(
        "CREATE OR REPLACE FUNCTION protestwire_stem_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.stem_vector := protestwire_stem_vector(NEW.language, NEW.title, NEW.subtitle, NEW.body); "
        "RETURN NEW; END $$")
    op.execute("DROP TRIGGER IF EXISTS articles_stem_vector ON articles")
    op.execute("CREATE TRIGGER articles_stem_vector BEFORE INSERT OR UPDATE OF language, title, subtitle, body "
               "ON articles FOR EACH ROW EXECUTE FUNCTION protestwire_stem_vector_trigger()")
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_stem_vector ON articles USING gin (stem_vector)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_unstemmed ON articles (id) WHERE stem_vector IS NULL")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        postgresql_upgrade()
        return
    if "search_stems" not in _columns():
        # Plain ADD COLUMN (no batch mode): rebuilding `articles` on SQLite would drop its FTS5 triggers.
        op.add_column("articles", sa.Column("search_stems", sa.Text(), nullable=True))
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_unstemmed ON articles (id) WHERE search_stems IS NULL")
    sqlite_fulltext(("title", "subtitle", "body", "search_stems"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS articles_stem_vector ON articles")
        op.execute("DROP FUNCTION IF EXISTS protestwire_stem_vector_trigger()")
        op.execute("DROP INDEX IF EXISTS ix_articles_unstemmed")
        op.execute("DROP INDEX IF EXISTS ix_articles_stem_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS stem_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_stems")
        op.execute("DROP FUNCTION IF EXISTS protestwire_stem_vector(text, text, text, text)")
        op.execute("DROP FUNCTION IF EXISTS protestwire_search_config(text)")
        for code in LANGUAGES:
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS protestwire_{code}")
            op.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS protestwire_{code}_stem")
        op.execute("DROP FUNCTION IF EXISTS protestwire_unaccent(text)")
        return
    sqlite_fulltext(("title", "subtitle", "body"))
    op.execute("DROP INDEX IF EXISTS ix_articles_unstemmed")
    op.drop_column("articles", "search_stems")
