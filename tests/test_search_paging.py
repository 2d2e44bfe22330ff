"""Pages chosen on keys (storage/paging.py): cursors, recency bands, estimated totals (issue 20)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from benchmarks.synthetic import bulk
from storage import paging
from storage.search import QueryError, SearchQuery, build_query, search, search_page


@pytest.fixture
def store(any_engine):
    bulk(any_engine, 400, batch=100)
    return any_engine


def walk(engine, query: SearchQuery, *, by: str = "cursor") -> list[int]:
    """Every result id, page after page, by cursor or by offset."""
    ids: list[int] = []
    current = query
    for _ in range(200):
        page = search_page(engine, current)
        ids += [hit.id for hit in page.hits]
        if page.next_offset is None:
            assert page.next_cursor is None
            return ids
        fields = {name: getattr(query, name) for name in query.__dataclass_fields__}
        if by == "cursor":
            current = SearchQuery(**{**fields, "cursor": page.next_cursor, "offset": 0})
        else:
            current = SearchQuery(**{**fields, "offset": page.next_offset})
    raise AssertionError("paging did not end")


def stories(engine, ids: list[int]) -> list[int]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from storage.models import Article

    with Session(engine) as session:
        rows = dict(session.execute(select(Article.id, Article.story_id).where(Article.id.in_(ids))).all())
    return [rows[i] or i for i in ids]


@pytest.mark.parametrize("query", [
    SearchQuery(sort="newest", limit=7), SearchQuery(text="protesta", sort="newest", limit=9),
    SearchQuery(text="protesta", sort="newest", limit=9, expand=True),
    SearchQuery(country="AR", protest_only=True, limit=3), SearchQuery(text="protesta", limit=8),
    SearchQuery(sort="newest", limit=6, collapse="thread"),
])
def test_cursor_pages_follow_on_exactly_as_one_long_page(store, query) -> None:
    whole = [hit.id for hit in search(store, SearchQuery(**{**query.__dict__, "limit": 1000}))]
    assert whole
    assert walk(store, query) == whole
    assert walk(store, query, by="offset") == whole
    if not query.expand:  # one result per story, never a story twice across pages
        assert len(set(stories(store, whole))) == len(whole)


def test_newest_pages_are_in_date_order(store) -> None:
    hits = search(store, SearchQuery(text="protesta", sort="newest", limit=100))
    dates = [hit.published for hit in hits]
    assert dates == sorted(dates, reverse=True)


def test_relevance_ranks_the_newest_band_first(store, monkeypatch) -> None:
    monkeypatch.setattr(paging, "RANK_BAND", 50)
    ids = walk(store, SearchQuery(text="protesta", limit=6))
    assert ids == [hit.id for hit in search(store, SearchQuery(text="protesta", limit=1000))]
    if store.dialect.name == "sqlite":  # bands of ids: 351-400, then 1-350
        first_old = next(i for i, article_id in enumerate(ids) if article_id <= 350)
        assert all(article_id > 350 for article_id in ids[:first_old])
        assert all(article_id <= 350 for article_id in ids[first_old:])


def test_totals_are_exact_when_cheap_and_labelled_estimates_past_it(store, monkeypatch) -> None:
    exact = search_page(store, SearchQuery(text="protesta"))
    assert exact.total_exact
    assert exact.total == len(search(store, SearchQuery(text="protesta", limit=1000)))
    monkeypatch.setattr(paging, "EXACT_COUNT", 20)
    estimated = search_page(store, SearchQuery(text="protesta"))
    assert not estimated.total_exact
    assert exact.total / 2 <= estimated.total <= exact.total * 2
    rare = search_page(store, SearchQuery(text="protesta", country="AR", protest_only=True))
    assert rare.total_exact and rare.total == len(search(store, SearchQuery(text="protesta", country="AR",
                                                                             protest_only=True, limit=1000)))


def test_a_tampered_or_foreign_cursor_is_a_clear_query_error(store) -> None:
    page = search_page(store, SearchQuery(text="protesta", sort="newest"))
    cursor = page.next_cursor
    assert cursor and set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    body, _, signature = cursor.partition(".")
    edited = ("B" if body[5] != "B" else "C").join((body[:5], body[6:])) + "." + signature
    assert len(cursor) < 60
    for bad in (edited, cursor[:-3], "garbage", cursor + "x"):
        with pytest.raises(QueryError, match="cursor is not one protestwire gave"):
            SearchQuery(text="protesta", sort="newest", cursor=bad)
    with pytest.raises(QueryError, match="another search"):
        SearchQuery(text="huelga", sort="newest", cursor=cursor)
    with pytest.raises(QueryError, match="not both"):
        build_query(text="protesta", sort="newest", cursor=cursor, offset="20")
    assert SearchQuery(text="protesta", sort="newest", limit=50, cursor=cursor)  # another page size is fine


def test_the_api_gives_and_takes_cursors(store) -> None:
    from web import create_app

    client = TestClient(create_app(store))
    first = client.get("/api/articles", params={"q": "protesta", "sort": "newest", "limit": 5}).json()
    assert first["next_cursor"] and first["count"] == 5
    second = client.get("/api/articles", params={"q": "protesta", "sort": "newest", "limit": 5,
                                                 "cursor": first["next_cursor"]}).json()
    whole = client.get("/api/articles", params={"q": "protesta", "sort": "newest", "limit": 10}).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [r["id"] for r in whole["results"]]
    assert second["offset"] == 5
    refused = client.get("/api/articles", params={"q": "protesta", "sort": "newest", "cursor": "x" + first["next_cursor"]})
    assert refused.status_code == 400 and "cursor" in refused.json()["error"]["message"]


def test_the_cli_pages_by_cursor(store, tmp_path) -> None:
    from click.testing import CliRunner

    from protestwire.cli import main

    if store.dialect.name != "sqlite":
        pytest.skip("the CLI test reads the SQLite store by its path")
    url = store.url.render_as_string(hide_password=False)
    first = CliRunner().invoke(main, ["search", "protesta", "--sort", "newest", "--limit", "3", "--db", url],
                               env={"COLUMNS": "400"})
    assert first.exit_code == 0, first.output
    cursor = "".join(first.output.split("--cursor")[1].split("--limit")[0].split())
    second = CliRunner().invoke(main, ["search", "protesta", "--sort", "newest", "--limit", "3", "--cursor", cursor,
                                       "--db", url, "--format", "json"])
    assert second.exit_code == 0, second.output
    bad = CliRunner().invoke(main, ["search", "protesta", "--sort", "newest", "--cursor", cursor[:-2], "--db", url])
    assert bad.exit_code == 1 and "cursor" in bad.output


def test_collapse_follows_story_links_as_they_change(store) -> None:
    """No stored head flag to keep right: a page collapses on the links as they are now, so a copy
    stored, or a regroup moving an article into another story, shows at once."""
    from sqlalchemy import update

    from storage.models import Article

    query = SearchQuery(sort="newest", limit=1000)
    before = [hit.id for hit in search(store, query)]
    newest, other = before[0], before[1]
    with store.begin() as connection:  # what a regroup writes: the article joins the other's story
        connection.execute(update(Article).where(Article.id == newest).values(story_id=other, thread_id=other))
        connection.execute(update(Article).where(Article.id == other).values(story_id=other, thread_id=other))
    after = [hit.id for hit in search(store, query)]
    assert after[0] == newest and other not in after  # one result for the joined story: its newest
    assert len(after) == len(before) - 1
    with store.begin() as connection:  # a wire copy of it: still one result
        connection.execute(update(Article).where(Article.id == before[2]).values(story_id=None, duplicate_of=other))
    assert [hit.id for hit in search(store, query)] == [i for i in after if i != before[2]]
