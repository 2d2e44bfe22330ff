"""Feed generation time for a 100-entry feed (issue 13): rendering alone, and the whole request
(search, the stories' other reports, rendering) on a generated store.

    python benchmarks/feeds.py                    # 2,000 articles on SQLite in a temporary folder
    python benchmarks/feeds.py --articles 5000 --repeat 50

Prints median and p90 milliseconds per feed for Atom and RSS. Conditional requests (ETag, 304)
are measured by their own benchmark.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds import feed_document, render_feed
from pipeline import record_from_article
from pipeline.store import store_articles, upsert_source
from pipeline.types import ExtractedArticle
from storage.db import connect, init_db, session_scope
from storage.search import SearchHit, SearchQuery, search
from storage.story_members import Member

WORDS = ("paro huelga bloqueo marcha protesta carretera mineros maestros gobierno precio diésel salario reforma "
         "agua tierra transporte sindicato universidad estudiantes policía cocaleros vecinos puente ruta").split()
OUTLETS = [("diario-bo", "BO"), ("noticias-pe", "PE"), ("folha-br", "BR"), ("tiempo-co", "CO")]
ENTRIES = 100


def timed(label: str, work: Callable[[], bytes], repeat: int) -> None:
    work()  # warm: imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(work())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{label:<44} median {statistics.median(times):7.1f} ms   p90 {times[int(len(times) * 0.9) - 1]:7.1f} ms"
          f"   {size / 1024:6.0f} KiB")


def synthetic_hits(rnd: random.Random) -> tuple[list[SearchHit], dict[int, list[Member]]]:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    hits, reports = [], {}
    for number in range(ENTRIES):
        source, country = OUTLETS[number % len(OUTLETS)]
        hits.append(SearchHit(
            id=number, url=f"https://{source}.example/{number}", canonical_url=f"https://{source}.example/{number}",
            title=" ".join(rnd.choices(WORDS, k=9)).capitalize(), subtitle=" ".join(rnd.choices(WORDS, k=30)),
            published=start + timedelta(hours=number), published_offset_minutes=-240, language="es", source=source,
            source_name=source.title(), country=country, authors=["Ana Quispe"], protest=True, protest_score=0.9,
            protest_types=["blockade", "march"], event_country=country, story_id=number, also_reported_by=3))
        reports[number] = [Member(id=1000 + number * 4 + k, title="x", url=f"https://{s}.example/{number}-{k}",
                                  source=s, source_name=s.title(), country=c, language="es", published=None,
                                  duplicate_of=None) for k, (s, c) in enumerate(OUTLETS)]
    return hits, reports


def pseudo_word(rnd: random.Random) -> str:
    return "".join(rnd.choices("bcdfglmnprstvz", k=3)) + rnd.choice("aeiou") + "".join(rnd.choices("lnrs", k=2))


def fill(engine, articles: int, rnd: random.Random) -> None:
    """Stories of one to three outlets' reports: each story its own names (rare words), each report
    the story's names among common words, so search collapses them as it does real coverage."""
    with session_scope(engine) as session:
        for source, country in OUTLETS:
            upsert_source(session, id=source, name=source.title(), homepage=f"https://{source}.example/",
                          country=country, languages=["es"])
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    records, story = [], 0
    while len(records) < articles:
        names = [pseudo_word(rnd) for _ in range(25)]
        for report, (source, _) in enumerate(rnd.sample(OUTLETS, rnd.choice((1, 1, 2, 3)))):
            number = len(records)
            body = " ".join(rnd.choice(names) if rnd.random() < 0.4 else rnd.choice(WORDS) for _ in range(150))
            article = ExtractedArticle(
                url=f"https://{source}.example/{number}", canonical_url=f"https://{source}.example/{number}",
                title=f"Bloqueo en {names[0].capitalize()}: " + " ".join(rnd.choices(names + WORDS, k=6)), body=body,
                language="es", published=start + timedelta(hours=story * 2, minutes=report * 20),
                published_source="json-ld", authors=["Ana Quispe"], extractor_version="bench")
            records.append(record_from_article(article, source_id=source))
        story += 1
    for begin in range(0, len(records), 500):
        with session_scope(engine) as session:
            store_articles(session, records[begin:begin + 500])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rnd = random.Random(13)
    hits, reports = synthetic_hits(rnd)
    print(f"Rendering a {ENTRIES}-entry feed (synthetic hits, 3 other reports each, nh3 summaries):")
    for fmt in ("atom", "rss"):
        timed(f"  render_feed {fmt}", lambda fmt=fmt: render_feed(hits, SearchQuery(), fmt, reports=reports,
                                                                    self_url="https://pw.example/f"), args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        engine = connect(f"sqlite:///{Path(folder) / 'bench.db'}")
        init_db(engine)
        began = time.perf_counter()
        fill(engine, args.articles, rnd)
        print(f"Whole feed on a store of {args.articles:,} articles (filled in {time.perf_counter() - began:.0f} s):")
        for label, query in (("newest 100, every article", SearchQuery(sort="newest", limit=ENTRIES, expand=True)),
                             ("newest 100 stories", SearchQuery(sort="newest", limit=ENTRIES)),
                             ("'bloqueo' 100 stories", SearchQuery(text="bloqueo", sort="newest", limit=ENTRIES))):
            found = len(search(engine, query))
            for fmt in ("atom", "rss"):
                timed(f"  {label} ({found}) {fmt}", lambda q=query, fmt=fmt: feed_document(
                    engine, q, fmt, self_url="https://pw.example/f"), args.repeat)
        engine.dispose()


if __name__ == "__main__":
    main()
