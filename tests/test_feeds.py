from datetime import datetime, timedelta, timezone

import feedparser
import pytest

from feeds import render_feed
from storage.search import SearchHit, SearchQuery

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
    parsed = feedparser.parse(render_feed(hits, SearchQuery(text="bloqueo", country="BO"), fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.link for e in parsed.entries] == [h.canonical_url for h in hits]
    first = parsed.entries[0]
    assert first.title == "Bloqueo número 1 en la carretera"
    assert first.author == "Ana Quispe"
    assert first.published_parsed[:3] == (2026, 11, 25)
    assert [t.term for t in first.tags] == ["blockade"]
    assert "bloqueo" in parsed.feed.title and "BO" in parsed.feed.title


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_empty_and_undated_results_still_make_valid_feeds(fmt: str) -> None:
    assert not feedparser.parse(render_feed([], SearchQuery(), fmt)).bozo
    parsed = feedparser.parse(render_feed([hit(1, published=None, authors=[])], SearchQuery(), fmt))
    assert not parsed.bozo and len(parsed.entries) == 1


def test_self_url_is_written() -> None:
    parsed = feedparser.parse(render_feed([hit(1)], SearchQuery(), "atom", self_url="https://pw.example/feed.atom"))
    assert any(link.get("rel") == "self" and link.href == "https://pw.example/feed.atom" for link in parsed.feed.links)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        render_feed([], SearchQuery(), "json")  # type: ignore[arg-type]
