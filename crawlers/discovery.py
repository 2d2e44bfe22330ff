"""Finding article URLs: pure parsers for RSS/Atom feeds, (news) sitemaps, section pages and robots.txt.

Feeds, sitemaps and section pages give article URLs with the hints they carry (title, date,
author, language); robots.txt gives the sitemaps it names. They take the raw bytes a server sent
and never raise on malformed input: they return what could be read plus an error message, so a
broken feed is counted and logged, and the crawl goes on.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

import re

import feedparser
from bs4 import BeautifulSoup, SoupStrainer
from bs4.builder import ParserRejectedMarkup
from courlan import is_navigation_page, is_not_crawlable
from lxml import etree

from pipeline.extract.normalise import canonical_url
from pipeline.extract.page import decode_html
from pipeline.types import FeedHints

if TYPE_CHECKING:
    from sources import Source

# Sitemaps may be gzipped; refuse to inflate past this (a decompression bomb guard).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


def _xml_parser() -> etree.XMLParser:
    # A parser per document: lxml parsers are not thread-safe, and each keeps its own error log.
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)

# What article URLs look like on news sites: a date in the path, a long numeric id, a long
# slug, or the CMS's own article marker. Section, tag and author pages have none of these.
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)")
_NUMERIC_ID = re.compile(r"\d{5,}")
_ARTICLE_MARKER = re.compile(r"-noticia/?$|/noticias?/[^/]+-[^/]+|\.s?html?$|\.ghtml$", re.I)
_STATIC_FILE = re.compile(r"\.(jpe?g|png|gif|webp|svg|css|js|pdf|mp[34]|zip|xml|rss|json)$", re.I)
MIN_SLUG_WORDS = 4


@dataclass(frozen=True)
class Discovered:
    url: str
    hints: FeedHints


@dataclass
class DiscoveryResult:
    articles: list[Discovered] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    error: str | None = None


def _struct_time_iso(value: object) -> str | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc).isoformat()  # type: ignore[index,misc]
    except (TypeError, ValueError):
        return None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> DiscoveryResult:
    """Article links of an RSS or Atom feed, with what each item says about its article."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    result = DiscoveryResult()
    if not parsed.entries:
        if parsed.bozo:
            result.error = f"malformed feed: {parsed.get('bozo_exception')!s}"
        elif not parsed.get("version"):
            result.error = "not an RSS or Atom feed"
        return result
    feed_language = (parsed.feed.get("language") or "").split("-")[0] or None
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        author = entry.get("author")
        result.articles.append(
            Discovered(
                urljoin(url, link.strip()),
                FeedHints(
                    title=entry.get("title"),
                    # dict.get: FeedParserDict.get maps published to updated with a deprecation warning
                    published=_struct_time_iso(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
                    author=author.strip() if isinstance(author, str) and author.strip() else None,
                    summary=entry.get("summary"),
                    language=feed_language,
                ),
            )
        )
    if parsed.entries and not result.articles:
        result.error = f"none of the feed's {len(parsed.entries)} items has a link"
    return result


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> DiscoveryResult:
    """Article URLs of a (Google News) sitemap, or the child sitemaps of a sitemap index."""
    result = DiscoveryResult()
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
                body = stream.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError) as exc:
            result.error = f"bad gzip sitemap: {exc}"
            return result
        if len(body) > MAX_SITEMAP_BYTES:
            result.error = "sitemap larger than 50 MiB once uncompressed"
            return result
    parser = _xml_parser()
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        root, result.error = None, f"malformed sitemap: {exc}"
    if root is None:
        result.error = result.error or "malformed sitemap: no XML root"
        return result
    problems = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if problems:  # what could be recovered is still used
        result.error = f"malformed sitemap: {problems[0].message} (line {problems[0].line})"
    kind: Literal["urlset", "sitemapindex"] | str = _local(root.tag)
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if child.text and child.text.strip() and name not in fields:
                fields[name] = child.text.strip()
        loc = fields.get("loc")
        if not loc or urlsplit(loc).scheme not in ("http", "https"):
            continue
        if kind == "sitemapindex":
            result.sitemaps.append(loc)
        else:
            result.articles.append(
                Discovered(
                    loc,
                    FeedHints(
                        title=fields.get("title"),
                        published=fields.get("publication_date") or fields.get("lastmod"),
                        language=fields.get("language"),
                    ),
                )
            )
    if kind not in ("urlset", "sitemapindex"):
        result.error = f"not a sitemap: root element <{kind}>"
        result.articles, result.sitemaps = [], []
    return result


def looks_like_article_url(url: str) -> bool:
    """Whether a link is probably an article rather than a section, tag, author or file."""
    path = urlsplit(url).path
    if path in ("", "/") or _STATIC_FILE.search(path) or is_navigation_page(url) or is_not_crawlable(url):
        return False
    last = max((segment for segment in path.split("/") if segment), key=len, default="")
    long_slug = len(re.split(r"[-_]", last)) >= MIN_SLUG_WORDS
    return bool(_DATE_IN_PATH.search(path) or _NUMERIC_ID.search(path) or _ARTICLE_MARKER.search(path) or long_slug)


_LINKS = SoupStrainer("a", href=True)


def parse_listing(body: bytes, url: str, source: Source, content_type: str | None = None) -> DiscoveryResult:
    """Article links of a section or tag page: on the outlet's domains and shaped like articles."""
    result = DiscoveryResult()
    # Only the links matter here: beautifulsoup4 builds objects for <a href> elements alone.
    try:
        anchors = BeautifulSoup(decode_html(body, content_type), "lxml", parse_only=_LINKS).find_all("a")
    except (ParserRejectedMarkup, ValueError) as exc:
        result.error = f"unreadable listing page: {exc}"
        return result
    seen: set[str] = set()
    for anchor in anchors:
        href = str(anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        link = canonical_url(urljoin(url, href))
        if link in seen or link == canonical_url(url) or not source.allows(link) or not looks_like_article_url(link):
            continue
        seen.add(link)
        title = " ".join(anchor.get_text(" ").split()) or None
        result.articles.append(Discovered(link, FeedHints(title=title if title and len(title) > 15 else None)))
    return result


def robots_sitemaps(body: bytes, *, news_only: bool = False) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt; with ``news_only``, those that name news."""
    found = []
    for line in body.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            url = value.strip()
            if not news_only or "news" in url.lower() or "noticia" in url.lower():
                found.append(url)
    return found
