"""Routes for subscribers and operators: saved and ready-made feeds, and the sources' health.

  /feeds/all.atom|.rss              every protest-relevant story, newest first
  /feeds/country/BO.atom|.rss       protests that happened in a country (event country)
  /feeds/type/blockade.atom|.rss    one kind of action (storage.search.PROTEST_TYPES)
  /feeds/NAME.atom|.rss             a saved search (`protestwire feeds add NAME ...`)
  /feeds/index.opml                 every one of them, for a feed reader
  /status, /status.json             each source's health (storage.health), as `protestwire status`
The feeds take no parameters (a feed is its path). Kept apart from web/__init__.py, which only
appends these routes to its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from feeds import feed_document
from feeds.catalog import FeedSpec, all_protests, all_specs, country_feed, saved_feed, type_feed

FEED_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


def _error(status: int, message: str) -> Response:
    from web import error

    return error(status, message)


def _feeds_base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/feeds"


def subscriber_routes(engine: Engine) -> list[Route]:
    def find(request: Request) -> FeedSpec | None:
        params = request.path_params
        if "code" in params:
            return country_feed(params["code"]) if params["code"].isupper() else None
        if "kind" in params:
            return type_feed(params["kind"])
        name = params["name"]
        if name == "all":
            return all_protests()
        from storage.saved_searches import get_search

        saved = get_search(engine, name)
        return saved_feed(saved) if saved else None

    def render(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FEED_TYPES:
            return _error(404, f"no feed format {fmt!r}; use .atom or .rss")
        if request.query_params:
            return _error(400, "a subscriber feed takes no parameters; for a search of your own use "
                               "/feeds/search.atom?q=... or save it with `protestwire feeds add`")
        spec = find(request)
        if spec is None:
            return _error(404, f"no feed at {request.url.path}: see /feeds/index.opml for every feed")
        body = feed_document(engine, spec.query, fmt, self_url=spec.url(_feeds_base(request), fmt),
                             title=spec.title, feed_id_=spec.feed_id, site_url=str(request.base_url))
        return Response(body, media_type=FEED_TYPES[fmt])

    async def feed(request: Request) -> Response:
        return await run_in_threadpool(render, request)

    def render_index(request: Request) -> Response:
        from feeds.build import opml

        return Response(opml(all_specs(engine), _feeds_base(request)), media_type="text/x-opml; charset=utf-8")

    async def index(request: Request) -> Response:
        return await run_in_threadpool(render_index, request)

    def health(request: Request, fmt: str) -> Response:
        from storage.health import HealthOptions, source_health

        rows = source_health(engine, HealthOptions())
        if fmt == "json":
            return JSONResponse({"sources": [row.to_json() for row in rows]})
        from web.status_page import status_html

        return HTMLResponse(status_html(rows))

    async def status(request: Request) -> Response:
        return await run_in_threadpool(health, request, "html")

    async def status_json(request: Request) -> Response:
        return await run_in_threadpool(health, request, "json")

    return [
        Route("/feeds/index.opml", index),
        Route("/feeds/country/{code}.{fmt}", feed),
        Route("/feeds/type/{kind}.{fmt}", feed),
        Route("/feeds/{name}.{fmt}", feed),
        Route("/status", status),
        Route("/status.json", status_json),
    ]


def subscriber_paths() -> dict[str, Any]:
    """These routes in the OpenAPI document (web/openapi.py merges them into its paths)."""
    fmt = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["atom", "rss"]}}
    feed = {"200": {"description": "The feed", "content": {"application/atom+xml": {}, "application/rss+xml": {}}},
            "400": {"description": "A parameter was given: these feeds take none"},
            "404": {"description": "No such feed"}}

    def named(name: str, description: str) -> dict[str, Any]:
        return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}

    return {
        "/feeds/index.opml": {"get": {"operationId": "feedIndex", "summary": "Every saved and ready-made feed (OPML)",
                                      "responses": {"200": {"description": "OPML 2.0",
                                                            "content": {"text/x-opml": {}}}}}},
        "/feeds/country/{code}.{fmt}": {"get": {
            "operationId": "countryFeed", "summary": "Protests that happened in a country (event country), newest first",
            "parameters": [named("code", "ISO 3166-1 alpha-2, upper case: BO, PE..."), fmt], "responses": feed}},
        "/feeds/type/{kind}.{fmt}": {"get": {
            "operationId": "typeFeed", "summary": "Protests of one kind of action, newest first",
            "parameters": [named("kind", "blockade, strike, march... (storage.search.PROTEST_TYPES)"), fmt],
            "responses": feed}},
        "/feeds/{name}.{fmt}": {"get": {
            "operationId": "savedFeed", "summary": "A saved search (`protestwire feeds add`), or all: every protest",
            "parameters": [named("name", "The saved search's name, or all"), fmt], "responses": feed}},
        "/status": {"get": {"operationId": "statusPage", "summary": "Each source's health as an HTML table",
                            "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
        "/status.json": {"get": {"operationId": "status", "summary": "Each source's health (`protestwire status`)",
                                 "responses": {"200": {"description": "{\"sources\": [...]}",
                                                       "content": {"application/json": {}}}}}},
    }
