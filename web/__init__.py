"""HTTP API and feeds over the same query layer as the CLI (Starlette; `protestwire serve`).

Routes (GET):
  /api/search      JSON: {"query": {...}, "count": n, "total": n, "total_exact": bool,
                   "offset": n, "next_offset": n | null, "notes": [...], "results": [hit, ...]}
  /api/events      JSON: {"count": n, "offset": n, "next_offset": n | null, "results": [event, ...]}: the
                   event records (docs/EVENTS.md) of the stories matching the same filters, by start date
  /feeds/search.atom, /feeds/search.rss   the same search as a feed (newest first unless sort)
  /healthz         {"status": "ok"} when the store answers a read of its articles and full-text
                   index; else 503 and the error
Query parameters are the CLI's filters: q, country, lang, source, since, until, tz,
protest (1/true), event_country, protest_type, place, limit, offset, sort, raw, expand (1/true:
every copy and report instead of one result per story). Errors are JSON {"error": {"status", "message"}}.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from feeds import render_feed
from storage.event_export import iter_events
from storage.db import StoreError, check_store, explain, store_location
from storage.search import QueryError, SearchQuery, build_query, latest_change, search, search_page

FEED_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
TRUE_WORDS = {"1", "true", "yes", "on"}


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def query_from(params: Any, *, default_sort: str = "relevance") -> SearchQuery:
    """A validated SearchQuery from URL query parameters (raises QueryError), read by the query layer."""
    known = {"q", "country", "lang", "source", "since", "until", "tz", "protest", "limit", "offset", "sort", "raw",
             "event_country", "protest_type", "place", "expand"}
    unknown = sorted(set(params.keys()) - known)
    if unknown:
        raise QueryError(f"unknown parameter(s) {', '.join(name[:40] for name in unknown[:5])}; "
                         f"known: {', '.join(sorted(known))}")
    return build_query(
        text=params.get("q", ""), country=params.get("country"), language=params.get("lang"),
        source=params.get("source"), since=params.get("since"), until=params.get("until"), tz=params.get("tz"),
        protest_only=_flag(params, "protest"), event_country=params.get("event_country"),
        protest_type=params.get("protest_type"), place=params.get("place"), limit=params.get("limit"),
        offset=params.get("offset"), sort=params.get("sort"), default_sort=default_sort,
        raw=_flag(params, "raw"), expand=_flag(params, "expand"),
    )


def _flag(params: Any, name: str) -> bool:
    return str(params.get(name, "")).lower() in TRUE_WORDS


def create_app(engine: Engine) -> Starlette:
    async def api_search(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
            page = search_page(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        return JSONResponse({
            "query": {"description": query.describe(), **{k: str(v) if isinstance(v, date) else v
                                                          for k, v in query.__dict__.items()}},
            "count": len(page.hits),
            "total": page.total,
            "total_exact": page.total_exact,
            "offset": page.offset,
            "next_offset": page.next_offset,
            "notes": query.notes(),
            "results": [hit.to_json() for hit in page.hits],
        })

    async def api_events(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
        except QueryError as exc:
            return error(400, str(exc))
        rows = list(islice(iter_events(engine, query), query.offset, query.offset + query.limit + 1))
        more = len(rows) > query.limit
        return JSONResponse({"count": min(len(rows), query.limit), "offset": query.offset,
                             "next_offset": query.offset + query.limit if more else None,
                             "results": rows[:query.limit]})

    async def feed(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FEED_TYPES:
            return error(404, f"no feed format {fmt!r}; use .atom or .rss")
        try:
            query = query_from(request.query_params, default_sort="newest")
            hits = search(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        body = render_feed(hits, query, fmt, self_url=str(request.url), updated=latest_change(engine))
        return Response(body, media_type=FEED_TYPES[fmt])

    where = store_location(engine.url.render_as_string(hide_password=False))

    async def healthz(request: Request) -> Response:
        try:
            check_store(engine)
        except StoreError as exc:
            return error(503, str(exc))
        except SQLAlchemyError as exc:
            return error(503, explain(exc, where))
        return JSONResponse({"status": "ok"})

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(404, f"no such page: {request.url.path}")

    async def store_failed(request: Request, exc: Exception) -> Response:
        # A damaged, locked or unreachable store: the client gets why, as JSON, not a traceback.
        return error(503, explain(exc, where))

    return Starlette(
        routes=[
            Route("/api/search", api_search),
            Route("/api/events", api_events),
            Route("/feeds/search.{fmt}", feed),
            Route("/healthz", healthz),
        ],
        exception_handlers={404: not_found, SQLAlchemyError: store_failed},
    )
