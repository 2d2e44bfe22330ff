"""Re-extraction from WARC captures: the stored article is redone from its raw page, nothing fetched."""

import subprocess
import sys

from sqlalchemy import select, update

from storage.db import connect, session_scope
from storage.models import Article
from tests.test_crawl import protestwire


def test_reextract_restores_articles_from_their_captures(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert protestwire("demo", "--db", url, cwd=tmp_path).returncode == 0
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
