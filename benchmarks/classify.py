"""Protest relevance and event-country benchmark for pipeline.judge.classify and pipeline.judge.geotag.

Run: .venv/bin/python -m benchmarks.classify [--limit N] [--show-errors]

Relevance sets (labels in benchmarks/classify_labels.tsv, ids only; texts read in place):
 - extraction: the es/pt/en news pages of ../shared/corpora/extraction, extracted with our own
   extractor (full articles; mostly not protests: 7 es/pt and 6 en positives);
 - globalvoices: 196 English Global Voices articles (28 protest);
 - itn: Wikipedia "In the news" blurbs in pt/en (one sentence each);
 - events: the Mass Mobilization protest rows (English sources + notes; all positives);
 - written: tests/data/classify_cases.jsonl, es/pt/en articles written for this project,
   including the hard negatives (football coach's "protesta", sports "marcha", metaphors,
   official acts, crime, "paro armado").
Prints precision/recall/F1 at the default threshold per language and per set, the event-country
accuracy on the events set (all rows, and rows whose text does not name the country; on the dev
half that geotag's lists and weights were tuned on, the check half and both, split by a hash of
the row id; and how many rows name nothing geotag can use), and the time per article of
classify + geotag on one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycountry

from benchmarks.common import SHARED, news_pages
from pipeline.judge.classify import classify_protest
from pipeline.judge.geotag import geotag
from vocabulary.folding import fold

HERE = Path(__file__).resolve().parent
LABELS = HERE / "classify_labels.tsv"
WRITTEN = HERE.parent / "tests" / "data" / "classify_cases.jsonl"
EVENTS = SHARED / "events" / "mass_mobilization_latam_1990_2014.csv"
GLOBALVOICES = SHARED / "globalvoices" / "articles" / "gv_articles_en.jsonl"
ITN = SHARED / "clustering" / "itn_blurbs_pt_en" / "itn_blurbs_pt_en.jsonl"
COUNTRY_CODES = {"Venezuela": "VE", "Bolivia": "BO", "Dominican Republic": "DO"}


@dataclass(frozen=True)
class Item:
    set: str
    id: str
    language: str
    title: str
    text: str
    label: bool


def positives() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("set\t") or not line.strip():
            continue
        name, ident, label = line.split("\t")
        if label == "1":
            found[name].add(ident)
    return found


def extraction_items(pos: set[str], limit: int | None) -> list[Item]:
    from pipeline.extract.normalise import normalise_article
    from pipeline.extract.page import extract_article
    items = []
    for name, raw in news_pages(limit):
        try:
            article = normalise_article(extract_article(raw, "https://example.org/" + name.replace("/", "-")))
        except Exception:  # noqa: BLE001 - pages that are not articles are simply not scored
            continue
        if article.language in ("es", "pt", "en"):
            items.append(Item("extraction", name, article.language, article.title, article.body, name in pos))
    return items


def globalvoices_items(pos: set[str]) -> list[Item]:
    rows = [json.loads(line) for line in GLOBALVOICES.read_text(encoding="utf-8").splitlines()]
    return [Item("globalvoices", str(r["id"]), "en", r["title"], r["text"], str(r["id"]) in pos) for r in rows]


def itn_items(pos: set[str]) -> list[Item]:
    rows = [json.loads(line) for line in ITN.read_text(encoding="utf-8").splitlines()]
    return [Item("itn", r["qid"], r["lang"], "", r["blurb_text"], r["qid"] in pos) for r in rows]


def event_rows() -> list[dict[str, str]]:
    with EVENTS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def event_items(rows: list[dict[str, str]]) -> list[Item]:
    return [Item("events", r["id"], "en", "", r["notes"] + " " + r["sources"], True) for r in rows]


def written_items() -> list[Item]:
    rows = [json.loads(line) for line in WRITTEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item("written", r["id"], r["language"], r["title"], r["text"], r["protest"]) for r in rows]


def event_half(row_id: str) -> str:
    """The half of the events set a row belongs to: "dev" (tuned on) or "check" (held back for checking)."""
    return "dev" if zlib.crc32(row_id.encode("utf-8")) % 2 == 0 else "check"


def event_country_report(rows: list[dict[str, str]]) -> list[str]:
    """Event-country accuracy on all rows, on rows whose text does not name the gold country, and the
    rows whose text names no place, demonym, cue or outlet at all (the text-only ceiling), per half."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        gold = COUNTRY_CODES.get(row["country"]) or pycountry.countries.lookup(row["country"]).alpha_2
        text = row["notes"] + " " + row["sources"]
        result = geotag("", text)
        hit = result.event_country == gold
        groups = ["all"] if fold(row["country"]) in fold(text) else ["all", "country not named"]
        if not result.signals:
            groups.append("nothing named")
        for half in (event_half(row["id"]), "both"):
            for group in groups:
                counts[half, group][0] += hit
                counts[half, group][1] += 1
    lines = []
    for half in ("dev", "check", "both"):
        for group in ("all", "country not named"):
            hits, total = counts[half, group]
            lines.append(f"  {half:5s} {group:18s} accuracy={hits / max(total, 1):.3f} ({hits}/{total})")
        hits, total = counts[half, "all"]
        silent = counts[half, "nothing named"][1]
        lines.append(f"  {half:5s} {'nothing named':18s} {silent} rows name no place, demonym, cue or outlet: "
                     f"ceiling {(total - silent) / max(total, 1):.3f} without a guess")
    return lines


