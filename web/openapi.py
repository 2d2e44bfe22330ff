"""The OpenAPI 3.1 document of the HTTP API, written by hand beside the routes it describes.

What is stable: the paths, the parameters and the keys of the JSON answers below, the error
shape ``{"error": {"status", "message"}}`` of every 4xx/5xx answer, and the export columns
(those of ``protestwire export``). Messages are for people and may change wording.
The document refuses to render when a route of the app is missing from it.
"""

from __future__ import annotations

from typing import Any

from storage.facets import FACETS
from storage.search import MAX_LIMIT, PROTEST_TYPES, SORTS

ERROR = {"$ref": "#/components/schemas/Error"}


def _param(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


FLAG = {"type": "string", "enum": ["1", "true", "yes", "on", "0", "false"]}
SEARCH_PARAMETERS = [
    _param("q", "Search text: words (accent- and case-insensitive), \"phrases\", prefix*, OR, NOT or -word, "
                "parentheses; at most 100 words and 1,000 characters."),
    _param("country", "Outlet country, ISO 3166-1 alpha-2.", {"type": "string", "pattern": "^[A-Za-z]{2}$"}),
    _param("lang", "Article language, ISO 639-1.", {"type": "string", "pattern": "^[A-Za-z]{2}$"}),
    _param("source", "Source id from the registry."),
    _param("since", "Published on or after this day (the publisher's calendar day unless tz).",
           {"type": "string", "format": "date"}),
    _param("until", "Published on or before this day.", {"type": "string", "format": "date"}),
    _param("tz", "Read since/until in this zone for every article: America/La_Paz, UTC, -04:00."),
    _param("protest", "1 (the default): only articles scored as protest coverage; 0: every stored article.", FLAG),
    _param("all", "1: every stored article, not only those scored as protest coverage.", FLAG),
    _param("event_country", "Country where the story happened (geotag), ISO alpha-2."),
    _param("protest_type", "Kind of action.", {"type": "string", "enum": list(PROTEST_TYPES)}),
    _param("place", "City or state/province/department, any spelling the gazetteer knows."),
    _param("raw", "1: pass q to the full-text engine unchanged.", FLAG),
    _param("thread", "Only the articles of this thread (a thread_id).", {"type": "integer", "minimum": 1}),
]
PAGE_PARAMETERS = [
    _param("limit", "Results per page.", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20}),
    _param("offset", "Results skipped (the previous answer's next_offset).", {"type": "integer", "minimum": 0}),
    _param("cursor", "Where the page starts: the previous answer's next_cursor, passed back unchanged "
           "(instead of offset; keyset paging for sort=newest).", {"type": "string"}),
    _param("sort", "Order of results.", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
]
EXPAND = _param("expand", "1: every matching article instead of one result per story.", FLAG)
COLLAPSE = _param("collapse", "story (default): one result per story; thread: one per developing story; "
                  "none: every article.", {"type": "string", "enum": ["story", "thread", "none"]})

PAGE_KEYS = {
    "query": {"type": "object", "description": "The validated query, with a human description."},
    "count": {"type": "integer"}, "total": {"type": "integer"},
    "total_exact": {"type": "boolean", "description": "false: more than 10,000 articles matched; total is an "
                    "estimate (about)."},
    "offset": {"type": "integer"}, "next_offset": {"type": ["integer", "null"]},
    "next_cursor": {"type": ["string", "null"], "description": "The next page's cursor; null on the last page."},
    "notes": {"type": "array", "items": {"type": "string"}},
}
HIT = {"type": "object", "description": "One article: the keys of `protestwire search --format json`.",
       "properties": {name: {} for name in (
           "id", "url", "canonical_url", "title", "subtitle", "published", "published_local", "language", "source",
           "source_name", "country", "authors", "protest", "protest_score", "protest_types", "duplicate_of",
           "event_country", "countries", "places", "snippet", "story_id", "story_articles", "also_reported_by",
           "first_seen")}}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "The query is invalid; the message says how to write it.", 404: "No such page.",
             503: "The store cannot be read."}
    return {str(status): _json(words[status], ERROR) for status in statuses}


