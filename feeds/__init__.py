"""RSS and Atom renderers over search results (the same ``storage.search`` the CLI uses)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from feedgen.feed import FeedGenerator

from storage.search import SearchHit, SearchQuery

FeedFormat = Literal["rss", "atom"]
FEED_ID_PREFIX = "tag:protestwire,2026:"


def also_reported(hit: SearchHit) -> str:
    """" (Also reported by 3 other outlets.)" for a collapsed story; "" when no one else reported it."""
    if hit.also_reported_by <= 0:
        return ""
    outlets = "outlet" if hit.also_reported_by == 1 else "outlets"
    return f" (Also reported by {hit.also_reported_by} other {outlets}.)"


def render_feed(
    hits: list[SearchHit], query: SearchQuery, fmt: FeedFormat = "atom", *, self_url: str | None = None
) -> bytes:
    """A valid RSS 2.0 or Atom 1.0 document listing ``hits``, newest first as searched."""
    if fmt not in ("rss", "atom"):
        raise ValueError(f"feed format must be rss or atom, not {fmt!r}")
    generator = FeedGenerator()
    description = query.describe()
    generator.id(FEED_ID_PREFIX + "search:" + description)
    generator.title(f"protestwire: {description}")
    generator.description(f"Latin American news collected by protestwire; search: {description}.")
    if fmt == "rss":
        generator.load_extension("dc")  # RSS <author> must be an e-mail address; dc:creator takes names
    generator.link(href=self_url or "https://github.com/protestwire/protestwire", rel="alternate")
    if self_url:
        generator.link(href=self_url, rel="self")
    generator.language(query.language or "es")
    generator.generator("protestwire")
    stamps = [h.published for h in hits if h.published]
    generator.updated(max(stamps) if stamps else datetime.now(timezone.utc))
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
            entry.updated(hit.published)
        else:
            entry.updated(datetime.now(timezone.utc))
        for author in hit.authors:
            if fmt == "rss":
                entry.dc.dc_creator(author)
            else:
                entry.author({"name": author})
        for label in hit.protest_types:
            entry.category(term=label)
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)
