"""RSS/Atom spider: reads each source's feeds and follows every item to its article page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawlers.discovery import parse_feed
from crawlers.sources import Source
from crawlers.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    name = "feeds"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.feeds

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        result = parse_feed(response.body, response.url, content_type)
        if result.error:
            self.count_error(source_id, "bad-feed", f"{response.url}: {result.error}")
        self.crawler.stats.inc_value("protestwire/feed_items", len(result.articles))
        yield from self.article_requests(source_id, result.articles)
