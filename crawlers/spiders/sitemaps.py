"""News-sitemap spider: reads each source's sitemaps (following sitemap indexes) and fetches the articles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.discovery import parse_sitemap
from crawlers.sources import Source
from crawlers.spiders.base import SourceSpider

# A sitemap index that points at more than this many sitemaps is an archive, not news.
MAX_CHILD_SITEMAPS = 50


class NewsSitemapSpider(SourceSpider):
    name = "sitemaps"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.sitemaps

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        result = parse_sitemap(response.body)
        if result.error:
            self.count_error(source_id, "bad-sitemap", f"{response.url}: {result.error}")
        source = self.sources[source_id]
        for child in result.sitemaps[:MAX_CHILD_SITEMAPS]:
            if source.allows(child):
                yield scrapy.Request(child, callback=self.parse_discovery, cb_kwargs={"source_id": source_id},
                                     meta={"source_id": source_id})
        self.crawler.stats.inc_value("protestwire/sitemap_urls", len(result.articles))
        yield from self.article_requests(source_id, result.articles)
