"""The HTTP API and feeds: the same searches as the CLI, over HTTP."""

import feedparser
import pytest
from starlette.testclient import TestClient

from tests.helpers import fill_store
from web import create_app


@pytest.fixture
def client(engine) -> TestClient:
    fill_store(engine)
    return TestClient(create_app(engine))


def test_search_returns_hits_with_stable_keys(client) -> None:
    response = client.get("/api/search", params={"q": "carretera", "country": "bo"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    hit = data["results"][0]
    assert hit["title"] == "Transportistas bloquean la carretera Oruro-La Paz"
    assert hit["country"] == "BO" and hit["protest"] is True
    assert data["query"]["country"] == "BO"


def test_filters_match_the_cli(client) -> None:
    # protest coverage by default, as the CLI; all=1 (or protest=0) for every stored article
    assert client.get("/api/search").json()["count"] == 1
    assert client.get("/api/search", params={"protest": "1"}).json()["count"] == 1
    assert client.get("/api/search", params={"all": "1"}).json()["count"] == 2
    assert client.get("/api/search", params={"protest": "0"}).json()["count"] == 2
    assert client.get("/api/search", params={"all": "1", "protest": "1"}).status_code == 400
    assert client.get("/api/search", params={"until": "2026-11-20", "all": "1"}).json()["count"] == 0
    assert client.get("/api/search", params={"since": "2026-11-21", "until": "2026-11-21", "all": "1"}).json()["count"] == 2
    assert client.get("/api/search", params={"lang": "pt"}).json()["count"] == 0
    geo = {"event_country": "bo", "protest_type": "blockade", "place": "Oruro"}
    found = client.get("/api/search", params=geo).json()
    assert found["count"] == 1 and found["results"][0]["event_country"] == "BO"
    assert client.get("/api/search", params={"event_country": "PE"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "Bolivia"}, "ISO 3166-1"),
        ({"since": "ayer"}, "YYYY-MM-DD"),
        ({"limit": "many"}, "whole number"),
        ({"qq": "paro"}, "unknown parameter"),
        ({"protest_type": "parade"}, "protest type must be one of"),
        ({"place": "Atlantis"}, "unknown place"),
        ({"q": "paro OR", "raw": "1"}, "drop --raw"),
    ],
)
def test_bad_requests_get_a_json_error(client, params, message) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feeds_of_a_search(client, fmt) -> None:
    response = client.get(f"/feeds/search.{fmt}", params={"q": "carretera", "protest": "true"})
    assert response.status_code == 200 and fmt in response.headers["content-type"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Transportistas bloquean la carretera Oruro-La Paz"]


def test_unknown_pages_and_formats_are_404_json(client) -> None:
    assert client.get("/feeds/search.json").status_code == 404
    missing = client.get("/nope")
    assert missing.status_code == 404 and "no such page" in missing.json()["error"]["message"]


def test_health(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.fixture
def any_client(any_engine) -> TestClient:
    fill_store(any_engine)
    return TestClient(create_app(any_engine))


@pytest.mark.parametrize("params", [{"q": '"unbalanced', "raw": "1"}, {"q": "foo:bar", "raw": "1"},
                                    {"q": "paro OR"}, {"lang": "[/]"}, {"tz": "Nowhere/Here"},
                                    {"q": "paro " * 5000}, {"offset": "-3"}])
def test_query_mistakes_are_400_json_on_each_backend(any_client, params) -> None:
    response = any_client.get("/api/search", params=params)
    if response.status_code == 200:  # PostgreSQL's raw (websearch) syntax accepts any text
        assert params.get("raw") and any_client.app is not None
        return
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]["message"]
    assert response.json()["error"]["status"] == 400 and "\n" not in message and len(message) < 400


def test_raw_errors_are_400_json_on_sqlite(client) -> None:
    for q in ('"unbalanced', "foo:bar"):
        response = client.get("/api/search", params={"q": q, "raw": "1"})
        assert response.status_code == 400 and "drop --raw" in response.json()["error"]["message"]


def test_search_returns_the_total_beside_the_page(any_client) -> None:
    first = any_client.get("/api/search", params={"limit": "1", "all": "1"}).json()
    assert (first["count"], first["total"], first["total_exact"], first["next_offset"]) == (1, 2, True, 1)
    second = any_client.get("/api/search", params={"limit": "1", "offset": first["next_offset"], "all": "1"}).json()
    assert (second["count"], second["total"], second["next_offset"]) == (1, 2, None)
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert any_client.get("/api/search", params={"q": "carretera OR exportaciones", "all": "1"}).json()["total"] == 2


def test_notes_say_what_was_read_literally(client) -> None:
    data = client.get("/api/search", params={"q": "carretera or exportaciones"}).json()
    assert data["total"] == 0 and "operators are written in capitals" in data["notes"][0]


def store_older_but_closer_match(engine) -> None:
    """Two articles on "huelga": the older says it in its headline and throughout, the newer once."""
    from datetime import datetime, timezone

    from pipeline.store import store_article
    from storage.db import session_scope
    from tests.helpers import make_record

    with session_scope(engine) as session:
        store_article(session, make_record("https://altiplano.example/huelga", title="Huelga, huelga y huelga minera",
                                           body="La huelga minera sigue. Huelga indefinida. " * 5, source_id=None,
                                           published=datetime(2026, 11, 10, 12, tzinfo=timezone.utc)))
        store_article(session, make_record("https://altiplano.example/clima", title="Lluvias en el altiplano",
                                           body="Llueve en el altiplano; una huelga menor no afectó el tránsito. "
                                                "El pronóstico anuncia más lluvias en la semana y frío intenso.",
                                           source_id=None, published=datetime(2026, 11, 20, 12, tzinfo=timezone.utc)))


def test_feed_sort_is_honoured(engine) -> None:
    store_older_but_closer_match(engine)
    client = TestClient(create_app(engine))

    def titles(**params: str) -> list[str]:
        return [e.title for e in feedparser.parse(client.get("/feeds/search.atom", params=params).content).entries]

    assert titles(q="huelga") == ["Lluvias en el altiplano", "Huelga, huelga y huelga minera"]  # newest first
    assert titles(q="huelga", sort="relevance") == ["Huelga, huelga y huelga minera", "Lluvias en el altiplano"]
    assert client.get("/feeds/search.atom", params={"sort": "oldest"}).status_code == 400
