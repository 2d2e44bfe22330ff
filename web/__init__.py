"""HTTP API, feeds and the search page over the same query layer as the CLI (Starlette; `protestwire serve`).

Routes (GET; all read-only; the OpenAPI document at /openapi.json lists them, web/openapi.py):
  /                the search page (server-rendered HTML, works without JavaScript; web/page.py)
  /api/articles    JSON: {"query": {...}, "count": n, "total": n, "total_exact": bool,
                   "offset": n, "next_offset": n | null, "next_cursor": str | null, "notes": [...],
                   "results": [hit, ...]}; total_exact false: total is an estimate
  /api/search      the same (its first name, kept)
  /api/stories     the same page, one row per story with its articles and outlets
  /api/facets      {"query": {...}, "facets": {"country": [{"value", "count"}], ...}}: exact counts
  /api/export      every match as CSV or JSON Lines (format=csv|jsonl), streamed
  /api/events      JSON: {"count": n, "offset": n, "next_offset": n | null, "results": [event, ...]}: the
                   event records (docs/EVENTS.md) of the stories matching the same filters, by start date
  /feeds/search.atom, /feeds/search.rss   the same search as a feed (newest first unless sort)
  /healthz         {"status": "ok"} when the store answers a read of its articles and full-text
                   index; else 503 and the error
Query parameters are the CLI's filters: q, country, lang, source, since, until, tz,
all (1/true: every stored article; without it only those scored as protest coverage, as protest=1
says aloud), event_country, protest_type, place, limit, offset, sort, raw, expand (1/true: every
copy and report instead of one result per story), cursor (a previous answer's next_cursor, instead
of offset: keyset paging for sort=newest). Errors are JSON {"error": {"status", "message"}}.
Every URL parameter is read through ``query_from`` (unknown or repeated parameters refused, values
checked by ``build_query``); the blocking store work runs in Starlette's thread pool.

Feeds and API answers carry ETag, Last-Modified and Cache-Control from the store's version
(web/caching.py): a client that has the current answer gets 304 without the search running.
``protestwire serve`` runs ``app_from_environment`` in each of its worker processes: every
process has its own read-only engine, every thread of its pool its own connection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from itertools import chain, islice
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from feeds import feed_document
from storage.event_export import iter_events
from storage.db import StoreError, check_store, connect, explain, store_location
from storage.search import QueryError, SearchQuery, build_query, search, search_page
from storage.version import store_version
from web.caching import API_CACHE_CONTROL, FEED_CACHE_CONTROL, not_modified, validators
from web.subscribe import subscriber_routes

FEED_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}
SEARCH_PARAMETERS = frozenset({"q", "country", "lang", "source", "since", "until", "tz", "protest", "all", "limit", "offset",
                               "sort", "raw", "event_country", "protest_type", "place", "expand",
                               "collapse", "thread", "cursor"})
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
# Connections each serving process keeps: one for every thread of Starlette's pool (anyio's default
# of 40), so no request waits for a connection or opens one of its own.
READER_CONNECTIONS = 40


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def query_from(params: Any, *, default_sort: str = "relevance", extra: frozenset[str] = frozenset()) -> SearchQuery:
    """A validated SearchQuery from URL query parameters (raises QueryError), read by the query layer.

    ``extra`` names the route's own parameters (facet, format...), which the route reads itself."""
    known = SEARCH_PARAMETERS | extra
    unknown = sorted(set(params.keys()) - known)
    if unknown:
        raise QueryError(f"unknown parameter(s) {', '.join(name[:40] for name in unknown[:5])}; "
                         f"known: {', '.join(sorted(known))}")
    for name in known & set(params.keys()):
        if len(params.getlist(name)) > 1 and name not in extra:
            raise QueryError(f"parameter {name} is given more than once; give it once")
    return build_query(
        text=params.get("q", ""), country=params.get("country"), language=params.get("lang"),
        source=params.get("source"), since=params.get("since"), until=params.get("until"), tz=params.get("tz"),
        protest_only=_protest_only(params), event_country=params.get("event_country"),
        protest_type=params.get("protest_type"), place=params.get("place"), limit=params.get("limit"),
        offset=params.get("offset"), sort=params.get("sort"), default_sort=default_sort,
        raw=_flag(params, "raw"), expand=_flag(params, "expand"),
        collapse=params.get("collapse"), thread=params.get("thread"), cursor=params.get("cursor"),
    )


