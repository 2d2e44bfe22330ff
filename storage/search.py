"""The one query layer: the CLI, the HTTP API and the feeds all call ``search`` or ``search_page``.

User text is read in the plain syntax of ``storage.query_syntax`` by default: words matched
accent- and case-insensitively and by their es/pt/en stems (``storage.fulltext``; ``stem=False``
for the exact words only), ``"double quotes"`` for a phrase, a trailing ``*`` for a
prefix, ``OR``, ``NOT``/``-word`` and parentheses, written for FTS5 or tsquery with nothing
the user typed passed on as engine syntax. ``raw=True`` hands the text to the full-text
engine unchanged (FTS5 syntax on SQLite: NEAR, column:...). ``build_query`` turns what a person
or a URL gave (strings) into a validated ``SearchQuery``; every refusal is a ``QueryError``
saying how to write it. ``search_sql`` returns the exact SQL that ``search`` runs.

Results are collapsed to one per story, each with how many other outlets reported it, unless
``expand``; the page is chosen on keys alone and only its rows are read whole (``storage.paging``:
the orders, estimated totals, cursors); ``search_page`` adds the total, the next offset and cursor. ``_matching`` (text and filters) is shared with facets and exports, so they
count and write exactly what a search finds.
"""

from __future__ import annotations

import json
import re
from functools import reduce
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, Select, and_, column, exists, false, func, literal_column, not_, or_, select, table, text
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from storage import query_syntax
from storage.fulltext import pg_stem_query, query_stems, token_stems
from storage.models import Article, Source
from storage.paging import CursorError, Position, choose_page, count_results, decode_cursor, encode_cursor
from storage.query_syntax import MAX_LIMIT, MAX_QUERY_CHARACTERS, MAX_QUERY_WORDS, SyntaxProblem
from vocabulary.actions import ACTION_STEMS
from vocabulary.clock import local_time
from vocabulary.folding import fold
from vocabulary.places import place_names

__all__ = ["MAX_LIMIT", "MAX_QUERY_CHARACTERS", "MAX_QUERY_WORDS", "QueryError", "SearchHit", "SearchPage",
           "SearchQuery", "build_query", "search", "search_page", "search_sql"]

FTS_TABLE = table("articles_fts", column("rowid"))
_WORDS = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 16
_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
PROTEST_TYPES = tuple(ACTION_STEMS)
SORTS = ("relevance", "newest")
# UTC offsets run from -12:00 to +14:00: a local day lies within these bounds of the UTC day.
_EARLIEST_OFFSET, _LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# The publisher's calendar day of an article (its stored offset, else UTC), as YYYY-MM-DD.
_LOCAL_DAY_SQL = {
    "sqlite": "strftime('%Y-%m-%d', articles.published, "
              "printf('%+d minutes', coalesce(articles.published_offset_minutes, 0)))",
    "postgresql": "to_char(articles.published + coalesce(articles.published_offset_minutes, 0) "
                  "* interval '1 minute', 'YYYY-MM-DD')",
}


class QueryError(ValueError):
    """A search the user must fix; the message says how."""


def parse_zone(name: str) -> tzinfo:
    """An IANA zone (America/La_Paz), UTC, or a fixed offset such as -04:00."""
    offset = _OFFSET.match(name)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta > timedelta(hours=14):
            raise QueryError(f"time zone offset {name!r} is beyond ±14:00")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QueryError(f"unknown time zone {name[:40]!r}: give an IANA name such as America/La_Paz, "
                         "UTC, or an offset such as -04:00") from None


