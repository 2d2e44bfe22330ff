"""`protestwire sources check --online`: fetch each discovery URL once and say what came back."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from crawlers.discovery import parse_feed, parse_sitemap, parse_listing
from crawlers.settings import USER_AGENT
from sources import Source

Kind = Literal["feed", "sitemap", "section"]
TIMEOUT_SECONDS = 20
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class UrlCheck:
    source_id: str
    kind: Kind
    url: str
    status: int | None  # HTTP status, None when no response came
    links: int  # article links found
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_url(source: Source, kind: Kind, url: str, timeout: float = TIMEOUT_SECONDS) -> UrlCheck:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read(MAX_BYTES)
            content_type = response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        return UrlCheck(source.id, kind, url, exc.code, 0, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return UrlCheck(source.id, kind, url, None, 0, f"no response: {reason}")
    if kind == "feed":
        result = parse_feed(body, url, content_type)
    elif kind == "sitemap":
        result = parse_sitemap(body)
    else:
        result = parse_listing(body, url, source, content_type)
    links = len(result.articles) + len(result.sitemaps)
    problem = result.error or (None if links else "no article links found")
    return UrlCheck(source.id, kind, url, status, links, problem)


def discovery_urls(sources: Iterable[Source]) -> list[tuple[Source, Kind, str]]:
    return [
        (source, kind, url)
        for source in sources
        for kind, urls in (("feed", source.feeds), ("sitemap", source.sitemaps), ("section", source.sections))
        for url in urls
    ]


def check_sources(sources: Iterable[Source], workers: int = 8, timeout: float = TIMEOUT_SECONDS) -> list[UrlCheck]:
    """Every feed, sitemap and section URL fetched once (a few at a time; network-bound work)."""
    jobs = discovery_urls(sources)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: check_url(*job, timeout=timeout), jobs))
