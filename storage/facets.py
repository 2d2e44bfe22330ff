"""Facets: exact counts of the articles a search matches, by country, outlet, language, action type,
event country, day or week, on SQLite and PostgreSQL.

The matching rows come from ``storage.search`` itself (its text match and filters), so a facet
counts exactly what the search finds. Counts are of articles, every copy included (the
search's story collapse does not apply); an article with several action types counts once
under each. Days and weeks are the publisher's own calendar day, as ``--since``/``--until`` read
it; a week is named by its Monday (YYYY-MM-DD); undated articles count under no day or week.
Action types are a JSON list, unnested with ``json_each`` (SQLite) or
``jsonb_array_elements_text`` (PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from storage.models import Article, Source
from storage.search import _LOCAL_DAY_SQL, QueryError, SearchQuery, _matching, _query_errors

__all__ = ["FACETS", "MAX_FACET_VALUES", "FacetValue", "facet_counts", "grouped_counts"]

FACETS = ("country", "source", "language", "protest_type", "event_country", "day", "week")
MAX_FACET_VALUES = 1000
# The Monday of the publisher's calendar week, as YYYY-MM-DD.
_LOCAL_WEEK_SQL = {
    "sqlite": f"date({_LOCAL_DAY_SQL['sqlite']}, '-6 days', 'weekday 1')",
    "postgresql": "to_char(date_trunc('week', articles.published + coalesce(articles.published_offset_minutes, 0) "
                  "* interval '1 minute'), 'YYYY-MM-DD')",
}


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def _dimension(name: str, dialect: str) -> Any:
    """The column a facet groups the matching rows by (protest_type is unnested after)."""
    columns: dict[str, Any] = {
        "country": Source.country, "source": Article.source_id, "language": Article.language,
        "event_country": Article.event_country, "protest_type": Article.protest_types,
        "day": literal_column(_LOCAL_DAY_SQL.get(dialect, "NULL")),
        "week": literal_column(_LOCAL_WEEK_SQL.get(dialect, "NULL")),
    }
    if name not in columns:
        raise QueryError(f"facet must be one of {', '.join(FACETS)}, not {name[:40]!r}")
    return columns[name]


def check_facets(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The facet names, validated (a QueryError names the known ones)."""
    for name in names:
        if name not in FACETS:
            raise QueryError(f"facet must be one of {', '.join(FACETS)}, not {name[:40]!r}")
    if not names:
        raise QueryError(f"name at least one facet: {', '.join(FACETS)}")
    return tuple(dict.fromkeys(names))


def _grouped_select(query: SearchQuery, names: tuple[str, ...], dialect: str) -> Any:
    matching = _matching(query, dialect, *(_dimension(n, dialect).label(f"d{i}") for i, n in enumerate(names)))[0]
    # Counted on the covering index of what facets group by (migration 0014), never the rows' text.
    matching = matching.with_hint(Article, "INDEXED BY ix_articles_page_by_id", "sqlite")
    rows = matching.subquery("matching")
    keys: list[Any] = []
    stmt = select().select_from(rows)
    for i, name in enumerate(names):
        column = rows.c[f"d{i}"]
        if name == "protest_type":  # one row per action type of each article
            if dialect == "postgresql":
                types = func.jsonb_array_elements_text(cast(column, JSONB)).table_valued("value").alias(f"t{i}")
            else:
                types = func.json_each(column).table_valued("value").alias(f"t{i}")
            stmt = stmt.join(types, literal_column("true"))
            column = types.c.value
        keys.append(column)
    counted = func.count().label("count")
    return (stmt.add_columns(*keys, counted).where(*(k.is_not(None) for k in keys))
            .group_by(*keys).order_by(counted.desc(), *keys))


def grouped_counts(engine: Engine, query: SearchQuery, names: tuple[str, ...],
                   limit: int | None = None) -> list[tuple[tuple[str, ...], int]]:
    """Exact counts of matching articles per combination of the named facets, largest first.

    e.g. ``grouped_counts(engine, query, ("week", "country"))`` -> [(("2026-11-16", "BO"), 12), ...]
    """
    names = check_facets(names)
    stmt = _grouped_select(query, names, engine.dialect.name)
    if limit is not None:
        stmt = stmt.limit(limit)
    with _query_errors(query), Session(engine) as session:
        return [(tuple(str(v) for v in row[:-1]), int(row[-1])) for row in session.execute(stmt)]


def facet_counts(engine: Engine, query: SearchQuery, names: tuple[str, ...] = FACETS,
                 limit: int = 50) -> dict[str, list[FacetValue]]:
    """Per facet, its ``limit`` most frequent values among the query's matches with exact counts.

    Days and weeks are listed in calendar order instead (a timeline), the latest ``limit``.
    """
    if not 1 <= limit <= MAX_FACET_VALUES:
        raise QueryError(f"facet limit must be between 1 and {MAX_FACET_VALUES}, not {limit}")
    result: dict[str, list[FacetValue]] = {}
    for name in check_facets(names):
        if name in ("day", "week"):
            counts = grouped_counts(engine, query, (name,))
            counts = sorted(counts)[-limit:]
        else:
            counts = grouped_counts(engine, query, (name,), limit=limit)
        result[name] = [FacetValue(key[0], count) for key, count in counts]
    return result
