"""Stories and threads on full articles: B-cubed P/R/F1 beside a TF-IDF single-link baseline.

    python benchmarks/stories.py              # every set found, in memory and through the store
    python benchmarks/stories.py --memory     # only the in-memory replay (seconds)

Sets (each split into a tuning and a check half by a hash of its group id, frozen):
 - ``benchmarks/stories_fulltext.jsonl``: our own es/pt/en same-event full texts (undated and
   headline-less members included), scored on ``story_id``;
 - ``benchmarks/stories_fulltext_pt.jsonl``: our own Brazilian same-event full texts (30 events
   of 3-6 of eight outlets, a quarter undated, a quarter headline-less, confusable pairs: one
   union's strikes at two refineries the same week, an occupation and the court order against it);
 - ``tests/data/stories_dev.jsonl``: the small same-event fixture of the tests;
 - ``../shared/corpora/threads/pcsc_dev.jsonl``: 40 developing Portuguese stories (weeks to
   months), scored on ``thread_id``;
 - Wikipedia "In the news" blurbs (pt, en) by event, scored on ``story_id`` (one-line texts).

The in-memory replay (``replay``) makes the store's decision (``pipeline.stories.decide``) with an
index and document frequencies kept like the store's; without ``--memory`` the check halves also go
through ``pipeline.ingest`` into SQLite (undated ones last, as an archive is ingested), scored the same.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED as _SHARED  # noqa: E402
from protestwire.ingest import derive_title  # noqa: E402
from pipeline.dedup.stories import (  # noqa: E402
    DEFAULT_STORY, Decision, Member, StoryModel, StoryOptions, StoryVectors, decide, story_terms,
    story_vectors,
)

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, or beside the folder of worktrees.
SHARED = next((p for p in (_SHARED, ROOT.parents[1] / "shared" / "corpora") if p.is_dir()), _SHARED)
FULLTEXT = ROOT / "benchmarks" / "stories_fulltext.jsonl"
FULLTEXT_PT = ROOT / "benchmarks" / "stories_fulltext_pt.jsonl"
FIXTURE = ROOT / "tests" / "data" / "stories_dev.jsonl"
PCSC = SHARED / "threads" / "pcsc_dev.jsonl"
ITN = SHARED / "clustering" / "itn_blurbs_pt_en" / "itn_blurbs_pt_en.jsonl"
TARGET = 0.95
# Undated articles were fetched this long after the newest article of the set (a weak hint only).
FETCH_DELAY = timedelta(days=3)


@dataclass(frozen=True)
class Item:
    id: str
    gold: str
    language: str | None
    published: datetime | None
    title: str
    text: str
    outlet: str = ""
    thread: str = ""  # the developing story (thread) the item belongs to; "" : its group alone
    untitled: bool = False  # the set gave no title (``title`` is then the derived one)

    @property
    def thread_gold(self) -> str:
        return self.thread or self.gold


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(hour=12, tzinfo=timezone.utc)


def load_same_event(path: Path) -> list[Item]:
    """A same-event set; a missing title is derived from the text, as ``protestwire ingest`` does
    (``untitled`` counts them)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item(str(r["id"]), str(r["event_id"]), r.get("lang"), _day(r.get("date")),
                 r.get("title") or derive_title(r.get("text") or ""), r.get("text") or "", r.get("outlet", ""),
                 str(r.get("thread_id") or ""), not r.get("title")) for r in rows]


def load_pcsc() -> list[Item]:
    rows = [json.loads(line) for line in PCSC.read_text(encoding="utf-8").splitlines()]
    return [Item(r["doc_id"], r["cluster_id"], "pt", _day(r["date"]), r["title"], r["text"], r["outlet"])
            for r in rows]


def load_itn() -> list[Item]:
    rows = [json.loads(line) for line in ITN.read_text(encoding="utf-8").splitlines()]
    return [Item(f"itn{n}", r["qid"], r["lang"], datetime.fromtimestamp(r["ts"], timezone.utc), r["blurb_text"], "")
            for n, r in enumerate(rows)]


