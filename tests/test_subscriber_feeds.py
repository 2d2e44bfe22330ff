"""Saved searches, ready-made feeds and `feeds build` (issue 13): every feed valid, links absolute."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import html
from click.testing import CliRunner
from starlette.testclient import TestClient

from feeds import render_feed
from protestwire.cli import main
from storage.db import connect
from storage.saved_searches import SavedSearchError, get_search, query_fields, query_of, save_search
from storage.search import SearchHit, SearchQuery, build_query
from storage.story_members import Member
from tests.feed_check import check_feed, problems
from tests.test_ingest_export import LINES
from web import create_app


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def ingested(tmp_path: Path, db_url: str) -> str:
    """The coca blockade reported by four outlets in es/pt/en, and another blockade."""
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    assert run("ingest", str(source), "--db", db_url).exit_code == 0
    return db_url


def test_a_saved_search_keeps_every_filter(engine) -> None:
    query = build_query(text='"paro nacional" OR huelga', country="co", language="es", source="eltiempo-co",
                        since="2026-11-01", until="2026-11-30", tz="America/Bogota", protest_only=True,
                        event_country="CO", protest_type="strike", place="Cali", sort="newest", raw=False,
                        collapse="thread", default_sort="newest")
    assert query_of(query_fields(query)) == query
    save_search(engine, "paro-co", query)
    saved = get_search(engine, "paro-co")
    assert saved is not None and saved.query == query and saved.query.since == date(2026, 11, 1)
    with pytest.raises(SavedSearchError, match="exists"):
        save_search(engine, "paro-co", query)
    save_search(engine, "paro-co", SearchQuery(text="paro"), replace_existing=True)
    assert get_search(engine, "paro-co").query.text == "paro"


@pytest.mark.parametrize("name", ["Bloqueos", "all", "search", "country", "a/b", "", "x" * 65, "-x", "a.b"])
def test_bad_or_taken_names_are_refused(engine, name: str) -> None:
    with pytest.raises(SavedSearchError):
        save_search(engine, name, SearchQuery())


def test_feeds_add_list_remove_from_the_cli(ingested: str) -> None:
    added = run("feeds", "add", "coca-bo", "--q", "coca", "--protest", "--protest-type", "blockade", "--db", ingested)
    assert added.exit_code == 0 and "/feeds/coca-bo.atom" in added.output
    assert run("feeds", "add", "coca-bo", "--q", "coca", "--db", ingested).exit_code == 1  # taken
    assert run("feeds", "add", "x", "coca", "--q", "coca", "--db", ingested).exit_code == 1  # text twice
    assert run("feeds", "add", "bad", "--country", "Bolivia", "--db", ingested).exit_code == 1
    listed = run("feeds", "list", "--db", ingested)
    assert "coca-bo" in listed.output and "protest type blockade" in listed.output
    import json

    (row,) = json.loads(run("feeds", "list", "--format", "json", "--db", ingested).output)
    assert row["query"]["protest_type"] == "blockade" and row["query"]["sort"] == "newest"
    assert run("feeds", "remove", "coca-bo", "--db", ingested).exit_code == 0
    assert run("feeds", "remove", "coca-bo", "--db", ingested).exit_code == 1
    assert "No saved searches" in run("feeds", "list", "--db", ingested).output


@pytest.fixture
def client(ingested: str) -> TestClient:
    engine = connect(ingested)
    save_search(engine, "coca", build_query(text="coca", default_sort="newest"))
    yield TestClient(create_app(engine))
    engine.dispose()


@pytest.mark.parametrize("fmt", ["atom", "rss"])
@pytest.mark.parametrize("path", ["all", "country/BO", "type/blockade", "coca"])
def test_served_feeds_are_valid_and_absolute(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(f"/feeds/{path}.{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
    parsed = check_feed(response.content)
    assert parsed.entries, path
    self_links = [l.href for l in parsed.feed.links if l.get("rel") == "self"]
    assert self_links == [f"http://testserver/feeds/{path}.{fmt}"]


def test_the_story_entry_links_the_other_reports(client: TestClient) -> None:
    parsed = check_feed(client.get("/feeds/coca.atom").content)
    (entry,) = parsed.entries
    assert entry.id == entry.link and entry.link.startswith("https://")
    assert "Also reported by 3 other outlets." in entry.summary
    others = {"https://diariodelvalle.example/coca", "https://folha.example/coca", "https://ap.example/coca",
              "https://efe.example/coca"} - {entry.link}
    assert all(f'href="{url}"' in entry.summary for url in others), entry.summary
    schemes = {(t.scheme.rsplit(":", 1)[1], t.term) for t in entry.tags}
    assert ("protest-type", "blockade") in schemes and ("event-country", "BO") in schemes
    assert entry.published_parsed is not None


def test_ready_made_feeds_filter_as_named(client: TestClient) -> None:
    assert not feedparser.parse(client.get("/feeds/country/AR.atom").content).entries
    assert not feedparser.parse(client.get("/feeds/type/hunger_strike.atom").content).entries
    everything = feedparser.parse(client.get("/feeds/all.rss").content)
    assert len(everything.entries) == 2  # the coca story, the Santa Cruz blockade: one entry per story


@pytest.mark.parametrize(("path", "status"), [
    ("/feeds/nothing.atom", 404), ("/feeds/coca.json", 404), ("/feeds/country/bo.atom", 404),
    ("/feeds/country/BOL.atom", 404), ("/feeds/type/picnic.atom", 404), ("/feeds/planet/BO.atom", 404),
    ("/feeds/coca.atom?q=paro", 400), ("/feeds/all.atom?limit=5", 400),
])
def test_unknown_feeds_and_parameters_are_refused(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status and response.json()["error"]["status"] == status


def test_the_feed_index_lists_every_feed(client: TestClient) -> None:
    response = client.get("/feeds/index.opml")
    assert response.status_code == 200
    assert 'xmlUrl="http://testserver/feeds/coca.atom"' in response.text
    assert 'xmlUrl="http://testserver/feeds/country/BO.atom"' in response.text
    assert client.get("/openapi.json").status_code == 200  # every new route is described


def test_feeds_build_writes_every_feed_as_valid_static_files(ingested: str, tmp_path: Path) -> None:
    engine = connect(ingested)
    save_search(engine, "coca", build_query(text="coca", default_sort="newest"))
    engine.dispose()
    out = tmp_path / "site"
    result = run("feeds", "build", str(out), "--base-url", "https://pw.example/feeds/", "--db", ingested)
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*"))
    assert {"all.atom", "all.rss", "coca.atom", "coca.rss", "country/BO.atom", "country/PE.rss",
            "type/blockade.atom", "type/strike.rss", "index.opml"} <= set(files)
    for name in files:
        if name.endswith((".atom", ".rss")):
            parsed = check_feed((out / name).read_bytes())
            assert [l.href for l in parsed.feed.links if l.get("rel") == "self"] == [f"https://pw.example/feeds/{name}"]
    before = {name: (out / name).stat().st_mtime_ns for name in files}
    again = run("feeds", "build", str(out), "--base-url", "https://pw.example/feeds/", "--db", ingested)
    assert " 0 file(s) written" in again.output  # unchanged feeds are not rewritten
    assert {name: (out / name).stat().st_mtime_ns for name in files} == before
    assert run("feeds", "build", str(out), "--base-url", "pw.example", "--db", ingested).exit_code == 1


HOSTILE = SearchHit(
    id=7, url="https://bo.example/7", canonical_url="https://bo.example/7", title="Marcha <script>alert(1)</script>",
    subtitle='Vecinos <img src=x onerror="alert(2)"> marchan & exigen <a href="javascript:alert(3)">agua</a>',
    published=datetime(2026, 11, 20, 15, tzinfo=timezone.utc), published_offset_minutes=-240, language="es",
    source="altiplano-bo", source_name="El <b>Altiplano</b>", country="BO", protest_types=["march"], story_id=7,
    also_reported_by=2)
REPORTS = {7: [
    Member(id=8, title="x", url="javascript:alert(4)", source="evil", source_name="Evil", country="BO",
           language="es", published=None, duplicate_of=None),
    Member(id=9, title="y", url="https://pe.example/9", source="andino-pe", source_name="Observador <Andino>",
           country="PE", language="es", published=None, duplicate_of=None),
    Member(id=10, title="z", url="https://pe.example/10", source="andino-pe", source_name="Observador", country="PE",
           language="es", published=None, duplicate_of=None),
]}


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_summaries_are_sanitised_html_with_only_web_links(fmt: str) -> None:
    document = render_feed([HOSTILE], SearchQuery(), fmt, reports=REPORTS, self_url="https://pw.example/f")
    assert not problems(document)
    (entry,) = feedparser.parse(document).entries
    summary = entry.summary
    tree = html.fragment_fromstring(summary, create_parent="div")
    assert {element.tag for element in tree.iter()} <= {"div", "p", "a", "em"}  # stored text stays text
    assert tree.xpath("//a/@href") == ["https://pe.example/9"]  # one link per outlet, web links only
    assert not [name for element in tree.iter() for name in element.attrib if name != "href"]
    assert 'onerror="alert(2)"' in tree.text_content()  # shown, as text


def test_without_nh3_summaries_are_plain_text(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_nh3(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if name == "nh3":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nh3)
    document = render_feed([HOSTILE], SearchQuery(), "atom", reports=REPORTS)
    assert not problems(document)
    (entry,) = feedparser.parse(document).entries
    assert "Also reported by: Observador <Andino> <https://pe.example/9>." in entry.summary
