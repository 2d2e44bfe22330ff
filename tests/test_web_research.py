"""The research API (/api/articles, /api/stories, /api/facets, /api/export, /openapi.json) and the search page."""

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.helpers import fill_store, make_record
from web import create_app


@pytest.fixture
def client(engine) -> TestClient:
    fill_store(engine)
    return TestClient(create_app(engine))


@pytest.fixture
def any_client(any_engine) -> TestClient:
    fill_store(any_engine)
    return TestClient(create_app(any_engine))


def test_articles_is_the_search_and_search_stays_its_alias(client) -> None:
    articles = client.get("/api/articles", params={"q": "carretera", "country": "BO"}).json()
    assert articles == client.get("/api/search", params={"q": "carretera", "country": "BO"}).json()
    assert articles["total"] == 1 and articles["results"][0]["country"] == "BO"


def test_stories_give_one_row_per_story_with_its_articles_and_outlets(engine) -> None:
    from pipeline.store import store_article, upsert_source
    from storage.db import session_scope

    fill_store(engine)
    with session_scope(engine) as session:  # the same event told by a second outlet
        upsert_source(session, id="andes-bo", name="Andes Hoy", homepage="https://andes.example/", country="BO",
                      languages=["es"])
        store_article(session, make_record("https://andes.example/bloqueo", source_id="andes-bo",
                                           title="Transportistas bloquean la carretera Oruro-La Paz por diésel"))
    data = TestClient(create_app(engine)).get("/api/stories", params={"q": "carretera"}).json()
    assert data["count"] == 1
    story = data["stories"][0]
    assert story["articles_total"] == 2 and len(story["articles"]) == 2
    assert {o["source"] for o in story["outlets"]} == {"altiplano-bo", "andes-bo"}
    assert story["hit"]["also_reported_by"] == 1


def test_facets_over_http_on_each_backend(any_client) -> None:
    data = any_client.get("/api/facets", params={"facet": "country,language", "q": "carretera OR exportaciones",
                                                    "all": "1"})
    assert data.status_code == 200
    assert data.json()["facets"] == {"country": [{"value": "BO", "count": 2}], "language": [{"value": "es", "count": 2}]}
    every = any_client.get("/api/facets", params={"protest": "1"}).json()["facets"]
    assert set(every) == {"country", "source", "language", "protest_type", "event_country", "day", "week"}
    assert every["day"] == [{"value": "2026-11-21", "count": 1}]


def test_export_streams_every_match_of_a_search(any_client) -> None:
    with any_client.stream("GET", "/api/export", params={"q": "carretera", "format": "jsonl"}) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert [row["title"] for row in lines] == ["Transportistas bloquean la carretera Oruro-La Paz"]
    table = list(csv.DictReader(io.StringIO(any_client.get("/api/export", params={"country": "BO", "all": "1"}).text)))
    assert len(table) == 2 and table[0]["source"] == "altiplano-bo"
    empty = any_client.get("/api/export", params={"q": "nadaquecoincida", "format": "csv"})
    assert empty.status_code == 200 and empty.text.splitlines() == [empty.text.splitlines()[0]]  # the header alone
    assert empty.text.startswith("id,source,url,")


@pytest.mark.parametrize(("path", "params", "message"), [
    ("/api/articles", {"country": "Bolivia"}, "ISO 3166-1"),
    ("/api/articles", {"q": "paro OR"}, "OR needs a word"),
    ("/api/articles", {"country": ["BO", "PE"]}, "more than once"),
    ("/api/articles", {"protest": "maybe"}, "must be 1 or 0"),
    ("/api/stories", {"expand": "1"}, "one row per story"),
    ("/api/facets", {"facet": "colour"}, "facet must be one of"),
    ("/api/facets", {"facet_limit": "0"}, "facet limit"),
    ("/api/facets", {"facet_limit": "lots"}, "whole number"),
    ("/api/export", {"format": "xlsx"}, "csv or jsonl"),
    ("/api/export", {"limit": "10"}, "every match"),
    ("/api/export", {"since": "yesterday"}, "YYYY-MM-DD"),
    ("/api/export", {"q": '"unclosed', "raw": "1"}, "drop --raw"),
])
def test_every_route_refuses_bad_input_with_the_one_error_shape(client, path, params, message) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == 400 and message in body["error"]["message"]


