"""RSS/Atom spider: reads each source's feeds and follows every item to its article page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawlers.discovery import parse_feed
from crawlers.spiders.base import SourceSpider
from sources import Source


class FeedSpider(SourceSpider):
    name = "feeds"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.feeds

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        result = parse_feed(response.body, response.url, self.content_type(response))
        yield from self.follow(response, source_id, result, "bad-feed", "protestwire/feed_items")