def _paths() -> dict[str, Any]:
    articles = {"summary": "Search articles (one result per story unless expand)",
                "parameters": SEARCH_PARAMETERS + PAGE_PARAMETERS + [EXPAND, COLLAPSE],
                "responses": {"200": _json("A page of results.", {"type": "object", "properties": {
                    **PAGE_KEYS, "results": {"type": "array", "items": HIT}}}), **_errors(400, 503)}}
    story = {"type": "object", "properties": {
        "story_id": {"type": ["integer", "null"]}, "articles_total": {"type": "integer"}, "hit": HIT,
        "articles": {"type": "array", "description": "The story's earliest 50 articles.", "items": {"type": "object"}},
        "outlets": {"type": "array", "items": {"type": "object"}}}}
    facet_values = {"type": "array", "items": {"type": "object", "properties": {
        "value": {"type": "string"}, "count": {"type": "integer"}}}}
    return {
        "/": {"get": {"summary": "The search page (HTML; works without JavaScript)",
                      "parameters": [p for p in SEARCH_PARAMETERS if p["name"] not in ("protest", "all")] + [
                          _param("scope", "protest (default) or all articles.",
                                 {"type": "string", "enum": ["protest", "all"]})] + PAGE_PARAMETERS[1:],
                      "responses": {"200": {"description": "HTML", "content": {"text/html": {}}},
                                    "400": {"description": "HTML page naming the mistake", "content": {"text/html": {}}}}}},
        "/api/articles": {"get": {**articles, "operationId": "articles"}},
        "/api/search": {"get": {**articles, "operationId": "search", "summary": "Alias of /api/articles"}},
        "/api/stories": {"get": {
            "operationId": "stories", "summary": "Search, one row per story with its articles and outlets",
            "parameters": SEARCH_PARAMETERS + PAGE_PARAMETERS,
            "responses": {"200": _json("A page of stories.", {"type": "object", "properties": {
                **PAGE_KEYS, "stories": {"type": "array", "items": story}}}), **_errors(400, 503)}}},
        "/api/events": {"get": {
            "operationId": "events", "summary": "Protest event records of the stories matching the search, by start date",
            "parameters": SEARCH_PARAMETERS + PAGE_PARAMETERS,
            "responses": {"200": _json("A page of event records (docs/EVENTS.md).", {"type": "object", "properties": {
                "count": {"type": "integer"}, "offset": {"type": "integer"},
                "next_offset": {"type": ["integer", "null"]},
                "results": {"type": "array", "items": {"type": "object"}}}}), **_errors(400, 503)}}},
        "/api/facets": {"get": {
            "operationId": "facets", "summary": "Exact counts of the matching articles (every copy) per facet",
            "parameters": SEARCH_PARAMETERS + [
                _param("facet", "Facet(s) to count, repeatable or comma-separated; default all.",
                       {"type": "string", "enum": list(FACETS)}),
                _param("facet_limit", "Values per facet (most frequent; days and weeks: the latest).",
                       {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50})],
            "responses": {"200": _json("Counts.", {"type": "object", "properties": {
                "query": {"type": "object"},
                "facets": {"type": "object", "additionalProperties": facet_values}}}), **_errors(400, 503)}}},
        "/api/export": {"get": {
            "operationId": "export", "summary": "Every matching article (no paging), streamed",
            "parameters": SEARCH_PARAMETERS + [
                _param("format", "csv or jsonl.", {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}),
                _param("collapse", "1: leave out near-duplicates.", FLAG)],
            "responses": {"200": {"description": "The columns of `protestwire export`, one article a row.",
                                  "content": {"text/csv": {}, "application/x-ndjson": {}}}, **_errors(400, 503)}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
                                  "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})}}},
        "/feeds/search.{fmt}": {"get": {
            "operationId": "feed", "summary": "The search as an Atom or RSS feed (newest first unless sort)",
            "parameters": [{"name": "fmt", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["atom", "rss"]}}]
            + SEARCH_PARAMETERS + PAGE_PARAMETERS + [EXPAND, COLLAPSE],
            "responses": {"200": {"description": "The feed", "content": {
                "application/atom+xml": {}, "application/rss+xml": {}}}, **_errors(400, 404)}}},
        "/healthz": {"get": {"operationId": "health", "summary": "Whether the store answers",
                             "responses": {"200": _json("ok", {"type": "object"}), **_errors(503)}}},
    }


def openapi_document(routes: Any = ()) -> dict[str, Any]:
    """The document; ``routes`` (the app's) must all be described, so a new route cannot go unlisted."""
    from web.subscribe import subscriber_paths

    paths = {**_paths(), **subscriber_paths()}
    missing = [route.path for route in routes if getattr(route, "path", None) not in paths]
    if missing:
        raise RuntimeError(f"routes missing from the OpenAPI document: {', '.join(missing)}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "protestwire", "version": "1",
                 "description": "Read-only search, stories, facets and exports of Latin American protest news. "
                                "Stable: paths, parameters, JSON keys and the error shape; messages may change. "
                                "Feeds and API answers carry ETag and Last-Modified: sent back as If-None-Match "
                                "or If-Modified-Since, they get 304 while the store is unchanged."},
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}}},
    }
