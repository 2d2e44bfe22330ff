"""A structural check of Atom 1.0 (RFC 4287) and RSS 2.0 documents, without a schema file, plus feedparser.

What it checks is what feed readers rely on and what the specifications require: Atom's feed and
entry ``id``, ``title`` and ``updated`` (exactly one each, ids absolute IRIs, dates RFC 3339), an
author on the feed or on every entry, an alternate link or content per entry, absolute links,
HTML summaries that parse; RSS's channel ``title``, ``link`` and ``description``, an item's title
or description, RFC 822 dates, absolute links and permalink guids. ``problems`` lists every
violation; ``check_feed`` fails a test with them.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import feedparser
from lxml import etree, html

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def absolute(url: str | None, *, tag_ok: bool = False) -> bool:
    if not url:
        return False
    if tag_ok and re.match(r"^tag:[^,]+,\d{4}(-\d{2}(-\d{2})?)?:\S*$", url):
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _one(parent: etree._Element, name: str, where: str, problems: list[str]) -> etree._Element | None:
    found = parent.findall(name)
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} <{name.replace(ATOM, 'atom:')}>, expected exactly one")
        return None
    return found[0]


def _html_ok(text: str | None) -> bool:
    if not text:
        return True
    tree = html.fragment_fromstring(text, create_parent="div")
    if tree.xpath("//script|//style|//iframe|//@*[starts-with(name(), 'on')]"):
        return False
    return all(absolute(href) for href in tree.xpath("//a/@href"))


def atom_problems(root: etree._Element) -> list[str]:
    problems: list[str] = []
    if root.tag != f"{ATOM}feed":
        return [f"root is {root.tag}, not atom:feed"]
    ident = _one(root, f"{ATOM}id", "feed", problems)
    if ident is not None and not absolute(ident.text, tag_ok=True):
        problems.append(f"feed id {ident.text!r} is not an absolute IRI")
    _one(root, f"{ATOM}title", "feed", problems)
    updated = _one(root, f"{ATOM}updated", "feed", problems)
    if updated is not None and not RFC3339.match(updated.text or ""):
        problems.append(f"feed updated {updated.text!r} is not RFC 3339")
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for link in root.iter(f"{ATOM}link"):
        if not absolute(link.get("href")):
            problems.append(f"link {link.get('href')!r} is not absolute")
    for number, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        where = f"entry {number}"
        ident = _one(entry, f"{ATOM}id", where, problems)
        if ident is not None and not absolute(ident.text, tag_ok=True):
            problems.append(f"{where}: id {ident.text!r} is not an absolute IRI")
        _one(entry, f"{ATOM}title", where, problems)
        for name in ("updated", "published"):
            for stamp in entry.findall(f"{ATOM}{name}"):
                if not RFC3339.match(stamp.text or ""):
                    problems.append(f"{where}: {name} {stamp.text!r} is not RFC 3339")
        _one(entry, f"{ATOM}updated", where, problems)
        if not feed_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no author, and the feed has none")
        alternate = [l for l in entry.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"]
        if not alternate and entry.find(f"{ATOM}content") is None:
            problems.append(f"{where}: neither an alternate link nor content")
        for summary in entry.findall(f"{ATOM}summary"):
            if summary.get("type") == "html" and not _html_ok(summary.text):
                problems.append(f"{where}: summary HTML has scripts, handlers or relative links")
        for category in entry.findall(f"{ATOM}category"):
            if not category.get("term"):
                problems.append(f"{where}: a category without a term")
    return problems


def _rfc822(text: str | None) -> bool:
    try:
        return parsedate_to_datetime(text or "").tzinfo is not None
    except (TypeError, ValueError):
        return False


def rss_problems(root: etree._Element) -> list[str]:
    problems: list[str] = []
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is {root.tag} version {root.get('version')}, not rss 2.0"]
    channel = _one(root, "channel", "rss", problems)
    if channel is None:
        return problems
    for name in ("title", "link", "description"):
        _one(channel, name, "channel", problems)
    if not absolute(channel.findtext("link")):
        problems.append(f"channel link {channel.findtext('link')!r} is not absolute")
    for name in ("pubDate", "lastBuildDate"):
        if channel.find(name) is not None and not _rfc822(channel.findtext(name)):
            problems.append(f"channel {name} {channel.findtext(name)!r} is not RFC 822")
    for link in channel.iter(f"{ATOM}link"):
        if not absolute(link.get("href")):
            problems.append(f"atom:link {link.get('href')!r} is not absolute")
    for number, item in enumerate(channel.findall("item"), 1):
        where = f"item {number}"
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: neither title nor description")
        if item.find("link") is not None and not absolute(item.findtext("link")):
            problems.append(f"{where}: link {item.findtext('link')!r} is not absolute")
        guid = item.find("guid")
        if guid is None:
            problems.append(f"{where}: no guid")
        elif guid.get("isPermaLink", "true") == "true" and not absolute(guid.text):
            problems.append(f"{where}: permalink guid {guid.text!r} is not absolute")
        if item.find("pubDate") is not None and not _rfc822(item.findtext("pubDate")):
            problems.append(f"{where}: pubDate {item.findtext('pubDate')!r} is not RFC 822")
        if not _html_ok(item.findtext("description")):
            problems.append(f"{where}: description HTML has scripts, handlers or relative links")
    return problems


def problems(document: bytes) -> list[str]:
    parsed = feedparser.parse(document)
    found = [f"feedparser: {parsed.get('bozo_exception')}"] if parsed.bozo else []
    root = etree.fromstring(document)
    return found + (atom_problems(root) if root.tag.startswith(ATOM) else rss_problems(root))


def check_feed(document: bytes) -> feedparser.FeedParserDict:
    """Fail with every problem found; else the parsed feed."""
    found = problems(document)
    assert not found, "\n".join(found)
    return feedparser.parse(document)