def _protest_only(params: Any) -> bool:
    """Protest-relevant articles unless all=1 (or protest=0) asks for every stored article."""
    if "all" in params and "protest" in params:
        raise QueryError("give all=1 or protest=1, not both")
    if "all" in params:
        return not _flag(params, "all")
    return _flag(params, "protest") if "protest" in params else True


def _flag(params: Any, name: str) -> bool:
    """A yes/no parameter; anything but 1/true/yes/on or 0/false/no/off (or nothing) is refused."""
    value = str(params.get(name, "")).strip().lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise QueryError(f"{name} must be 1 or 0 (true or false), not {value[:40]!r}")
    return value in TRUE_WORDS


def query_json(query: SearchQuery) -> dict[str, Any]:
    """The query as the API echoes it: its description and every field."""
    return {"description": query.describe(),
            **{k: str(v) if isinstance(v, date) else v for k, v in query.__dict__.items()}}


def page_json(query: SearchQuery, page: Any) -> dict[str, Any]:
    return {"query": query_json(query), "count": len(page.hits), "total": page.total,
            "total_exact": page.total_exact, "offset": page.offset, "next_offset": page.next_offset,
            "next_cursor": page.next_cursor, "notes": query.notes()}


def facet_names(params: Any) -> tuple[str, ...]:
    """The facets asked for (facet=country&facet=day, or facet=country,day); every one by default."""
    from storage.facets import FACETS, check_facets

    names = [name.strip() for value in params.getlist("facet") for name in value.split(",") if name.strip()]
    return check_facets(names) if names else FACETS


def stories_json(engine: Engine, hits: list[Any]) -> list[dict[str, Any]]:
    """One row per story: its best-ranked hit, its articles (earliest first) and its outlets."""
    from storage.story_members import outlets_of, story_members

    members = story_members(engine, {hit.story_id for hit in hits if hit.story_id})
    rows = []
    for hit in hits:
        articles = members.get(hit.story_id or -1) or []
        rows.append({"story_id": hit.story_id, "articles_total": hit.story_articles, "hit": hit.to_json(),
                     "articles": [m.to_json() for m in articles], "outlets": outlets_of(articles) or [
                         {"source": hit.source, "name": hit.source_name, "country": hit.country}]})
    return rows


def export_lines(engine: Engine, query: SearchQuery, fmt: str, *, collapse: bool) -> Iterator[str]:
    """The export's text, line by line; its first line read now, so a query the engine refuses is a 400."""
    from storage.export import csv_lines, iter_articles, jsonl_lines

    lines = (csv_lines if fmt == "csv" else jsonl_lines)(iter_articles(engine, query, collapse=collapse))
    first = next(lines, None)
    return iter(()) if first is None else _joined(chain([first], lines))


def _joined(lines: Iterator[str], size: int = 200) -> Iterator[str]:
    """Lines sent ``size`` at a time: one write per batch rather than per article."""
    while batch := list(islice(lines, size)):
        yield "".join(batch)


def app_from_environment() -> Starlette:
    """The app of one `protestwire serve` process (uvicorn calls it in each worker): its own
    read-only engine on the store $PROTESTWIRE_DB names (the serve command sets it)."""
    return create_app(connect(None, create=False, read_only=True, pool_size=READER_CONNECTIONS))


