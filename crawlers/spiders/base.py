"""The base spider: sources from the registry, article requests, the article callback, and
failures counted by kind. Subclasses only say where discovery starts and how to read it.

Discovery requests (feeds, sitemaps, listing pages) are conditional (``crawlers.middlewares``);
an article is requested only when it is on the outlet's domains, recent enough and not stored
already (``article_requests``); every failure is counted under the name of its kind
(``protestwire/errors/<kind>``, ``failure_reason``).
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.defer import TimeoutError as DeferTimeoutError
from twisted.internet.error import ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawlers.discovery import Discovered, DiscoveryResult
from crawlers.items import ArticleItem
from crawlers.state import CrawlState
from pipeline.extract.normalise import canonical_url, parse_datetime
from sources import Source, load_sources, select_sources
from storage.db import connect

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def failure_reason(failure: Failure) -> str:
    """A short, stable name for why a request failed, used in stats and crawl-run rows."""
    if failure.check(HttpError):
        return f"http-{failure.value.response.status}"
    if failure.check(DownloadTimeoutError, TimeoutError, DeferTimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(CannotResolveHostError, DNSLookupError):
        return "dns"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection-refused"
    if failure.check(DownloadCancelledError, CancelledError):
        return "too-large"  # Scrapy cancels downloads over DOWNLOAD_MAXSIZE
    if failure.check(DownloadFailedError, ResponseDataLossError, ConnectionLost, ConnectionDone, ResponseFailed,
                     ResponseNeverReceived):
        return "connection-reset"
    if failure.check(IgnoreRequest):
        message = failure.getErrorMessage()
        if "robots.txt" in message:
            return "robots-txt"
        if "redirect" in message:
            return "redirect-loop"
        return "ignored"
    return "network"


def declared_charset(content_type: bytes) -> str | None:
    for part in content_type.decode("latin-1").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


# A wrong declaration shows at the first accented letter; decoding a whole 160 KiB page in
# Scrapy's process to find it cost ~0.3 ms an article (the workers decode it anyway).
CHARSET_SAMPLE_BYTES = 32 * 1024


def decodes_as(body: bytes, charset: str) -> bool:
    """Whether the start of ``body`` is valid ``charset`` (a character cut at the end is fine)."""
    try:
        codecs.getincrementaldecoder(charset)().decode(body[:CHARSET_SAMPLE_BYTES], final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


class SourceSpider(scrapy.Spider):
    """Crawls the registry's sources; subclasses say which discovery URLs to start from.

    Arguments (``-a`` on the scrapy command line, keywords in code): ``sources`` (a list of
    ``Source``), ``sources_file`` (a registry path) and ``only`` (comma-separated source ids).
    """

    def __init__(
        self,
        *args: Any,
        sources: list[Source] | None = None,
        sources_file: str | None = None,
        only: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen = sources if sources is not None else load_sources(sources_file)
        ids = only.split(",") if isinstance(only, str) else only
        self.sources = {s.id: s for s in select_sources(chosen, ids)}
        self.allowed_domains = sorted({d for s in self.sources.values() for d in s.allowed_domains})
        self._state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.count_answer, signal=signals.response_received)
        return spider

    def count_answer(self, response: Response, request: scrapy.Request, **_: Any) -> None:
        """Count a usable answer (below 400; a 304 counts) per source: an outlet with none was
        not reached at all, which makes the crawl exit 1 (crawlers.run.unreached_sources)."""
        source_id = request.meta.get("source_id")
        if source_id and response.status < 400:
            self.crawler.stats.inc_value(f"protestwire/source/{source_id}/answered")

    @property
    def state(self) -> CrawlState:
        if self._state is None:
            self._state = CrawlState(connect(self.settings.get("PROTESTWIRE_DB")))
        return self._state

    def discovery_urls(self, source: Source) -> Iterable[str]:
        raise NotImplementedError

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        raise NotImplementedError

    def discovery_request(self, url: str, source_id: str, callback: Callable[..., Any] | None = None) -> scrapy.Request:
        """A conditional request (304 when unchanged) for a feed, sitemap or listing page."""
        return scrapy.Request(
            url, callback=callback or self.parse_discovery, errback=self.on_error, dont_filter=True,
            cb_kwargs={"source_id": source_id},
            meta={"source_id": source_id, "conditional": True, "handle_httpstatus_list": [304]},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources.values():
            for url in self.discovery_urls(source):
                yield self.discovery_request(url, source.id)

    def not_modified(self, response: Response, source_id: str) -> bool:
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(f"protestwire/source/{source_id}/not-modified")
        return True

    def follow(self, response: Response, source_id: str, result: DiscoveryResult, error_kind: str,
               counted_as: str) -> Iterable[scrapy.Request]:
        """Count what a discovery page yielded (or why it is unusable), then request its articles."""
        if result.error:
            self.count_error(source_id, error_kind, f"{response.url}: {result.error}")
        self.crawler.stats.inc_value(counted_as, len(result.articles))
        yield from self.article_requests(source_id, result.articles)

    @staticmethod
    def content_type(response: Response) -> str | None:
        return (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None

    def _too_old(self, hints: Any) -> bool:
        max_days = self.settings.getint("PROTESTWIRE_MAX_ARTICLE_AGE_DAYS")
        parsed = parse_datetime(getattr(hints, "published", None)) if max_days > 0 else None
        return bool(parsed) and parsed[0] < datetime.now(timezone.utc) - timedelta(days=max_days)

    def article_requests(self, source_id: str, found: Iterable[Discovered]) -> Iterable[scrapy.Request]:
        """Requests for the discovered articles worth fetching: on the outlet's domains, recent
        enough, and (unless PROTESTWIRE_REFETCH is "always") not stored already."""
        source = self.sources[source_id]
        stats = self.crawler.stats
        candidates: dict[str, Discovered] = {}
        for item in found:
            url = canonical_url(item.url)
            if not source.allows(url):
                stats.inc_value(f"protestwire/source/{source_id}/offsite-links")
            elif self._too_old(item.hints):
                stats.inc_value(f"protestwire/source/{source_id}/too-old")
            else:
                candidates.setdefault(url, item)
        if self.settings.get("PROTESTWIRE_REFETCH") != "always":
            known = self.state.known_article_urls(candidates)
            if known:
                stats.inc_value(f"protestwire/source/{source_id}/already-stored", len(known))
                stats.inc_value("protestwire/skipped_known", len(known))
            candidates = {url: item for url, item in candidates.items() if url not in known}
        for url, item in candidates.items():
            hints = replace(item.hints, country=source.country, outlet_domains=source.allowed_domains)
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 cb_kwargs={"source_id": source_id, "hints": hints}, meta={"source_id": source_id})

    def parse_article(self, response: Response, source_id: str, hints: Any) -> Iterable[ArticleItem]:
        content_type = response.headers.get(b"Content-Type") or b""
        if not content_type.lower().startswith(HTML_TYPES):
            self.count_error(source_id, "not-html", f"{response.url} is {content_type.decode('latin-1') or 'untyped'}")
            return
        charset = declared_charset(content_type)
        if charset and not decodes_as(response.body, charset):
            # Extraction still reads the page, by its <meta> charset or by guessing.
            self.count_error(source_id, "bad-encoding", f"{response.url} is not {charset}")
        yield ArticleItem(
            source_id=source_id, url=response.url, body=response.body, content_type=content_type.decode("latin-1"),
            feed=hints, status=response.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs],
        )

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind ("http-404", "timeout", "redirect-loop", ...) and go on."""
        request = failure.request
        self.count_error(request.meta.get("source_id", "unknown"), failure_reason(failure),
                         f"{request.url}: {failure.getErrorMessage()}")

    def count_error(self, source_id: str, reason: str, detail: str) -> None:
        # A page robots.txt forbids is the crawler behaving, not a fault worth a warning.
        level = logging.INFO if reason == "robots-txt" else logging.WARNING
        self.logger.log(level, "%s: %s (%s)", source_id, reason, detail)
        self.crawler.stats.inc_value(f"protestwire/errors/{reason}")
        self.crawler.stats.inc_value(f"protestwire/source/{source_id}/errors")
        # By kind too, so a source's health (storage.health) tells 403s and 429s from other failures.
        self.crawler.stats.inc_value(f"protestwire/source/{source_id}/error:{reason}")
