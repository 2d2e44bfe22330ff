"""Listing-page spider: reads section or tag pages (where an outlet has no feed) and follows the
links that look like articles on the outlet's own domains."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawlers.discovery import parse_listing
from crawlers.sources import Source
from crawlers.spiders.base import SourceSpider


class SectionSpider(SourceSpider):
    name = "sections"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.sections

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        result = parse_listing(response.body, response.url, self.sources[source_id], content_type)
        if result.error or not result.articles:
            self.count_error(source_id, "bad-listing", f"{response.url}: {result.error or 'no article links'}")
        self.crawler.stats.inc_value("protestwire/listing_links", len(result.articles))
        yield from self.article_requests(source_id, result.articles)