def half_of(group: str) -> str:
    """The frozen split: "tune" or "check", by a hash of the group id."""
    return "tune" if hashlib.sha256(group.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def split(items: Sequence[Item]) -> dict[str, list[Item]]:
    halves: dict[str, list[Item]] = {"tune": [], "check": []}
    for item in items:
        halves[half_of(item.thread_gold)].append(item)
    return halves


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
    return precision, recall, 2 * precision * recall / (precision + recall or 1)


def in_order(items: Sequence[Item]) -> list[Item]:
    """Publication order, undated last (as an archive is ingested), then by id."""
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(items, key=lambda i: (i.published or far, i.id))


class MemoryStore:
    """The store's story index and document frequencies, in memory (same rules as pipeline.store)."""

    def __init__(self, options: StoryOptions) -> None:
        self.options = options
        self.frequencies: Counter[str] = Counter()
        self.documents = 0
        self.postings: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
        self.members: dict[int, Member] = {}

    def candidates(self, vectors: StoryVectors, when: datetime | None) -> list[Member]:
        low = when - self.options.thread_window if when else datetime.min.replace(tzinfo=timezone.utc)
        high = when + self.options.thread_window if when else datetime.max.replace(tzinfo=timezone.utc)
        shared: Counter[int] = Counter()
        for key in vectors.keys:
            rows = sorted((r for r in self.postings.get(key, ()) if low <= r[0] <= high), reverse=True)
            for _, article_id in rows[: self.options.rows_per_key]:
                shared[article_id] += 1
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: self.options.max_candidates]
        return [self.members[article_id] for article_id, _ in best]

    def add(self, item: Item, seen: datetime, model: StoryModel | None = None) -> Decision:
        terms = story_terms(item.title, item.text, self.options)
        vectors = story_vectors(terms, item.language, self.frequencies, self.documents, self.options)
        decision = decide(vectors, item.published, self.candidates(vectors, item.published), self.options, model)
        article_id = len(self.members) + 1
        story = decision.story_id or article_id
        thread = decision.thread_id or article_id
        if decision.merge is not None:
            self.merge_threads(decision.merge, thread)
            thread = min(thread, decision.merge)
        self.members[article_id] = Member(article_id, story, thread, vectors, item.published)
        for key in vectors.keys:
            self.postings[key].append((seen, article_id))
        self.frequencies.update(terms.distinct())
        self.documents += 1
        return decision


    def merge_threads(self, a: int, b: int) -> None:
        """One thread of two: every member takes the smaller id (as the store does)."""
        keep, drop = min(a, b), max(a, b)
        for article_id, member in self.members.items():
            if member.thread_id == drop:
                self.members[article_id] = replace(member, thread_id=keep)


def replay(items: Sequence[Item], options: StoryOptions = DEFAULT_STORY,
           model: StoryModel | None = None) -> tuple[list[int], list[int]]:
    """Story and thread ids of ``items`` (in their order) stored one by one in publication order."""
    store = MemoryStore(options)
    newest = max((i.published for i in items if i.published), default=datetime(2026, 1, 1, tzinfo=timezone.utc))
    ids: dict[str, int] = {}
    for item in in_order(items):
        store.add(item, item.published or newest + FETCH_DELAY, model)
        ids[item.id] = len(store.members)
    members = [store.members[ids[i.id]] for i in items]
    return [m.story_id for m in members], [m.thread_id for m in members]