def _short(text: str, width: int = 60) -> str:
    """User text quoted in a message, cut so a long query is never echoed whole."""
    return repr(text if len(text) <= width else text[:width] + "…")


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    text: str = ""
    country: str | None = None
    language: str | None = None
    source: str | None = None
    # Publication days, inclusive: the publisher's own day (its stored UTC offset) unless ``tz``.
    since: date | None = None
    until: date | None = None
    tz: str | None = None  # read since/until in this zone for every article instead
    protest_only: bool = False
    event_country: str | None = None  # where the story happened (geotag), not the outlet's country
    protest_type: str | None = None  # one of PROTEST_TYPES: strike, blockade, march...
    place: str | None = None  # a city or first-level division, any spelling the gazetteer knows
    limit: int = 20
    offset: int = 0
    sort: Literal["relevance", "newest"] = "relevance"
    raw: bool = False
    # True: a word finds its other forms too (stems by language); False: only its exact form.
    stem: bool = True
    # False: one result per story (copies and other outlets' reports of the same event
    # collapsed into the best-ranked one, with counts); True: every matching article.
    expand: bool = False
    # What collapsed results stand for: a "story" (one event) or a "thread" (the stories of one
    # developing conflict over weeks or months).
    collapse: Literal["story", "thread"] = "story"
    thread: int | None = None  # only this thread's articles (expand a collapsed thread)
    # Where the page starts: a previous page's ``next_cursor`` (storage.paging), instead of ``offset``.
    cursor: str | None = None

    def __post_init__(self) -> None:
        try:
            if self.raw:
                query_syntax.check_length(self.text)
            else:
                query_syntax.parse(self.text)
        except SyntaxProblem as problem:
            raise QueryError(str(problem)) from None
        if self.country is not None and not _COUNTRY.match(self.country):
            raise QueryError(f"country must be an ISO 3166-1 alpha-2 code such as PE or BR, not {_short(self.country)}")
        if self.event_country is not None and not _COUNTRY.match(self.event_country):
            raise QueryError(f"event country must be an ISO 3166-1 alpha-2 code such as BO, not "
                             f"{_short(self.event_country)}")
        if self.protest_type is not None and self.protest_type not in PROTEST_TYPES:
            raise QueryError(f"protest type must be one of {', '.join(PROTEST_TYPES)}, not {_short(self.protest_type)}")
        if self.place is not None and not place_names(self.place):
            raise QueryError(f"unknown place {_short(self.place)}: give a city of 50,000+ people or a "
                             "state, province or department")
        if self.language is not None and not _LANGUAGE.match(self.language):
            raise QueryError(f"language must be an ISO 639-1 code such as es, pt or en, not {_short(self.language)}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.offset < 0:
            raise QueryError(f"offset must be 0 or more, not {self.offset}")
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since ({self.since}) is after until ({self.until})")
        if self.sort not in SORTS:
            raise QueryError(f"sort must be relevance or newest, not {_short(str(self.sort))}")
        if self.collapse not in ("story", "thread"):
            raise QueryError(f"collapse must be story, thread or none, not {_short(str(self.collapse))}")
        if self.tz is not None:
            parse_zone(self.tz)
        if self.cursor is not None:
            if self.offset:
                raise QueryError("give a cursor or an offset, not both: a cursor already says where the page starts")
            try:
                decode_cursor(self, self.cursor)
            except CursorError as problem:
                raise QueryError(str(problem)) from None

    def tree(self) -> query_syntax.Node | None:
        """The parsed plain-syntax text (None for raw text or no words)."""
        return None if self.raw else query_syntax.parse(self.text)

    def has_text(self) -> bool:
        return bool(self.text.strip()) if self.raw else self.tree() is not None

    def notes(self) -> list[str]:
        """What the plain syntax read literally that may have been meant as an operator."""
        return [] if self.raw else query_syntax.notes(self.text)

    def describe(self) -> str:
        """A human-readable summary, e.g. for a feed title."""
        parts = [f'"{self.text}"'] if self.text.strip() else ["all articles"]
        for label, value in (("country", self.country), ("event country", self.event_country),
                             ("protest type", self.protest_type), ("place", self.place),
                             ("language", self.language), ("source", self.source),
                             ("since", self.since), ("until", self.until), ("days in", self.tz)):
            if value:
                parts.append(f"{label} {value}")
        if self.protest_only:
            parts.append("protest only")
        if self.expand:
            parts.append("every copy")
        elif self.collapse == "thread":
            parts.append("one per thread")
        return ", ".join(parts)

    def params(self) -> dict[str, str]:
        """The HTTP API parameters of this search (what differs from the defaults), in a fixed order."""
        values: dict[str, Any] = {
            "q": " ".join(self.text.split()), "country": self.country, "lang": self.language,
            "source": self.source, "since": self.since, "until": self.until, "tz": self.tz,
            "protest": self.protest_only, "event_country": self.event_country,
            "protest_type": self.protest_type, "place": self.place, "sort": self.sort,
            "raw": self.raw, "expand": self.expand, "limit": self.limit, "offset": self.offset,
        }
        defaults = {"sort": "relevance", "limit": 20, "offset": 0}
        return {name: ("1" if value is True else str(value)) for name, value in values.items()
                if value not in (None, "", False) and defaults.get(name) != value}


def parse_day(value: date | datetime | str | None, name: str) -> date | None:
    """A day from YYYY-MM-DD text (or a date); None for none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"{name} must be a day as YYYY-MM-DD, not {_short(value)}") from None


def parse_count(value: int | str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, int):
        return value
    try:
        return int(value.strip())
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {_short(value)}") from None


def _code(value: str | None) -> str | None:
    return value.strip().upper() or None if value else None


def build_query(
    *, text: str | None = "", country: str | None = None, language: str | None = None, source: str | None = None,
    since: date | datetime | str | None = None, until: date | datetime | str | None = None, tz: str | None = None,
    protest_only: bool = False, event_country: str | None = None, protest_type: str | None = None,
    place: str | None = None, limit: int | str | None = None, offset: int | str | None = None,
    sort: str | None = None, default_sort: str = "relevance", raw: bool = False, expand: bool = False,
    collapse: str | None = None, thread: int | str | None = None, cursor: str | None = None,
) -> SearchQuery:
    """A validated query from what a person typed or a URL carried (strings or values); raises QueryError.

    The CLI and the HTTP API both build their queries here, so they refuse the same things alike.
    """
    collapse = (collapse or "story").strip().lower()
    if collapse == "none":  # every article: as expand
        collapse, expand = "story", True
    thread_id = parse_count(thread, "thread", 0) if thread not in (None, "") else None
    return SearchQuery(
        text=text or "", country=_code(country), language=(language or "").strip().lower() or None,
        source=(source or "").strip() or None, since=parse_day(since, "since"), until=parse_day(until, "until"),
        tz=(tz or "").strip() or None, protest_only=protest_only, event_country=_code(event_country),
        protest_type=(protest_type or "").strip().lower() or None, place=(place or "").strip() or None,
        limit=parse_count(limit, "limit", 20), offset=parse_count(offset, "offset", 0),
        sort=(sort or default_sort).strip().lower(), raw=raw, expand=expand,  # type: ignore[arg-type]
        collapse=collapse, thread=thread_id, cursor=(cursor or "").strip() or None,  # type: ignore[arg-type]
    )


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    id: int
    url: str
    canonical_url: str
    title: str
    subtitle: str | None
    published: datetime | None
    published_offset_minutes: int | None
    language: str | None
    source: str | None
    source_name: str | None
    country: str | None
    authors: list[str] = field(default_factory=list)
    protest: bool = False
    protest_score: float = 0.0
    protest_types: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    event_country: str | None = None
    countries: dict[str, float] = field(default_factory=dict)
    places: list[dict[str, Any]] = field(default_factory=list)
    snippet: str | None = None
    story_id: int | None = None
    # Articles stored for this story (this one included), and how many outlets other than
    # this hit's reported it: "also reported by N outlets".
    story_articles: int = 1
    also_reported_by: int = 0
    # When protestwire first stored it: the stable time of an undated article (feeds).
    first_seen: datetime | None = None
    # The developing story (thread) this article belongs to; with ``collapse="thread"`` the
    # counts above are the thread's.
    thread_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["published"] = self.published.isoformat() if self.published else None
        data["published_local"] = local_time(self.published, self.published_offset_minutes)
        data["first_seen"] = self.first_seen.isoformat() if self.first_seen else None
        return data


@dataclass(frozen=True, kw_only=True)
class SearchPage:
    """One page of results and how many there are in all (stories, or articles with ``expand``)."""

    hits: list[SearchHit]
    total: int
    # False: more than storage.paging.EXACT_COUNT articles matched and ``total`` is an estimate ("about")
    total_exact: bool
    offset: int
    # Whether a page follows (None: judged from the total), and the cursor that starts it.
    more: bool | None = None
    next_cursor: str | None = None

    @property
    def next_offset(self) -> int | None:
        """The offset of the next page; None on the last page."""
        end = self.offset + len(self.hits)
        if self.more is not None:
            return end if self.more else None
        return end if self.hits and (end < self.total or not self.total_exact) else None


def fts_match_expression(user_text: str, *, stem: bool = True) -> str:
    """FTS5 MATCH text for what a person typed (the plain syntax); "" when it has no words."""
    tree = query_syntax.parse(user_text)
    return query_syntax.to_fts5(tree, stem=stem) if tree else ""


def tsquery_expression(user_text: str) -> str:
    """The PostgreSQL to_tsquery text of the exact words (folded like the indexed text), no stems."""
    tree = query_syntax.parse(user_text)
    return query_syntax.to_tsquery(tree) if tree else ""


def _day_start(day: date, zone: tzinfo = timezone.utc) -> datetime:
    return datetime.combine(day, time.min, zone)


_SEARCH_VECTOR: Any = literal_column("articles.search_vector")  # exact words, 'simple' (migration 0002)
_STEM_VECTOR: Any = literal_column("articles.stem_vector")  # stems by the article's language (0012)


def _any_tsquery(queries: list[Any]) -> Any:
    """tsqueries joined by tsquery's OR operator (||)."""
    return reduce(lambda left, right: left.op("||")(right), queries)


def _pg_stems(term: query_syntax.Term) -> Any:
    """The tsquery of a word's stems: each es/pt/en configuration's, as typed and without accents."""
    return _any_tsquery([func.plainto_tsquery(literal_column(f"'{config}'"), form)
                         for config, form in pg_stem_query(term.typed[0])])


def _pg_condition(node: query_syntax.Node, stem: bool) -> Any:
    """The plain-syntax tree as PostgreSQL conditions: exact words on search_vector, stems on stem_vector."""
    if isinstance(node, query_syntax.Term):
        exact = _SEARCH_VECTOR.op("@@")(func.to_tsquery(literal_column("'simple'"), query_syntax.to_tsquery(node)))
        return or_(exact, _STEM_VECTOR.op("@@")(_pg_stems(node))) if stem and node.stemmed else exact
    if isinstance(node, query_syntax.AnyOf):
        return or_(*(_pg_condition(part, stem) for part in node.parts))
    # An article not stemmed yet (stem_vector null until init fills it) makes a stem condition
    # null: its NOT must still keep the article, so null counts as no match there.
    return and_(*(_pg_condition(part, stem) for part in node.parts),
                *(not_(func.coalesce(_pg_condition(part, stem), false())) for part in node.excluded))


def _wanted_terms(node: query_syntax.Node) -> list[query_syntax.Term]:
    """The terms to find (not the excluded ones), for ranking."""
    if isinstance(node, query_syntax.Term):
        return [node]
    return [term for part in node.parts for term in _wanted_terms(part)]


def _pg_text_match(query: SearchQuery) -> tuple[Any, list[Any]]:
    if query.raw:
        tsquery = func.websearch_to_tsquery(literal_column("'simple'"), func.protestwire_fold(query.text))
        return _SEARCH_VECTOR.op("@@")(tsquery), [func.ts_rank_cd(_SEARCH_VECTOR, tsquery).desc()]
    tree = query.tree()
    assert tree is not None
    rank: Any = func.ts_rank_cd(_SEARCH_VECTOR, func.to_tsquery(literal_column("'simple'"),
                                                                 query_syntax.to_tsquery(tree)))
    stemmed = [_pg_stems(term) for term in _wanted_terms(tree) if term.stemmed] if query.stem else []
    if stemmed:  # the forms found through stems count as well as the exact words
        rank = rank + func.ts_rank_cd(_STEM_VECTOR, _any_tsquery(stemmed))
    return _pg_condition(tree, query.stem), [rank.desc()]


def _text_match(query: SearchQuery, dialect: str) -> tuple[Any, list[Any], Any]:
    """The backend's full-text condition, its ranking and its snippet column."""
    if dialect == "sqlite":
        match = query.text if query.raw else fts_match_expression(query.text, stem=query.stem)
        snippet: Any = literal_column("snippet(articles_fts, 2, '[', ']', '…', 16)")
        rank: Any = literal_column("bm25(articles_fts, 5.0, 2.0, 1.0, 1.0)")
        return text("articles_fts MATCH :match").bindparams(match=match), [rank], snippet
    if dialect == "postgresql":
        condition, ranks = _pg_text_match(query)
        return condition, ranks, literal_column("NULL")
    raise QueryError(f"full-text search is not available on {dialect}; use filters without text")


def _day_conditions(query: SearchQuery, dialect: str) -> list[Any]:
    """since/until, inclusive: each article's own calendar day, or every article's day in ``tz``."""
    conditions: list[Any] = []
    if query.tz:
        zone = parse_zone(query.tz)
        if query.since:
            conditions.append(Article.published >= _day_start(query.since, zone))
        if query.until:
            conditions.append(Article.published < _day_start(query.until + timedelta(days=1), zone))
        return conditions
    local_day = _LOCAL_DAY_SQL.get(dialect)
    # The UTC range any local day can fall in keeps the index on published in use.
    if query.since:
        conditions.append(Article.published >= _day_start(query.since) - _LATEST_OFFSET)
        if local_day:
            conditions.append(text(f"{local_day} >= :since_day").bindparams(since_day=query.since.isoformat()))
    if query.until:
        conditions.append(Article.published < _day_start(query.until + timedelta(days=1)) - _EARLIEST_OFFSET)
        if local_day:
            conditions.append(text(f"{local_day} <= :until_day").bindparams(until_day=query.until.isoformat()))
    return conditions


def filter_conditions(query: SearchQuery, dialect: str = "sqlite") -> list[Any]:
    """The query's filters other than text, as SQL conditions (``Source`` must be joined for country)."""
    conditions: list[Any] = []
    if query.country:
        conditions.append(Source.country == query.country)
    if query.language:
        conditions.append(Article.language == query.language)
    if query.source:
        conditions.append(Article.source_id == query.source)
    conditions += _day_conditions(query, dialect)
    if query.protest_only:
        conditions.append(Article.protest.is_(True))
    if query.event_country:
        conditions.append(Article.event_country == query.event_country)
    if query.protest_type:
        conditions.append(_json_list_has("protest_types", query.protest_type, dialect, "ptype"))
    if query.place:
        conditions.append(or_(*(_place_is(name, dialect, f"place{i}")
                                for i, name in enumerate(place_names(query.place)))))
    if query.thread is not None:
        conditions.append(Article.thread_id == query.thread)
    return conditions


def _matching(query: SearchQuery, dialect: str, *columns: Any,
              fts: Literal["join", "in", "exists"] = "join") -> tuple[Select[Any], list[Any], Any]:
    """``columns`` of the matching rows, unordered: (statement, text ranking, snippet column).

    On SQLite the full-text index is joined (``fts="join"``: ranked, driven by the index), or
    asked for its matching rowids as a list (``"in"``: rows walked in another index's order) or
    row by row (``"exists"``: a few known rows)."""
    stmt = select(*columns).select_from(Article).outerjoin(Source, Article.source_id == Source.id)
    conditions = filter_conditions(query, dialect)
    rank: list[Any] = []
    snippet: Any = literal_column("NULL")
    if query.has_text():
        matches, rank, snippet = _text_match(query, dialect)
        if dialect == "sqlite" and fts == "join":
            stmt = stmt.join(FTS_TABLE, FTS_TABLE.c.rowid == Article.id)
        elif dialect == "sqlite" and fts == "in":
            matches = Article.id.in_(select(FTS_TABLE.c.rowid).where(matches))
        elif dialect == "sqlite":
            matches = exists().where(FTS_TABLE.c.rowid == Article.id, matches)
        conditions.append(matches)
    return stmt.where(and_(True, *conditions)), rank, snippet


def build_select(query: SearchQuery, dialect: str = "sqlite", *, paged: bool = True) -> Select[Any]:
    """The search statement; ``paged=False`` leaves out limit and offset (collapsing pages after)."""
    stmt, rank, snippet = _matching(query, dialect, Article, Source.name, Source.country)
    order = rank if query.sort == "relevance" else []
    stmt = stmt.add_columns(snippet.label("snippet")).order_by(
        *order, Article.published.desc().nulls_last(), Article.id.desc())
    return stmt.limit(query.limit).offset(query.offset) if paged else stmt


def _json_list_has(name: str, value: str, dialect: str, param: str) -> Any:
    """``value`` is one of the strings in the JSON list column ``articles.<name>``."""
    if dialect == "postgresql":
        return text(f"CAST(articles.{name} AS jsonb) @> CAST(:{param} AS jsonb)").bindparams(
            **{param: json.dumps([value])})
    return text(f"EXISTS (SELECT 1 FROM json_each(articles.{name}) WHERE json_each.value = :{param})").bindparams(
        **{param: value})


def _place_is(place: str, dialect: str, param: str) -> Any:
    """One of the article's places has this exact name."""
    if dialect == "postgresql":
        return text(f"CAST(articles.places AS jsonb) @> CAST(:{param} AS jsonb)").bindparams(
            **{param: json.dumps([{"name": place}])})
    return text(f"EXISTS (SELECT 1 FROM json_each(articles.places) "
                f"WHERE json_extract(json_each.value, '$.name') = :{param})").bindparams(**{param: place})


def search_sql(engine: Engine, query: SearchQuery) -> str:
    """The SQL of every result of ``query`` in its order, with its parameters filled in.

    ``search`` reads the same matches a page at a time on keys alone (``storage.paging``), and
    ranks by relevance within bands of recency on SQLite.
    """
    stmt = build_select(query, engine.dialect.name, paged=query.expand)
    return str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))