def test_the_api_is_read_only(client) -> None:
    response = client.post("/api/articles", json={"q": "paro"})
    assert response.status_code == 405 and response.json()["error"]["status"] == 405


def test_openapi_document_parses_and_lists_every_route(client) -> None:
    document = json.loads(client.get("/openapi.json").text)
    assert document["openapi"].startswith("3.")
    routes = [route.path for route in client.app.routes if isinstance(route, Route)]  # type: ignore[attr-defined]
    assert routes and sorted(routes) == sorted(document["paths"])
    for path, item in document["paths"].items():
        assert "200" in item["get"]["responses"], path
    names = {p["name"] for p in document["paths"]["/api/facets"]["get"]["parameters"]}
    assert {"q", "country", "facet", "facet_limit"} <= names


def test_page_shows_results_snippets_chart_and_keeps_the_filters(client) -> None:
    page = client.get("/", params={"q": "carretera", "country": "BO", "scope": "all"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "Transportistas bloquean la carretera Oruro-La Paz" in html
    assert "<mark>carretera</mark>" in html
    assert "<svg" in html and 'data-country="BO"' in html
    assert '<option value="BO" selected>BO (1)</option>' in html
    assert 'value="carretera"' in html


def test_page_shows_protest_articles_unless_all(client) -> None:
    protest = client.get("/").text
    assert "Transportistas bloquean" in protest and "Exportaciones mineras" not in protest
    assert "Exportaciones mineras" in client.get("/", params={"scope": "all"}).text


def test_page_escapes_every_article_text(engine) -> None:
    from pipeline.store import store_article
    from storage.db import session_scope

    hostile = '<script>alert("x")</script> Bloqueo <img src=x onerror=alert(1)>'
    with session_scope(engine) as session:
        store_article(session, make_record("https://evil.example/1", title=hostile, source_id=None,
                                           body=f"Bloqueo en la carretera. {hostile} " * 4))
    html = TestClient(create_app(engine)).get("/", params={"q": "bloqueo", "scope": "all"}).text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html


def test_page_links_to_the_next_page_keeping_the_search(engine) -> None:
    from pipeline.store import store_article
    from storage.db import session_scope

    with session_scope(engine) as session:
        for n in range(25):
            store_article(session, make_record(f"https://altiplano.example/{n}", source_id=None,
                                               title=f"Bloqueo número {n} en la ruta {n * 7}",
                                               body=f"Vecinos bloquean la ruta {n * 7} por el agua, día {n}. " * 3,
                                               # a month apart: 25 separate stories, not one the story model merges
                                               published=datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
                                               + timedelta(days=30 * n)))
    client = TestClient(create_app(engine))
    first = client.get("/", params={"q": "bloqueo", "scope": "all"}).text
    assert first.count('class="result"') == 20 and 'href="?q=bloqueo&amp;scope=all&amp;offset=20"' in first
    stories = client.get("/api/articles", params={"q": "bloqueo"}).json()["total"]  # similar reports may merge
    assert stories > 20
    second = client.get("/", params={"q": "bloqueo", "scope": "all", "offset": "20"}).text
    assert second.count('class="result"') == stories - 20 and 'rel="prev"' in second and 'rel="next"' not in second


def test_page_names_a_bad_filter_with_a_400(client) -> None:
    page = client.get("/", params={"since": "ayer"})
    assert page.status_code == 400 and "YYYY-MM-DD" in page.text and "<form" in page.text
    assert client.get("/", params={"scope": "some"}).status_code == 400
