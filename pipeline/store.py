"""Store stage: write one article idempotently, find its copies and its story, say what happened.

Outcomes:
 - ``new``: a canonical URL and a text never seen before;
 - ``duplicate``: a new URL whose text is already stored, exactly or nearly (a wire copy
   with another headline, an intro, a trimmed end...): kept, with ``duplicate_of`` pointing
   at the canonical copy, the earliest published (then the longest);
 - ``updated``: a known URL whose text or headline changed (the article keeps its first-seen
   text and the new one is kept in ``article_versions``), or whose metadata changed;
 - ``unchanged``: a known URL seen again with the same content (only ``last_seen`` moves).
Every article also gets a ``story_id`` (the story it reports, ``pipeline.dedup.stories``: its own id
when it starts one) and a ``thread_id`` (the developing story that story belongs to). Copies
share their canonical's story and thread. The store keeps what the decision needs: story keys
(rare terms and entities with their time) and the document frequency of every story term.
Re-running the same input therefore never adds rows, from one process or several.

Every lookup goes through an indexed key table (``article_bands`` for copies, ``story_keys``
for stories, within a time window), so a write costs the same with a thousand or a million
articles stored. ``store_articles`` writes a batch with the same outcomes; ``fill_fingerprint``
gives an older row its fingerprint by the same decision (``protestwire/backfill.py``).

This module sits at the top of ``pipeline/`` with ``process_page``: it is the one place the
pipeline meets the store's models. The stages below it never import it or ``storage/``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Integer, Text, TextClause, TextualSelect, bindparam, event, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.dedup.fingerprint import Fingerprint, fingerprint
from pipeline.dedup.neardup import DEFAULT_NEARDUP, NearDupOptions, is_near_duplicate, overlap, shingles
from sources.registry import registry_source_by_id
from pipeline.dedup.stories import (
    DEFAULT_STORY, METHOD, Decision, Member, StoryOptions, StoryTerms, StoryVectors, decide, key_hash, story_vectors,
)
from pipeline.story_events import refresh_stories, stories_of
from pipeline.types import ArticleRecord
from storage.fulltext import stem_values
from storage.models import Article, ArticleBand, ArticleVersion, Source, StoryKey, UTCDateTime

Outcome = Literal["new", "duplicate", "updated", "unchanged"]
# Columns copied from the record on insert and compared on update.
CONTENT_FIELDS = (
    "url", "title", "subtitle", "body", "authors", "published", "published_source", "published_offset_minutes",
    "published_confidence", "modified", "modified_source", "language",
    "section", "tags", "image", "site_name", "paywalled", "extractor_version",
)


@dataclass(frozen=True)
class StoreResult:
    outcome: Outcome
    article_id: int


@dataclass(frozen=True, kw_only=True)
class DedupOptions:
    """How copies and stories are found (see pipeline.dedup.neardup and pipeline.dedup.stories)."""

    neardup: NearDupOptions = DEFAULT_NEARDUP
    story: StoryOptions = DEFAULT_STORY


DEFAULT_DEDUP = DedupOptions()


# A candidate sharing this share of shingles is the copy: the others need not be checked.
CLEAR_COPY = 0.9
# Near-duplicate candidates checked on their shingles per new article: those sharing the most
# band keys. True copies share many bands (a Jaccard-0.5 copy shares 4 of 32 on average).
NEAR_CANDIDATES = 20


def assessment_columns(record: ArticleRecord) -> dict[str, object]:
    """The classify and geotag columns of ``record`` (also what ``reextract`` refreshes)."""
    assessment, geo = record.assessment, record.geo
    return dict(
        protest=assessment.protest,
        protest_score=assessment.protest_score,
        protest_types=list(assessment.protest_types),
        protest_signals=list(assessment.signals),
        judged_with=assessment.model_version or None,
        countries=dict(geo.countries),
        event_country=geo.event_country,
        places=[place.to_json() for place in geo.places],
    )


def _columns(record: ArticleRecord) -> dict[str, object]:
    article = record.article
    values: dict[str, object] = {name: getattr(article, name) for name in CONTENT_FIELDS}
    values.update(canonical_url=article.canonical_url, content_hash=record.content_hash, source_id=record.source_id)
    values.update(assessment_columns(record))
    return values


def _stem_values(session: Session, record: ArticleRecord) -> dict[str, str]:
    """The article's stems for the full-text index (SQLite; PostgreSQL makes them in a trigger)."""
    article = record.article
    return stem_values(session.get_bind().dialect.name, article.title, article.subtitle, article.body,
                       article.language)


