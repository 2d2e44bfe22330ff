"""The one query layer: CLI, feeds (and later the web page and HTTP API) all call ``search``.

User text is escaped by default: words are matched accent- and case-insensitively,
``"double quotes"`` make a phrase and a trailing ``*`` a prefix. ``raw=True`` hands
the text to the full-text engine unchanged (FTS5 syntax: OR, NOT, NEAR, column:...).
``search_sql`` returns the exact SQL that ``search`` runs, so it can be printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

import json

from sqlalchemy import Engine, Select, and_, column, func, literal_column, or_, select, table, text
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from pipeline.classify import ACTION_STEMS, fold
from pipeline.geotag import place_names
from pipeline.types import local_time
from storage.models import Article, Source

MAX_LIMIT = 1000
# Rows fetched at a time while collapsing results into stories.
READ_CHUNK = 200
FTS_TABLE = table("articles_fts", column("rowid"))
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_WORDS = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 16
_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
PROTEST_TYPES = tuple(ACTION_STEMS)


class QueryError(ValueError):
    """A search the user must fix; the message says how."""


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    text: str = ""
    country: str | None = None
    language: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None
    protest_only: bool = False
    event_country: str | None = None  # where the story happened (geotag), not the outlet's country
    protest_type: str | None = None  # one of PROTEST_TYPES: strike, blockade, march...
    place: str | None = None  # a city or first-level division, any spelling the gazetteer knows
    limit: int = 20
    offset: int = 0
    sort: Literal["relevance", "newest"] = "relevance"
    raw: bool = False
    # False: one result per story (copies and other outlets' reports of the same event
    # collapsed into the best-ranked one, with counts); True: every matching article.
    expand: bool = False
    # What collapsed results stand for: a "story" (one event) or a "thread" (the stories of one
    # developing conflict over weeks or months).
    collapse: Literal["story", "thread"] = "story"
    thread: int | None = None  # only this thread's articles (expand a collapsed thread)

    def __post_init__(self) -> None:
        if self.country is not None and not _COUNTRY.match(self.country):
            raise QueryError(f"country must be an ISO 3166-1 alpha-2 code such as PE or BR, not {self.country!r}")
        if self.event_country is not None and not _COUNTRY.match(self.event_country):
            raise QueryError(f"event country must be an ISO 3166-1 alpha-2 code such as BO, not {self.event_country!r}")
        if self.protest_type is not None and self.protest_type not in PROTEST_TYPES:
            raise QueryError(f"protest type must be one of {', '.join(PROTEST_TYPES)}, not {self.protest_type!r}")
        if self.place is not None and not place_names(self.place):
            raise QueryError(f"unknown place {self.place!r}: give a city of 50,000+ people or a "
                             "state, province or department")
        if self.language is not None and not _LANGUAGE.match(self.language):
            raise QueryError(f"language must be an ISO 639-1 code such as es, pt or en, not {self.language!r}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if self.offset < 0:
            raise QueryError("offset must be 0 or more")
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since ({self.since}) is after until ({self.until})")
        if self.sort not in ("relevance", "newest"):
            raise QueryError("sort must be relevance or newest")
        if self.collapse not in ("story", "thread"):
            raise QueryError("collapse must be story, thread or none")

    def describe(self) -> str:
        """A human-readable summary, e.g. for a feed title."""
        parts = [f'"{self.text}"'] if self.text.strip() else ["all articles"]
        for label, value in (("country", self.country), ("event country", self.event_country),
                             ("protest type", self.protest_type), ("place", self.place),
                             ("language", self.language), ("source", self.source),
                             ("since", self.since), ("until", self.until)):
            if value:
                parts.append(f"{label} {value}")
        if self.protest_only:
            parts.append("protest only")
        if self.thread is not None:
            parts.append(f"thread {self.thread}")
        if self.expand:
            parts.append("every copy")
        elif self.collapse == "thread":
            parts.append("one per thread")
        return ", ".join(parts)


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
    # The developing story (thread) this article belongs to; with ``collapse="thread"`` the
    # counts above are the thread's.
    thread_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["published"] = self.published.isoformat() if self.published else None
        data["published_local"] = local_time(self.published, self.published_offset_minutes)
        return data


def _terms(user_text: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) pairs of what a person typed; a quoted phrase is one term."""
    terms = []
    for phrase, word in _TOKENS.findall(user_text):
        token = phrase if phrase else word
        prefix = not phrase and token.endswith("*") and len(token) > 1
        token = (token.rstrip("*") if prefix else token).strip()
        if token:
            terms.append((token, prefix))
    return terms


def fts_match_expression(user_text: str) -> str:
    """FTS5 MATCH text for what a person typed: every word required, quotes kept as phrases."""
    return " ".join('"' + t.replace('"', '""') + '"' + ("*" if p else "") for t, p in _terms(user_text))


def tsquery_expression(user_text: str) -> str:
    """The PostgreSQL to_tsquery text for the same rules (words folded like the indexed text)."""
    parts = []
    for term, prefix in _terms(user_text):
        words = [w for w in _WORDS.findall(fold(term))]
        if words:
            parts.append(" <-> ".join(words) + (":*" if prefix else ""))
    return " & ".join(f"({p})" for p in parts)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.utc)


