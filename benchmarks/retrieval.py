"""Language-aware full text (issue 12): retrieval quality with and without stems, and what it costs.

1. Write cost: stemming a 500-word article (the work added to each write on SQLite).
2. Quality: the judged set of benchmarks/retrieval_data.py (383 generated es/pt/en articles, 32
   queries with 4-14 known relevant articles each): recall@20 and MRR with stems and accent folding
   (the default) and with exact words only (``stem=False``: accents and case still folded, the
   matching before issue 12), per language.
3. Search cost at a larger store (10,000 articles of ~300 words by default): p50/p95 of a page
   with its total for a few query kinds, exact words vs stems; and the rate of the stem fill that
   an upgraded store runs.

    python benchmarks/retrieval.py                       # SQLite, then PostgreSQL on 127.0.0.1
    python benchmarks/retrieval.py --backends sqlite --articles 2000
PostgreSQL: a database is made and dropped on the server of $PROTESTWIRE_BENCH_POSTGRES
(default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, text  # noqa: E402

from benchmarks.retrieval_data import GeneratedArticle, judged_set, relevant, scaled_set  # noqa: E402
from pipeline import record_from_article  # noqa: E402
from pipeline.store import store_articles, upsert_source  # noqa: E402
from pipeline.types import ExtractedArticle  # noqa: E402
from storage.db import connect, init_db, session_scope  # noqa: E402
from storage.fulltext import fill_stems, search_stems  # noqa: E402
from storage.search import SearchQuery, search, search_page  # noqa: E402

ADMIN_URL = os.environ.get("PROTESTWIRE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
URL_PREFIX = "https://bench.example/"
BATCH = 500
TIMED_QUERIES = [  # (label, query keywords)
    ("common word 'protestas'", {"text": "protestas"}),
    ("rare word 'garimpeiros'", {"text": "garimpeiros"}),
    ("two words 'bloqueos transportistas'", {"text": "bloqueos transportistas"}),
    ("phrase '\"mesa de diálogo\"'", {"text": '"mesa de diálogo"'}),
    ("prefix 'bloque*'", {"text": "bloque*"}),
    ("'(huelga OR paro) -policía'", {"text": "(huelga OR paro) -policía"}),
    ("'huelga' + language + protest only", {"text": "huelga", "language": "es", "protest_only": True}),
]


@contextmanager
def store(backend: str, folder: str, name: str) -> Iterator[Engine]:
    """A new empty store on ``backend``, removed afterwards."""
    if backend == "sqlite":
        engine = connect(f"sqlite:///{folder}/{name}.db")
        init_db(engine)
        yield engine
        engine.dispose()
        return
    database = f"protestwire_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine = connect(admin.url.set(database=database).render_as_string(hide_password=False))
    try:
        init_db(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def fill(engine: Engine, articles: Sequence[GeneratedArticle]) -> float:
    """Store ``articles`` through the store's write code; returns articles per second."""
    with session_scope(engine) as session:
        upsert_source(session, id="bench", name="Bench", homepage=URL_PREFIX, country="BO", languages=["es", "pt"])
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    records = [record_from_article(ExtractedArticle(
        url=URL_PREFIX + a.key, canonical_url=URL_PREFIX + a.key, title=a.title, body=a.body, language=a.language,
        published=start + timedelta(minutes=53 * number), extractor_version="bench"), source_id="bench")
        for number, a in enumerate(articles)]
    began = time.perf_counter()
    for first in range(0, len(records), BATCH):
        with session_scope(engine) as session:
            store_articles(session, records[first:first + BATCH])
    rate = len(records) / (time.perf_counter() - began)
    if engine.dialect.name == "postgresql":
        # As autovacuum leaves a store in use: GIN pending lists merged and statistics taken. Just
        # after a bulk fill both GIN scans cost so much that the planner reads the whole table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE articles"))
    return rate


