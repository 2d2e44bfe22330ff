"""Listing-page spider: reads section or tag pages (where an outlet has no feed) and follows the
links that look like articles on the outlet's own domains."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawlers.discovery import parse_listing
from crawlers.spiders.base import SourceSpider
from sources import Source


class SectionSpider(SourceSpider):
    name = "sections"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.sections

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        result = parse_listing(response.body, response.url, self.sources[source_id], self.content_type(response))
        if not result.error and not result.articles:
            result.error = "no article links"
        yield from self.follow(response, source_id, result, "bad-listing", "protestwire/listing_links")
