"""HTTP API and feeds over the same query layer as the CLI (Starlette; `protestwire serve`).

Routes (GET):
  /api/search      JSON: {"query": {...}, "count": n, "results": [hit, ...]}
  /feeds/search.atom, /feeds/search.rss   the same search as a feed (newest first)
  /healthz         {"status": "ok"} when the store answers
Query parameters are the CLI's filters: q, country, lang, source, since, until,
protest (1/true), event_country, protest_type, place, limit, offset, sort, raw, expand (1/true:
every copy and report instead of one result per story), collapse (story, thread: one result per
developing story, or none = expand), thread (an id: only that thread's articles).
Errors are JSON {"error": {"status", "message"}}.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from feeds import render_feed
from storage.search import QueryError, SearchQuery, search

FEED_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
TRUE_WORDS = {"1", "true", "yes", "on"}


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _day(params: Any, name: str) -> date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} must be a day as YYYY-MM-DD, not {value!r}") from None


def _int(params: Any, name: str, default: int) -> int:
    value = params.get(name)
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {value!r}") from None


def _collapse(params: Any) -> dict[str, Any]:
    """``collapse`` (story, thread or none) and ``thread`` (an id) as SearchQuery fields."""
    fields: dict[str, Any] = {}
    collapse = params.get("collapse") or ""
    if collapse == "none":
        fields["expand"] = True
    elif collapse:
        fields["collapse"] = collapse
    if params.get("thread"):
        fields["thread"] = _int(params, "thread", 0)
    return fields


def query_from(params: Any, **overrides: Any) -> SearchQuery:
    """A validated SearchQuery from URL query parameters (raises QueryError)."""
    known = {"q", "country", "lang", "source", "since", "until", "protest", "limit", "offset", "sort", "raw",
             "event_country", "protest_type", "place", "expand", "collapse", "thread"}
    unknown = sorted(set(params.keys()) - known)
    if unknown:
        raise QueryError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    fields: dict[str, Any] = dict(
        text=params.get("q", ""), country=(params.get("country") or "").upper() or None,
        language=params.get("lang") or None, source=params.get("source") or None,
        since=_day(params, "since"), until=_day(params, "until"),
        protest_only=params.get("protest", "").lower() in TRUE_WORDS, limit=_int(params, "limit", 20),
        event_country=(params.get("event_country") or "").upper() or None,
        protest_type=params.get("protest_type") or None, place=params.get("place") or None,
        offset=_int(params, "offset", 0), sort=params.get("sort") or "relevance",
        raw=params.get("raw", "").lower() in TRUE_WORDS, expand=params.get("expand", "").lower() in TRUE_WORDS,
    )
    fields.update(_collapse(params))
    fields.update(overrides)
    return SearchQuery(**fields)


def create_app(engine: Engine) -> Starlette:
    async def api_search(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
            hits = search(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        return JSONResponse({
            "query": {"description": query.describe(), **{k: str(v) if isinstance(v, date) else v
                                                          for k, v in query.__dict__.items()}},
            "count": len(hits),
            "results": [hit.to_json() for hit in hits],
        })

    async def feed(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FEED_TYPES:
            return error(404, f"no feed format {fmt!r}; use .atom or .rss")
        try:
            query = query_from(request.query_params, sort="newest")
            hits = search(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        body = render_feed(hits, query, fmt, self_url=str(request.url))
        return Response(body, media_type=FEED_TYPES[fmt])

    async def healthz(request: Request) -> Response:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(404, f"no such page: {request.url.path}")

    return Starlette(
        routes=[
            Route("/api/search", api_search),
            Route("/feeds/search.{fmt}", feed),
            Route("/healthz", healthz),
        ],
        exception_handlers={404: not_found},
    )