def _fingerprint(record: ArticleRecord) -> Fingerprint:
    if isinstance(record.fingerprint, Fingerprint):
        return record.fingerprint
    return fingerprint(record.article.title, record.article.body, record.article.language)


def _update_existing(session: Session, existing: Article, record: ArticleRecord, now: datetime,
                     run_id: int | None, capture_id: int | None) -> Outcome:
    """A known URL again: a changed text or headline becomes a version, metadata is refreshed."""
    existing.last_seen = now
    article = record.article
    if existing.content_hash != record.content_hash or existing.title != article.title:
        known = session.scalar(select(ArticleVersion.id).where(
            ArticleVersion.article_id == existing.id, ArticleVersion.content_hash == record.content_hash,
            ArticleVersion.title == article.title))
        if known is not None:
            return "unchanged"
        session.add(ArticleVersion(article_id=existing.id, content_hash=record.content_hash,
                                   extractor_version=article.extractor_version, seen_at=now, title=article.title,
                                   body=article.body, published=article.published))
        return "updated"
    values = _columns(record)
    if not any(getattr(existing, name) != values[name] for name in ("published", "protest_score", "event_country")):
        return "unchanged"
    if existing.language != values["language"]:  # same text (same hash and title): stems change with the language
        values.update(_stem_values(session, record))
    for name, value in values.items():
        if name != "source_id" or value is not None:
            setattr(existing, name, value)
    existing.crawl_run_id = run_id
    existing.capture_id = capture_id or existing.capture_id
    return "updated"


def _sorts_first(published: datetime | None, body_length: int, other: Article) -> bool:
    """Whether a text published at ``published`` should be the canonical copy rather than
    ``other``: published first, then longer."""
    far = datetime.max.replace(tzinfo=timezone.utc)
    return (published or far, -body_length) < (other.published or far, -len(other.body))


# Statements built once (building them per article cost more than running them).
_SAME_HASH = select(Article).where(Article.content_hash == bindparam("hash")).order_by(Article.id).limit(1)
_SHARED = func.count().label("shared")
_SHARING_BANDS = (
    select(ArticleBand.article_id, _SHARED).where(ArticleBand.band_key.in_(bindparam("keys", expanding=True)))
    .group_by(ArticleBand.article_id).order_by(_SHARED.desc(), ArticleBand.article_id).limit(NEAR_CANDIDATES)
    .subquery()
)
# The near-duplicate candidates, most shared band keys first.
_CANDIDATE_COPIES = (
    select(Article).join(_SHARING_BANDS, Article.id == _SHARING_BANDS.c.article_id)
    .order_by(_SHARING_BANDS.c.shared.desc(), Article.id)
)


# The backfill stores old rows as if one by one: rows still unfingerprinted are "not stored yet".
_SAME_HASH_FINGERPRINTED = _SAME_HASH.where(Article.story_features.is_not(None))


def _find_copy(session: Session, content_hash: str, print_: Fingerprint, options: NearDupOptions,
               *, fingerprinted_only: bool = False) -> Article | None:
    """The canonical article this text copies (exactly or nearly), or None."""
    same_hash = _SAME_HASH_FINGERPRINTED if fingerprinted_only else _SAME_HASH
    exact = session.scalars(same_hash, {"hash": content_hash}).first()
    if exact is not None:
        match: Article | None = exact
    elif print_.band_keys:
        best, best_containment = None, 0.0
        for candidate in session.scalars(_CANDIDATE_COPIES, {"keys": list(print_.band_keys)}).all():
            theirs = shingles(candidate.body, options)
            containment = overlap(print_.shingles, theirs).containment
            if is_near_duplicate(print_.shingles, theirs, options) and containment > best_containment:
                best, best_containment = candidate, containment
                if containment >= CLEAR_COPY:
                    break
        match = best
    else:
        match = None
    if match is not None and match.duplicate_of is not None:
        match = session.get(Article, match.duplicate_of) or match
    return match


