"""Re-extraction: run the current pipeline again over the raw pages kept in WARC files.

A better extractor (or classifier) can then improve articles collected long ago without
fetching anything. Each article is updated in place; its canonical URL, source, first-seen
time and crawl run stay. A page the new pipeline would drop keeps its stored version.

The crawl also had the feed's item (its dc:creator, date, title) and the fetch time; the page
alone may not give those again. So the page is read as the crawl read it (its fetch time, HTTP
Last-Modified, the stored title and feed date as hints), and a field the page no longer gives at
all keeps its stored value (``keep_earlier``): re-extraction never empties a field.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, object_session

from pipeline import record_from_article
from pipeline.dedup.fingerprint import fingerprint
from pipeline.extract.normalise import normalise_article
from pipeline.extract.page import extract_article
from pipeline.store import CONTENT_FIELDS, assessment_columns, refresh_fingerprint
from pipeline.types import ArticleRecord, Dropped, ExtractedArticle, FeedHints
from storage.db import session_scope
from storage.fulltext import stem_values
from storage.models import Article, Capture, Source
from storage.warc import read_response
from vocabulary.clock import local_time

BATCH = 200


# Fields a page may stop giving (or never gave: the feed did) that keep their stored value then;
# a date keeps its source, offset and confidence with it.
KEPT_FIELDS = ("title", "subtitle", "authors", "language", "section", "tags", "image", "site_name")
KEPT_GROUPS = (("published", "published_source", "published_offset_minutes", "published_confidence"),
               ("modified", "modified_source"))
EARLIER_FIELDS = KEPT_FIELDS + tuple(name for group in KEPT_GROUPS for name in group)


@dataclass(frozen=True)
class Job:
    article_id: int
    warc_path: str
    offset: int
    source_id: str | None
    outlet_country: str | None = None
    fetched_at: datetime | None = None
    earlier: dict[str, Any] = field(default_factory=dict)  # the stored EARLIER_FIELDS


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def keep_earlier(fresh: ExtractedArticle, earlier: dict[str, Any]) -> ExtractedArticle:
    """``fresh`` with each field it lacks taken from the stored article (``earlier``); a date the
    crawl took from the feed keeps its stored reading when the page still gives none better."""
    values = {name: earlier[name] for name in KEPT_FIELDS
              if _empty(getattr(fresh, name)) and not _empty(earlier.get(name))}
    for group in KEPT_GROUPS:
        lead = group[0]
        lacks = getattr(fresh, lead) is None and earlier.get(lead) is not None
        # The hint re-reads the stored feed date; the stored reading keeps its offset exactly.
        same_feed_date = lead == "published" and fresh.published_source == "feed" == earlier.get("published_source")
        if lacks or same_feed_date:
            values.update({name: earlier.get(name) for name in group})
    return replace(fresh, **values) if values else fresh


def _hints(job: Job) -> FeedHints:
    """What the crawl knew besides the page: the outlet's country, the stored title (a feed's,
    when the page had none) and a date the feed gave."""
    earlier = job.earlier
    feed_date = earlier.get("published") if earlier.get("published_source") == "feed" else None
    local = local_time(feed_date, earlier.get("published_offset_minutes")) if feed_date else None
    return FeedHints(country=job.outlet_country, title=earlier.get("title") or None,
                     published=local or (feed_date.isoformat() if feed_date else None))


def _reprocess(job: Job) -> tuple[int, ArticleRecord | str]:
    """(article id, new record) or (article id, reason it cannot be redone). Runs in a worker."""
    try:
        raw = read_response(job.warc_path, job.offset)
    except (OSError, ValueError) as exc:
        return job.article_id, f"capture-unreadable: {exc}"
    try:
        # process_page's stages, with the stored values kept where the page gives none.
        article = normalise_article(extract_article(
            raw.body, raw.url, content_type=raw.content_type, feed=_hints(job), fetched_at=job.fetched_at,
            last_modified=raw.header("last-modified"),
        ))
    except Dropped as dropped:
        return job.article_id, f"now-dropped: {dropped.reason}"
    return job.article_id, record_from_article(keep_earlier(article, job.earlier), source_id=job.source_id,
                                               outlet_country=job.outlet_country)


def _jobs(engine: Engine, run_id: int | None, source_id: str | None) -> list[Job]:
    earlier = [getattr(Article, name) for name in EARLIER_FIELDS]
    query = select(Article.id, Capture.warc_path, Capture.warc_offset, Article.source_id, Source.country,
                   Capture.fetched_at, *earlier).join(
        Capture, Article.capture_id == Capture.id
    ).outerjoin(Source, Article.source_id == Source.id)
    if run_id is not None:
        query = query.where(Capture.crawl_run_id == run_id)
    if source_id is not None:
        query = query.where(Article.source_id == source_id)
    with session_scope(engine, write=False) as session:
        return [Job(*row[:6], earlier=dict(zip(EARLIER_FIELDS, row[6:])))
                for row in session.execute(query.order_by(Article.id))]


def apply_record(article: Article, record: ArticleRecord) -> bool:
    """Copy the re-extracted fields onto ``article``; whether anything changed."""
    values = {name: getattr(record.article, name) for name in CONTENT_FIELDS}
    values.update(content_hash=record.content_hash, **assessment_columns(record))
    changed = any(getattr(article, name) != value for name, value in values.items())
    if any(getattr(article, name) != values[name] for name in ("title", "subtitle", "body", "language")):
        session = object_session(article)
        dialect = session.get_bind().dialect.name if session is not None else "sqlite"
        values.update(stem_values(dialect, record.article.title, record.article.subtitle, record.article.body,
                                  record.article.language))
    for name, value in values.items():
        setattr(article, name, value)
    return changed


def _redo(session: Session, article: Article, record: ArticleRecord) -> bool:
    """Apply a re-extracted record; when the text changed, its copy and story keys follow.

    An article stored before fingerprints existed (no ``story_features``) has no keys to swap:
    it is left whole to the backfill (``protestwire.backfill``), which also finds its story and copies.
    """
    title, body, language = article.title, article.body, article.language
    seen = article.published or article.first_seen
    fingerprinted = article.story_features is not None
    changed = apply_record(article, record)
    if changed and fingerprinted and (title, body) != (article.title, article.body):
        # The old keys were made with the old language too: the same fingerprint finds them all.
        refresh_fingerprint(session, article, record, fingerprint(title, body, language), seen)
    return changed


def _results(jobs: list[Job], workers: int) -> Iterator[tuple[int, ArticleRecord | str]]:
    if workers <= 0:
        yield from map(_reprocess, jobs)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        yield from pool.map(_reprocess, jobs, chunksize=8)


def reextract(
    engine: Engine, *, run_id: int | None = None, source_id: str | None = None, workers: int = 2,
    on_total: Callable[[int], None] | None = None, on_done: Callable[[], None] | None = None,
) -> Counter[str]:
    """Re-run the pipeline on every captured article (of one crawl run or source); counts outcomes."""
    jobs = _jobs(engine, run_id, source_id)
    if on_total:
        on_total(len(jobs))
    outcomes: Counter[str] = Counter()
    results = _results(jobs, workers)
    while True:
        batch = [result for _, result in zip(range(BATCH), results)]
        if not batch:
            break
        with session_scope(engine) as session:
            for article_id, result in batch:
                if isinstance(result, str):
                    outcomes[result.split(":")[0]] += 1
                else:
                    article = session.get(Article, article_id)
                    outcomes["updated" if article is not None and _redo(session, article, result) else "unchanged"] += 1
                if on_done:
                    on_done()
    return outcomes
