"""Downloader middlewares: conditional requests and polite retries.

 - ``ConditionalGetMiddleware`` asks the discovery URLs (feeds, sitemaps, listing pages) and
   robots.txt "changed since?" with the ETag and Last-Modified kept in the store
   (``crawlers.state``); unchanged ones cost a 304;
 - ``RetryAfterMiddleware`` waits out 429 and 503 answers for their Retry-After, else with
   capped exponential backoff (``retry_delay``), without blocking the other requests;
 - ``RedirectLoopMiddleware`` names a redirect that leads back into its own chain;
 - ``QuickMetaRefreshMiddleware`` is Scrapy's meta-refresh redirect without decoding every page.
The decisions are plain functions (``retry_delay``, ``conditional_headers`` in
``crawlers.state``) that code outside Scrapy can call; the middlewares are thin
adapters built from settings, and a switched-off one raises ``NotConfigured``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawlers.state import CrawlState, Validators, conditional_headers
from storage.db import connect

# Largest robots.txt worth caching for 304 answers.
MAX_CACHED_ROBOTS_BYTES = 512 * 1024


def retry_delay(retry_after: str | None, attempt: int, *, base: float, cap: float,
                now: datetime | None = None) -> float:
    """Seconds to wait before retrying: the server's Retry-After (seconds or HTTP date) when it
    gives one, else exponential backoff ``base * 2**attempt``; never more than ``cap``."""
    delay: float | None = None
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            delay = float(value)
        else:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=timezone.utc)
                delay = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if delay is None:
        delay = base * 2**attempt
    return max(0.0, min(delay, cap))


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


class ConditionalGetMiddleware:
    """Feeds, sitemaps and robots.txt are fetched with If-None-Match / If-Modified-Since.

    Applies to requests with ``meta["conditional"]`` and to robots.txt. A 304 for robots.txt
    is answered from the body kept last time, so the robots rules still apply.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("PROTESTWIRE_CONDITIONAL_GET"):
            raise NotConfigured
        self.crawler = crawler
        self.state = CrawlState(connect(crawler.settings.get("PROTESTWIRE_DB")))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def applies(self, request: Request) -> bool:
        return bool(request.meta.get("conditional")) or _is_robots(request)

    def process_request(self, request: Request) -> None:
        if not self.applies(request) or request.meta.get("protestwire_conditional_sent"):
            return
        validators = self.state.validators(request.url)
        request.meta["protestwire_conditional_sent"] = True
        request.meta["protestwire_validators"] = validators
        for name, value in conditional_headers(validators).items():
            request.headers.setdefault(name, value)

    def process_response(self, request: Request, response: Response) -> Response:
        if not self.applies(request):
            return response
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("protestwire/not_modified")
            self.state.remember(request.url, 304, Validators(None, None))
            cached: Validators | None = request.meta.get("protestwire_validators")
            if _is_robots(request) and cached is not None and cached.body is not None:
                return response.replace(status=200, body=cached.body)
            return response
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            body = response.body if _is_robots(request) and len(response.body) <= MAX_CACHED_ROBOTS_BYTES else None
            self.state.remember(request.url, 200, Validators(
                etag.decode("latin-1") if etag else None, modified.decode("latin-1") if modified else None, body,
            ))
        return response


class RetryAfterMiddleware:
    """429 and 503 answers are retried after the server's Retry-After, or with exponential backoff.

    Scrapy's own RetryMiddleware retries at once, which is what a rate-limited server asks
    us not to do; so 429 and 503 are left out of RETRY_HTTP_CODES and handled here.
    """

    CODES = frozenset({429, 503})

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.base = settings.getfloat("PROTESTWIRE_BACKOFF_BASE_SECONDS")
        self.cap = settings.getfloat("PROTESTWIRE_RETRY_AFTER_MAX_SECONDS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.CODES or request.meta.get("dont_retry"):
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"http-{response.status}")
        if retry is None:
            return response  # retries used up: the spider's errback counts it as http-429/503
        header = response.headers.get(b"Retry-After")
        delay = retry_delay(header.decode("latin-1") if header else None, request.meta.get("retry_times", 0),
                            base=self.base, cap=self.cap)
        self.crawler.stats.inc_value("protestwire/retry_wait_seconds", delay)
        await asyncio.sleep(delay)
        return retry


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectLoopMiddleware:
    """Stops a redirect that leads back to a URL of the same chain, and says so.

    Without it Scrapy's duplicate filter drops the looping request silently, and the
    page is neither fetched nor counted as failed.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {target} redirects back into its own chain")
        return response


# Scrapy reads a meta refresh in the first 4,096 characters; 4 bytes a character at most.
META_REFRESH_HEAD_BYTES = 4 * 4096


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, minus decoding every page to look for one: a page whose
    head bytes never say "refresh" is passed on untouched (decoding a 160 KiB page to text cost
    ~0.5 ms of Scrapy's process per article; workers decode it again anyway)."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if b"refresh" not in response.body[:META_REFRESH_HEAD_BYTES].lower():
            return response
        return super().process_response(request, response)
