"""Which articles make a search page, chosen on keys alone, and how many results there are (issue 20).

A page costs what the page needs, not what the search matches:

1. Candidates are read on keys only: the full-text index's rowid and bm25 score, and the columns
   of the covering indexes of migration 0014 (id, date, story, copy and thread links, filter
   columns). No body, no stems, no snippet.
2. They are collapsed to one per story (or thread) as they come, in order, and reading stops as
   soon as the page has its results; only then are the page's rows fetched whole and snippeted.

The orders (``SearchQuery.sort``):

- ``newest`` (and every search without text): publication time, newest first, undated last, then
  id; SQLite walks ``ix_articles_page_by_date`` backwards and stops when the page is full.
- ``relevance`` with text, on SQLite: **bm25 within bands of recency**. The newest
  ``RANK_BAND`` stored articles are ranked first; the page goes on, if it must, with the
  matches of the next ``RANK_BAND * 7`` older ones by bm25, then of a band eight times wider
  again, until the oldest. A page never costs more than scoring the bands it reaches, so a word
  in every article costs what ``RANK_BAND`` articles cost; on a store smaller than ``RANK_BAND``
  (and for rarer words whose page fills only in the last band) this is plain bm25 over every
  match. The order is fixed for a given store, so pages follow on from each other.
- ``relevance`` on PostgreSQL: ``ts_rank_cd`` over every match (GIN cannot rank), keys only.

Totals: exact when the search matches at most ``EXACT_COUNT`` articles (counting reads keys only,
at most that many; a search without text on a store of more than ``COUNT_WINDOW * EXACT_COUNT``
articles reads the keys of that many newest ones only). Past it the total is an estimate, labelled
so (``SearchPage.total_exact`` is false): the matches counted in the newest ``EXACT_COUNT``'s (or
window's) worth of the store's ids, scaled to all of its ids, never less than what was seen.

Cursors (``next_cursor``) are opaque, URL-safe and signed against edits; for ``newest`` they
carry the last result's (published, id), so the next page starts right after it with an index
seek however deep it is (keyset paging); for relevance, the position in the order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session

from storage.models import Article

if TYPE_CHECKING:
    from storage.search import SearchQuery

# The newest stored articles ranked first by relevance; each next band is BAND_GROWTH times wider.
RANK_BAND = 5_000
BAND_GROWTH = 8
# Matching articles counted exactly; past it, the total is an estimate.
EXACT_COUNT = 10_000
COUNT_WINDOW = 10  # filters without text: ids counted, in EXACT_COUNTs
# Candidate keys read at a time while a page collapses (more are read only if stories repeat).
FIRST_READ = 60

# SQLAlchemy renders FROM hints for a few dialects only; SQLite's is INDEXED BY, used here alone.
SQLiteCompiler.get_from_hint_text = lambda self, table, hint: hint  # type: ignore[method-assign, assignment]

_CURSOR_KEY = b"protestwire cursor v1"  # tells an edited or truncated cursor, not a secret
KEYS = (Article.id, Article.story_id, Article.duplicate_of, Article.thread_id, Article.published)


class CursorError(ValueError):
    """A cursor that is not one this search gave (edited, truncated, or of another search)."""


@dataclass(frozen=True)
class Position:
    """Where a page starts: after ``shown`` results and, for date order, after (published, id)."""

    shown: int = 0
    published: datetime | None = None
    id: int | None = None  # None: from the start

    def keyset(self) -> bool:
        return self.id is not None


def query_fingerprint(query: SearchQuery) -> str:
    """What a cursor is bound to: the search without its paging."""
    params = {k: v for k, v in query.params().items() if k not in ("offset", "limit")}
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]


def _sign(payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(_CURSOR_KEY, payload, hashlib.sha256).digest()[:6]).decode()


def encode_cursor(query: SearchQuery, position: Position) -> str:
    """``fingerprint:shown[:published-in-µs-or-empty:id]`` in URL-safe base64, then its signature."""
    fields = [query_fingerprint(query), str(position.shown)]
    if position.keyset():
        stamp = position.published
        fields += ["" if stamp is None else str(round(stamp.timestamp() * 1_000_000)), str(position.id)]
    payload = ":".join(fields).encode()
    return f"{base64.urlsafe_b64encode(payload).decode().rstrip('=')}.{_sign(payload)}"


def decode_cursor(query: SearchQuery, cursor: str) -> Position:
    """The position a cursor stands for; CursorError when it was edited or is another search's."""
    body, _, signature = cursor.strip().partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError):
        payload = b""
    if not payload or not signature or not hmac.compare_digest(signature, _sign(payload)):
        raise CursorError("cursor is not one protestwire gave (edited or cut short): pass next_cursor back "
                          "unchanged")
    fields = payload.decode().split(":")
    if fields[0] != query_fingerprint(query):
        raise CursorError("cursor belongs to another search: a cursor only continues the search it came from "
                          "(same text, filters and sort)")
    if len(fields) == 2:
        return Position(shown=int(fields[1]))
    published = datetime.fromtimestamp(int(fields[2]) / 1_000_000, timezone.utc) if fields[2] else None
    if published is not None:
        published = published.replace(microsecond=int(fields[2]) % 1_000_000)
    return Position(shown=int(fields[1]), published=published, id=int(fields[3]))


