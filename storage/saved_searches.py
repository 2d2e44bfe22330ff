"""Saved searches: a name for a search, kept in the store, that subscribers follow as a feed.

A saved search keeps every field of its ``SearchQuery`` except paging (limit and offset: a feed
chooses its own length), so ``/feeds/NAME.atom`` and ``protestwire feeds build`` run exactly the
search that was saved. Names are lower-case letters, digits and dashes (they are URL paths and
file names); the names of the ready-made feeds are taken.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from storage.db import session_scope
from storage.models import SavedSearch, utcnow
from storage.search import QueryError, SearchQuery

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# Paths of the feed routes and the ready-made feeds (/feeds/search.atom, /feeds/all.atom,
# /feeds/country/BO.atom, /feeds/type/blockade.atom): no saved search may shadow them.
RESERVED = frozenset({"search", "all", "country", "type", "index"})
_NOT_SAVED = ("limit", "offset")
_DAYS = ("since", "until")


class SavedSearchError(ValueError):
    """A bad name, a name taken or unknown; the message says which."""


@dataclass(frozen=True)
class Saved:
    name: str
    query: SearchQuery
    created_at: datetime
    updated_at: datetime


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise SavedSearchError(f"a saved search's name is 1-64 lower-case letters, digits and dashes, "
                               f"starting with a letter or digit (it is a URL and a file name), not {name[:70]!r}")
    if name in RESERVED:
        raise SavedSearchError(f"{name!r} is the name of a built-in feed; choose another")
    return name


def query_fields(query: SearchQuery) -> dict[str, Any]:
    """The stored form of a search: its fields as JSON values, paging left out."""
    fields = {k: v for k, v in asdict(query).items() if k not in _NOT_SAVED}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}


def query_of(fields: dict[str, Any]) -> SearchQuery:
    """The search a stored form names (checked again: a QueryError if it no longer validates)."""
    known = {name for name in SearchQuery.__dataclass_fields__ if name not in _NOT_SAVED}
    values = {k: v for k, v in fields.items() if k in known}
    for name in _DAYS:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return SearchQuery(**values)


def save_search(engine: Engine, name: str, query: SearchQuery, *, replace_existing: bool = False) -> Saved:
    """Store ``query`` under ``name``; a name already taken is an error unless ``replace_existing``."""
    check_name(name)
    now = utcnow()
    with session_scope(engine) as session:
        row = session.get(SavedSearch, name)
        if row is not None and not replace_existing:
            raise SavedSearchError(f"a saved search named {name!r} exists; remove it first, or use --replace")
        if row is None:
            row = SavedSearch(name=name, created_at=now)
            session.add(row)
        row.query, row.updated_at = query_fields(query), now
        return Saved(name, replace(query, limit=20, offset=0), row.created_at, now)


def remove_search(engine: Engine, name: str) -> None:
    with session_scope(engine) as session:
        row = session.get(SavedSearch, name)
        if row is None:
            raise SavedSearchError(f"no saved search named {name!r} (see `protestwire feeds list`)")
        session.delete(row)


def saved_searches(engine: Engine) -> list[Saved]:
    """Every saved search, by name. One that no longer validates (a filter value removed) is left out."""
    with session_scope(engine, write=False) as session:
        rows = session.scalars(select(SavedSearch).order_by(SavedSearch.name)).all()
    found = []
    for row in rows:
        try:
            found.append(Saved(row.name, query_of(row.query), row.created_at, row.updated_at))
        except (QueryError, TypeError, ValueError):
            continue
    return found


def get_search(engine: Engine, name: str) -> Saved | None:
    with session_scope(engine, write=False) as session:
        row = session.get(SavedSearch, name)
    if row is None:
        return None
    return Saved(row.name, query_of(row.query), row.created_at, row.updated_at)
