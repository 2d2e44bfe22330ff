"""Running crawls from code (the CLI, the demo and the scheduler all come through here).

The spiders of a crawl run one after another in one process (Twisted's reactor starts once).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from twisted.internet import defer
from scrapy.settings import Settings
from sqlalchemy import select

from crawlers import settings as project_settings
from crawlers.spiders.feeds import FeedSpider
from crawlers.spiders.sections import SectionSpider
from crawlers.spiders.sitemaps import NewsSitemapSpider
from sources import Source
from storage.db import connect, session_scope
from storage.models import CrawlRun

SPIDERS = {"feeds": FeedSpider, "sitemaps": NewsSitemapSpider, "sections": SectionSpider}


def crawl_settings(db_url: str, overrides: dict[str, Any] | None = None) -> Settings:
    """Scrapy settings: crawlers/settings.py, then PROTESTWIRE_* environment variables, then ``overrides``."""
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    for name in dir(project_settings):
        if name.startswith("PROTESTWIRE_") and name in os.environ:
            settings.set(name, os.environ[name], priority="cmdline")
    settings.set("PROTESTWIRE_DB", db_url, priority="cmdline")
    # The caller (CLI, scheduler) owns logging; Scrapy only routes its records to it.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def wants(spider: str, source: Source, robots_sitemaps: bool) -> bool:
    """Whether ``spider`` has anything to do for ``source``."""
    if spider == "feeds":
        return bool(source.feeds)
    if spider == "sections":
        return bool(source.sections)
    return bool(source.sitemaps) or robots_sitemaps


@dataclass(frozen=True)
class RunSummary:
    spider: str
    status: str
    pages_fetched: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    articles_duplicate: int
    articles_dropped: int
    drop_reasons: dict[str, int]
    errors: dict[str, int]
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)


def unreached_sources(summaries: list[RunSummary]) -> list[str]:
    """The sources that had requests fail and none answer, over every spider of a crawl (DNS,
    refused connections, timeouts, HTTP errors on every feed, sitemap and page): the crawl of
    such an outlet failed, and the `crawl` command exits 1 for it. An outlet that answered
    anything, even with nothing new, was crawled."""
    totals: dict[str, dict[str, int]] = {}
    for summary in summaries:
        for source_id, counts in summary.per_source.items():
            total = totals.setdefault(source_id, {"errors": 0, "answered": 0})
            total["errors"] += int(counts.get("errors", 0))
            total["answered"] += int(counts.get("answered", 0))
    return sorted(source_id for source_id, total in totals.items() if total["errors"] and not total["answered"])


def run_crawl(
    sources: list[Source], db_url: str, *, spiders: tuple[str, ...] = ("feeds", "sitemaps"),
    overrides: dict[str, Any] | None = None,
) -> list[RunSummary]:
    """Crawl ``sources`` with the named spiders into the store at ``db_url``; blocks until done.

    Twisted's reactor cannot restart, so call this at most once per process (the
    scheduler runs each crawl in its own process for that reason).
    """
    unknown = [name for name in spiders if name not in SPIDERS]
    if unknown:
        raise ValueError(f"unknown spider(s) {', '.join(unknown)}; choose from {', '.join(SPIDERS)}")
    engine = connect(db_url)
    with session_scope(engine) as session:
        before = session.scalar(select(CrawlRun.id).order_by(CrawlRun.id.desc()).limit(1)) or 0
    process = CrawlerProcess(crawl_settings(db_url, overrides))
    robots_sitemaps = process.settings.getbool("PROTESTWIRE_ROBOTS_SITEMAPS")
    plan = [(name, [s for s in sources if wants(name, s, robots_sitemaps)]) for name in spiders]

    @defer.inlineCallbacks
    def one_after_another() -> Any:
        # In turn, not at once: what the feeds spider stored, the sitemap spider then skips.
        for name, chosen in plan:
            if chosen:
                crawler = process.create_crawler(SPIDERS[name])
                yield process.crawl(crawler, sources=chosen)
                if crawler.stats.get_value("finish_reason") == "shutdown":  # SIGTERM or Ctrl-C: no next spider
                    break

    finished = one_after_another()
    from twisted.internet import reactor  # only now: the first crawl installed Scrapy's reactor

    finished.addErrback(lambda failure: failure.printTraceback())
    finished.addBoth(lambda _: reactor.callLater(0, reactor.stop))
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    process.start(stop_after_crawl=False)
    for sig, handler in previous.items():  # Scrapy's handlers would swallow a later Ctrl-C
        signal.signal(sig, handler)
    with session_scope(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.id > before).order_by(CrawlRun.id)).all()
        summaries = [
            RunSummary(r.spider, r.status, r.pages_fetched, r.articles_new, r.articles_updated,
                       r.articles_unchanged, r.articles_duplicate, r.articles_dropped, dict(r.drop_reasons),
                       dict(r.errors), dict(r.per_source or {}))
            for r in runs
        ]
    engine.dispose()
    return summaries