def group_of(row: Any, collapse: str) -> int:
    """A candidate's story (thread) key, as ``storage.search.group_key`` gives for an article."""
    if collapse == "thread" and row.thread_id:
        return int(row.thread_id)
    return int(row.story_id or row.duplicate_of or row.id)


@dataclass
class Chosen:
    """The page's article ids in order, and the position after it (None: it was the last page)."""

    ids: list[int]
    after: Position | None
    shown: int  # results before this page


def _keys_select(query: SearchQuery, dialect: str, index: str | None, fts: str = "join") -> Any:
    from storage.search import _matching

    stmt, rank, _ = _matching(query, dialect, *KEYS, fts=fts)  # type: ignore[arg-type]
    if index and dialect == "sqlite":
        stmt = stmt.with_hint(Article, f"INDEXED BY {index}", "sqlite")
    return stmt, rank


def _date_order() -> list[Any]:
    return [Article.published.desc().nulls_last(), Article.id.desc()]


def _after(position: Position, dialect: str) -> Any:
    """Rows after ``position`` in date order (newest first, undated last, then id)."""
    if position.published is None:
        return and_(Article.published.is_(None), Article.id < position.id)
    return or_(Article.published < position.published,
               and_(Article.published == position.published, Article.id < position.id),
               Article.published.is_(None))


def _date_candidates(session: Session, query: SearchQuery, dialect: str, position: Position) -> Iterator[Any]:
    """Matching keys, newest first, read in growing chunks (each one an index seek from the last)."""
    stmt, _ = _keys_select(query, dialect, "ix_articles_page_by_date", fts="in")
    chunk, last = FIRST_READ, position
    while True:
        page_stmt = stmt.where(_after(last, dialect)) if last.keyset() else stmt
        rows = session.execute(page_stmt.order_by(*_date_order()).limit(chunk)).all()
        yield from rows
        if len(rows) < chunk:
            return
        last = Position(published=rows[-1].published, id=rows[-1].id)
        chunk = min(chunk * 4, 5000)


def _bands(session: Session) -> list[tuple[int, int]]:
    """(low, high] id bands, newest first: RANK_BAND ids, then each BAND_GROWTH times wider."""
    top = session.scalar(select(func.max(Article.id))) or 0
    bands, high, width = [(max(0, top - RANK_BAND), top)], max(0, top - RANK_BAND), RANK_BAND * BAND_GROWTH
    while high > 0:
        low = max(0, top - width)
        bands.append((low, high))
        high, width = low, width * BAND_GROWTH
    return bands


def _relevance_candidates(session: Session, query: SearchQuery, dialect: str) -> Iterator[Any]:
    """Matching keys by relevance: bm25 within recency bands (SQLite), ts_rank_cd (PostgreSQL)."""
    stmt, rank = _keys_select(query, dialect, "ix_articles_page_by_id")
    order = [*rank, *_date_order()]
    if dialect != "sqlite":
        yield from _chunks(session, stmt.order_by(*order))
        return
    from storage.search import FTS_TABLE

    for low, high in _bands(session):
        yield from _chunks(session, stmt.where(FTS_TABLE.c.rowid > low, FTS_TABLE.c.rowid <= high).order_by(*order))


def _chunks(session: Session, stmt: Any) -> Iterator[Any]:
    done, chunk = 0, FIRST_READ
    while True:
        rows = session.execute(stmt.limit(chunk).offset(done)).all()
        yield from rows
        if len(rows) < chunk:
            return
        done += chunk
        chunk = min(chunk * 4, 5000)


