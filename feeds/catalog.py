"""The feeds subscribers follow: saved searches and the ready-made ones, each a path and a search.

Ready-made feeds (protest coverage only, newest first, one entry per story):
  all                  every protest-relevant story                   /feeds/all.atom
  country/CC           protests that happened in CC (event country)    /feeds/country/BO.atom
  type/TYPE            one kind of action (blockade, strike, march...) /feeds/type/blockade.atom
Saved searches are /feeds/NAME.atom (storage.saved_searches). Every feed has .atom and .rss.
``feed_spec`` finds the feed of a path; ``all_specs`` lists what `feeds build` writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from feeds import FEED_ENTRIES, FEED_ID_PREFIX
from storage.search import PROTEST_TYPES, SearchQuery

_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class FeedSpec:
    path: str  # without the format: "all", "country/BO", "type/blockade", "bloqueos-bo"
    title: str
    query: SearchQuery
    saved: bool = False

    @property
    def feed_id(self) -> str:
        """A stable tag: URI per feed (not per search: a saved search edited keeps its feed's id)."""
        return f"{FEED_ID_PREFIX}feed/{self.path}"

    def url(self, base: str, fmt: str) -> str:
        return f"{base.rstrip('/')}/{self.path}.{fmt}"


def _protests(**filters: Any) -> SearchQuery:
    return SearchQuery(protest_only=True, sort="newest", limit=FEED_ENTRIES, **filters)


def all_protests() -> FeedSpec:
    return FeedSpec("all", "all protest coverage", _protests())


def country_feed(code: str) -> FeedSpec | None:
    code = code.upper()
    if not _COUNTRY.match(code):
        return None
    return FeedSpec(f"country/{code}", f"protests in {code}", _protests(event_country=code))


def type_feed(kind: str) -> FeedSpec | None:
    if kind not in PROTEST_TYPES:
        return None
    return FeedSpec(f"type/{kind}", f"protest type {kind}", _protests(protest_type=kind))


def saved_feed(saved: Any) -> FeedSpec:
    """A saved search's feed: its search, newest first unless it was saved sorted otherwise."""
    return FeedSpec(saved.name, saved.name, replace(saved.query, limit=FEED_ENTRIES, offset=0), saved=True)


def ready_made(countries: list[str]) -> list[FeedSpec]:
    """The ready-made feeds, with a country feed for each of ``countries``."""
    specs = [all_protests()]
    specs += [spec for code in sorted(set(countries)) if (spec := country_feed(code))]
    specs += [spec for kind in PROTEST_TYPES if (spec := type_feed(kind))]
    return specs


def registry_countries() -> list[str]:
    """The countries of the registry's outlets: the ready-made country feeds `feeds build` writes."""
    from sources import load_sources

    return sorted({source.country for source in load_sources()})


def all_specs(engine: Any, countries: list[str] | None = None) -> list[FeedSpec]:
    from storage.saved_searches import saved_searches

    return ready_made(registry_countries() if countries is None else countries) + [
        saved_feed(saved) for saved in saved_searches(engine)]
