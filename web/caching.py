"""Conditional GET for the feeds and the API: validators from the store's version, and 304s.

Every answer made from the store carries ``ETag`` (the store's write counter, ``storage.version``,
and protestwire's version: a new release may render the same rows differently) and
``Last-Modified`` (when the last write was), with ``Cache-Control``. A request whose
``If-None-Match`` names the current ETag, or (without If-None-Match, as RFC 9110 says) whose
``If-Modified-Since`` is at or after the last write, gets 304 before any search runs: one read of
a one-row table. Last-Modified counts whole seconds, so two writes within one second look the
same to it; the ETag tells every write apart, and clients that send both are judged by it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from storage.version import StoreVersion

# Feeds: readers poll every few minutes; a minute's caching spares the store without making a new
# article wait long. API answers: kept by caches but checked every time (the check is a 304).
FEED_CACHE_CONTROL = "public, max-age=60"
API_CACHE_CONTROL = "public, no-cache"

try:
    CODE_VERSION = version("protestwire")
except PackageNotFoundError:  # run from a checkout without installing
    CODE_VERSION = "dev"


def validators(store: StoreVersion, cache_control: str) -> dict[str, str]:
    """The headers of an answer made from the store at ``store``."""
    return {"ETag": f'W/"{store.number}-{CODE_VERSION}"',
            "Last-Modified": format_datetime(store.changed_at.replace(microsecond=0), usegmt=True),
            "Cache-Control": cache_control}


def not_modified(request_headers: Any, headers: dict[str, str], store: StoreVersion) -> bool:
    """Whether the client already has the answer ``headers`` describe (weak comparison of ETags)."""
    wanted = request_headers.get("if-none-match")
    if wanted is not None:
        tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
        return "*" in tags or headers["ETag"].removeprefix("W/") in tags
    since = _http_date(request_headers.get("if-modified-since"))
    return since is not None and store.changed_at.replace(microsecond=0) <= since


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):  # not a date: the header is ignored, as RFC 9110 says
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when
