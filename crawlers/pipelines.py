"""Scrapy item pipelines: thin adapters around the pure stages in ``pipeline/``.

In order (``ITEM_PIPELINES`` in ``crawlers/settings.py``): ``ProcessPipeline`` sends each page to
worker processes (``crawlers/worker.py``, which imports no Scrapy) that keep it in a WARC file and
run every pure stage on it (``pipeline.process_page``); the workers fork from a forkserver that
loaded and warmed the pipeline once (``crawlers/warm.py``). ``RelevancePipeline`` applies
``--protest-only``; ``DeduplicatePipeline`` drops a URL reached twice in one run;
``StorePipeline`` writes batches and keeps the ``crawl_runs`` row.

Each adapter calls one stage function and fills one field of the item; a page that
is not an article leaves with ``DropItem`` carrying the stage's reason name, which
is counted under ``protestwire/dropped/<reason>`` and in the crawl-run row.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import socket
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawlers.items import ArticleItem
from crawlers.worker import capture_and_process, close_warcs
from pipeline.extract.page import ExtractOptions
from pipeline.store import store_articles, upsert_source
from pipeline.types import Dropped
from storage.db import connect, init_db, resolve_db_url, session_scope
from storage.models import Capture, CrawlRun
from storage.warc import RawPage


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
        stats.inc_value(f"protestwire/source/{item.source_id}/dropped:{reason}")
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


def _start_workers(pool: ProcessPoolExecutor, count: int, started: Future[None]) -> None:
    try:
        for _ in range(count):
            pool.submit(os.getpid)
    except RuntimeError:  # the crawl ended first (the pool is shut down): nothing to start
        pass
    finally:
        started.set_result(None)


class ProcessPipeline(_Stage):
    """Keeps each fetched page in a WARC file and runs the pure stages on it (extract, normalise,
    classify, geotag, fingerprint). That is nearly all of a page's CPU, so it runs in
    PROTESTWIRE_EXTRACT_WORKERS processes while Scrapy's own process keeps fetching (0: in this
    process). PROTESTWIRE_WARC_DIR says where the WARC files go."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.workers = settings.getint("PROTESTWIRE_EXTRACT_WORKERS") or 0
        self.options = ExtractOptions(thorough=settings.getbool("PROTESTWIRE_EXTRACT_THOROUGH"))
        self.pool: ProcessPoolExecutor | None = None
        self.workers_started: Future[None] = Future()
        self.warc_prefix: str | None = None

    def open_spider(self) -> None:
        settings = self.crawler.settings
        if settings.getbool("PROTESTWIRE_CAPTURE"):
            folder = warc_dir(settings, resolve_db_url(settings.get("PROTESTWIRE_DB")))
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            name = self.crawler.spider.name if self.crawler.spider else "crawl"
            self.warc_prefix = str(folder / f"protestwire-{name}-{stamp}")
            self.crawler.stats.set_value("protestwire/warc_path", f"{self.warc_prefix}-*.warc.gz")
        if self.workers > 0:
            # forkserver: workers start from a clean interpreter, not a copy of the reactor; one
            # that has imported crawlers.warm, so each worker of each spider starts ready.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawlers.warm"])
            pool = self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
            # Start them now, while discovery fetches feeds and sitemaps; from a thread, since a
            # start waits for the forkserver's warm-up (~1 s the first time), which would stall
            # the reactor.
            threading.Thread(target=_start_workers, args=(pool, self.workers, self.workers_started),
                             name="start-workers", daemon=True).start()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        page = RawPage(item.url, item.status, item.headers, item.body)
        arguments = (page, self.warc_prefix, item.feed, item.source_id, self.options)
        if self.pool is None:
            capture, result = capture_and_process(*arguments)
        else:
            if not self.workers_started.done():
                # Until then a submit waits for the starting thread's lock, and the reactor with it
                # (seconds on a loaded machine): a slow response arriving meanwhile beats its
                # download timeout, and the timeout goes uncounted.
                await asyncio.wrap_future(self.workers_started)
            capture, result = await asyncio.wrap_future(self.pool.submit(capture_and_process, *arguments))
        item.capture = capture
        if isinstance(result, Dropped):
            raise self.drop(item, result.reason, result.detail)
        item.record, item.article, item.assessment = result, result.article, result.assessment
        return item

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        close_warcs()


class RelevancePipeline(_Stage):
    """With PROTESTWIRE_PROTEST_ONLY, drops articles the classifier (run in the workers) found
    not to report a protest, counted as "not-protest"."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        if not crawler.settings.getbool("PROTESTWIRE_PROTEST_ONLY"):
            # Off is the normal case (every article is kept): raised without a message, which
            # Scrapy would log as a warning ("Disabled ...") on every spider of every crawl.
            raise NotConfigured

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.assessment is not None
        if not item.assessment.protest:
            raise self.drop(item, "not-protest")
        return item


class DeduplicatePipeline(_Stage):
    """Exact level within one run: the same canonical URL reached twice (feed and sitemap, tracking links)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen_urls: set[str] = set()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.article is not None and item.record is not None
        if item.article.canonical_url in self.seen_urls:
            raise self.drop(item, "duplicate-url", item.article.canonical_url)
        self.seen_urls.add(item.article.canonical_url)
        return item


class StorePipeline(_Stage):
    """Writes articles in batches (PROTESTWIRE_STORE_BATCH articles, or what came within
    PROTESTWIRE_STORE_BATCH_SECONDS), one transaction each, and keeps the crawl-run row.

    A crash loses at most the open batch: those pages are not stored, so the next run fetches
    them again. Outcomes are counted when their batch is written.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.engine = connect(crawler.settings.get("PROTESTWIRE_DB"))
        self.batch_size = max(1, crawler.settings.getint("PROTESTWIRE_STORE_BATCH"))
        self.batch_seconds = crawler.settings.getfloat("PROTESTWIRE_STORE_BATCH_SECONDS")
        self.pending: list[ArticleItem] = []
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
            run = CrawlRun(spider=spider.name if spider else "unknown", pid=os.getpid(), host=socket.gethostname())
            session.add(run)
            session.flush()
            self.run_id = run.id

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert item.record is not None
        if not self.pending:
            self.batch_started = time.monotonic()
        self.pending.append(item)
        if len(self.pending) >= self.batch_size or time.monotonic() - self.batch_started >= self.batch_seconds:
            self.write_batch()
        return item

    def write_batch(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        with session_scope(self.engine) as session:
            captures = [
                Capture(crawl_run_id=self.run_id, source_id=item.source_id, url=item.url, http_status=item.status,
                        content_type=item.content_type, warc_path=item.capture.warc_path,
                        warc_offset=item.capture.offset, warc_length=item.capture.length)
                if item.capture is not None else None
                for item in batch
            ]
            session.add_all([c for c in captures if c is not None])
            session.flush()
            results = store_articles(session, [item.record for item in batch if item.record is not None],
                                     crawl_run_id=self.run_id, capture_ids=[c.id if c else None for c in captures])
        for item, result in zip(batch, results):
            self.counts[result.outcome] += 1
            per = self.per_source.setdefault(item.source_id, {})
            per[result.outcome] = per.get(result.outcome, 0) + 1
            self.crawler.stats.inc_value(f"protestwire/stored/{result.outcome}")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        # spider_closed (not close_spider) so the finish reason is known when the run row is closed.
        crawler.signals.connect(pipeline.finish_run, signal=signals.spider_closed)
        return pipeline

    def close_spider(self) -> None:
        self.write_batch()

    def finish_run(self, spider: Any, reason: str) -> None:
        self.write_batch()
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
