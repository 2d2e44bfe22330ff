"""Local-time helpers: a UTC time shown in the publisher's own offset.

The store keeps every date in UTC plus the page's own UTC offset in minutes
(``published_offset_minutes``); exports, search results and the CLI show ``published_local``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def local_time(utc: datetime | None, offset_minutes: int | None) -> str | None:
    """ISO 8601 in the publisher's own offset, e.g. "2026-11-21T08:15:00-04:00"."""
    if utc is None or offset_minutes is None:
        return None
    return utc.astimezone(timezone(timedelta(minutes=offset_minutes))).isoformat()
