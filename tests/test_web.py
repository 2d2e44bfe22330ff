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
    assert client.get("/api/search", params={"protest": "1"}).json()["count"] == 1
    assert client.get("/api/search", params={"until": "2026-11-20"}).json()["count"] == 0
    assert client.get("/api/search", params={"since": "2026-11-21", "until": "2026-11-21"}).json()["count"] == 2
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
