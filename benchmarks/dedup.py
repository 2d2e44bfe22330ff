"""Deduplication and story benchmark: near-duplicate P/R, story B-cubed F1, ingest cost growth.

    python benchmarks/dedup.py                 # all three parts (about 10 minutes on 2 cores)
    python benchmarks/dedup.py --skip-growth   # quality only (about 2 minutes)
    python benchmarks/dedup.py --big 200000    # a smaller "big" store for a quick growth check
    python benchmarks/dedup.py --backfill      # only part 4 (about 2 minutes)
    python benchmarks/dedup.py --growth-only --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Everything goes through the real path: ``protestwire.ingest.ingest_lines`` into a fresh SQLite
store, then the stored ``duplicate_of`` and ``story_id`` are scored.

1. Near-duplicates: real texts of ../shared (see ``benchmarks/dedup_data.py``) and 1-3
   re-published copies of each (new headline, intro line, trimmed ending, related links,
   boilerplate, other dates). Pairwise precision and recall over all pairs of articles: a pair
   is predicted together when both have the same canonical copy. "dev" is the half of the
   texts the thresholds were tuned on, "check" the other half with other copies.
2. Stories: Wikipedia "In the news" blurbs (pt and en) by Wikidata event: B-cubed precision,
   recall and F1 of ``story_id``; also a TF-IDF cosine baseline (single link, its threshold
   tuned on the same set) for reference.
3. Cost growth: a store filled with N synthetic articles (bulk insert of articles, band keys
   and story keys with realistic counts), then the dev articles ingested into it; articles/s
   with 10,000 and with 1,000,000 stored, and the store's size on disk.
4. Backfill (``--backfill``): the sets of 1 and 2 stored, then left as migration 0006 left older
   stores (no fingerprints, keys or stories; exact copies pointing at the first stored), then
   ``protestwire.backfill``: the same scores before and after, the articles/s, and how many
   articles end with the same copy group and story as when ingested in publication order.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import math
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dedup_data import BASE_TIME, Item, itn_items, real_texts, wire_copy_set  # noqa: E402

TARGET_PRECISION, TARGET_RECALL, TARGET_BCUBED, TARGET_GROWTH = 0.99, 0.95, 0.95, 0.80


def ingest(items: Sequence[Item], folder: Path, name: str) -> tuple[dict[str, tuple[int, int | None, int | None]], float]:
    """Ingest into a fresh store: url -> (id, duplicate_of, story_id), and seconds taken."""
    from protestwire.ingest import ingest_lines
    from storage.db import connect, init_db

    engine = connect(f"sqlite:///{folder / name}")
    init_db(engine)
    started = time.perf_counter()
    report = ingest_lines(engine, [item.to_line() for item in items])
    seconds = time.perf_counter() - started
    assert not report.invalid, report.invalid[:3]
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT url, id, duplicate_of, story_id FROM articles").all()
    engine.dispose()
    return {url: (i, dup, story) for url, i, dup, story in rows}, seconds


def pairs(labels: Sequence[object]) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[label].append(index)
    return {pair for members in groups.values() for pair in itertools.combinations(members, 2)}


def pairwise(gold: Sequence[object], predicted: Sequence[object]) -> tuple[float, float]:
    gold_pairs, predicted_pairs = pairs(gold), pairs(predicted)
    found = len(gold_pairs & predicted_pairs)
    return found / max(1, len(predicted_pairs)), found / max(1, len(gold_pairs))


def bcubed(gold: Sequence[object], predicted: Sequence[object]) -> tuple[float, float, float]:
    by_gold: dict[object, set[int]] = defaultdict(set)
    by_predicted: dict[object, set[int]] = defaultdict(set)
    for index, (g, p) in enumerate(zip(gold, predicted)):
        by_gold[g].add(index)
        by_predicted[p].add(index)
    precision = recall = 0.0
    for g, p in zip(gold, predicted):
        shared = len(by_gold[g] & by_predicted[p])
        precision += shared / len(by_predicted[p])
        recall += shared / len(by_gold[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def near_duplicates(folder: Path) -> list[Item]:
    texts, removed = real_texts()
    languages = Counter(t.language for t in texts)
    print(f"Near-duplicates: {len(texts)} real texts ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))}; "
          f"{removed} left out as copies of another)")
    dev_items: list[Item] = []
    for name, half, seed in (("dev", texts[0::2], 11), ("check", texts[1::2], 23)):
        items = wire_copy_set(half, seed)
        stored, seconds = ingest(items, folder, f"near-{name}.db")
        canonical = [stored[i.url][1] or stored[i.url][0] for i in items]
        precision, recall = pairwise([i.gold for i in items], canonical)
        print(f"  {name:5}: {len(items)} articles ({len(half)} originals), {len(pairs([i.gold for i in items]))} "
              f"copy pairs: precision {precision:.4f} recall {recall:.4f} "
              f"(targets {TARGET_PRECISION} / {TARGET_RECALL}); {len(items) / seconds:.0f} articles/s")
        if name == "dev":
            dev_items = items
    return dev_items


def _tfidf_baseline(items: Sequence[Item], window: timedelta) -> tuple[float, float]:
    """Best B-cubed F1 of single-link TF-IDF cosine clustering within the window, and its threshold."""
    from pipeline.dedup.neardup import words_of

    bags = [Counter(words_of(i.title)) for i in items]
    df = Counter(word for bag in bags for word in bag)
    vectors = []
    for bag in bags:
        vector = {w: c * math.log(len(items) / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    best = (0.0, 0.0)
    for threshold in [t / 20 for t in range(2, 19)]:
        parent = list(range(len(items)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in itertools.combinations(range(len(items)), 2):
            if abs(items[a].published - items[b].published) <= window:
                score = sum(v * vectors[b].get(w, 0.0) for w, v in vectors[a].items())
                if score >= threshold:
                    parent[root(a)] = root(b)
        f1 = bcubed([i.gold for i in items], [root(i) for i in range(len(items))])[2]
        best = max(best, (f1, threshold))
    return best


def stories(folder: Path) -> None:
    from pipeline.dedup.stories import DEFAULT_STORY

    items = itn_items()
    stored, _ = ingest(items, folder, "stories-itn.db")
    precision, recall, f1 = bcubed([i.gold for i in items], [stored[i.url][2] for i in items])
    events = len({i.gold for i in items})
    print(f"Stories: Wikipedia 'In the news' pt+en, {len(items)} blurbs, {events} events: B-cubed precision "
          f"{precision:.4f} recall {recall:.4f} F1 {f1:.4f} (target {TARGET_BCUBED})")
    baseline, threshold = _tfidf_baseline(items, DEFAULT_STORY.window)
    print(f"  TF-IDF cosine baseline, threshold tuned on this set ({threshold:.2f}): F1 {baseline:.4f}")


def _bulk_fill(path: Path, count: int, seed: int = 5) -> dict[str, float]:
    """``count`` synthetic articles with their band and story keys, written straight with sqlite3.

    Rows look like stored ones (short bodies in the full-text index, 32 band keys and 12 story
    keys an article, publication times over two years around the measured articles), so the
    indexes the lookups use have the size and depth they would have. Keys are inserted in key
    order (as a B-tree likes them) to build a million-article store in minutes. Returns the
    seconds each phase took.
    """
    import numpy as np

    from pipeline.dedup.neardup import DEFAULT_NEARDUP

    from pipeline.dedup.stories import METHOD, StoryVectors

    rng = np.random.default_rng(seed)
    words = [f"palabra{n}" for n in range(5000)]
    # Stored story vectors (small: synthetic rows share no keys with the measured articles, so
    # they are never read as candidates; the measured articles' own vectors are real).
    features = StoryVectors("es", {"w:titul": 1.0}, {"w:palab": 1.0}, {"e:x": 1.0}, ("e:x",)).encode()
    py_rng = random.Random(seed)
    start = BASE_TIME - timedelta(days=365)
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2000000", "foreign_keys=OFF"):
        connection.execute(f"PRAGMA {pragma}")
    phases: dict[str, float] = {}
    clock = time.perf_counter()
    ids = np.arange(1, count + 1, dtype=np.int64) + 1_000_000_000  # far from the measured articles' ids
    seconds = rng.integers(0, 2 * 365 * 86400, count)
    stamps = [(start + timedelta(seconds=int(s))).strftime("%Y-%m-%d %H:%M:%S.000000") for s in seconds]
    chunk = 50_000
    for offset in range(0, count, chunk):
        rows = []
        for article_id, when in zip(ids[offset:offset + chunk].tolist(), stamps[offset:offset + chunk]):
            url = f"https://synthetic.example/{article_id}"
            rows.append((article_id, url, url, f"{article_id:064x}", f"Titular {article_id}",
                         " ".join(py_rng.choices(words, k=30)), "[]", when, "es", "[]", 0, "synthetic", 0, 0.0, "[]",
                         when, when, article_id, article_id, features, METHOD))
        connection.executemany(
            "INSERT INTO articles (id, url, canonical_url, content_hash, title, body, authors, published, language, "
            "tags, paywalled, extractor_version, protest, protest_score, protest_types, first_seen, last_seen, "
            "story_id, thread_id, story_features, story_method) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows)
    connection.commit()
    phases["articles"] = time.perf_counter() - clock
    clock = time.perf_counter()
    per_article = 2 * DEFAULT_NEARDUP.bands
    keys = rng.integers(-2**63, 2**63 - 1, count * per_article, dtype=np.int64)
    owners = np.repeat(ids, per_article)
    order = np.argsort(keys, kind="stable")
    connection.executemany("INSERT INTO article_bands VALUES (?, ?)",
                           zip(keys[order].tolist(), owners[order].tolist()))
    connection.commit()
    phases["bands"] = time.perf_counter() - clock
    clock = time.perf_counter()
    per_article = 16
    keys = rng.integers(-2**63, 2**63 - 1, count * per_article, dtype=np.int64)
    owners = np.repeat(np.arange(count), per_article)
    order = np.argsort(keys, kind="stable")
    connection.executemany("INSERT INTO story_keys VALUES (?, ?, ?)",
                           ((k, stamps[o], int(ids[o])) for k, o in zip(keys[order].tolist(), owners[order].tolist())))
    connection.commit()
    phases["story keys"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # Document frequencies: a vocabulary growing with the store (a term per two articles), key order.
    terms = np.unique(rng.integers(-2**63, 2**63 - 1, max(1000, count // 2), dtype=np.int64))
    connection.executemany("INSERT OR IGNORE INTO story_terms VALUES (?, ?)",
                           ((int(t), int(d)) for t, d in zip(terms.tolist(), rng.integers(1, 1000, len(terms)).tolist())))
    connection.execute("INSERT OR REPLACE INTO story_terms VALUES (0, ?)", (count,))
    connection.commit()
    phases["story terms"] = time.perf_counter() - clock
    connection.close()
    return phases


@contextlib.contextmanager
def _timed_story_decision() -> Iterator[list[float]]:
    """Seconds spent per article in the store's story and thread decision and its writes."""
    import pipeline.store as store

    spent: list[float] = []
    decide, record = store.story_decision, store.record_story

    def timed_decide(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return decide(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    def timed_record(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return record(*args, **kwargs)
        finally:
            if spent:
                spent[-1] += time.perf_counter() - started

    store.story_decision, store.record_story = timed_decide, timed_record
    try:
        yield spent
    finally:
        store.story_decision, store.record_story = decide, record


def _disk_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def growth(folder: Path, items: Sequence[Item], sizes: Sequence[int], rounds: int = 3) -> None:
    """Fill one store per size, then ingest the same slices of articles into each, in turns.

    The machine is shared, so each store gets ``rounds`` slices, alternating with the other
    store, and its best rate counts: a burst of someone else's load hits one slice, not a store.
    """
    from protestwire.ingest import ingest_lines
    from storage.db import connect, init_db

    paths = []
    for size in sizes:
        path = folder / f"growth-{size}.db"
        engine = connect(f"sqlite:///{path}")
        init_db(engine)
        engine.dispose()
        phases = _bulk_fill(path, size)
        paths.append(path)
        print(f"  filled {size:,} synthetic articles in {sum(phases.values()):.0f} s ("
              + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()) + ")")
    slices = [items[n::rounds] for n in range(rounds)]
    best = [0.0] * len(sizes)
    decision = [math.inf] * len(sizes)
    for turn, piece in enumerate(slices):
        lines = [item.to_line() for item in piece]
        order = list(enumerate(paths))
        for index, path in order[::-1] if turn % 2 else order:  # who goes first alternates
            engine = connect(f"sqlite:///{path}")
            with _timed_story_decision() as spent:
                started = time.perf_counter()
                ingest_lines(engine, lines)
                best[index] = max(best[index], len(lines) / (time.perf_counter() - started))
            decision[index] = min(decision[index], 1000 * sum(spent) / max(1, len(spent)))
            engine.dispose()
    for size, path, rate, ms in zip(sizes, paths, best, decision):
        print(f"  {size:>9,} stored ({_disk_size(path) / 2**20:,.0f} MiB on disk): ingest {rate:.1f} articles/s "
              f"({1000 / rate:.1f} ms/article; best of {rounds} slices of {len(slices[0])}); story+thread decision "
              f"{ms:.2f} ms/article (weighing, candidates, models, keys and counts written)")
    print(f"  rate with {sizes[-1]:,} stored / with {sizes[0]:,}: {best[-1] / best[0]:.2f} (target >= {TARGET_GROWTH})")


def fingerprint_cost(items: Sequence[Item]) -> None:
    """Per-article cost of the dedup fingerprint, once the word caches are warm (as in a crawl)."""
    from pipeline.dedup.fingerprint import fingerprint

    for item in items:
        fingerprint(item.title, item.text, item.language)
    for label, chosen in (("all", items), ("es/pt", [i for i in items if i.language in ("es", "pt")])):
        started = time.perf_counter()
        for item in chosen:
            fingerprint(item.title, item.text, item.language)
        per = 1000 * (time.perf_counter() - started) / len(chosen)
        words = sum(len(i.text.split()) for i in chosen) / len(chosen)
        print(f"  fingerprint (shingles, 2 MinHash, story terms), {label}: {per:.2f} ms/article "
              f"(mean {words:.0f} words)")


def _forget_fingerprints(path: Path) -> None:
    """The store as migration 0006 left an older one: exact copies point at the first stored."""
    connection = sqlite3.connect(path)
    connection.executescript(
        "DELETE FROM article_bands; DELETE FROM story_keys; DELETE FROM story_terms;"
        "UPDATE articles SET story_features = NULL, story_id = NULL, thread_id = NULL, story_method = NULL, duplicate_of = (SELECT min(first.id) "
        "FROM articles AS first WHERE first.content_hash = articles.content_hash AND first.id < articles.id);")
    connection.commit()
    connection.close()


def _groups(path: Path) -> dict[str, tuple[int, int]]:
    """url -> (canonical copy, story), the unset ones read as the article's own id (as readers do)."""
    connection = sqlite3.connect(path)
    rows = connection.execute("SELECT url, coalesce(duplicate_of, id), coalesce(story_id, id) FROM articles").fetchall()
    connection.close()
    return {url: (canonical, story) for url, canonical, story in rows}


def _same_partition(items: Sequence[Item], a: Sequence[object], b: Sequence[object]) -> int:
    """How many items have the same set of fellow members under labels ``a`` and under ``b``."""
    def members(labels: Sequence[object]) -> list[frozenset[int]]:
        groups: dict[object, set[int]] = defaultdict(set)
        for index, label in enumerate(labels):
            groups[label].add(index)
        return [frozenset(groups[label]) for label in labels]

    return sum(x == y for x, y in zip(members(a), members(b)))


def backfill(folder: Path) -> None:
    """Older stores filled afterwards: scores before and after, rate, agreement with ordered ingest."""
    from protestwire.backfill import backfill_fingerprints
    from storage.db import connect

    texts, _ = real_texts()
    print("Backfill of a store from before migration 0006 (stored in a shuffled order):")
    for name, items, kind in (("near-dup dev", wire_copy_set(texts[0::2], 11), "copies"),
                              ("stories ITN", itn_items(), "stories")):
        shuffled = random.Random(7).sample(list(items), len(items))  # ids then run against publication order
        ingest(shuffled, folder, f"backfill-{kind}.db")
        path = folder / f"backfill-{kind}.db"
        _forget_fingerprints(path)
        before = _groups(path)
        engine = connect(f"sqlite:///{path}")
        started = time.perf_counter()
        report = backfill_fingerprints(engine)
        seconds = time.perf_counter() - started
        engine.dispose()
        after = _groups(path)
        in_order = sorted(shuffled, key=lambda i: i.published)  # ties by id, as the backfill takes them
        ordered, _ = ingest(in_order, folder, f"ordered-{kind}.db")
        gold = [i.gold for i in items]
        column = 0 if kind == "copies" else 1
        ordered_labels = [ordered[i.url][1] or ordered[i.url][0] if kind == "copies" else ordered[i.url][2]
                          for i in items]
        for label, groups in (("before", before), ("after", after)):
            labels = [groups[i.url][column] for i in items]
            if kind == "copies":
                precision, recall = pairwise(gold, labels)
                print(f"  {name} {label:6}: pairwise precision {precision:.4f} recall {recall:.4f}", end="")
            else:
                precision, recall, f1 = bcubed(gold, labels)
                print(f"  {name} {label:6}: B-cubed precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}", end="")
            same = _same_partition(items, labels, ordered_labels)
            print(f"; same {kind} as ingested in publication order: {same} of {len(items)}")
        print(f"    {report.fingerprinted} fingerprinted ({report.copies} copies, {report.joined_stories} joined a "
              f"story) in {seconds:.1f} s: {report.fingerprinted / seconds:.0f} articles/s")


def _bulk_fill_postgres(url: str, count: int, seed: int = 5) -> dict[str, float]:
    """``_bulk_fill`` for PostgreSQL: the same synthetic rows, written by COPY."""
    import numpy as np
    import psycopg

    from pipeline.dedup.neardup import DEFAULT_NEARDUP
    from pipeline.dedup.stories import METHOD, StoryVectors

    rng = np.random.default_rng(seed)
    py_rng = random.Random(seed)
    words = [f"palabra{n}" for n in range(5000)]
    features = StoryVectors("es", {"w:titul": 1.0}, {"w:palab": 1.0}, {"e:x": 1.0}, ("e:x",)).encode()
    start = BASE_TIME - timedelta(days=365)
    phases: dict[str, float] = {}
    ids = np.arange(1, count + 1, dtype=np.int64) + 1_000_000_000
    stamps = [start + timedelta(seconds=int(s)) for s in rng.integers(0, 2 * 365 * 86400, count)]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        clock = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(
                "COPY articles (id, url, canonical_url, content_hash, title, body, authors, published, language, "
                "tags, paywalled, extractor_version, protest, protest_score, protest_types, first_seen, last_seen, "
                "story_id, thread_id, story_features, story_method) FROM STDIN") as copy:
            for article_id, when in zip(ids.tolist(), stamps):
                link = f"https://synthetic.example/{article_id}"
                copy.write_row((article_id, link, link, f"{article_id:064x}", f"Titular {article_id}",
                                " ".join(py_rng.choices(words, k=30)), "[]", when.replace(tzinfo=None), "es", "[]",
                                False, "synthetic", False, 0.0, "[]", when.replace(tzinfo=None),
                                when.replace(tzinfo=None), article_id, article_id, features, METHOD))
        connection.commit()
        phases["articles"] = time.perf_counter() - clock
        clock = time.perf_counter()
        per_article = 2 * DEFAULT_NEARDUP.bands
        keys = rng.integers(-2**63, 2**63 - 1, count * per_article, dtype=np.int64)
        owners = np.repeat(ids, per_article)
        order = np.argsort(keys, kind="stable")
        with connection.cursor() as cursor, cursor.copy("COPY article_bands (band_key, article_id) FROM STDIN") as copy:
            for key, owner in zip(keys[order].tolist(), owners[order].tolist()):
                copy.write_row((key, owner))
        connection.commit()
        phases["bands"] = time.perf_counter() - clock
        clock = time.perf_counter()
        per_article = 16
        keys = rng.integers(-2**63, 2**63 - 1, count * per_article, dtype=np.int64)
        owners = np.repeat(np.arange(count), per_article)
        order = np.argsort(keys, kind="stable")
        with connection.cursor() as cursor, cursor.copy("COPY story_keys (key, seen, article_id) FROM STDIN") as copy:
            for key, owner in zip(keys[order].tolist(), owners[order].tolist()):
                copy.write_row((key, stamps[owner].replace(tzinfo=None), int(ids[owner])))
        connection.commit()
        phases["story keys"] = time.perf_counter() - clock
        clock = time.perf_counter()
        terms = np.unique(rng.integers(-2**63, 2**63 - 1, max(1000, count // 2), dtype=np.int64))
        terms = terms[terms != 0]
        with connection.cursor() as cursor, cursor.copy("COPY story_terms (term, documents) FROM STDIN") as copy:
            for term, documents in zip(terms.tolist(), rng.integers(1, 1000, len(terms)).tolist()):
                copy.write_row((term, documents))
            copy.write_row((0, count))
        connection.commit()
        connection.execute("ANALYZE")
        connection.commit()
        phases["story terms"] = time.perf_counter() - clock
    return phases


def growth_postgres(admin_url: str, items: Sequence[Item], sizes: Sequence[int], rounds: int = 3) -> None:
    """``growth`` on PostgreSQL: one database per size (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    from protestwire.ingest import ingest_lines
    from storage.db import connect, init_db

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    base = admin_url.rsplit("/", 1)[0]
    urls = []
    try:
        for size in sizes:
            name = f"protestwire_growth_{size}"
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                connection.execute(text(f"CREATE DATABASE {name}"))
            url = f"{base}/{name}"
            engine = connect(url)
            init_db(engine)
            engine.dispose()
            phases = _bulk_fill_postgres(url, size)
            urls.append(url)
            print(f"  PostgreSQL: filled {size:,} synthetic articles in {sum(phases.values()):.0f} s ("
                  + ", ".join(f"{n} {sec:.0f} s" for n, sec in phases.items()) + ")", flush=True)
        slices = [items[n::rounds] for n in range(rounds)]
        best = [0.0] * len(sizes)
        decision = [math.inf] * len(sizes)
        for turn, piece in enumerate(slices):
            lines = [item.to_line() for item in piece]
            order = list(enumerate(urls))
            for index, url in order[::-1] if turn % 2 else order:
                engine = connect(url)
                with _timed_story_decision() as spent:
                    started = time.perf_counter()
                    ingest_lines(engine, lines)
                    best[index] = max(best[index], len(lines) / (time.perf_counter() - started))
                decision[index] = min(decision[index], 1000 * sum(spent) / max(1, len(spent)))
                engine.dispose()
        for size, rate, ms in zip(sizes, best, decision):
            print(f"  PostgreSQL {size:>9,} stored: ingest {rate:.1f} articles/s ({1000 / rate:.1f} ms/article); "
                  f"story+thread decision {ms:.2f} ms/article")
        print(f"  PostgreSQL rate with {sizes[-1]:,} stored / with {sizes[0]:,}: {best[-1] / best[0]:.2f} "
              f"(target >= {TARGET_GROWTH})")
    finally:
        with admin.connect() as connection:
            for size in sizes:
                connection.execute(text(f"DROP DATABASE IF EXISTS protestwire_growth_{size} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-growth", action="store_true", help="Only the quality figures.")
    parser.add_argument("--small", type=int, default=10_000, help="Articles stored for the first growth run.")
    parser.add_argument("--big", type=int, default=1_000_000, help="Articles stored for the second growth run.")
    parser.add_argument("--growth-only", action="store_true", help="Only the cost-growth figures.")
    parser.add_argument("--measured", type=int, default=400, help="Articles ingested to measure each rate.")
    parser.add_argument("--backfill", action="store_true", help="Only the backfill of an older store (part 4).")
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help="Also measure cost growth on PostgreSQL (databases created there and dropped), e.g. "
                             "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="protestwire-dedup-") as tmp:
        folder = Path(tmp)
        if args.backfill:
            backfill(folder)
            return
        if args.growth_only:
            texts, _ = real_texts()
            dev_items = wire_copy_set(texts[0::2], 11)
        else:
            dev_items = near_duplicates(folder)
            stories(folder)
        print("Cost:")
        fingerprint_cost(dev_items)
        if not args.skip_growth:
            growth(folder, dev_items[: args.measured], (args.small, args.big))
            if args.postgres:
                growth_postgres(args.postgres, dev_items[: args.measured], (args.small, args.big))


if __name__ == "__main__":
    main()