def group_key(article: Article, collapse: str = "story") -> int:
    """What collapsed results are grouped by: the thread (``collapse="thread"``) or the story, else
    the canonical copy, else the article."""
    if collapse == "thread" and article.thread_id:
        return article.thread_id
    return article.story_id or article.duplicate_of or article.id


def _story_counts(session: Session, story_ids: set[int],
                  collapse: str = "story") -> dict[int, tuple[int, set[str | None]]]:
    """Per story (or thread): articles stored and the outlets that published them."""
    counts: dict[int, tuple[int, set[str | None]]] = {}
    if not story_ids:
        return counts
    group = Article.thread_id if collapse == "thread" else Article.story_id
    rows = session.execute(
        select(group, Article.source_id, func.count()).where(group.in_(story_ids)).group_by(group, Article.source_id)
    )
    for story_id, source_id, number in rows:
        total, sources = counts.get(story_id, (0, set()))
        sources.add(source_id)
        counts[story_id] = (total + number, sources)
    return counts


def _engine_problem(query: SearchQuery, message: str) -> str | None:
    """What the full-text engine's complaint about the query text means, and how to write it."""
    if not query.text.strip():
        return None
    if "unterminated string" in message:
        explanation = 'a "phrase" has no closing quote: add the closing "'
    elif message.startswith("no such column:"):
        name = message.partition(":")[2].strip()
        explanation = (f'"{name}:" reads as a column filter, and the index has only title, subtitle and body: '
                       f'put text with a colon in "double quotes"')
    elif "fts5: syntax error" in message:
        explanation = (f"{message.removeprefix('fts5: ')}: OR, AND and NOT need a term on each side, "
                       f'parentheses must balance, and punctuation belongs inside "double quotes"')
    elif "fts5" in message or "MATCH" in message or "tsquery" in message:
        explanation = message
    else:
        return None
    if query.raw:
        return (f"cannot search for {_short(query.text)} with --raw: {explanation}; "
                "or drop --raw for the plain syntax (words, \"phrases\", prefix*, OR, NOT, -word, parentheses)")
    return f"cannot search for {_short(query.text)}: {explanation}"


