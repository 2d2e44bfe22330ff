"""RSS 2.0 and Atom 1.0 renderers (feedgen) over search results.

A feed is a search: the same ``storage.search`` the CLI, the API and the page use, so there is no
second query path. A new format is one more renderer here over the same hits.

Every entry has a stable id (its canonical URL, also the RSS guid), its title, a link to the
original article, its publication date, the outlet, categories (the outlet's country, the event
country and the action types, each under its own scheme) and a summary: HTML sanitised by nh3
(the standfirst or snippet, the outlet, and "also reported by" links to the story's other
outlets) when nh3 is installed, else the same as plain text. Every link written is absolute
http(s). ``feed_document`` runs the search and renders it; ``feeds.catalog`` names the saved and
ready-made feeds and ``feeds.build`` writes them as static files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from html import escape
from typing import Any, Literal
from urllib.parse import quote, urlencode

from feedgen.feed import FeedGenerator

from storage.search import SearchHit, SearchQuery

FeedFormat = Literal["rss", "atom"]
FEED_ID_PREFIX = "tag:protestwire,2026:"
# The stamp of a feed that has nothing dated to go by and was given no store time: fixed, so
# a reader polling an empty search sees no change.
NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)
HOME = "https://github.com/protestwire/protestwire"
# Category schemes (Atom scheme, RSS domain): what a category's term names.
COUNTRY_SCHEME = FEED_ID_PREFIX + "country"
EVENT_COUNTRY_SCHEME = FEED_ID_PREFIX + "event-country"
TYPE_SCHEME = FEED_ID_PREFIX + "protest-type"
OUTLET_SCHEME = FEED_ID_PREFIX + "outlet"
# "Also reported by" links per entry: a wire story copied by forty outlets lists its first ones.
MAX_ALSO_LINKS = 8
# Entries of a subscriber feed (saved and ready-made feeds; /feeds/search takes limit=).
FEED_ENTRIES = 50


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


def web_link(url: str | None) -> str | None:
    """Only absolute http(s) URLs become links (never a relative, javascript: or data: one)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def also_links(hit: SearchHit, reports: Sequence[Any]) -> list[tuple[str, str]]:
    """(outlet name, article URL) for the story's other outlets, one article each, earliest first."""
    seen = {hit.source}
    links = []
    for member in reports:
        url = web_link(member.url)
        if member.source in seen or url is None:
            continue
        seen.add(member.source)
        links.append((member.source_name or member.source or url, url))
    return links[:MAX_ALSO_LINKS]


def lead(hit: SearchHit) -> str:
    """The standfirst, else the snippet (its matched words' [marks] removed), else the title."""
    if hit.subtitle:
        return hit.subtitle
    return hit.snippet.replace("[", "").replace("]", "") if hit.snippet else hit.title


def summary_text(hit: SearchHit, links: list[tuple[str, str]]) -> str:
    """The entry's summary as plain text: its lead, the outlet, the story's other reports."""
    text = lead(hit)
    outlet = f"{hit.source_name or hit.source or 'unknown outlet'}" + (f" ({hit.country})" if hit.country else "")
    lines = [text + also_reported(hit), f"Outlet: {outlet}."]
    if links:
        lines.append("Also reported by: " + "; ".join(f"{name} <{url}>" for name, url in links) + ".")
    return "\n".join(lines)


def summary_html(hit: SearchHit, links: list[tuple[str, str]]) -> str | None:
    """The same summary as HTML sanitised by nh3 (p, a href http(s), em), or None without nh3."""
    try:
        import nh3
    except ImportError:
        return None
    text = lead(hit)
    outlet = escape(hit.source_name or hit.source or "unknown outlet") + (f" ({escape(hit.country)})" if hit.country else "")
    parts = [f"<p>{escape(text)}{escape(also_reported(hit))}</p>", f"<p>Outlet: <em>{outlet}</em></p>"]
    if links:
        parts.append("<p>Also reported by: " + ", ".join(
            f'<a href="{escape(url, quote=True)}">{escape(name)}</a>' for name, url in links) + "</p>")
    return nh3.clean("".join(parts), tags={"p", "a", "em"}, attributes={"a": {"href"}},
                     url_schemes={"http", "https"}, link_rel=None)