@lru_cache(maxsize=64)
def _candidate_sql(keys: int) -> TextualSelect:
    """Articles (grouped by the current method) sharing the most story keys within the window,
    reading at most ``:per_key`` rows a key: (id, story_id, thread_id, story_features, published),
    best first.

    Plain SQL (one statement, compiled by the database only): the ORM would recompile a
    union of a different size for each article.
    """
    parts = " UNION ALL ".join(
        f"SELECT article_id FROM (SELECT article_id FROM story_keys WHERE key = :k{n} AND seen >= :low "
        f"AND seen <= :high ORDER BY seen DESC LIMIT :per_key) AS s{n}" for n in range(keys)
    )
    return text(
        f"SELECT a.id, a.story_id, a.thread_id, a.story_features, a.published FROM (SELECT article_id, "
        f"count(*) AS shared FROM ({parts}) AS hits GROUP BY article_id ORDER BY shared DESC, article_id LIMIT :most) "
        "AS best JOIN articles AS a ON a.id = best.article_id WHERE a.story_method = :method "
        "ORDER BY best.shared DESC, best.article_id"
    ).bindparams(bindparam("low", type_=UTCDateTime()), bindparam("high", type_=UTCDateTime())).columns(
        id=Integer(), story_id=Integer(), thread_id=Integer(), story_features=Text(), published=UTCDateTime())


_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
_DOCUMENTS = 0  # the story_terms key counting articles


@lru_cache(maxsize=4)
def _frequencies_sql(dialect: str) -> TextClause:
    """Document counts of a list of term keys: one statement with one array parameter."""
    if dialect == "postgresql":
        return text("SELECT term, documents FROM story_terms WHERE term = ANY(CAST(:keys AS bigint[]))")
    return text("SELECT term, documents FROM story_terms WHERE term IN (SELECT value FROM json_each(:keys))")


def _keys_param(dialect: str, keys: list[int]) -> object:
    return keys if dialect == "postgresql" else json.dumps(keys)


# Term counts of articles placed in this transaction, not written yet (``flush_term_counts``).
_PENDING = "protestwire.pending_term_counts"


def _pending(session: Session) -> Counter[int]:
    pending: Counter[int] = session.info.setdefault(_PENDING, Counter())
    return pending


def term_frequencies(session: Session, terms: StoryTerms) -> tuple[dict[str, int], int]:
    """Document frequencies of the article's terms (term -> articles using it) and the article count,
    the articles placed earlier in this transaction included."""
    by_key = {key_hash(term): term for term in terms.distinct()}
    dialect = session.connection().dialect.name
    keys = [*by_key, _DOCUMENTS]
    counts = Counter(dict(session.execute(_frequencies_sql(dialect), {"keys": _keys_param(dialect, keys)}).all()))
    pending = session.info.get(_PENDING)
    if pending:
        counts.update({k: pending[k] for k in keys if k in pending})
    return {by_key[k]: n for k, n in counts.items() if k in by_key}, counts.get(_DOCUMENTS, 0)


def _members(rows: Sequence[Any]) -> list[Member]:
    members = []
    for article_id, story_id, thread_id, stored, published in rows:
        vectors = StoryVectors.decode(stored)
        if vectors is not None:
            story = story_id or article_id
            members.append(Member(article_id, story, thread_id or story, vectors, published))
    return members


