"""Language-aware full text: Snowball stems of each article's words, by its language.

SQLite's FTS5 has no Snowball tokenizer, so the stems are computed here when an article is
written and kept in ``articles.search_stems``, a fourth column of the FTS5 index (migration 0012).
PostgreSQL stems in the database instead: ``articles.stem_vector`` is a tsvector made by a
trigger with the article's own text search configuration (Snowball for es/pt/en, 'simple'
otherwise) over its text as written and with accents removed (unaccent).

A searched word matches its exact form (accents and case folded) or any of its stems in
Spanish, Portuguese and English: the query does not know the articles' languages, and a
Portuguese stem of a Spanish word is sometimes the one that joins its forms ("bloqueos" and
"bloquearon" share only the Portuguese stem "bloqu"). Each word is stemmed as written and with its
accents removed, so "manifestacao" still finds "manifestação".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

import Stemmer
from sqlalchemy import Engine, text

from vocabulary.folding import fold

# Article languages with a Snowball stemmer here, and the stemmer's name (PostgreSQL's too).
STEMMED_LANGUAGES = {"es": "spanish", "pt": "portuguese", "en": "english"}
# The PostgreSQL text search configuration of each (migration 0012): Snowball, stop words unstemmed.
PG_CONFIGS = {code: f"protestwire_{code}" for code in STEMMED_LANGUAGES}
_WORDS = re.compile(r"[^\W_]+")
BACKFILL_BATCH = 500
# Distinct whitespace-separated tokens remembered per language and thread; news vocabulary is
# Zipfian, so nearly every token of an article is a dictionary hit after the first few thousand.
TOKEN_CACHE_SIZE = 100_000
_DATA = Path(__file__).parent / "data"
_local = threading.local()  # PyStemmer's stemmers keep a cache and are not thread-safe


@cache
def stopwords(language: str) -> frozenset[str]:
    """Snowball's stop words of ``language`` (the lists PostgreSQL ships): words not stemmed, since
    their stems join unrelated words ("para" and "paro" share the Spanish stem "par")."""
    return frozenset((_DATA / f"stopwords-{language}.txt").read_text(encoding="utf-8").split())


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {code: Stemmer.Stemmer(name) for code, name in STEMMED_LANGUAGES.items()}
    return stemmers[language]


def _token_cache(language: str) -> dict[str, str]:
    caches: dict[str, dict[str, str]] | None = getattr(_local, "token_caches", None)
    if caches is None:
        caches = _local.token_caches = {code: {} for code in STEMMED_LANGUAGES}
    if len(caches[language]) > TOKEN_CACHE_SIZE:
        caches[language].clear()
    return caches[language]


def words_of(value: str) -> list[str]:
    """The lower-case words of ``value`` with their accents (composed, so "ó" is one letter)."""
    return _WORDS.findall(unicodedata.normalize("NFC", value.lower()))


def _token_stems(token: str, language: str) -> str:
    """The folded stems of the words of one lower-case token, space-separated; stop words give none.

    A word with accents gives its stem as written and, when it differs, the stem of the word
    without accents, so a query typed without them finds it too."""
    stemmer, stop = _stemmer(language), stopwords(language)
    stems: list[str] = []
    for word in _WORDS.findall(token):
        if word in stop:
            continue
        stems.append(fold(stemmer.stemWord(word)))
        if not word.isascii():
            plain = fold(stemmer.stemWord(fold(word)))
            if plain != stems[-1]:
                stems.append(plain)
    return " ".join(stems)


def _stems_text(value: str, language: str) -> str:
    known = _token_cache(language)
    stems: list[str] = []
    for token in unicodedata.normalize("NFC", value.lower()).split():
        found = known.get(token)
        if found is None:
            found = known[token] = _token_stems(token, language)
        if found:
            stems.append(found)
    return " ".join(stems)


def token_stems(tokens: list[str], language: str | None) -> list[frozenset[str]]:
    """The stems of each whitespace-separated token (as in ``str.split()``), for marking a snippet."""
    if language not in STEMMED_LANGUAGES:
        return [frozenset() for _ in tokens]
    known = _token_cache(language)
    stems = []
    for token in tokens:
        lower = unicodedata.normalize("NFC", token.lower())
        found = known.get(lower)
        if found is None:
            found = known[lower] = _token_stems(lower, language)
        stems.append(frozenset(found.split()))
    return stems


def stem_words(value: str, language: str | None) -> list[str]:
    """The folded stems of ``value``'s words in ``language``; [] for a language without a stemmer."""
    return _stems_text(value, language).split() if language in STEMMED_LANGUAGES else []