def tfidf_single_link(items: Sequence[Item], thresholds: Sequence[float],
                      window: timedelta | None) -> list[tuple[float, list[int]]]:
    """TF-IDF cosine (title and body words) single-link clusters for each threshold; pairs further
    apart in time than ``window`` (None: any) are never linked, undated pairs always may be."""
    from pipeline.dedup.neardup import words_of

    bags = [Counter(words_of(i.title + " " + i.text)) for i in items]
    df = Counter(word for bag in bags for word in bag)
    vectors = []
    for bag in bags:
        vector = {w: (1 + math.log(c)) * math.log(len(items) / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    scores = []
    for a, b in itertools.combinations(range(len(items)), 2):
        pa, pb = items[a].published, items[b].published
        if window is not None and pa and pb and abs(pa - pb) > window:
            continue
        small, big = (vectors[a], vectors[b]) if len(vectors[a]) < len(vectors[b]) else (vectors[b], vectors[a])
        scores.append((sum(v * big.get(w, 0.0) for w, v in small.items()), a, b))
    results = []
    for threshold in thresholds:
        parent = list(range(len(items)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for score, a, b in scores:
            if score >= threshold:
                parent[root(a)] = root(b)
        results.append((threshold, [root(i) for i in range(len(items))]))
    return results


THRESHOLDS = [t / 100 for t in range(4, 80, 2)]


def baseline(tune: Sequence[Item], check: Sequence[Item], window: timedelta | None) -> tuple[float, tuple, tuple]:
    """The TF-IDF single-link threshold best on ``tune``, and its B-cubed on both halves."""
    best = max(((bcubed([i.gold for i in tune], labels)[2], t) for t, labels in tfidf_single_link(tune, THRESHOLDS, window)))
    threshold = best[1]
    tuned = bcubed([i.gold for i in tune], tfidf_single_link(tune, [threshold], window)[0][1])
    checked = bcubed([i.gold for i in check], tfidf_single_link(check, [threshold], window)[0][1]) if check else (0, 0, 0)
    return threshold, tuned, checked


def _line(label: str, scores: tuple[float, float, float]) -> str:
    return f"{label}: P {scores[0]:.3f} R {scores[1]:.3f} F1 {scores[2]:.3f}"


def report(name: str, items: Sequence[Item], level: str, window: timedelta | None,
           options: StoryOptions = DEFAULT_STORY, store: bool = False) -> None:
    halves = split(items)
    undated = sum(i.published is None for i in items)
    untitled = sum(i.untitled for i in items)
    print(f"{name}: {len(items)} articles, {len({i.gold for i in items})} groups "
          f"({', '.join(f'{k} {v}' for k, v in sorted(Counter(i.language for i in items).items()))}; "
          f"{undated} undated, {untitled} without a title), scored on {level}_id")
    threshold, tuned, checked = baseline(halves["tune"], halves["check"], window)
    for half in ("tune", "check"):
        chosen = halves[half]
        if not chosen:
            continue
        stories, threads = replay(chosen, options)
        labels = stories if level == "story" else threads
        ours = bcubed([i.gold for i in chosen], labels)
        groups = len({i.gold for i in chosen})
        print(f"  {half:5} ({len(chosen)} articles, {groups} groups): " + _line("ours", ours)
              + " | " + _line(f"TF-IDF single-link @{threshold:.2f}", tuned if half == "tune" else checked)
              + f"   (target {TARGET})")
        if store and half == "check":
            print("         " + _line("through the SQLite store", through_store(chosen, level)))


def through_store(items: Sequence[Item], level: str) -> tuple[float, float, float]:
    """B-cubed of ``items`` ingested into a fresh SQLite store in publication order."""
    import tempfile

    from protestwire.ingest import ingest_lines
    from storage.db import connect, init_db

    def line(item: Item) -> str:
        data = {"url": f"https://{abs(hash(item.outlet)) % 10**6}.example/{item.id}", "text": item.text,
                "language": item.language, "title": "" if item.untitled else item.title}
        if item.published:
            data["published"] = item.published.isoformat()
        return json.dumps(data, ensure_ascii=False)

    with tempfile.TemporaryDirectory(prefix="protestwire-stories-") as folder:
        engine = connect(f"sqlite:///{folder}/stories.db")
        init_db(engine)
        report = ingest_lines(engine, [line(i) for i in in_order(items)])
        assert not report.invalid, report.invalid[:3]
        column = "story_id" if level == "story" else "thread_id"
        with engine.connect() as connection:
            stored = dict(connection.exec_driver_sql(f"SELECT url, {column} FROM articles").all())
        engine.dispose()
    labels = [stored[next(u for u in stored if u.endswith("/" + i.id))] for i in items]
    return bcubed([i.gold for i in items], labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory", action="store_true", help="Only the in-memory replay.")
    store = not parser.parse_args().memory
    window = DEFAULT_STORY.window
    if FULLTEXT.exists():
        report("Full-text same-event set (benchmarks/stories_fulltext.jsonl)", load_same_event(FULLTEXT), "story",
               window, store=store)
    if FULLTEXT_PT.exists():
        report("Full-text Brazilian same-event set (benchmarks/stories_fulltext_pt.jsonl)",
               load_same_event(FULLTEXT_PT), "story", window, store=store)
    report("Fixture (tests/data/stories_dev.jsonl)", load_same_event(FIXTURE), "story", window, store=store)
    report("Developing stories, PCSC pt (threads)", load_pcsc(), "thread", None, store=store)
    report("Wikipedia 'In the news' blurbs pt+en", load_itn(), "story", window)


if __name__ == "__main__":
    main()
