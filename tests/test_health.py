"""Source health (`protestwire status`, /status): figures and verdicts from crawl runs and articles."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from pipeline.store import store_article, upsert_source
from protestwire.cli import main
from storage.db import session_scope
from storage.health import HealthOptions, source_health
from storage.models import CrawlRun
from tests.helpers import make_record
from web import create_app

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def add_run(session, hours_ago: float, per_source: dict, *, status: str = "finished", errors=None, drops=None) -> None:
    started = NOW - timedelta(hours=hours_ago)
    session.add(CrawlRun(spider="feeds", started_at=started, finished_at=started + timedelta(minutes=2),
                         status=status, per_source=per_source, errors=errors or {}, drop_reasons=drops or {}))


def add_articles(session, source: str, count: int, days_ago: float, *, dated: bool = True) -> None:
    for number in range(count):
        record = make_record(f"https://{source}.example/{days_ago}/{number}", title=f"Nota {source} {days_ago} {number}",
                             body=f"Texto distinto número {number} de {source} hace {days_ago} días. " * 3,
                             source_id=source, published=None if not dated else NOW - timedelta(days=days_ago))
        stored = store_article(session, record)
        session.flush()
        from storage.models import Article

        article = session.get(Article, stored.article_id)
        article.first_seen = NOW - timedelta(days=days_ago, minutes=number)


@pytest.fixture
def store(engine):
    with session_scope(engine) as session:
        for source in ("sano-bo", "mudo-pe", "vetado-co", "roto-cl", "caido-br", "nuevo-ar"):
            upsert_source(session, id=source, name=source.title(), homepage=f"https://{source}.example/",
                          country=source[-2:].upper(), languages=["es"])
    with session_scope(engine) as session:
        for source in ("sano-bo", "mudo-pe", "vetado-co", "roto-cl", "caido-br"):
            for day in range(3, 30, 3):  # a baseline of about 2 articles a day
                add_articles(session, source, 6, day + 0.5)
        add_articles(session, "sano-bo", 5, 0.5)
        add_articles(session, "roto-cl", 6, 0.5, dated=False)
        answered = {"answered": 20, "errors": 0, "new": 5}
        add_run(session, 1, {"sano-bo": answered, "mudo-pe": {"answered": 20, "unchanged": 3}})
        add_run(session, 2, {"vetado-co": {"answered": 2, "errors": 18, "error:http-403": 12, "error:http-429": 4}},
                status="finished")
        add_run(session, 3, {"roto-cl": {"answered": 20, "new": 6, "dropped": 14, "dropped:no-text": 14}})
        add_run(session, 24 * 40, {"caido-br": {"answered": 10, "new": 4}})  # its last success, long ago
        add_run(session, 4, {"caido-br": {"errors": 6}}, errors={"timeout": 6})  # one source: kinds run-wide
    return engine


def test_verdicts_and_figures(store) -> None:
    rows = {row.source: row for row in source_health(store, HealthOptions(now=NOW))}
    assert {source: row.verdict for source, row in rows.items()} == {
        "sano-bo": "healthy", "mudo-pe": "quiet", "vetado-co": "blocked", "roto-cl": "broken",
        "caido-br": "failing", "nuevo-ar": "failing"}
    healthy = rows["sano-bo"]
    assert healthy.per_day_now == 2.5 and 1.5 <= healthy.per_day_baseline <= 2.5
    assert healthy.last_success == NOW - timedelta(hours=1) and healthy.requests == 20
    assert rows["mudo-pe"].per_day_now == 0 and "usual" in rows["mudo-pe"].reason
    assert rows["vetado-co"].http_403 == 0.6 and rows["vetado-co"].http_429 == 0.2
    assert rows["roto-cl"].no_body == 0.7 and rows["roto-cl"].no_date == 1.0
    assert rows["caido-br"].last_success == NOW - timedelta(hours=24 * 40)
    assert rows["caido-br"].last_run == NOW - timedelta(hours=4) and "days" in rows["caido-br"].reason
    assert rows["nuevo-ar"].last_success is None and rows["nuevo-ar"].per_day_baseline is None


def test_a_source_is_only_failing_after_its_intervals(store) -> None:
    later = HealthOptions(now=NOW + timedelta(hours=7))
    assert {r.source: r.verdict for r in source_health(store, later)}["sano-bo"] == "failing"
    slow = HealthOptions(now=NOW + timedelta(hours=7), intervals={"sano-bo": 24 * 60})
    assert {r.source: r.verdict for r in source_health(store, slow)}["sano-bo"] != "failing"


def test_status_command_table_and_json(store, db_url: str) -> None:
    result = CliRunner().invoke(main, ["status", "--format", "json", "--db", db_url])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["verdict"] == "blocked" and {r["source"] for r in rows} >= {"sano-bo", "caido-br"}
    assert all(r["last_success"] is None or r["last_success"].endswith("+00:00") for r in rows)
    table = CliRunner().invoke(main, ["status", "--db", db_url])
    assert table.exit_code == 0 and "vetado-co" in table.output and "blocked" in table.output


def test_status_page_and_json(store) -> None:
    client = TestClient(create_app(store))
    page = client.get("/status")
    assert page.status_code == 200 and "vetado-co" in page.text and 'class="blocked"' in page.text
    data = client.get("/status.json").json()
    assert {row["source"]: row["verdict"] for row in data["sources"]}["roto-cl"] == "broken"


def test_an_empty_store_has_no_rows(engine) -> None:
    assert source_health(engine) == []
    assert "No source" in CliRunner().invoke(main, ["status", "--db", engine.url.render_as_string()]).output