def prf(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for gold, guess in pairs if gold and guess)
    fp = sum(1 for gold, guess in pairs if not gold and guess)
    fn = sum(1 for gold, guess in pairs if gold and not guess)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"n={len(pairs):5d} pos={tp + fn:4d}  P={p:.3f} R={r:.3f} F1={f:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N extraction pages")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified items")
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"the corpora are not at {SHARED} (../shared beside the checkout)")
    pos = positives()
    rows = event_rows()
    items = (extraction_items(pos["extraction"], args.limit) + globalvoices_items(pos["globalvoices"])
             + itn_items(pos["itn"]) + event_items(rows) + written_items())
    geotag("", "")  # load the gazetteer before timing
    results = []
    scores: list[tuple[Item, float]] = []
    full_articles, full_seconds = 0, 0.0
    for item in items:
        started = time.perf_counter()
        assessment = classify_protest(item.title, item.text, item.language)
        geotag(item.title, item.text)
        if item.set in ("extraction", "globalvoices"):
            full_articles += 1
            full_seconds += time.perf_counter() - started
        results.append((item, assessment.protest))
        scores.append((item, assessment.protest_score))
    by_language: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    by_set: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for item, guess in results:
        by_language[item.language].append((item.label, guess))
        by_set[item.set].append((item.label, guess))
    print("Protest relevance at the default threshold")
    for language in ("es", "pt", "en"):
        print(f"  {language:14s} {prf(by_language[language])}")
    english_articles = [(i.label, g) for i, g in results if i.language == "en" and i.set != "events"]
    print(f"  {'en w/o events':14s} {prf(english_articles)}")
    for name, pairs in sorted(by_set.items()):
        print(f"  set {name:10s} {prf(pairs)}")
    print(f"  {'all':14s} {prf([p for pairs in by_set.values() for p in pairs])}")
    if args.show_errors:
        for item, guess in results:
            if item.label != guess and item.set != "events":
                print(f"    {'FN' if item.label else 'FP'} {item.set} {item.language} {item.id} | {item.title[:80]}")
    print("Calibration (all sets but events): score bin -> share of protest articles")
    for low in (0.0, 0.2, 0.4, 0.6, 0.8):
        labels = [i.label for i, score in scores if i.set != "events" and low <= score < low + 0.2 + (low == 0.8)]
        if labels:
            print(f"  {low:.1f}-{low + 0.2:.1f}: {sum(labels) / len(labels):.2f} of {len(labels)}")
    print("Event country (Mass Mobilization events, input: notes + sources; dev/check halves by id hash)")
    for line in event_country_report(rows):
        print(line)
    chars = sum(len(i.text) for i in items if i.set in ("extraction", "globalvoices")) / max(full_articles, 1)
    print(f"Speed: {1000 * full_seconds / max(full_articles, 1):.2f} ms per full article (classify + geotag, "
          f"{full_articles} news pages and Global Voices articles, {chars:.0f} characters on average)")


if __name__ == "__main__":
    main()