def categories(hit: SearchHit) -> list[dict[str, str]]:
    """Action types first (as before), then the outlet's country, the event country and the outlet."""
    found = [{"term": label, "scheme": TYPE_SCHEME} for label in hit.protest_types]
    if hit.country:
        found.append({"term": hit.country, "scheme": COUNTRY_SCHEME})
    if hit.event_country:
        found.append({"term": hit.event_country, "scheme": EVENT_COUNTRY_SCHEME})
    if hit.source:
        found.append({"term": hit.source, "scheme": OUTLET_SCHEME})
    return found


def render_feed(
    hits: list[SearchHit], query: SearchQuery, fmt: FeedFormat = "atom", *, self_url: str | None = None,
    updated: datetime | None = None, reports: Mapping[int, Sequence[Any]] | None = None,
    title: str | None = None, feed_id_: str | None = None, site_url: str | None = None,
) -> bytes:
    """A valid RSS 2.0 or Atom 1.0 document listing ``hits`` in the search's order.

    Its time is the newest entry's; with no dated entry, ``updated`` (the store's latest change,
    ``storage.search.latest_change``), else a fixed stamp: never the time of the request.
    ``reports`` (story id -> its articles, ``storage.story_members``) adds "also reported by"
    links; ``title`` and ``feed_id_`` name a saved or ready-made feed; ``site_url`` is the
    feed's alternate (HTML) link, else ``self_url``.
    """
    if fmt not in ("rss", "atom"):
        raise ValueError(f"feed format must be rss or atom, not {fmt!r}")
    generator = FeedGenerator()
    description = query.describe()
    generator.id(feed_id_ or feed_id(query))
    generator.title(f"protestwire: {title or description}")
    generator.description(f"Latin American news collected by protestwire; search: {description}.")
    # Atom wants an author on the feed unless every entry has one.
    generator.author({"name": "protestwire"})
    if fmt == "rss":
        generator.load_extension("dc")  # RSS <author> must be an e-mail address; dc:creator takes names
    generator.link(href=web_link(site_url) or web_link(self_url) or HOME, rel="alternate")
    if web_link(self_url):
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
        link = web_link(hit.canonical_url) or web_link(hit.url)
        entry.id(hit.canonical_url)
        entry.guid(hit.canonical_url, permalink=link == hit.canonical_url)
        entry.title(hit.title)
        if link:
            entry.link(href=link, rel="alternate")
        links = also_links(hit, (reports or {}).get(hit.story_id or -1, ()))
        html = summary_html(hit, links)
        if html is not None:
            entry.summary(html, type="html")
        else:
            entry.summary(summary_text(hit, links))
        if hit.published:
            entry.published(hit.published)
        entry.updated(entry_time(hit) or feed_updated)
        for author in hit.authors:
            if fmt == "rss":
                entry.dc.dc_creator(author)
            else:
                entry.author({"name": author})
        entry.category(categories(hit))
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def feed_document(
    engine: Any, query: SearchQuery, fmt: FeedFormat = "atom", *, self_url: str | None = None,
    title: str | None = None, feed_id_: str | None = None, site_url: str | None = None,
) -> bytes:
    """Run ``query`` (storage.search) and render it, with each story's other reports as links."""
    from storage.search import latest_change, search
    from storage.story_members import story_members

    hits = search(engine, query)
    reports = story_members(engine, {hit.story_id for hit in hits if hit.story_id and hit.also_reported_by},
                            per_story=MAX_ALSO_LINKS * 3)
    return render_feed(hits, query, fmt, self_url=self_url, updated=latest_change(engine), reports=reports,
                       title=title, feed_id_=feed_id_, site_url=site_url)