@contextmanager
def _query_errors(query: SearchQuery) -> Iterator[None]:
    """The engine's refusals of the query text as QueryErrors; other database errors pass."""
    try:
        yield
    except (OperationalError, ProgrammingError, DataError) as exc:
        lines = str(exc.orig).strip().splitlines()
        problem = _engine_problem(query, lines[0] if lines else "")
        if problem:
            raise QueryError(problem) from exc
        raise


def _snippet_terms(query: SearchQuery) -> list[str]:
    if query.raw:
        return [w for w in _WORDS.findall(fold(query.text)) if w not in ("or", "and", "not", "near")]
    return query_syntax.terms(query.tree())


def _page_rows(session: Session, query: SearchQuery, dialect: str, ids: list[int]) -> list[Any]:
    """The chosen articles whole, in the page's order, with their snippets."""
    if not ids:
        return []
    stmt = select(Article, Source.name, Source.country).outerjoin(Source, Article.source_id == Source.id)
    rows = session.execute(stmt.where(Article.id.in_(ids))).all()
    snippets: dict[int, str | None] = {}
    if query.has_text() and dialect == "sqlite":  # FTS5's own, asked for these rowids alone
        match, _, snippet = _text_match(query, dialect)
        found = select(FTS_TABLE.c.rowid, snippet).where(match, FTS_TABLE.c.rowid.in_(ids))
        snippets = dict(session.execute(found).all())  # type: ignore[arg-type]
    by_id = {row[0].id: (*row, snippets.get(row[0].id)) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _page_hits(session: Session, query: SearchQuery, dialect: str) -> tuple[list[SearchHit], Any]:
    position = decode_cursor(query, query.cursor) if query.cursor else Position()
    chosen = choose_page(session, query, dialect, position)
    rows = _page_rows(session, query, dialect, chosen.ids)
    return _hits_of(session, query, dialect, rows), chosen


def _hits_of(session: Session, query: SearchQuery, dialect: str, rows: list[Any]) -> list[SearchHit]:
    by_thread = query.collapse == "thread" and not query.expand
    key = (lambda a: a.thread_id) if by_thread else (lambda a: a.story_id)
    counts = _story_counts(session, {key(r[0]) for r in rows if key(r[0])}, "thread" if by_thread else "story")
    hits = [_hit(row, counts, by_thread) for row in rows]
    if not query.has_text():
        return hits
    terms, stems = _snippet_terms(query), _snippet_stems(query)
    # FTS5's snippet marks the body's exact words only: an article found by its stems alone gets one here.
    return [replace(h, snippet=make_snippet(r[0].body, terms, stems=stems, language=h.language))
            if dialect != "sqlite" or (stems and "[" not in (h.snippet or "")) else h for h, r in zip(hits, rows)]


def _snippet_stems(query: SearchQuery) -> frozenset[str]:
    """The stems the query's words match by (none for raw text or ``stem=False``)."""
    tree = query.tree()
    if tree is None or not query.stem:
        return frozenset()
    return frozenset(stem for term in _wanted_terms(tree) if term.stemmed for stem in query_stems(term.typed[0]))


def search(engine: Engine, query: SearchQuery) -> list[SearchHit]:
    """The query's page of results (see ``search_page`` for the page with its total)."""
    with _query_errors(query), Session(engine) as session:
        return _page_hits(session, query, engine.dialect.name)[0]


def search_page(engine: Engine, query: SearchQuery) -> SearchPage:
    """The query's page of results with the total (exact when cheap, else an estimate: storage.paging)
    and the cursor of the next page."""
    with _query_errors(query), Session(engine) as session:
        hits, chosen = _page_hits(session, query, engine.dialect.name)
        total, exact = count_results(session, query, engine.dialect.name)
    shown = chosen.shown + len(hits)  # a total never says less than what was shown
    next_cursor = encode_cursor(query, chosen.after) if chosen.after is not None else None
    return SearchPage(hits=hits, total=max(total, shown), total_exact=exact, offset=chosen.shown,
                      more=chosen.after is not None, next_cursor=next_cursor)


def latest_change(engine: Engine) -> datetime | None:
    """When the newest stored article was first seen: a stable stamp for a feed with no dated entry."""
    with Session(engine) as session:
        return session.scalar(select(Article.first_seen).order_by(Article.id.desc()).limit(1))


def make_snippet(body: str, terms: list[str], width: int = SNIPPET_WORDS, *, stems: frozenset[str] = frozenset(),
                 language: str | None = None) -> str | None:
    """Words around the first match of any term, matches in [brackets] (for engines without one):
    words starting with a term, or with one of ``stems`` as their stem in ``language``."""
    words = body.split()
    wanted = [w for term in terms for w in _WORDS.findall(term)]
    cores = [_EDGE_PUNCTUATION.match(word) for word in words]
    stemmed = token_stems(words, language) if stems else [frozenset[str]()] * len(words)
    marks = {i for i, m in enumerate(cores) if m and (any(fold(m.group(2)).startswith(w) for w in wanted)
                                                      or not stems.isdisjoint(stemmed[i]))}
    if not marks:
        return None
    start = max(0, min(marks) - width // 3)
    shown = [
        f"{cores[i].group(1)}[{cores[i].group(2)}]{cores[i].group(3)}" if i in marks else words[i]  # type: ignore[union-attr]
        for i in range(start, min(start + width, len(words)))
    ]
    return ("…" if start else "") + " ".join(shown) + ("…" if start + width < len(words) else "")


def _hit(row: Any, counts: dict[int, tuple[int, set[str | None]]], by_thread: bool = False) -> SearchHit:
    article: Article = row[0]
    group = article.thread_id if by_thread else article.story_id
    total, sources = counts.get(group or -1, (1, {article.source_id}))
    return SearchHit(
        id=article.id, url=article.url, canonical_url=article.canonical_url, title=article.title,
        subtitle=article.subtitle, published=article.published,
        published_offset_minutes=article.published_offset_minutes, language=article.language,
        source=article.source_id, source_name=row[1], country=row[2], authors=list(article.authors or []),
        protest=article.protest, protest_score=article.protest_score,
        protest_types=list(article.protest_types or []), duplicate_of=article.duplicate_of,
        event_country=article.event_country, countries=dict(article.countries or {}),
        places=list(article.places or []), snippet=row[3],
        story_id=article.story_id, story_articles=total, also_reported_by=len(sources - {article.source_id}),
        first_seen=article.first_seen, thread_id=article.thread_id,
    )
