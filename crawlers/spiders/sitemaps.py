"""News-sitemap spider: reads each source's sitemaps, follows sitemap indexes, and for sources
without sitemaps of their own looks for news sitemaps in robots.txt; then fetches the articles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from scrapy.http import Response

from crawlers.discovery import parse_sitemap, robots_sitemaps
from crawlers.spiders.base import SourceSpider
from sources import Source

# A sitemap index that points at more than this many sitemaps is an archive, not news.
MAX_CHILD_SITEMAPS = 50


class NewsSitemapSpider(SourceSpider):
    name = "sitemaps"

    def discovery_urls(self, source: Source) -> Iterable[str]:
        return source.sitemaps

    async def start(self) -> Any:
        async for request in super().start():
            yield request
        if not self.settings.getbool("PROTESTWIRE_ROBOTS_SITEMAPS"):
            return
        for source in self.sources.values():
            if not source.sitemaps:
                yield self.discovery_request(urljoin(source.homepage, "/robots.txt"), source.id, self.parse_robots)

    def parse_robots(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        source = self.sources[source_id]
        for url in robots_sitemaps(response.body, news_only=True):
            if source.allows(url):
                yield self.discovery_request(url, source_id)

    def parse_discovery(self, response: Response, source_id: str) -> Any:
        if self.not_modified(response, source_id):
            return
        result = parse_sitemap(response.body)
        if result.error:
            self.count_error(source_id, "bad-sitemap", f"{response.url}: {result.error}")
        source = self.sources[source_id]
        for child in result.sitemaps[:MAX_CHILD_SITEMAPS]:
            if source.allows(child):
                yield self.discovery_request(child, source_id)
        self.crawler.stats.inc_value("protestwire/sitemap_urls", len(result.articles))
        yield from self.article_requests(source_id, result.articles)
