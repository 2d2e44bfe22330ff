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
    from pipeline.backfill import backfill_fingerprints
    from pipeline.reextract import reextract
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