def create_app(engine: Engine) -> Starlette:
    def from_store(run: Callable[[Request], Response], cache_control: str = API_CACHE_CONTROL
                   ) -> Callable[[Request], Awaitable[Response]]:
        """A route answered from the store, in the thread pool, with the store's validators; a
        client that has the current answer gets 304 before ``run`` is called."""
        def answer(request: Request) -> Response:
            store = store_version(engine)  # read first: an answer is never older than its ETag says
            headers = validators(store, cache_control)
            if not_modified(request.headers, headers, store):
                return Response(status_code=304, headers=headers)
            response = run(request)
            if response.status_code == 200:
                response.headers.update(headers)
            return response

        async def route(request: Request) -> Response:
            return await run_in_threadpool(answer, request)
        return route

    def run_search(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
            page = search_page(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        return JSONResponse({**page_json(query, page), "results": [hit.to_json() for hit in page.hits]})

    def run_stories(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
            if query.expand:
                raise QueryError("expand does not apply to /api/stories (one row per story); use /api/articles")
            page = search_page(engine, query)
        except QueryError as exc:
            return error(400, str(exc))
        return JSONResponse({**page_json(query, page), "stories": stories_json(engine, page.hits)})

    def run_facets(request: Request) -> Response:
        from storage.facets import facet_counts
        from storage.search import parse_count

        try:
            query = query_from(request.query_params, extra=frozenset({"facet", "facet_limit"}))
            names = facet_names(request.query_params)
            limit = parse_count(request.query_params.get("facet_limit"), "facet_limit", 50)
            facets = facet_counts(engine, query, names, limit=limit)
        except QueryError as exc:
            return error(400, str(exc))
        return JSONResponse({"query": query_json(query), "facets": {
            name: [{"value": v.value, "count": v.count} for v in values] for name, values in facets.items()}})

    def start_export(request: Request) -> Response:
        params = request.query_params
        fmt = params.get("format", "csv")
        try:
            if fmt not in EXPORT_TYPES:
                raise QueryError(f"format must be csv or jsonl, not {fmt[:40]!r}")
            query = query_from(params, extra=frozenset({"format", "collapse"}))
            if "limit" in params or "offset" in params:
                raise QueryError("an export writes every match: leave out limit and offset")
            lines = export_lines(engine, query, fmt, collapse=_flag(params, "collapse"))
        except QueryError as exc:
            return error(400, str(exc))
        return StreamingResponse(lines, media_type=EXPORT_TYPES[fmt], headers={
            "Content-Disposition": f'attachment; filename="protestwire-export.{fmt}"'})

    def render_page(request: Request) -> Response:
        from web.page import search_page_html

        status, html = search_page_html(engine, request.query_params, str(request.url.path))
        return HTMLResponse(html, status_code=status)

    async def page(request: Request) -> Response:
        return await run_in_threadpool(render_page, request)

    async def openapi(request: Request) -> Response:
        from web.openapi import openapi_document

        return JSONResponse(openapi_document(app.routes))

    def run_events(request: Request) -> Response:
        try:
            query = query_from(request.query_params)
        except QueryError as exc:
            return error(400, str(exc))
        rows = list(islice(iter_events(engine, query), query.offset, query.offset + query.limit + 1))
        more = len(rows) > query.limit
        return JSONResponse({"count": min(len(rows), query.limit), "offset": query.offset,
                             "next_offset": query.offset + query.limit if more else None,
                             "results": rows[:query.limit]})

    def run_feed(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FEED_TYPES:
            return error(404, f"no feed format {fmt!r}; use .atom or .rss")
        try:
            query = query_from(request.query_params, default_sort="newest")
            body = feed_document(engine, query, fmt, self_url=str(request.url))  # with "also reported by" links
        except QueryError as exc:
            return error(400, str(exc))
        return Response(body, media_type=FEED_TYPES[fmt])

    where = store_location(engine.url.render_as_string(hide_password=False))

    def run_healthz(request: Request) -> Response:
        try:
            check_store(engine)
        except StoreError as exc:
            return error(503, str(exc))
        except SQLAlchemyError as exc:
            return error(503, explain(exc, where))
        return JSONResponse({"status": "ok"})

    async def healthz(request: Request) -> Response:
        return await run_in_threadpool(run_healthz, request)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(404, f"no such page: {request.url.path}")

    async def store_failed(request: Request, exc: Exception) -> Response:
        # A damaged, locked or unreachable store: the client gets why, as JSON, not a traceback.
        return error(503, explain(exc, where))

    async def store_error(request: Request, exc: Exception) -> Response:
        return error(503, str(exc))

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error(405, f"{request.method} is not allowed: the API is read-only (GET)")

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/api/articles", from_store(run_search)),
            Route("/api/search", from_store(run_search)),
            Route("/api/stories", from_store(run_stories)),
            Route("/api/facets", from_store(run_facets)),
            Route("/api/export", from_store(start_export)),
            Route("/openapi.json", openapi),
            Route("/api/events", from_store(run_events)),
            Route("/feeds/search.{fmt}", from_store(run_feed, FEED_CACHE_CONTROL)),
            Route("/healthz", healthz),
            *subscriber_routes(engine),
        ],
        exception_handlers={404: not_found, 405: not_allowed, StoreError: store_error,
                            SQLAlchemyError: store_failed},
    )
    app.state.engine = engine  # the store it reads
    return app
