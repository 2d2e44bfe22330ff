"""Search cost on a generated store: a page, a page with its total, OR queries, the longest query
allowed, and the refusal of a longer one (issue 18: a 12,000-word query took 13.6 s).

    python benchmarks/search.py                 # 1,000 articles on SQLite in a temporary folder
    python benchmarks/search.py --articles 5000 --db postgresql+psycopg://127.0.0.1/bench

With ``--sizes``, the issue 20 table instead: realistic synthetic stores (benchmarks/synthetic.py)
of each size, built by ingest up to 10,000 articles and by the bulk path above (``--build``), and
p50/p95 of each query kind a user runs, beside SQLite FTS5's own bm25 top-20 (the floor):

    python benchmarks/search.py --sizes 10000,100000
    python benchmarks/search.py --sizes 100000 --keep /tmp/bench   # keep the stores to time again
    python benchmarks/search.py --sizes 100000 --reuse /tmp/bench  # time a kept store, no build
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import record_from_article
from pipeline.store import store_articles, upsert_source
from pipeline.types import ExtractedArticle
from storage.db import connect, init_db, session_scope
from storage.query_syntax import MAX_QUERY_WORDS
from storage.search import QueryError, SearchQuery, search, search_page

WORDS = ["paro", "huelga", "bloqueo", "marcha", "protesta", "carretera", "mineros", "maestros", "gobierno", "precio", "diésel", "salario", "reforma", "agua", "tierra", "transporte", "sindicato", "universidad", "estudiantes", "policía"]


def fill(engine, articles: int) -> None:
    rnd = random.Random(18)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with session_scope(engine) as session:
        upsert_source(session, id="bench-bo", name="Bench", homepage="https://bench.example/", country="BO",
                      languages=["es"])
    records = []
    for number in range(articles):
        body = " ".join(rnd.choice(WORDS) + (str(rnd.randrange(500)) if rnd.random() < 0.6 else "")
                        for _ in range(150))
        url = f"https://bench.example/{number}"
        article = ExtractedArticle(url=url, canonical_url=url, title=f"{' '.join(rnd.sample(WORDS, 6))} {number}",
                                   body=body, language="es", published=start + timedelta(minutes=37 * number),
                                   extractor_version="bench")
        records.append(record_from_article(article, source_id="bench-bo"))
    for begin in range(0, len(records), 500):
        with session_scope(engine) as session:
            store_articles(session, records[begin:begin + 500])


def timed(label: str, run: Callable[[], object], repeat: int = 5) -> None:
    run()
    began = time.perf_counter()
    for _ in range(repeat):
        result = run()
    milliseconds = (time.perf_counter() - began) / repeat * 1000
    extra = f"  total {result.total:,}" if hasattr(result, "total") else ""
    print(f"{label:<48} {milliseconds:9.1f} ms{extra}")


def refuse(text: str) -> object:
    try:
        return SearchQuery(text=text)
    except QueryError as error:
        return error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", help="store URL (default: a new SQLite file)")
    parser.add_argument("--sizes", help="the issue 20 table for these store sizes, e.g. 10000,100000")
    parser.add_argument("--build", choices=("auto", "ingest", "bulk"), default="auto",
                        help="auto: ingest up to 10,000 articles, bulk past it")
    parser.add_argument("--keep", help="folder to build the SQLite stores in and keep")
    parser.add_argument("--reuse", help="folder of stores kept with --keep: time them, build nothing")
    args = parser.parse_args()
    if args.sizes:
        from benchmarks.scale import run_sizes

        run_sizes([int(n.replace("k", "000").replace("M", "000000")) for n in args.sizes.split(",")],
                  db=args.db, build=args.build, keep=args.keep, reuse=args.reuse)
        return
    with tempfile.TemporaryDirectory() as folder:
        engine = connect(args.db or f"sqlite:///{folder}/bench.db")
        init_db(engine)
        began = time.perf_counter()
        fill(engine, args.articles)
        print(f"{args.articles:,} articles stored on {engine.dialect.name} in {time.perf_counter() - began:.1f} s")
        longest = " OR ".join(WORDS[i % len(WORDS)] + str(i) for i in range(MAX_QUERY_WORDS // 2))
        timed("page of 20, every article", lambda: search(engine, SearchQuery(expand=True)))
        timed("page of 20 with its total", lambda: search_page(engine, SearchQuery(expand=True)))
        timed("stories: page of 20 with its total", lambda: search_page(engine, SearchQuery()))
        timed("'paro OR huelga', page with total", lambda: search_page(engine, SearchQuery(text="paro OR huelga")))
        timed("'(paro OR huelga) -policia', page with total",
              lambda: search_page(engine, SearchQuery(text="(paro OR huelga) -policia")))
        timed(f"{MAX_QUERY_WORDS}-word OR query (the longest allowed)",
              lambda: search_page(engine, SearchQuery(text=longest)))
        timed("12,000-word query, refused", lambda: refuse(" ".join(["paro"] * 12_000)))
        engine.dispose()


if __name__ == "__main__":
    main()