def story_decision(session: Session, terms: StoryTerms, language: str | None, published: datetime | None,
                   options: StoryOptions = DEFAULT_STORY) -> tuple[StoryVectors, Decision]:
    """The article's vectors (weighed by the stored document frequencies) and its story and thread
    among the indexed candidates. Undated articles look at any time (content alone places them)."""
    frequencies, documents = term_frequencies(session, terms)
    vectors = story_vectors(terms, language, frequencies, documents, options)
    if not vectors.keys:
        return vectors, Decision(None, None)
    params: dict[str, object] = {f"k{n}": key_hash(key) for n, key in enumerate(vectors.keys)}
    params.update(low=published - options.thread_window if published else _EARLIEST,
                  high=published + options.thread_window if published else _LATEST,
                  per_key=options.rows_per_key, most=options.max_candidates, method=METHOD)
    rows = session.execute(_candidate_sql(len(vectors.keys)), params).all()
    return vectors, decide(vectors, published, _members(rows), options)


@lru_cache(maxsize=4)
def _count_terms(dialect: str) -> TextClause:
    """Add counts to term keys' document counts (new terms start at their count): one upsert."""
    if dialect == "postgresql":
        return text("INSERT INTO story_terms (term, documents) "
                    "SELECT * FROM unnest(CAST(:keys AS bigint[]), CAST(:counts AS integer[])) "
                    "ON CONFLICT (term) DO UPDATE SET documents = story_terms.documents + EXCLUDED.documents")
    # One array of [term, count] pairs: joining two json_each tables on their position is
    # quadratic (no index), which cost 40 ms an article at ingest's batch size.
    return text("INSERT INTO story_terms (term, documents) "
                "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:pairs) WHERE true "
                "ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents")