def search_stems(title: str | None, subtitle: str | None, body: str | None, language: str | None) -> str:
    """The ``articles.search_stems`` text of an article: "" when its language has no stemmer."""
    if language not in STEMMED_LANGUAGES:
        return ""
    return _stems_text(" ".join(part for part in (title, subtitle, body) if part), language)


def stem_values(dialect: str, title: str | None, subtitle: str | None, body: str | None,
                language: str | None) -> dict[str, str]:
    """The stem column to write with an article's text: SQLite only (PostgreSQL stems in a trigger)."""
    if dialect != "sqlite":
        return {}
    return {"search_stems": search_stems(title, subtitle, body, language)}


# Endings a word typed without accents most likely had (Portuguese -ção/-ões/-ão, Spanish -ción):
# Snowball reads "paralisacao" as another word than "paralisação", whose stem "paralis" joins
# "paralisações" and "paralisaram".
_ACCENTED_ENDINGS = (("coes", "ções"), ("cao", "ção"), ("oes", "ões"), ("aes", "ães"), ("ao", "ão"), ("cion", "ción"))


def _query_forms(typed: str) -> tuple[str, ...]:
    """A searched word as typed, without accents, and with the accents of its ending put back."""
    plain = fold(typed)
    forms = [unicodedata.normalize("NFC", typed.lower()), plain]
    forms += [plain[: -len(bare)] + accented for bare, accented in _ACCENTED_ENDINGS if plain.endswith(bare)][:1]
    return tuple(dict.fromkeys(forms))


def query_stems(typed: str) -> tuple[str, ...]:
    """Every folded stem of a searched word in es, pt and en, as written, without accents and with
    its ending's accents restored (none in a language that has it as a stop word)."""
    forms = _query_forms(typed)
    stems = (fold(_stemmer(language).stemWord(form)) for language in STEMMED_LANGUAGES for form in forms
             if form not in stopwords(language))
    return tuple(dict.fromkeys(stems))


# The rows whose stems are not written yet (a partial index finds them; migration 0012).
_UNSTEMMED = {"sqlite": "search_stems IS NULL", "postgresql": "stem_vector IS NULL"}


def unstemmed_count(engine: Engine) -> int:
    """How many stored articles still lack their stems (articles stored before migration 0012)."""
    with engine.connect() as connection:
        return int(connection.execute(
            text(f"SELECT count(*) FROM articles WHERE {_UNSTEMMED[engine.dialect.name]}")).scalar() or 0)


def _fill_sqlite_batch(engine: Engine, batch: int) -> int:
    from storage.db import session_scope

    with session_scope(engine) as session:
        rows = session.execute(text(
            "SELECT id, title, subtitle, body, language FROM articles WHERE search_stems IS NULL "
            "ORDER BY id LIMIT :batch"), {"batch": batch}).all()
        if rows:
            session.execute(text("UPDATE articles SET search_stems = :stems WHERE id = :id"),
                            [{"id": row.id, "stems": search_stems(row.title, row.subtitle, row.body, row.language)}
                             for row in rows])
        return len(rows)


def _fill_postgresql_batch(engine: Engine, batch: int) -> int:
    with engine.begin() as connection:
        return connection.execute(text(
            "UPDATE articles SET stem_vector = protestwire_stem_vector(language, title, subtitle, body) "
            "WHERE id IN (SELECT id FROM articles WHERE stem_vector IS NULL ORDER BY id LIMIT :batch)"),
            {"batch": batch}).rowcount


def fill_stems(engine: Engine, *, on_total: Callable[[int], None] | None = None,
               on_done: Callable[[int], None] | None = None, batch: int = BACKFILL_BATCH) -> int:
    """Write the stems of every article stored without them, ``batch`` rows a transaction.

    An interrupted run loses at most one batch; the next one continues with the rows still
    unstemmed, and a run with none left costs one indexed count. Returns the rows filled."""
    total = unstemmed_count(engine)
    if on_total:
        on_total(total)
    fill = _fill_sqlite_batch if engine.dialect.name == "sqlite" else _fill_postgresql_batch
    filled = 0
    while total and (done := fill(engine, batch)):
        filled += done
        if on_done:
            on_done(done)
    return filled


def pg_stem_query(typed: str) -> list[tuple[str, str]]:
    """(configuration, text) pairs whose tsqueries OR-ed give a word's stems on PostgreSQL."""
    return [(config, form) for config in PG_CONFIGS.values() for form in _query_forms(typed)]


__all__ = ["BACKFILL_BATCH", "PG_CONFIGS", "STEMMED_LANGUAGES", "fill_stems", "token_stems", "pg_stem_query",
           "query_stems", "search_stems", "stem_values", "stem_words", "unstemmed_count", "words_of"]
