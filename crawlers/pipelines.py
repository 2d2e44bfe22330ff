"""Scrapy item pipelines: thin adapters around the pure stages in ``pipeline/``.

Each adapter calls one stage function and fills one field of the item; a page that
is not an article leaves with ``DropItem`` carrying the stage's reason name, which
is counted under ``protestwire/dropped/<reason>`` and in the crawl-run row.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.items import ArticleItem, CaptureRef
from pipeline.classify import classify_protest
from pipeline.deduplicate import content_hash
from pipeline.extract import ExtractOptions, extract_article
from pipeline.normalise import normalise_article
from pipeline.store import StoreResult, store_article, upsert_source
from pipeline.types import ArticleRecord, Dropped, ExtractedArticle
from storage.db import connect, init_db, resolve_db_url, session_scope
from storage.models import Capture, CrawlRun
from storage.warc import RawPage, WarcFile


class _Stage:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def drop(self, item: ArticleItem, reason: str, detail: str = "") -> DropItem:
        stats = self.crawler.stats
        stats.inc_value(f"protestwire/dropped/{reason}")
        stats.inc_value(f"protestwire/source/{item.source_id}/dropped")
        return DropItem(f"{reason}: {detail or item.url}")


def warc_dir(settings: Any, db_url: str) -> Path:
    """PROTESTWIRE_WARC_DIR, else "warc" beside the SQLite file, else ./warc."""
    configured = settings.get("PROTESTWIRE_WARC_DIR")
    if configured:
        return Path(configured)
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().resolve().parent / "warc"
    return Path("warc")


class CapturePipeline(_Stage):
    """Keeps every fetched article page, as the server sent it, in this run's WARC file."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.warc: WarcFile | None = None

    def open_spider(self) -> None:
        settings = self.crawler.settings
        folder = warc_dir(settings, resolve_db_url(settings.get("PROTESTWIRE_DB")))
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        self.warc = WarcFile(folder / f"protestwire-{name}-{stamp}-{os.getpid()}.warc.gz")
        self.crawler.stats.set_value("protestwire/warc_path", str(self.warc.path))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.warc is not None
        offset, length = self.warc.write_response(RawPage(item.url, item.status, item.headers, item.body))
        item.capture = CaptureRef(str(self.warc.path), offset, length)
        return item

    def close_spider(self) -> None:
        if self.warc is not None:
            self.warc.close()


def _extract_in_worker(
    body: bytes, url: str, content_type: str | None, feed: Any, options: ExtractOptions
) -> ExtractedArticle | Dropped:
    # Runs in a worker process; Dropped is returned, not raised, to keep the traceback out of IPC.
    try:
        return extract_article(body, url, content_type=content_type, feed=feed, options=options)
    except Dropped as dropped:
        return dropped


class ExtractPipeline(_Stage):
    """Extraction is the one CPU-heavy stage: it runs in PROTESTWIRE_EXTRACT_WORKERS processes so
    the crawl uses every core while Scrapy's own process keeps fetching (0: in this process)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.workers = crawler.settings.getint("PROTESTWIRE_EXTRACT_WORKERS") or 0
        self.options = ExtractOptions(thorough=crawler.settings.getbool("PROTESTWIRE_EXTRACT_THOROUGH"))
        self.pool: ProcessPoolExecutor | None = None

    def open_spider(self) -> None:
        if self.workers > 0:
            # forkserver: workers start from a clean interpreter, not a copy of the reactor.
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("forkserver"))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        if self.pool is None:
            result = _extract_in_worker(item.body, item.url, item.content_type, item.feed, self.options)
        else:
            future = self.pool.submit(_extract_in_worker, item.body, item.url, item.content_type, item.feed,
                                      self.options)
            result = await asyncio.wrap_future(future)
        if isinstance(result, Dropped):
            raise self.drop(item, result.reason, result.detail)
        item.article = result
        return item

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class NormalisePipeline(_Stage):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.article is not None
        item.article = normalise_article(item.article)
        return item


class ClassifyPipeline(_Stage):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.article is not None
        item.assessment = classify_protest(item.article.title, item.article.body, item.article.language)
        if self.crawler.settings.getbool("PROTESTWIRE_PROTEST_ONLY") and not item.assessment.protest:
            raise self.drop(item, "not-protest")
        return item


class DeduplicatePipeline(_Stage):
    """Exact level within one run: the same canonical URL reached twice (feed and sitemap, tracking links)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen_urls: set[str] = set()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.article is not None and item.assessment is not None
        if item.article.canonical_url in self.seen_urls:
            raise self.drop(item, "duplicate-url", item.article.canonical_url)
        self.seen_urls.add(item.article.canonical_url)
        item.record = ArticleRecord(
            article=item.article, assessment=item.assessment, content_hash=content_hash(item.article.body),
            source_id=item.source_id,
        )
        return item


