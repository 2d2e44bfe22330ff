"""The one query layer: CLI, feeds (and later the web page and HTTP API) all call ``search``.

User text is escaped by default: words are matched accent- and case-insensitively,
``"double quotes"`` make a phrase and a trailing ``*`` a prefix. ``raw=True`` hands
the text to the full-text engine unchanged (FTS5 syntax: OR, NOT, NEAR, column:...).
``search_sql`` returns the exact SQL that ``search`` runs, so it can be printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import Engine, Select, and_, column, literal_column, select, table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from storage.models import Article, Source

MAX_LIMIT = 1000
FTS_TABLE = table("articles_fts", column("rowid"))
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


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
    limit: int = 20
    offset: int = 0
    sort: Literal["relevance", "newest"] = "relevance"
    raw: bool = False

    def __post_init__(self) -> None:
        if self.country is not None and not _COUNTRY.match(self.country):
            raise QueryError(f"country must be an ISO 3166-1 alpha-2 code such as PE or BR, not {self.country!r}")
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

    def describe(self) -> str:
        """A human-readable summary, e.g. for a feed title."""
        parts = [f'"{self.text}"'] if self.text.strip() else ["all articles"]
        for label, value in (("country", self.country), ("language", self.language), ("source", self.source),
                             ("since", self.since), ("until", self.until)):
            if value:
                parts.append(f"{label} {value}")
        if self.protest_only:
            parts.append("protest only")
        return ", ".join(parts)


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    id: int
    url: str
    canonical_url: str
    title: str
    subtitle: str | None
    published: datetime | None
    language: str | None
    source: str | None
    source_name: str | None
    country: str | None
    authors: list[str] = field(default_factory=list)
    protest: bool = False
    protest_score: float = 0.0
    protest_types: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    snippet: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["published"] = self.published.isoformat() if self.published else None
        return data


def fts_match_expression(user_text: str) -> str:
    """FTS5 MATCH text for what a person typed: every word required, quotes kept as phrases."""
    terms = []
    for phrase, word in _TOKENS.findall(user_text):
        token = phrase if phrase else word
        prefix = not phrase and token.endswith("*") and len(token) > 1
        token = token.rstrip("*") if prefix else token
        token = token.strip()
        if not token:
            continue
        quoted = '"' + token.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    return " ".join(terms)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.utc)


def build_select(query: SearchQuery, dialect: str = "sqlite") -> Select[Any]:
    stmt = select(Article, Source.name, Source.country).outerjoin(Source, Article.source_id == Source.id)
    conditions = []
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
    match = query.text if query.raw else fts_match_expression(query.text)
    if match.strip():
        if dialect != "sqlite":
            raise QueryError(f"full-text search is not available on {dialect} yet; use filters without text")
        stmt = stmt.add_columns(
            literal_column("snippet(articles_fts, 2, '[', ']', '…', 16)").label("snippet")
        ).join(FTS_TABLE, FTS_TABLE.c.rowid == Article.id)
        conditions.append(text("articles_fts MATCH :match").bindparams(match=match))
        order = [literal_column("bm25(articles_fts, 5.0, 2.0, 1.0)")] if query.sort == "relevance" else []
    else:
        stmt = stmt.add_columns(literal_column("NULL").label("snippet"))
        order = []
    order += [Article.published.desc().nulls_last(), Article.id.desc()]
    return stmt.where(and_(True, *conditions)).order_by(*order).limit(query.limit).offset(query.offset)


def search_sql(engine: Engine, query: SearchQuery) -> str:
    """The SQL ``search`` runs for ``query``, with its parameters filled in."""
    stmt = build_select(query, engine.dialect.name)
    return str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))


def search(engine: Engine, query: SearchQuery) -> list[SearchHit]:
    stmt = build_select(query, engine.dialect.name)
    try:
        with Session(engine) as session:
            rows = session.execute(stmt).all()
    except OperationalError as exc:
        message = str(exc.orig)
        if "fts5" in message or "MATCH" in message or "syntax error" in message:
            hint = " (drop --raw to search the words as typed)" if query.raw else ""
            raise QueryError(f"cannot search for {query.text!r}: {message}{hint}") from exc
        raise
    return [_hit(row) for row in rows]


def _hit(row: Any) -> SearchHit:
    article: Article = row[0]
    return SearchHit(
        id=article.id, url=article.url, canonical_url=article.canonical_url, title=article.title,
        subtitle=article.subtitle, published=article.published, language=article.language,
        source=article.source_id, source_name=row[1], country=row[2], authors=list(article.authors or []),
        protest=article.protest, protest_score=article.protest_score,
        protest_types=list(article.protest_types or []), duplicate_of=article.duplicate_of, snippet=row[3],
    )
