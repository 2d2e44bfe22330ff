"""Store stage: write one article idempotently and say what happened.

Outcomes:
 - ``new``: a canonical URL and a text never seen before;
 - ``duplicate``: a new URL whose text is already stored (a wire copy): kept, with
   ``duplicate_of`` pointing at the first copy;
 - ``updated``: a known URL whose text or metadata changed;
 - ``unchanged``: a known URL seen again with the same content (only ``last_seen`` moves).
Re-running the same input therefore never adds rows, from one process or several.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.types import ArticleRecord
from storage.models import Article, Source

Outcome = Literal["new", "duplicate", "updated", "unchanged"]
# Columns copied from the record on insert and compared on update.
CONTENT_FIELDS = (
    "url", "title", "subtitle", "body", "authors", "published", "published_source", "published_offset_minutes",
    "published_confidence", "modified", "language",
    "section", "tags", "image", "site_name", "paywalled", "extractor_version",
)


@dataclass(frozen=True)
class StoreResult:
    outcome: Outcome
    article_id: int


def assessment_columns(record: ArticleRecord) -> dict[str, object]:
    """The classify and geotag columns of ``record`` (also what ``reextract`` refreshes)."""
    assessment, geo = record.assessment, record.geo
    return dict(
        protest=assessment.protest,
        protest_score=assessment.protest_score,
        protest_types=list(assessment.protest_types),
        protest_signals=list(assessment.signals),
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


def _update_existing(existing: Article, values: dict[str, object], now: datetime, run_id: int | None,
                     capture_id: int | None) -> Outcome:
    existing.last_seen = now
    changed = existing.content_hash != values["content_hash"] or any(
        getattr(existing, name) != values[name] for name in ("title", "published", "protest_score", "event_country")
    )
    if not changed:
        return "unchanged"
    for name, value in values.items():
        if name != "source_id" or value is not None:
            setattr(existing, name, value)
    existing.crawl_run_id = run_id
    existing.capture_id = capture_id or existing.capture_id
    return "updated"


def store_article(
    session: Session, record: ArticleRecord, *, crawl_run_id: int | None = None, capture_id: int | None = None
) -> StoreResult:
    """Insert or update ``record`` in the session's transaction (the caller commits)."""
    values = _columns(record)
    now = datetime.now(timezone.utc)
    by_url = select(Article).where(Article.canonical_url == record.article.canonical_url)
    existing = session.scalars(by_url).one_or_none()
    if existing is not None:
        return StoreResult(_update_existing(existing, values, now, crawl_run_id, capture_id), existing.id)
    first_copy = session.scalars(
        select(Article.id).where(Article.content_hash == record.content_hash).order_by(Article.id).limit(1)
    ).first()
    article = Article(**values, duplicate_of=first_copy, first_seen=now, last_seen=now, crawl_run_id=crawl_run_id,
                      capture_id=capture_id)
    try:
        with session.begin_nested():  # another writer may insert the same URL between our read and write
            session.add(article)
    except IntegrityError:
        existing = session.scalars(by_url).one()
        return StoreResult(_update_existing(existing, values, now, crawl_run_id, capture_id), existing.id)
    return StoreResult("duplicate" if first_copy is not None else "new", article.id)


def store_articles(
    session: Session, records: Sequence[ArticleRecord], *, crawl_run_id: int | None = None,
    capture_ids: Sequence[int | None] | None = None,
) -> list[StoreResult]:
    """Many articles at once, with the same outcomes as ``store_article`` one after another.

    Two lookups and two inserts for the whole batch instead of four statements an article.
    If another writer stores one of the same URLs meanwhile, the batch is redone one by one.
    """
    captures = list(capture_ids) if capture_ids is not None else [None] * len(records)
    try:
        with session.begin_nested():
            return _store_batch(session, records, crawl_run_id, captures)
    except IntegrityError:
        return [store_article(session, r, crawl_run_id=crawl_run_id, capture_id=c) for r, c in zip(records, captures)]


def _store_batch(
    session: Session, records: Sequence[ArticleRecord], run_id: int | None, captures: list[int | None]
) -> list[StoreResult]:
    now = datetime.now(timezone.utc)
    urls = {r.article.canonical_url for r in records}
    existing = {a.canonical_url: a for a in session.scalars(select(Article).where(Article.canonical_url.in_(urls)))}
    first_copy: dict[str, int] = dict(session.execute(  # type: ignore[arg-type]
        select(Article.content_hash, func.min(Article.id))
        .where(Article.content_hash.in_({r.content_hash for r in records})).group_by(Article.content_hash)
    ).all())
    outcomes: list[tuple[Outcome, Article]] = []
    inserted: list[tuple[int, Article, str]] = []
    seen_hashes = set(first_copy)
    for record, capture_id in zip(records, captures):
        values = _columns(record)
        known = existing.get(record.article.canonical_url)
        if known is not None:
            outcomes.append((_update_existing(known, values, now, run_id, capture_id), known))
            continue
        article = Article(**values, first_seen=now, last_seen=now, crawl_run_id=run_id, capture_id=capture_id)
        existing[record.article.canonical_url] = article
        outcome: Outcome = "duplicate" if record.content_hash in seen_hashes else "new"
        seen_hashes.add(record.content_hash)
        inserted.append((len(outcomes), article, record.content_hash))
        outcomes.append((outcome, article))
    # First copies are inserted first, so they get their ids (and the lower ones) before the
    # copies that point at them.
    session.add_all([a for i, a, _ in inserted if outcomes[i][0] == "new"])
    session.flush()
    for index, article, content_hash in inserted:
        if outcomes[index][0] == "new":
            first_copy.setdefault(content_hash, article.id)
    for index, article, content_hash in inserted:
        if outcomes[index][0] == "duplicate":
            article.duplicate_of = first_copy[content_hash]
            session.add(article)
    session.flush()
    return [StoreResult(outcome, article.id) for outcome, article in outcomes]


def upsert_source(session: Session, *, id: str, name: str, homepage: str, country: str, languages: list[str]) -> None:
    source = session.get(Source, id)
    if source is None:
        session.add(Source(id=id, name=name, homepage=homepage, country=country, languages=languages))
    else:
        source.name, source.homepage, source.country, source.languages = name, homepage, country, languages
