import re
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import feedparser
import pytest

from feeds import render_feed
from storage.search import SearchHit, SearchQuery
from tests.feed_check import check_feed

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)


def hit(number: int, **extra) -> SearchHit:
    fields = dict(
        id=number, url=f"https://bo.example/{number}", canonical_url=f"https://bo.example/{number}",
        title=f"Bloqueo número {number} en la carretera", subtitle="Transportistas exigen diésel.",
        published=NOW - timedelta(days=number), published_offset_minutes=-240, language="es", source="altiplano-bo",
        source_name="Diario El Altiplano", country="BO", authors=["Ana Quispe"], protest=True,
        protest_score=0.9, protest_types=["blockade"],
    )
    fields.update(extra)
    return SearchHit(**fields)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_parses_cleanly_and_keeps_order(fmt: str) -> None:
    hits = [hit(1), hit(2), hit(3)]
    parsed = check_feed(render_feed(hits, SearchQuery(text="bloqueo", country="BO"), fmt))
    assert [e.link for e in parsed.entries] == [h.canonical_url for h in hits]
    first = parsed.entries[0]
    assert first.title == "Bloqueo número 1 en la carretera"
    assert first.author == "Ana Quispe"
    assert first.published_parsed[:3] == (2026, 11, 25)
    assert [(t.term, t.scheme) for t in first.tags] == [
        ("blockade", "tag:protestwire,2026:protest-type"), ("BO", "tag:protestwire,2026:country"),
        ("altiplano-bo", "tag:protestwire,2026:outlet")]
    assert "bloqueo" in parsed.feed.title and "BO" in parsed.feed.title


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_empty_and_undated_results_still_make_valid_feeds(fmt: str) -> None:
    check_feed(render_feed([], SearchQuery(), fmt))
    parsed = check_feed(render_feed([hit(1, published=None, authors=[])], SearchQuery(), fmt))
    assert len(parsed.entries) == 1


def test_self_url_is_written() -> None:
    parsed = feedparser.parse(render_feed([hit(1)], SearchQuery(), "atom", self_url="https://pw.example/feed.atom"))
    assert any(link.get("rel") == "self" and link.href == "https://pw.example/feed.atom" for link in parsed.feed.links)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        render_feed([], SearchQuery(), "json")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_empty_and_undated_feeds_keep_their_time_from_request_to_request(fmt: str) -> None:
    undated = [hit(1, published=None, first_seen=NOW)]
    cases = (([], None), ([], NOW), (undated, None))
    first = [render_feed(hits, SearchQuery(), fmt, updated=updated) for hits, updated in cases]
    time.sleep(1.1)  # feedgen's own default stamp is the second of the request
    assert [render_feed(hits, SearchQuery(), fmt, updated=updated) for hits, updated in cases] == first
    parsed = feedparser.parse(render_feed(undated, SearchQuery(), fmt))
    stamp = parsed.feed.get("updated_parsed")
    assert stamp is not None and stamp[:4] == (2026, 11, 26, 15)
    if fmt == "atom":
        assert parsed.entries[0].updated_parsed[:4] == (2026, 11, 26, 15)


def test_atom_id_is_a_valid_stable_tag_uri() -> None:
    query = SearchQuery(text='"paro  nacional" huelga', country="CO", since=date(2026, 11, 1), limit=5)
    parsed = feedparser.parse(render_feed([hit(1)], query, "atom"))
    feed_id = parsed.feed.id
    assert re.fullmatch(r"tag:protestwire,2026:search\?[A-Za-z0-9._~%&=-]+", feed_id), feed_id
    assert feed_id == "tag:protestwire,2026:search?q=%22paro%20nacional%22%20huelga&country=CO&since=2026-11-01"
    again = feedparser.parse(render_feed([], replace(query, limit=50, offset=10), "atom")).feed.id
    assert again == feed_id
    assert feedparser.parse(render_feed([], SearchQuery(), "atom")).feed.id == "tag:protestwire,2026:search"