def _fulltext(stmt: Select[Any], query: SearchQuery, dialect: str) -> tuple[Select[Any], Any, list[Any]]:
    """Join the backend's full-text index: (statement with a snippet column, condition, ordering)."""
    if dialect == "sqlite":
        match = query.text if query.raw else fts_match_expression(query.text)
        stmt = stmt.add_columns(
            literal_column("snippet(articles_fts, 2, '[', ']', '…', 16)").label("snippet")
        ).join(FTS_TABLE, FTS_TABLE.c.rowid == Article.id)
        rank = literal_column("bm25(articles_fts, 5.0, 2.0, 1.0)")
        return stmt, text("articles_fts MATCH :match").bindparams(match=match), [rank]
    if dialect == "postgresql":
        if query.raw:
            tsquery = func.websearch_to_tsquery(literal_column("'simple'"), func.protestwire_fold(query.text))
        else:
            tsquery = func.to_tsquery(literal_column("'simple'"), tsquery_expression(query.text))
        vector = literal_column("articles.search_vector")
        stmt = stmt.add_columns(literal_column("NULL").label("snippet"))
        return stmt, vector.op("@@")(tsquery), [func.ts_rank_cd(vector, tsquery).desc()]
    raise QueryError(f"full-text search is not available on {dialect}; use filters without text")


def filter_conditions(query: SearchQuery, dialect: str = "sqlite") -> list[Any]:
    """The query's filters other than text, as SQL conditions (``Source`` must be joined for country)."""
    conditions: list[Any] = []
    if query.country:
        conditions.append(Source.country == query.country)
    if query.language:
        conditions.append(Article.language == query.language)
    if query.source:
        conditions.append(Article.source_id == query.source)
    if query.since:
        conditions.append(Article.published >= _day_start(query.since))
    if query.until:  # inclusive: the whole "until" day counts
        conditions.append(Article.published < _day_start(query.until + timedelta(days=1)))
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


def build_select(query: SearchQuery, dialect: str = "sqlite", *, paged: bool = True) -> Select[Any]:
    """The search statement; ``paged=False`` leaves out limit and offset (collapsing pages after)."""
    stmt = select(Article, Source.name, Source.country).outerjoin(Source, Article.source_id == Source.id)
    conditions = filter_conditions(query, dialect)
    order: list[Any] = []
    if _terms(query.text) or (query.raw and query.text.strip()):
        stmt, matches, rank = _fulltext(stmt, query, dialect)
        conditions.append(matches)
        if query.sort == "relevance":
            order = rank
    else:
        stmt = stmt.add_columns(literal_column("NULL").label("snippet"))
    order += [Article.published.desc().nulls_last(), Article.id.desc()]
    stmt = stmt.where(and_(True, *conditions)).order_by(*order)
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
    """The SQL ``search`` runs for ``query``, with its parameters filled in.

    Collapsed searches read this statement's rows in order until the page has its stories.
    """
    stmt = build_select(query, engine.dialect.name, paged=query.expand)
    return str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))


def group_key(article: Article, collapse: str = "story") -> int:
    """What collapsed results are grouped by: the thread (``collapse="thread"``) or the story, else
    the canonical copy, else the article."""
    if collapse == "thread" and article.thread_id:
        return article.thread_id
    return article.story_id or article.duplicate_of or article.id


def _collapsed_rows(session: Session, query: SearchQuery, dialect: str) -> list[Any]:
    """The page's rows, one per story: the best-ranked match of each, read in order until enough."""
    stmt = build_select(query, dialect, paged=False).execution_options(yield_per=READ_CHUNK)
    seen: set[int] = set()
    page: list[Any] = []
    for row in session.execute(stmt):
        key = group_key(row[0], query.collapse)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > query.offset:
            page.append(row)
            if len(page) >= query.limit:
                break
    return page


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


def search(engine: Engine, query: SearchQuery) -> list[SearchHit]:
    try:
        with Session(engine) as session:
            if query.expand:
                rows = session.execute(build_select(query, engine.dialect.name)).all()
            else:
                rows = _collapsed_rows(session, query, engine.dialect.name)
            by_thread = query.collapse == "thread" and not query.expand
            key = (lambda a: a.thread_id) if by_thread else (lambda a: a.story_id)
            counts = _story_counts(session, {key(r[0]) for r in rows if key(r[0])}, "thread" if by_thread else "story")
    except (OperationalError, ProgrammingError, DataError) as exc:
        message = str(exc.orig).strip().splitlines()[0]
        if any(word in message for word in ("fts5", "MATCH", "syntax error", "tsquery")):
            hint = " (drop --raw to search the words as typed)" if query.raw else ""
            raise QueryError(f"cannot search for {query.text!r}: {message}{hint}") from exc
        raise
    hits = [_hit(row, counts, by_thread) for row in rows]
    if engine.dialect.name != "sqlite" and query.text.strip():
        terms = [fold(t) for t, _ in _terms(query.text)] or [fold(query.text)]
        hits = [replace(h, snippet=make_snippet(body, terms)) for h, body in zip(hits, (r[0].body for r in rows))]
    return hits


def make_snippet(body: str, terms: list[str], width: int = SNIPPET_WORDS) -> str | None:
    """Words around the first match of any term, matches in [brackets] (for engines without one)."""
    words = body.split()
    wanted = [w for term in terms for w in _WORDS.findall(term)]
    cores = [_EDGE_PUNCTUATION.match(word) for word in words]
    marks = {i for i, m in enumerate(cores) if m and any(fold(m.group(2)).startswith(w) for w in wanted)}
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
        thread_id=article.thread_id,
    )
