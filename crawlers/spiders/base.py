"""The base spider: sources from the registry, article requests and the article callback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import TimeoutError as DefTimeoutError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawlers.items import ArticleItem
from crawlers.sources import Source, load_sources, select_sources
from crawlers.discovery import Discovered
from pipeline.normalise import canonical_url

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


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

    def discovery_urls(self, source: Source) -> Iterable[str]:
        raise NotImplementedError

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        raise NotImplementedError

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources.values():
            for url in self.discovery_urls(source):
                yield scrapy.Request(url, callback=self.parse_discovery, cb_kwargs={"source_id": source.id},
                                     errback=self.on_error, meta={"source_id": source.id}, dont_filter=True)

    def article_requests(self, source_id: str, found: Iterable[Discovered]) -> Iterable[scrapy.Request]:
        source = self.sources[source_id]
        for item in found:
            url = canonical_url(item.url)
            if not source.allows(url):
                self.crawler.stats.inc_value(f"protestwire/offsite_links/{source_id}")
                continue
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 cb_kwargs={"source_id": source_id, "hints": item.hints}, meta={"source_id": source_id})

    def parse_article(self, response: Response, source_id: str, hints: Any) -> Iterable[ArticleItem]:
        content_type = response.headers.get(b"Content-Type") or b""
        if not content_type.lower().startswith(HTML_TYPES):
            self.count_error(source_id, "not-html", response.url)
            return
        yield ArticleItem(
            source_id=source_id, url=response.url, body=response.body,
            content_type=content_type.decode("latin-1"), feed=hints,
        )

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind ("http-404", "timeout", "dns", ...) and go on."""
        request = failure.request
        source_id = request.meta.get("source_id", "unknown")
        if failure.check(HttpError):
            reason = f"http-{failure.value.response.status}"
        elif failure.check(TimeoutError, DefTimeoutError, TCPTimedOutError):
            reason = "timeout"
        elif failure.check(DNSLookupError):
            reason = "dns"
        elif failure.check(IgnoreRequest):
            reason = "robots-txt" if "robots.txt" in failure.getErrorMessage() else "ignored"
        else:
            reason = "network"
        self.count_error(source_id, reason, f"{request.url}: {failure.getErrorMessage()}")

    def count_error(self, source_id: str, reason: str, detail: str) -> None:
        # A page robots.txt forbids is the crawler behaving, not a fault worth a warning.
        level = logging.INFO if reason == "robots-txt" else logging.WARNING
        self.logger.log(level, "%s: %s (%s)", source_id, reason, detail)
        self.crawler.stats.inc_value(f"protestwire/errors/{reason}")
        self.crawler.stats.inc_value(f"protestwire/source/{source_id}/errors")
