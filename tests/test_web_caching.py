"""Conditional GET (issue 20): feeds and API answers carry validators from the store's version;
a client that has the current answer gets 304 without the search running; a write changes them."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

import web
from pipeline.store import store_article
from storage.db import is_read_only, session_scope
from storage.version import store_version
from tests.helpers import fill_store, make_record
from web import create_app

ROUTES = {
    "articles": "/api/articles?q=carretera",
    "stories": "/api/stories?q=carretera",
    "facets": "/api/facets?facet=country",
    "events": "/api/events",
    "export": "/api/export?format=jsonl",
    "atom": "/feeds/search.atom?q=carretera",
    "rss": "/feeds/search.rss?protest=1",
}


@pytest.fixture
def client(engine) -> TestClient:
    fill_store(engine)
    return TestClient(create_app(engine))


def add_article(engine, number: int) -> None:  # noqa: ANN001 - an Engine
    with session_scope(engine) as session:
        store_article(session, make_record(f"https://altiplano.example/noticias/paro-{number}",
                                           title=f"Nuevo bloqueo de carretera número {number}"))


def no_search(*args: object, **kwargs: object) -> None:
    raise AssertionError("the search ran for a request that should have been answered 304")


@pytest.mark.parametrize("route", list(ROUTES))
def test_etag_gives_304_until_the_store_changes(client, engine, monkeypatch, route) -> None:
    first = client.get(ROUTES[route])
    assert first.status_code == 200 and first.content
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["last-modified"].endswith(" GMT")
    expected_cache = "public, max-age=60" if route in ("atom", "rss") else "public, no-cache"
    assert first.headers["cache-control"] == expected_cache
    with monkeypatch.context() as patch:  # a 304 runs no search, facet, export or feed
        for name in ("search", "search_page", "iter_events", "export_lines", "feed_document"):
            patch.setattr(web, name, no_search)
        again = client.get(ROUTES[route], headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag and again.headers["cache-control"] == expected_cache
        assert client.get(ROUTES[route], headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    add_article(engine, 1)
    changed = client.get(ROUTES[route], headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.content and changed.headers["etag"] != etag
    assert client.get(ROUTES[route], headers={"If-None-Match": changed.headers["etag"]}).status_code == 304


def test_last_modified_gives_304_until_the_store_changes(client, engine, monkeypatch) -> None:
    route = ROUTES["atom"]
    first = client.get(route)
    modified = first.headers["last-modified"]
    with monkeypatch.context() as patch:
        patch.setattr(web, "search", no_search)
        assert client.get(route, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(route, headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status_code == 200
    assert client.get(route, headers={"If-Modified-Since": "not a date"}).status_code == 200
    time.sleep(1.1)  # Last-Modified counts whole seconds
    add_article(engine, 2)
    changed = client.get(route, headers={"If-Modified-Since": modified})
    assert changed.status_code == 200 and changed.headers["last-modified"] != modified
    assert client.get(route, headers={"If-Modified-Since": changed.headers["last-modified"]}).status_code == 304


def test_if_none_match_wins_over_if_modified_since(client) -> None:
    first = client.get(ROUTES["articles"])
    stale = client.get(ROUTES["articles"], headers={"If-None-Match": '"old"',
                                                    "If-Modified-Since": first.headers["last-modified"]})
    assert stale.status_code == 200


def test_errors_and_health_carry_no_validators(client) -> None:
    bad = client.get("/api/articles?country=Bolivia")
    assert bad.status_code == 400 and "etag" not in bad.headers
    health = client.get("/healthz")
    assert health.status_code == 200 and "etag" not in health.headers


def test_every_write_moves_the_store_version(any_engine) -> None:
    versions = [store_version(any_engine)]
    fill_store(any_engine)  # a source and two articles
    versions.append(store_version(any_engine))
    for statement in ("UPDATE articles SET title = title || '.'", "UPDATE sources SET name = name || '.'",
                      "DELETE FROM articles WHERE url LIKE '%economia'"):
        with any_engine.begin() as connection:
            connection.execute(text(statement))
        versions.append(store_version(any_engine))
    numbers = [v.number for v in versions]
    assert numbers == sorted(set(numbers)), numbers
    assert all(a.changed_at <= b.changed_at for a, b in zip(versions, versions[1:]))
    with any_engine.begin() as connection:  # a write rolled back leaves the version as it was
        connection.execute(text("UPDATE articles SET title = 'x'"))
        connection.rollback()
    assert store_version(any_engine) == versions[-1]


def test_the_served_app_reads_through_its_own_read_only_engine(engine, db_url, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    fill_store(engine)
    monkeypatch.setenv("PROTESTWIRE_DB", db_url)
    app = web.app_from_environment()
    with TestClient(app) as client:
        assert client.get(ROUTES["articles"]).json()["count"] == 1
    served = app.state.engine
    assert served is not engine and is_read_only(served)
    with pytest.raises(OperationalError, match="readonly"), served.begin() as connection:
        connection.execute(text("UPDATE articles SET title = 'x'"))
    served.dispose()
