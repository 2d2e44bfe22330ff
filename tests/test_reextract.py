"""Re-extraction from WARC captures: the stored article is redone from its raw page, nothing fetched."""

import subprocess
import sys

from sqlalchemy import select, update

from storage.db import connect, session_scope
from storage.models import Article
from tests.helpers import free_first_port
from tests.test_crawl import protestwire


def test_reextract_restores_articles_from_their_captures(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert protestwire("demo", "--db", url, "--first-port", free_first_port(), cwd=tmp_path).returncode == 0
    engine = connect(url)
    with session_scope(engine) as session:
        before = {a.id: (a.title, a.body, a.protest_score) for a in session.scalars(select(Article))}
        # As if an old, worse extractor had stored these articles.
        session.execute(update(Article).values(body="texto viejo", title="título viejo", protest_score=0.0))
    result = subprocess.run([sys.executable, "-m", "protestwire", "reextract", "--db", url, "--workers", "1"],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Re-extracted {len(before)} article(s): updated {len(before)}." in " ".join(result.stdout.split())
    with session_scope(engine) as session:
        after = {a.id: (a.title, a.body, a.protest_score) for a in session.scalars(select(Article))}
    assert after == before


def test_reextract_of_an_older_store_leaves_fingerprinting_to_the_backfill(tmp_path) -> None:
    from protestwire.backfill import backfill_fingerprints
    from protestwire.reextract import reextract
    from tests.test_backfill import forget_fingerprints

    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert protestwire("demo", "--db", url, "--first-port", free_first_port(), cwd=tmp_path).returncode == 0
    engine = connect(url)
    forget_fingerprints(engine)  # as a store from before migration 0006 holds its articles
    with session_scope(engine) as session:
        session.execute(update(Article).values(body="texto viejo", title="título viejo"))

    reextract(engine, workers=0)
    report = backfill_fingerprints(engine)

    with session_scope(engine, write=False) as session:
        articles = session.scalars(select(Article)).all()
    assert report.fingerprinted == len(articles)
    assert all(a.story_features is not None and a.story_id is not None for a in articles)


def test_reextract_keeps_what_the_feed_gave_when_the_page_does_not(tmp_path) -> None:
    """The demo's altiplano-bo authors come from the feed's dc:creator only: the page alone has none."""
    from protestwire.reextract import reextract

    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert protestwire("demo", "--db", url, "--first-port", free_first_port(), cwd=tmp_path).returncode == 0
    engine = connect(url)
    stored = ("title", "subtitle", "authors", "published", "published_source", "published_offset_minutes",
              "published_confidence", "modified", "modified_source", "language", "section", "tags", "image",
              "site_name", "body", "protest_score", "event_country")

    def fields() -> dict[int, tuple]:
        with session_scope(engine, write=False) as session:
            return {a.id: tuple(getattr(a, name) for name in stored) for a in session.scalars(select(Article))}

    before = fields()
    assert any(row[stored.index("authors")] for row in before.values())
    outcomes = reextract(engine, workers=0)
    assert outcomes == {"unchanged": len(before)}
    assert fields() == before


def test_earlier_values_fill_only_what_the_page_no_longer_gives() -> None:
    from datetime import datetime, timezone

    from pipeline.types import ExtractedArticle
    from protestwire.reextract import keep_earlier

    fresh = ExtractedArticle(url="https://x.example/a", canonical_url="https://x.example/a", title="Paro",
                             body="texto", authors=[], section="Política", published=None,
                             published_source=None, language="es")
    earlier = {"authors": ["Mario Choque Apaza"], "section": "Nacional", "tags": ["paro"],
               "published": datetime(2026, 11, 21, 12, 15, tzinfo=timezone.utc), "published_source": "feed",
               "published_offset_minutes": -240, "published_confidence": 0.85, "modified": None,
               "modified_source": None, "image": None, "subtitle": None, "site_name": None, "language": "pt",
               "title": "Otro"}
    kept = keep_earlier(fresh, earlier)
    assert kept.authors == ["Mario Choque Apaza"] and kept.tags == ["paro"]
    assert kept.section == "Política" and kept.language == "es" and kept.title == "Paro"  # the page still gives these
    assert (kept.published, kept.published_source, kept.published_offset_minutes, kept.published_confidence) == (
        earlier["published"], "feed", -240, 0.85)
