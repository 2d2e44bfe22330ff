"""The stored shape of sources, articles and crawl runs (SQLAlchemy 2.x typed models).

Column names of ``Article`` are the stable keys that ``protestwire extract``,
search results and exports use, so a researcher sees one vocabulary everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, TypeDecorator,
    Index, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and hands them back as aware UTC.

    SQLite has no time zone type; keeping UTC in the column and the zone in Python
    makes comparisons and range filters behave the same on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


PAGE_KEYS = ("story_id", "duplicate_of", "thread_id", "source_id", "language", "protest", "event_country",
             "published_offset_minutes")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    homepage: Mapped[str] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2), index=True)
    languages: Mapped[list[str]] = mapped_column(default=list)

    articles: Mapped[list[Article]] = relationship(back_populates="source")


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # "running" until the crawl closes; a run left "running" was interrupted.
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages_fetched: Mapped[int] = mapped_column(default=0)
    articles_new: Mapped[int] = mapped_column(default=0)
    articles_updated: Mapped[int] = mapped_column(default=0)
    articles_unchanged: Mapped[int] = mapped_column(default=0)
    articles_duplicate: Mapped[int] = mapped_column(default=0)
    articles_dropped: Mapped[int] = mapped_column(default=0)
    # Pages dropped by the pipeline by reason ("no-text", "duplicate-url"), fetch failures by
    # kind ("http-404", "timeout", "redirect-loop"), and every count per source.
    drop_reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    per_source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warc_path: Mapped[str | None] = mapped_column(Text)
    # The crawl's process, so that a run left "running" by a killed process can be closed.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))


class Capture(Base):
    """One fetched article page as the server sent it, kept in a WARC file for re-extraction."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(Text)
    warc_path: Mapped[str] = mapped_column(Text)
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_length: Mapped[int] = mapped_column(Integer)


class FetchState(Base):
    """What a feed or sitemap URL last answered, for conditional requests (ETag, Last-Modified)."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # robots.txt only: a 304 for it must still give the robots middleware its rules.
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(default=list)
    published: Mapped[datetime | None] = mapped_column(index=True)
    published_source: Mapped[str | None] = mapped_column(String(40))
    published_offset_minutes: Mapped[int | None] = mapped_column(Integer)
    published_confidence: Mapped[float | None] = mapped_column(Float)
    modified: Mapped[datetime | None]
    modified_source: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    image: Mapped[str | None] = mapped_column(Text)
    site_name: Mapped[str | None] = mapped_column(Text)
    paywalled: Mapped[bool] = mapped_column(Boolean, default=False)
    extractor_version: Mapped[str] = mapped_column(String(40))
    protest: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    protest_score: Mapped[float] = mapped_column(Float, default=0.0)
    protest_types: Mapped[list[str]] = mapped_column(default=list)
    # Why the score is what it is ("title: bloqueo (blockade)"), for researchers checking it.
    protest_signals: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    # The relevance model version behind the score ("relevance-<hash>"); null: judged before models
    # were stamped. `protestwire classify --store` re-judges every article not stamped with the current one.
    judged_with: Mapped[str | None] = mapped_column(String(40), index=True)
    # Geotag (pipeline/judge/geotag.py): ISO alpha-2 -> share of place mentions, the likely event
    # country (not the outlet's), and [{"name", "kind", "country", "admin1"?}] sub-national places.
    countries: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    event_country: Mapped[str | None] = mapped_column(String(2), index=True)
    places: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)
    # The canonical copy when this article repeats another one's text; null otherwise.
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    # The raw page this version was extracted from (null for ingested text).
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))
    # The story (reports of one event, any outlet or language): the id of its first article.
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The title, body and entity vectors stories are matched on (pipeline.dedup.stories), as JSON.
    story_features: Mapped[str | None] = mapped_column(Text)
    # The thread (stories of one developing conflict over weeks or months): its first article's id.
    thread_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The method that grouped this article (pipeline.dedup.stories.METHOD); null: to regroup.
    story_method: Mapped[str | None] = mapped_column(String(16), index=True)
    # SQLite: the Snowball stems of title, subtitle and body by language (storage.fulltext), the
    # full-text index's fourth column; null until written (PostgreSQL stems in stem_vector instead).
    search_stems: Mapped[str | None] = mapped_column(Text, deferred=True)

    source: Mapped[Source | None] = relationship(back_populates="articles")

    # What a search page is chosen on (storage.paging; migration 0014): links, date and filter columns.
    __table_args__ = (
        Index("ix_articles_page_by_id", "id", "published", *PAGE_KEYS),
        Index("ix_articles_page_by_date", "published", "id", *PAGE_KEYS),
    )


class ArticleBand(Base):
    """One LSH band key of an article's MinHash: articles sharing a key are near-duplicate candidates."""

    __tablename__ = "article_bands"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the table: no second copy as an index

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class StoryKey(Base):
    """A rare term or entity of an article, with its time: story and thread candidates in a window."""

    __tablename__ = "story_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seen: Mapped[datetime] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class StoryTerm(Base):
    """How many stored articles use a story term (its key): the document frequencies of TF-IDF.
    Key 0 counts the articles themselves."""

    __tablename__ = "story_terms"
    __table_args__ = {"sqlite_with_rowid": False}

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)


class ArticleVersion(Base):
    """A later version of a stored article (the publisher changed it); the article keeps its first one."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "content_hash", "title", name="uq_article_versions_content"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime | None]


class StoryEvent(Base):
    """The protest event of one story (protestwire.story_events): its reports' event records merged.

    The searchable fields have their own columns; ``record`` is the whole merged record, with each
    field's sentences and the agreement between reports. ``inputs_hash`` names the articles, texts,
    judgements and coder version it was made from, so a rebuild skips a story that has not changed.
    """

    __tablename__ = "story_events"

    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    admin1: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    participants_category: Mapped[str | None] = mapped_column(String(16))
    participants_estimate: Mapped[int | None] = mapped_column(BigInteger)
    protester_violence: Mapped[bool] = mapped_column(Boolean, default=False)
    demands: Mapped[list[str]] = mapped_column(default=list)
    state_response: Mapped[list[str]] = mapped_column(default=list)
    action_types: Mapped[list[str]] = mapped_column(default=list)
    reports: Mapped[int] = mapped_column(Integer, default=1)
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(Base):
    """A named search that subscribers follow as a feed (/feeds/NAME.atom; `protestwire feeds add`).

    ``query`` holds the search's fields (storage.saved_searches), every one but paging, so the feed
    is the same search whatever changes in the defaults of the URL parameters."""

    __tablename__ = "saved_searches"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    query: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
