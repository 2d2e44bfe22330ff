"""RSS 2.0 and Atom 1.0 renderers (feedgen) over search results.

A feed is a search: the same ``storage.search`` the CLI, the API and the page use, so there is no
second query path. A new format is one more renderer here over the same hits.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal
from urllib.parse import quote, urlencode

from feedgen.feed import FeedGenerator

from storage.search import SearchHit, SearchQuery

FeedFormat = Literal["rss", "atom"]
FEED_ID_PREFIX = "tag:protestwire,2026:"
# The stamp of a feed that has nothing dated to go by and was given no store time: fixed, so
# a reader polling an empty search sees no change.
NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)


def feed_id(query: SearchQuery) -> str:
    """A valid, stable tag: URI naming the search (RFC 4151), the same for the same search whatever the page.

    e.g. tag:protestwire,2026:search?q=paro%20nacional&country=CO
    """
    params = {name: value for name, value in query.params().items() if name not in ("limit", "offset")}
    return FEED_ID_PREFIX + "search" + ("?" + urlencode(params, quote_via=quote, safe="") if params else "")


def entry_time(hit: SearchHit) -> datetime | None:
    """When an entry last changed as far as we know: its publication, else when it was first stored."""
    return hit.published or hit.first_seen


def also_reported(hit: SearchHit) -> str:
    """" (Also reported by 3 other outlets.)" for a collapsed story; "" when no one else reported it."""
    if hit.also_reported_by <= 0:
        return ""
    outlets = "outlet" if hit.also_reported_by == 1 else "outlets"
    return f" (Also reported by {hit.also_reported_by} other {outlets}.)"


def render_feed(
    hits: list[SearchHit], query: SearchQuery, fmt: FeedFormat = "atom", *, self_url: str | None = None,
    updated: datetime | None = None,
) -> bytes:
    """A valid RSS 2.0 or Atom 1.0 document listing ``hits`` in the search's order.

    Its time is the newest entry's; with no dated entry, ``updated`` (the store's latest change,
    ``storage.search.latest_change``), else a fixed stamp: never the time of the request.
    """
    if fmt not in ("rss", "atom"):
        raise ValueError(f"feed format must be rss or atom, not {fmt!r}")
    generator = FeedGenerator()
    description = query.describe()
    generator.id(feed_id(query))
    generator.title(f"protestwire: {description}")
    generator.description(f"Latin American news collected by protestwire; search: {description}.")
    if fmt == "rss":
        generator.load_extension("dc")  # RSS <author> must be an e-mail address; dc:creator takes names
    generator.link(href=self_url or "https://github.com/protestwire/protestwire", rel="alternate")
    if self_url:
        generator.link(href=self_url, rel="self")
    generator.language(query.language or "es")
    generator.generator("protestwire")
    stamps = [stamp for stamp in map(entry_time, hits) if stamp]
    feed_updated = max(stamps) if stamps else updated or NEVER
    generator.updated(feed_updated)
    if fmt == "rss":
        generator.lastBuildDate(feed_updated)  # feedgen's default is the time of the request
    # feedgen prepends entries, so add them oldest first to keep the search order.
    for hit in reversed(hits):
        entry = generator.add_entry()
        entry.id(hit.canonical_url)
        entry.guid(hit.canonical_url, permalink=True)
        entry.title(hit.title)
        entry.link(href=hit.canonical_url)
        summary = hit.subtitle or hit.snippet or hit.title
        entry.summary(summary + also_reported(hit))
        if hit.published:
            entry.published(hit.published)
        entry.updated(entry_time(hit) or feed_updated)
        for author in hit.authors:
            if fmt == "rss":
                entry.dc.dc_creator(author)
            else:
                entry.author({"name": author})
        for label in hit.protest_types:
            entry.category(term=label)
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)