def choose_page(session: Session, query: SearchQuery, dialect: str, position: Position) -> Chosen:
    """The ids of the page that starts at ``position`` (or ``query.offset``), one per story unless expand."""
    by_date = query.sort == "newest" or not query.has_text()
    skip = 0 if position.keyset() else max(query.offset, position.shown)
    shown = max(query.offset, position.shown)
    if by_date:
        candidates = _date_candidates(session, query, dialect, position)
    else:
        candidates = _relevance_candidates(session, query, dialect)
    seen: set[int] = set()
    ids: list[int] = []
    last: Any = None
    groups: list[int] = []
    for row in candidates:
        if not query.expand:
            group = group_of(row, query.collapse)
            if group in seen:
                continue
            seen.add(group)
        if skip:
            skip -= 1
            continue
        if len(ids) == query.limit:  # one more exists: there is a next page
            return Chosen(ids, _next(last, shown + len(ids), by_date), shown)
        if query.expand or not position.keyset() or not _shown_before(session, query, dialect, position,
                                                                      group_of(row, query.collapse)):
            ids.append(row.id)
            last = row
            if not query.expand:
                groups.append(group_of(row, query.collapse))
    return Chosen(ids, None, shown)


def _next(row: Any, shown: int, by_date: bool) -> Position:
    return Position(shown=shown, published=row.published, id=row.id) if by_date else Position(shown=shown)


def _shown_before(session: Session, query: SearchQuery, dialect: str, position: Position, group: int) -> bool:
    """Whether a story already had its (newest) result on an earlier page of a keyset-paged search."""
    from storage.search import _matching

    column = (func.coalesce(Article.thread_id, Article.story_id, Article.duplicate_of, Article.id)
              if query.collapse == "thread" else func.coalesce(Article.story_id, Article.duplicate_of, Article.id))
    stmt = _matching(query, dialect, Article.id, fts="exists")[0]
    member = or_(Article.story_id == group, Article.duplicate_of == group, Article.id == group)
    if query.collapse == "thread":
        member = or_(Article.thread_id == group, member)
    newer = stmt.where(member, column == group, ~_after(position, dialect)).limit(1)
    return session.execute(newer).first() is not None


def count_results(session: Session, query: SearchQuery, dialect: str) -> tuple[int, bool]:
    """(total, exact): exact up to EXACT_COUNT matching articles, an estimate past it."""
    from storage.search import _matching

    key = Article.id if query.expand else func.coalesce(Article.story_id, Article.duplicate_of, Article.id)
    if query.collapse == "thread" and not query.expand:
        key = func.coalesce(Article.thread_id, Article.story_id, Article.duplicate_of, Article.id)
    index = "ix_articles_page_by_id" if query.has_text() else None
    stmt = _keys_select(query, dialect, index)[0].with_only_columns(key.label("key"), Article.id.label("id"))
    if dialect == "sqlite" and not query.has_text():
        stmt = stmt.with_hint(Article, "INDEXED BY ix_articles_page_by_id", "sqlite")
    top = session.scalar(select(func.max(Article.id))) or 0
    id_column = literal_column("articles_fts.rowid") if query.has_text() and dialect == "sqlite" else Article.id
    # Text: the full-text index lists the matches, at most EXACT_COUNT + 1 of them. Filters alone
    # walk an index of every article, so only the ids of COUNT_WINDOW * EXACT_COUNT articles.
    floor = 0 if query.has_text() else max(0, top - COUNT_WINDOW * EXACT_COUNT)
    counted = stmt.where(id_column > floor).limit(EXACT_COUNT + 1).subquery()
    rows, groups = session.execute(select(func.count(), func.count(counted.c.key.distinct()))).one()
    if rows <= EXACT_COUNT:
        if floor == 0:  # every match counted
            return int(groups), True
        return int(groups * top / (top - floor)), False  # every match of the window, scaled to the store
    low = max(0, top - EXACT_COUNT)  # more than EXACT_COUNT: scale the newest EXACT_COUNT ids' matches
    recent = stmt.where(id_column > low).limit(EXACT_COUNT + 1).subquery()
    recent_rows, recent_groups = session.execute(select(func.count(), func.count(recent.c.key.distinct()))).one()
    if recent_rows == 0:  # nothing recent to scale from: what was seen, at least
        return int(groups), False
    return max(int(recent_groups * top / (top - low)), int(groups)), False