def flush_term_counts(session: Session) -> None:
    """Write the term counts of the articles placed in this transaction: one statement for a whole
    batch, in key order (a term used by many articles of the batch is written once; concurrent
    writers lock keys in the same order)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    keys = sorted(pending)
    dialect = session.connection().dialect.name
    counts = [pending[k] for k in keys]
    if dialect == "postgresql":
        params: dict[str, object] = {"keys": keys, "counts": counts}
    else:
        params = {"pairs": json.dumps([[key, count] for key, count in zip(keys, counts)])}
    session.connection().execute(_count_terms(dialect), params)


def discard_term_counts(session: Session) -> None:
    """Forget the pending counts (their transaction, or savepoint, was rolled back)."""
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "before_commit")
def _flush_before_commit(session: Session) -> None:
    # A safety net: counts left pending by a caller are written with its transaction.
    if session.info.get(_PENDING):
        flush_term_counts(session)


def record_story(session: Session, article_id: int, terms: StoryTerms, vectors: StoryVectors, seen: datetime,
                 decision: Decision | None) -> None:
    """What the next decisions need of a placed article: its story keys and its terms counted.
    ``decision.merge``: the two threads the article links become one (the older id stays)."""
    connection = session.connection()
    keys = [{"key": key_hash(k), "seen": seen, "article_id": article_id} for k in dict.fromkeys(vectors.keys)]
    if keys:
        connection.execute(_insert_ignoring_known(StoryKey, connection.dialect.name), keys)
    _pending(session).update({key_hash(t) for t in terms.distinct()} | {_DOCUMENTS})
    if decision is not None and decision.merge is not None and decision.thread_id is not None:
        keep, drop = sorted((decision.merge, decision.thread_id))
        # A thread's first article may still have a null thread_id (closed at the end of the batch).
        in_thread = (_ARTICLES.c.thread_id == drop) | ((_ARTICLES.c.id == drop) & _ARTICLES.c.thread_id.is_(None))
        connection.execute(update(_ARTICLES).where(in_thread, _ARTICLES.c.story_method == METHOD)
                           .values(thread_id=keep))


@dataclass(frozen=True)
class Placement:
    """Where a text goes among the stored articles."""

    copy_of: Article | None  # the canonical copy of the group the text joins, if it is a copy
    story_id: int | None  # None: the text starts its own story
    first_copy: bool  # the text is the group's original (published first, then longer): the group points at it
    thread_id: int | None = None  # None: the text's story starts its own thread
    vectors: StoryVectors | None = None
    decision: Decision | None = None  # the story decision (None for a copy)


def _place(session: Session, content_hash: str, print_: Fingerprint, published: datetime | None, body_length: int,
           language: str | None, options: DedupOptions, *, stored_id: int | None = None) -> Placement:
    """The copy group and story a text joins: the one decision for new articles and the backfill.

    ``stored_id``: the text's own row, when it is already stored without a fingerprint (the
    backfill); copies are then looked for among fingerprinted articles only.
    """
    copy_of = _find_copy(session, content_hash, print_, options.neardup, fingerprinted_only=stored_id is not None)
    if copy_of is not None and copy_of.id == stored_id:  # its copies already point at it: it is the canonical
        copy_of = None
    if copy_of is None:
        vectors, decision = story_decision(session, print_.story_terms, language, published, options.story)
        return Placement(None, decision.story_id, False, decision.thread_id, vectors, decision)
    story = copy_of.story_id or copy_of.id
    vectors = story_vectors(print_.story_terms, language, *term_frequencies(session, print_.story_terms), options.story)
    return Placement(copy_of, story, _sorts_first(published, body_length, copy_of), copy_of.thread_id or story,
                     vectors)


def _insert_new(session: Session, record: ArticleRecord, now: datetime, run_id: int | None,
                capture_id: int | None, options: DedupOptions) -> tuple[StoreResult, bool]:
    """Insert an article whose URL is not stored yet, as a new text or a copy.

    One Core INSERT (the ORM's unit of work cost more than the lookups). Returns the result and
    whether the article starts its own story: its ``story_id`` is then set to its id by
    ``_close_own_stories`` (readers take a null ``story_id`` as the article's own id meanwhile).
    """
    print_ = _fingerprint(record)
    values = _columns(record)
    values.update(_stem_values(session, record))
    values.update(first_seen=now, last_seen=now, crawl_run_id=run_id, capture_id=capture_id, story_method=METHOD)
    seen = record.article.published or now
    place = _place(session, record.content_hash, print_, record.article.published, len(record.article.body),
                   record.article.language, options)
    copy_of = place.copy_of
    values.update(story_id=place.story_id, thread_id=place.thread_id,
                  story_features=place.vectors.encode() if place.vectors else None)
    if copy_of is not None and not place.first_copy:
        values["duplicate_of"] = copy_of.id
    connection = session.connection()
    article_id: int = connection.execute(_INSERT_ARTICLE, values).inserted_primary_key[0]
    if copy_of is not None and place.first_copy:
        connection.execute(_REPOINT_GROUP, {"old": copy_of.id, "new": article_id})
        session.expire(copy_of)  # its duplicate_of changed under the ORM
    _insert_bands(session, article_id, print_)
    if place.vectors is not None:
        record_story(session, article_id, print_.story_terms, place.vectors, seen, place.decision)
    own_story = values["story_id"] is None or values["thread_id"] is None
    return StoreResult("new" if copy_of is None else "duplicate", article_id), own_story


# Core statements on the table (no ORM unit of work on the write path).
_ARTICLES = Article.__table__
_INSERT_ARTICLE = insert(_ARTICLES)
# A group's copies, and its old canonical, point at the new canonical.
_REPOINT_GROUP = (
    update(_ARTICLES)
    .where((_ARTICLES.c.duplicate_of == bindparam("old")) | (_ARTICLES.c.id == bindparam("old")))
    .values(duplicate_of=bindparam("new"))
)


def _close_own_stories(session: Session, article_ids: list[int]) -> None:
    """Articles that start a story (or thread) are their story (thread): ``story_id = id`` and
    ``thread_id = story_id`` (two statements a batch)."""
    if article_ids:
        connection = session.connection()
        own = update(_ARTICLES).where(_ARTICLES.c.id.in_(article_ids), _ARTICLES.c.story_id.is_(None))
        connection.execute(own.values(story_id=_ARTICLES.c.id))
        own_thread = update(_ARTICLES).where(_ARTICLES.c.id.in_(article_ids), _ARTICLES.c.thread_id.is_(None))
        connection.execute(own_thread.values(thread_id=_ARTICLES.c.story_id))


def store_article(
    session: Session, record: ArticleRecord, *, crawl_run_id: int | None = None, capture_id: int | None = None,
    options: DedupOptions = DEFAULT_DEDUP, events: bool = True,
) -> StoreResult:
    """Insert or update ``record`` in the session's transaction (the caller commits); with
    ``events``, its story's event record follows in the same transaction."""
    result = _store_one(session, record, crawl_run_id=crawl_run_id, capture_id=capture_id, options=options)
    if events:
        refresh_stories(session, stories_of(session, [result.article_id]))
    return result


def _store_one(session: Session, record: ArticleRecord, *, crawl_run_id: int | None, capture_id: int | None,
               options: DedupOptions) -> StoreResult:
    _ensure_sources(session, {record.source_id})
    now = datetime.now(timezone.utc)
    by_url = select(Article).where(Article.canonical_url == record.article.canonical_url)
    existing = session.scalars(by_url).one_or_none()
    if existing is not None:
        return StoreResult(_update_existing(session, existing, record, now, crawl_run_id, capture_id), existing.id)
    try:
        with session.begin_nested():  # another writer may insert the same URL between our read and write
            result, own_story = _insert_new(session, record, now, crawl_run_id, capture_id, options)
            _close_own_stories(session, [result.article_id] if own_story else [])
            flush_term_counts(session)
            return result
    except IntegrityError:
        discard_term_counts(session)
        existing = session.scalars(by_url).one()
        return StoreResult(_update_existing(session, existing, record, now, crawl_run_id, capture_id), existing.id)


def store_articles(
    session: Session, records: Sequence[ArticleRecord], *, crawl_run_id: int | None = None,
    capture_ids: Sequence[int | None] | None = None, options: DedupOptions = DEFAULT_DEDUP,
) -> list[StoreResult]:
    """Many articles at once, with the same outcomes as ``store_article`` one after another.

    One URL lookup for the whole batch; each new article then costs its copy and story
    lookups (indexed). If another writer stores one of the same URLs meanwhile, the batch is
    redone one by one.
    """
    captures = list(capture_ids) if capture_ids is not None else [None] * len(records)
    _ensure_sources(session, {r.source_id for r in records})
    try:
        with session.begin_nested():
            results = _store_batch(session, records, crawl_run_id, captures, options)
    except IntegrityError:
        discard_term_counts(session)
        results = [_store_one(session, r, crawl_run_id=crawl_run_id, capture_id=c, options=options)
                   for r, c in zip(records, captures)]
    # The event records of the stories the batch touched, in the same transaction (pipeline.story_events).
    refresh_stories(session, stories_of(session, [r.article_id for r in results]))
    return results


def _store_batch(
    session: Session, records: Sequence[ArticleRecord], run_id: int | None, captures: list[int | None],
    options: DedupOptions,
) -> list[StoreResult]:
    now = datetime.now(timezone.utc)
    urls = {r.article.canonical_url for r in records}
    existing: dict[str, Article | int] = {
        a.canonical_url: a for a in session.scalars(select(Article).where(Article.canonical_url.in_(urls)))}
    results, own_stories = [], []
    for record, capture_id in zip(records, captures):
        known = existing.get(record.article.canonical_url)
        if isinstance(known, int):  # inserted earlier in this batch (the same URL twice)
            _close_own_stories(session, own_stories)
            own_stories = []
            known = existing[record.article.canonical_url] = session.get_one(Article, known)
        if known is not None:
            results.append(StoreResult(_update_existing(session, known, record, now, run_id, capture_id), known.id))
            continue
        result, own_story = _insert_new(session, record, now, run_id, capture_id, options)
        existing[record.article.canonical_url] = result.article_id
        if own_story:
            own_stories.append(result.article_id)
        results.append(result)
    _close_own_stories(session, own_stories)
    flush_term_counts(session)
    session.flush()
    return results


@lru_cache(maxsize=8)
def _insert_ignoring_known(table: type[ArticleBand] | type[StoryKey], dialect: str) -> Any:
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert  # type: ignore[assignment]
    else:
        return insert(table)
    return upsert(table).on_conflict_do_nothing()


def _insert_bands(session: Session, article_id: int, print_: Fingerprint) -> None:
    """The article's band keys; keys already there are left alone (idempotent)."""
    rows = [{"band_key": k, "article_id": article_id} for k in set(print_.band_keys)]
    connection = session.connection()  # Core, not the ORM's bulk path: a third of the time
    if rows:
        connection.execute(_insert_ignoring_known(ArticleBand, connection.dialect.name), rows)


def refresh_fingerprint(session: Session, article: Article, record: ArticleRecord, before: Fingerprint,
                        seen_before: datetime) -> None:
    """Swap an article's band and story keys after its text changed in place (``reextract``).

    The old band keys are deleted by their full primary key (``before``: the fingerprint of the
    old text), the story keys by article; the story and thread stay (``regroup`` redoes them).
    """
    print_ = _fingerprint(record)
    for key in set(before.band_keys):
        session.execute(delete(ArticleBand).where(ArticleBand.band_key == key, ArticleBand.article_id == article.id))
    session.execute(delete(StoryKey).where(StoryKey.article_id == article.id))
    vectors = story_vectors(print_.story_terms, article.language, *term_frequencies(session, print_.story_terms))
    article.story_features = vectors.encode()
    _insert_bands(session, article.id, print_)
    keys = [{"key": key_hash(k), "seen": article.published or article.first_seen, "article_id": article.id}
            for k in dict.fromkeys(vectors.keys)]
    if keys:
        connection = session.connection()
        connection.execute(_insert_ignoring_known(StoryKey, connection.dialect.name), keys)


def fill_fingerprint(session: Session, article: Article, options: DedupOptions = DEFAULT_DEDUP) -> Placement:
    """Fingerprint an article stored before fingerprints existed (migration 0006) as if it were
    stored now, after the fingerprinted ones: its story features and keys, its story and thread,
    and its copy group. Its ``duplicate_of`` is decided again: before 0006 an exact copy pointed
    at the first one stored, now at the earliest published (the group stays together either way).

    Core statements only: ORM objects loaded before may be stale (``expunge_all`` between articles).
    """
    print_ = fingerprint(article.title, article.body, article.language)
    seen = article.published or article.first_seen
    place = _place(session, article.content_hash, print_, article.published, len(article.body), article.language,
                   options, stored_id=article.id)
    values: dict[str, object] = {"story_id": place.story_id or article.id, "duplicate_of": None,
                                 "story_method": METHOD,
                                 "story_features": place.vectors.encode() if place.vectors else None}
    values["thread_id"] = place.thread_id or values["story_id"]
    connection = session.connection()
    if place.copy_of is not None and place.first_copy:
        connection.execute(_REPOINT_GROUP, {"old": place.copy_of.id, "new": article.id})
    elif place.copy_of is not None:
        values["duplicate_of"] = place.copy_of.id
    connection.execute(update(Article).where(Article.id == article.id).values(values))  # after the repoint
    _insert_bands(session, article.id, print_)
    if place.vectors is not None:
        record_story(session, article.id, print_.story_terms, place.vectors, seen, place.decision)
    flush_term_counts(session)
    return place


def _ensure_sources(session: Session, ids: set[str | None]) -> None:
    """Sources the articles name that the store lacks (a registered outlet's page processed from
    Python, say): added from the sources registry, else as a bare row named by its id."""
    wanted = {i for i in ids if i}
    if not wanted:
        return
    missing = wanted - set(session.scalars(select(Source.id).where(Source.id.in_(wanted))))
    for source_id in sorted(missing):
        known = registry_source_by_id(source_id)
        session.add(Source(id=source_id, name=known.name if known else source_id,
                           homepage=known.homepage if known else "", country=known.country if known else "",
                           languages=list(known.languages) if known else []))
    if missing:
        session.flush()


def upsert_source(session: Session, *, id: str, name: str, homepage: str, country: str, languages: list[str]) -> None:
    source = session.get(Source, id)
    if source is None:
        session.add(Source(id=id, name=name, homepage=homepage, country=country, languages=languages))
    else:
        source.name, source.homepage, source.country, source.languages = name, homepage, country, languages
