"""End to end: `protestwire demo` crawls the replay outlets on 127.0.0.1 with the real spiders.

Scrapy's reactor runs once per process, so each crawl runs in a subprocess, as a user runs it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from storage.db import connect, session_scope
from storage.models import Article, CrawlRun
from tests.conftest import expected_articles
from tests.helpers import free_first_port

EXPECTED = expected_articles()
FETCHABLE = [c for c in EXPECTED if not c.fields.get("robots_disallowed")]


def protestwire(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "protestwire", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})




@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> tuple[str, Path, subprocess.CompletedProcess[str], str]:
    workdir = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{workdir / 'demo.db'}"
    first_port = free_first_port()
    result = protestwire("demo", "--db", url, "--first-port", first_port, cwd=workdir)
    assert result.returncode == 0, result.stderr
    return url, workdir, result, first_port


def stored(url: str) -> list[Article]:
    engine = connect(url)
    with session_scope(engine) as session:
        articles = list(session.scalars(select(Article)))
    engine.dispose()
    return articles


def test_demo_prints_a_summary(demo_store) -> None:
    _, _, result, _ = demo_store
    for heading in ("Crawl runs", "Articles per outlet", "Sample search", "protestwire search", "protestwire feed"):
        assert heading in result.stdout


def test_every_reachable_article_is_stored_once(demo_store) -> None:
    url, _, _, _ = demo_store
    articles = stored(url)
    assert len(articles) == len(FETCHABLE)
    by_path = {a.canonical_url.split("/", 3)[3]: a for a in articles}
    for case in FETCHABLE:
        article = by_path["/".join(case.path.split("/")[1:])]
        assert article.title == case.fields["title"]
        assert article.source_id == case.site.id
        assert article.language == case.fields["language"]
        assert article.protest is case.fields["protest"], case.case_id


def test_robots_txt_is_obeyed(demo_store) -> None:
    url, _, _, _ = demo_store
    forbidden = [c.path for c in EXPECTED if c.fields.get("robots_disallowed")]
    assert forbidden, "the replay sites should include a page robots.txt forbids"
    assert not [a for a in stored(url) if any(a.url.endswith(path) for path in forbidden)]


def test_tracking_parameters_do_not_make_a_second_article(demo_store) -> None:
    url, _, _, _ = demo_store
    assert not [a for a in stored(url) if "utm_" in a.canonical_url]


def test_the_wire_copy_points_at_the_first_copy(demo_store) -> None:
    url, _, _, _ = demo_store
    copies = [a for a in stored(url) if a.duplicate_of is not None]
    assert len(copies) == 1
    original = next(a for a in stored(url) if a.id == copies[0].duplicate_of)
    assert {copies[0].source_id, original.source_id} == {"voz-cauca-co", "altiplano-bo"}


def test_crawl_runs_are_recorded(demo_store) -> None:
    url, _, _, _ = demo_store
    engine = connect(url)
    with session_scope(engine) as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    assert {r.spider for r in runs} == {"feeds", "sitemaps"}
    assert all(r.status == "finished" and r.finished_at >= r.started_at for r in runs)
    assert sum(r.articles_new + r.articles_duplicate for r in runs) == len(FETCHABLE)
    feeds = next(r for r in runs if r.spider == "feeds")
    assert feeds.errors.get("robots-txt") == 1 and feeds.warc_path
    assert feeds.pages_fetched > 0 and "altiplano-bo" in feeds.per_source


def test_search_and_feed_read_what_the_demo_stored(demo_store) -> None:
    url, workdir, _, _ = demo_store
    result = protestwire("search", "bloqueo*", "--country", "BO", "--format", "json", "--db", url, cwd=workdir)
    assert result.returncode == 0 and "Transportistas bloquean la carretera Oruro-La Paz" in result.stdout
    hits = json.loads(protestwire("search", "--event-country", "BO", "--protest-type", "blockade", "--format", "json",
                                  "--db", url, cwd=workdir).stdout)
    assert any(hit["title"].startswith("Transportistas bloquean la carretera Oruro-La Paz") for hit in hits)
    assert all(hit["event_country"] == "BO" and hit["places"] for hit in hits)
    feed = protestwire("feed", '"paro nacional"', "--format", "atom", "--db", url, cwd=workdir)
    parsed = feedparser.parse(feed.stdout)
    assert not parsed.bozo and parsed.entries


def test_the_crawl_keeps_every_protest_story_s_event_record(demo_store) -> None:
    """The Scrapy store pipeline writes each story's event record with its articles (issue 21):
    every canonical protest story has exactly one, and a rebuild finds nothing to recode."""
    url, workdir, _, _ = demo_store
    from protestwire.story_events import refresh_story_events
    from storage.models import StoryEvent

    articles = stored(url)
    stories = {a.story_id or a.id for a in articles if a.protest and a.duplicate_of is None}
    assert stories
    engine = connect(url)
    with session_scope(engine) as session:
        events = {e.story_id: e for e in session.scalars(select(StoryEvent))}
    assert set(events) == stories
    assert all(e.country and e.record["reports"] >= 1 for e in events.values())
    rebuilt = refresh_story_events(engine)
    engine.dispose()
    assert (rebuilt.coded, rebuilt.removed, rebuilt.unchanged) == (0, 0, len(stories))
    exported = protestwire("events", "--db", url, cwd=workdir)
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == len(stories)


def test_running_the_demo_again_adds_nothing(demo_store) -> None:
    url, workdir, _, first_port = demo_store
    before = len(stored(url))
    again = protestwire("demo", "--db", url, "--first-port", first_port, cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert len(stored(url)) == before
    engine = connect(url)
    with session_scope(engine) as session:
        latest = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(2)))
    assert sum(r.articles_new for r in latest) == 0


def test_demo_on_a_taken_port_stops_with_a_clear_error_and_stores_nothing(tmp_path: Path) -> None:
    # Other ports would give the replay pages other URLs, and a second copy of every article.
    first_port = free_first_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(first_port) + 1))
        taken.listen()
        result = protestwire("demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}", "--first-port", first_port,
                             cwd=tmp_path)
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert f"port {int(first_port) + 1} on 127.0.0.1 is in use" in message and "--first-port" in message
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "demo.db").exists()
