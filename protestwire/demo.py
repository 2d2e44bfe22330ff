"""`protestwire demo`: crawl the bundled replay outlets on 127.0.0.1 into the store, then summarise.

The outlets are served on fixed ports (8750 onwards, or ``--first-port``) because the stored URLs
carry the port; when one is taken the demo stops rather than store every article again under
other URLs.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select

from crawlers.run import run_crawl
from protestwire.replay.server import RunningSite, load_sites, serve_sites
from protestwire.tables import hits_table, plain_row, runs_table
from protestwire.upgrade import upgrade_store
from storage.db import connect, session_scope
from storage.models import Article
from storage.search import SearchQuery, search

# The replay servers answer in microseconds; politeness delays would only slow the demo.
DEMO_CRAWL_SETTINGS = {
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 1.0,
    "DOWNLOAD_DELAY": 0.0,
    "LOG_LEVEL": "WARNING",
    # The replay articles keep their November 2026 dates however old they get.
    "PROTESTWIRE_MAX_ARTICLE_AGE_DAYS": 0,
}
SAMPLE_SEARCH = "bloqueo*"
# Fixed ports keep the replay URLs, hence the stored canonical URLs, the same on every run.
DEMO_FIRST_PORT = 8750


def outlet_table(db_url: str, running: list[RunningSite]) -> Table:
    engine = connect(db_url)
    table = Table(title=Text("Articles per outlet"), title_justify="left")
    for name in ("outlet", "country", "lang", "articles", "protest", "wire copies"):
        table.add_column(name, justify="right" if name in ("articles", "protest", "wire copies") else "left")
    with session_scope(engine) as session:
        for site in running:
            source = Article.source_id == site.site.id
            total = session.scalar(select(func.count()).where(source)) or 0
            protest = session.scalar(select(func.count()).where(source, Article.protest.is_(True))) or 0
            copies = session.scalar(select(func.count()).where(source, Article.duplicate_of.is_not(None))) or 0
            table.add_row(*plain_row(site.site.name, site.site.country, ",".join(site.site.languages), total,
                                     protest, copies))
    engine.dispose()
    return table


def run_demo(db_url: str, console: Console, *, serve: bool = False, first_port: int = DEMO_FIRST_PORT) -> None:
    """Serve the replay outlets on ``first_port`` onwards, crawl them into the store, show the result.
    Raises ``PortInUse`` before touching the store when one of those ports is taken."""
    sites = load_sites()
    with serve_sites(sites, first_port=first_port) as running:
        engine = connect(db_url)
        upgrade_store(engine, console)
        console.print(f"Serving {len(running)} replay outlets on 127.0.0.1 (no network needed):")
        for site in running:
            console.print(f"  {site.site.name:<28} {site.base_url}/")
        console.print("Crawling their feeds and news sitemaps with the real spiders...")
        started = time.perf_counter()
        overrides = {**DEMO_CRAWL_SETTINGS, "PROTESTWIRE_PROGRESS": console.is_terminal}
        summaries = run_crawl([s.as_source() for s in running], db_url, overrides=overrides)
        console.print(f"Crawled in {time.perf_counter() - started:.1f} s.")
        console.print(runs_table(summaries))
        console.print(outlet_table(db_url, running))
        hits = search(engine, SearchQuery(text=SAMPLE_SEARCH, limit=5))
        console.print(hits_table(hits, f"Sample search: protestwire search '{SAMPLE_SEARCH}'"))
        db_flag = "" if db_url.endswith("///protestwire.db") else f" --db {db_url}"
        console.print(
            "\nNext:\n"
            f"  protestwire search 'greve' --lang pt{db_flag}\n"
            f"  protestwire search 'bloqueo*' --country BO --protest{db_flag}\n"
            f"  protestwire feed '\"paro nacional\"' --format atom{db_flag} > paro.atom\n"
        )
        if serve:
            console.print("Serving the replay sites until Ctrl-C (feeds listed in each site's robots.txt and homepage).")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                console.print("Stopped.")
    engine.dispose()
