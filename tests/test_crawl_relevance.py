"""`crawl --protest-only`: the classifier runs in the extraction workers, and the crawl keeps
only what it scores as protest coverage, counting the rest as dropped "not-protest"."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select

from storage.db import connect, session_scope
from storage.models import Article, CrawlRun
from tests.conftest import expected_articles

CRAWL_PROTESTS_ONLY = """
import sys
from crawlers.run import run_crawl
from protestwire.demo import DEMO_CRAWL_SETTINGS
from protestwire.replay.server import load_sites, serve_sites
from storage.db import connect, init_db
init_db(connect(sys.argv[1]))
with serve_sites(load_sites()) as running:
    run_crawl([site.as_source() for site in running], sys.argv[1],
              overrides={**DEMO_CRAWL_SETTINGS, "PROTESTWIRE_PROTEST_ONLY": True, "PROTESTWIRE_PROGRESS": False})
"""


def test_protest_only_crawl_stores_protests_and_counts_the_rest(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    result = subprocess.run([sys.executable, "-c", CRAWL_PROTESTS_ONLY, db_url], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    engine = connect(db_url)
    with session_scope(engine) as session:
        titles = {a.title for a in session.scalars(select(Article))}
        protest_flags = {a.protest for a in session.scalars(select(Article))}
        runs = list(session.scalars(select(CrawlRun)))
    engine.dispose()
    fetchable = [c for c in expected_articles() if not c.fields.get("robots_disallowed")]
    protests = {c.fields["title"] for c in fetchable if c.fields["protest"]}
    assert protests <= titles and protest_flags == {True}
    assert sum(run.drop_reasons.get("not-protest", 0) for run in runs) >= 1