def quality(engine: Engine, articles: list[GeneratedArticle], stem: bool) -> dict[str, tuple[float, float, int]]:
    """Per language and in all: (mean recall@20, MRR, queries)."""
    _, queries = judged_set()
    scores: dict[str, list[tuple[float, float]]] = {}
    for query in queries:
        wanted = relevant(articles, query)
        hits = search(engine, SearchQuery(text=query.text, limit=20, expand=True, stem=stem))
        keys = [hit.url.removeprefix(URL_PREFIX) for hit in hits]
        recall = len(wanted & set(keys)) / len(wanted)
        reciprocal = next((1 / rank for rank, key in enumerate(keys, 1) if key in wanted), 0.0)
        for group in (query.language, "all"):
            scores.setdefault(group, []).append((recall, reciprocal))
    return {group: (statistics.mean(r for r, _ in values), statistics.mean(m for _, m in values), len(values))
            for group, values in scores.items()}


def percentiles(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _microseconds(run: Callable[[], object], repeat: int) -> float:
    """CPU time per run: on the shared machine, wall time mostly measures the other processes."""
    began = time.process_time()
    for _ in range(repeat):
        run()
    return (time.process_time() - began) / repeat * 1e6


def stemming_cost() -> None:
    """Per article: with its tokens cached (the usual case once a few thousand articles are stored)
    and with none cached (every token stemmed)."""
    from storage import fulltext

    def cold(title: str, body: str, language: str) -> None:
        fulltext._local.token_caches = None
        search_stems(title, None, body, language)

    for language in ("es", "pt", "en"):
        article = next(a for a in scaled_set(50, words=500) if a.language == language)
        words = len(f"{article.title} {article.body}".split())
        warm = _microseconds(lambda: search_stems(article.title, None, article.body, language), 2000)
        uncached = _microseconds(lambda: cold(article.title, article.body, language), 300)
        print(f"  stemming a {words}-word {language} article: {warm:6.0f} µs CPU, {uncached:6.0f} µs with no token "
              "cached")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--articles", type=int, default=10_000, help="size of the store for the timings")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings scale with it)")
    print("Write cost (PyStemmer, per article; SQLite stems at write time, PostgreSQL in a trigger)")
    stemming_cost()
    articles, queries = judged_set()
    with tempfile.TemporaryDirectory() as folder:
        for backend in args.backends.split(","):
            print(f"\n{backend}: judged set, {len(articles)} articles, {len(queries)} queries (recall@20 / MRR)")
            with store(backend, folder, "judged") as engine:
                fill(engine, articles)
                exact, stemmed = quality(engine, articles, stem=False), quality(engine, articles, stem=True)
                for group in ("es", "pt", "en", "all"):
                    (r0, m0, n), (r1, m1, _) = exact[group], stemmed[group]
                    print(f"  {group:<4} {n:>2} queries   exact words {r0:.3f} / {m0:.3f}   "
                          f"stems + accents {r1:.3f} / {m1:.3f}")
            print(f"\n{backend}: {args.articles:,} articles of ~300 words, page of 20 with its total, "
                  f"p50/p95 over {args.repeat} runs (ms)")
            with store(backend, folder, "timing") as engine:
                rate = fill(engine, scaled_set(args.articles))
                print(f"  stored at {rate:,.0f} articles/s through the write code (stems included)")
                for label, keywords in TIMED_QUERIES:
                    before = percentiles(lambda: search_page(engine, SearchQuery(stem=False, **keywords)), args.repeat)
                    after = percentiles(lambda: search_page(engine, SearchQuery(**keywords)), args.repeat)
                    total = search_page(engine, SearchQuery(**keywords)).total
                    print(f"  {label:<42} exact {before[0]:7.1f} / {before[1]:7.1f}   "
                          f"stems {after[0]:7.1f} / {after[1]:7.1f}   ({total:,} results)")
                column = "search_stems" if backend == "sqlite" else "stem_vector"
                with engine.begin() as connection:
                    connection.execute(text(f"UPDATE articles SET {column} = NULL"))
                began = time.perf_counter()
                filled = fill_stems(engine)
                print(f"  stem fill of an upgraded store: {filled / (time.perf_counter() - began):,.0f} articles/s")


if __name__ == "__main__":
    main()