class StorePipeline(_Stage):
    """Writes articles in small batches (one transaction per PROTESTWIRE_STORE_BATCH articles or
    second, each article in its own savepoint) and keeps the crawl-run row up to date.

    A crash loses at most the open batch; those pages are not stored, so the next run fetches
    them again.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.engine = connect(crawler.settings.get("PROTESTWIRE_DB"))
        self.batch_size = max(1, crawler.settings.getint("PROTESTWIRE_STORE_BATCH"))
        self.batch_seconds = crawler.settings.getfloat("PROTESTWIRE_STORE_BATCH_SECONDS")
        self.session: Session | None = None
        self.pending = 0
        self.batch_started = 0.0
        self.run_id: int | None = None
        self.counts: dict[str, int] = {"new": 0, "updated": 0, "unchanged": 0, "duplicate": 0}
        self.per_source: dict[str, dict[str, int]] = {}

    def open_spider(self) -> None:
        init_db(self.engine)
        spider = self.crawler.spider
        with session_scope(self.engine) as session:
            for source in getattr(spider, "sources", {}).values():
                upsert_source(session, id=source.id, name=source.name, homepage=source.homepage,
                              country=source.country, languages=list(source.languages))
            run = CrawlRun(spider=spider.name if spider else "unknown")
            session.add(run)
            session.flush()
            self.run_id = run.id

    def _write(self, session: Session, item: ArticleItem) -> StoreResult:
        assert item.record is not None
        capture_id = None
        if item.capture is not None:
            capture = Capture(
                crawl_run_id=self.run_id, source_id=item.source_id, url=item.url, http_status=item.status,
                content_type=item.content_type, warc_path=item.capture.warc_path,
                warc_offset=item.capture.offset, warc_length=item.capture.length,
            )
            session.add(capture)
            session.flush()
            capture_id = capture.id
        return store_article(session, item.record, crawl_run_id=self.run_id, capture_id=capture_id)

    def commit(self) -> None:
        if self.session is not None:
            self.session.commit()
            self.session.close()
            self.session, self.pending = None, 0

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if self.session is None:
            self.session = Session(self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE"),
                                   expire_on_commit=False)
            self.batch_started = time.monotonic()
        try:
            with self.session.begin_nested():
                result = self._write(self.session, item)
        except SQLAlchemyError as exc:
            raise self.drop(item, "store-error", f"{item.url}: {exc.__class__.__name__}: {exc}") from None
        self.pending += 1
        if self.pending >= self.batch_size or time.monotonic() - self.batch_started >= self.batch_seconds:
            self.commit()
        self.counts[result.outcome] += 1
        per = self.per_source.setdefault(item.source_id, {})
        per[result.outcome] = per.get(result.outcome, 0) + 1
        self.crawler.stats.inc_value(f"protestwire/stored/{result.outcome}")
        return item

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        # spider_closed (not close_spider) so the finish reason is known when the run row is closed.
        crawler.signals.connect(pipeline.finish_run, signal=signals.spider_closed)
        return pipeline

    def close_spider(self) -> None:
        self.commit()

    def finish_run(self, spider: Any, reason: str) -> None:
        self.commit()
        stats = self.crawler.stats.get_stats()
        def counts(prefix: str) -> dict[str, int]:
            return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}
        for key, value in stats.items():
            if key.startswith("protestwire/source/"):
                _, _, source_id, kind = key.split("/", 3)
                self.per_source.setdefault(source_id, {})[kind] = value
        with session_scope(self.engine) as session:
            run = session.get(CrawlRun, self.run_id)
            if run is not None:
                run.finished_at = datetime.now(timezone.utc)
                run.status = "finished" if reason == "finished" else f"interrupted ({reason})"
                run.pages_fetched = int(stats.get("response_received_count", 0))
                run.articles_new = self.counts["new"]
                run.articles_updated = self.counts["updated"]
                run.articles_unchanged = self.counts["unchanged"]
                run.articles_duplicate = self.counts["duplicate"]
                run.articles_dropped = sum(v for k, v in stats.items() if k.startswith("protestwire/dropped/"))
                run.drop_reasons = counts("protestwire/dropped/")
                run.errors = counts("protestwire/errors/")
                run.per_source = self.per_source
                run.warc_path = stats.get("protestwire/warc_path")
        self.engine.dispose()
