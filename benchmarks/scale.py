"""The issue 20 table: what users run, timed on realistic stores of each size (benchmarks/search.py --sizes).

Each query kind runs through the functions the CLI, API and feeds call (``search_page``, ``search``
with ``render_feed``, ``iter_articles`` with ``csv_lines``, ``facet_counts``), in-process, after one
warm-up run; p50/p95 over up to 20 runs (fewer when a run is slow). The floor is SQLite FTS5's own
``ORDER BY rank LIMIT 20`` on the same store: rowids and bm25 only, no article read.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import DAYS, RARE_RANK, START, bulk, ingest, synthetic_word  # noqa: E402
from storage.db import connect, init_db  # noqa: E402
from storage.search import SearchQuery, search, search_page  # noqa: E402

RUNS, BUDGET = 20, 8.0  # runs per query kind, and seconds spent on one at most
EXPORT_ROWS = 20_000


def percentiles(run: Callable[[], object]) -> tuple[float, float, object]:
    result = run()
    times: list[float] = []
    spent = 0.0
    while len(times) < RUNS and (spent < BUDGET or len(times) < 3):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
        spent += times[-1]
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, result


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def queries(size: int) -> dict[str, SearchQuery]:
    last = (START + timedelta(days=DAYS)).date()
    return {
        "rare word": SearchQuery(text=synthetic_word(RARE_RANK)),
        "common word, protesta": SearchQuery(text="protesta"),
        "very common word, de": SearchQuery(text="de"),
        'phrase "paro nacional"': SearchQuery(text='"paro nacional"'),
        "protesta + country + 90 days + protest + es": SearchQuery(
            text="protesta", country="AR", since=last - timedelta(days=90), until=last, protest_only=True,
            language="es"),
        "filters only (country, protest, es)": SearchQuery(country="AR", protest_only=True, language="es"),
        "newest first, protesta": SearchQuery(text="protesta", sort="newest"),
    }


def time_store(engine, size: int) -> None:
    from feeds import render_feed
    from storage.export import csv_lines, iter_articles
    from storage.facets import facet_counts
    from storage.search import latest_change

    for label, query in queries(size).items():
        p50, p95, page = percentiles(lambda: search_page(engine, query))
        total = f"{'' if page.total_exact else '~'}{page.total:,}"  # type: ignore[attr-defined]
        print(f"  {label:<46} {_ms(p50):>10} {_ms(p95):>10}   total {total}")
    feed = SearchQuery(text="protesta", sort="newest")
    p50, p95, _ = percentiles(lambda: render_feed(search(engine, feed), feed, "atom", updated=latest_change(engine)))
    print(f"  {'Atom feed of protesta':<46} {_ms(p50):>10} {_ms(p95):>10}")
    for label, query in (("facets, every article", SearchQuery()), ("facets, protesta", SearchQuery(text="protesta"))):
        p50, p95, _ = percentiles(lambda: facet_counts(engine, query))
        print(f"  {label:<46} {_ms(p50):>10} {_ms(p95):>10}")
    began, rows = time.perf_counter(), 0
    for _ in csv_lines(iter_articles(engine, SearchQuery())):
        rows += 1
        if rows > EXPORT_ROWS:
            break
    print(f"  {'CSV export':<46} {rows / (time.perf_counter() - began):>10,.0f} rows/s")
    if engine.dialect.name == "sqlite":
        for word in (synthetic_word(RARE_RANK), "protesta", "de"):
            floor = f"SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH '{word}' ORDER BY rank LIMIT 20"
            with engine.connect() as connection:
                p50, p95, _ = percentiles(lambda: connection.exec_driver_sql(floor).all())
            print(f"  {'floor: FTS5 bm25 top 20, ' + word:<46} {_ms(p50):>10} {_ms(p95):>10}")


def run_sizes(sizes: list[int], *, db: str | None, build: str, keep: str | None, reuse: str | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            folder = Path(reuse or keep or scratch)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"bench-{size}.db"
            url = db or f"sqlite:///{path}"
            engine = connect(url)
            if not reuse:
                if not db and path.exists():
                    path.unlink()
                init_db(engine)
                how = build if build != "auto" else ("ingest" if size <= 10_000 else "bulk")
                began = time.perf_counter()
                last = [began]

                def progress(done: int) -> None:
                    if done % 50_000 == 0:
                        now = time.perf_counter()
                        print(f"    {done:,} stored, {50_000 / (now - last[0]):,.0f} articles/s", flush=True)
                        last[0] = now

                (ingest(engine, size) if how == "ingest" else bulk(engine, size, progress=progress))
                seconds = time.perf_counter() - began
                print(f"{size:,} articles on {engine.dialect.name} by {how} in {seconds:.1f} s "
                      f"({size / seconds:,.0f} articles/s)", flush=True)
            else:
                init_db(engine)  # migrations a kept store lacks
            if engine.dialect.name == "sqlite":
                print(f"  store size {path.stat().st_size / 2**20:,.0f} MiB")
            print(f"  {'query kind':<46} {'p50':>10} {'p95':>10}")
            time_store(engine, size)
            engine.dispose()
