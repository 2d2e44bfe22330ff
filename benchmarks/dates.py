"""Publication-date decisions alone (pipeline.extract.dates), page by page: what went wrong and from where.

    .venv/bin/python benchmarks/dates.py [--limit N] [--failures] [--set htmldate|es-pt|other]

Same pages and truth as section 3 of benchmarks/extraction.py, but only the date step runs
(metadata, parsed tree, then ``decide_dates``), so pages the body extractor drops still count
here, and each miss is printed with the day we gave, the source and the offset. Score: the
calendar day in the offset we store (``published_local``; UTC when we know none) equals the
annotated day. "other" is the dated trafilatura-eval pages that are not es/pt (mostly German):
never used for tuning, a check that the rules are not fitted to the two target sets.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import extraction_data as data  # noqa: E402
from pipeline.extract.dates import PageDates, decide_dates  # noqa: E402
from pipeline.extract.page import decode_html, read_page  # noqa: E402

SETS = {
    "htmldate": lambda limit: [(p.url, p.raw, p.date) for p in data.htmldate_pages(limit)],
    "es-pt": lambda limit: [(p.url, p.raw, p.date) for p in data.dated_es_pt_eval_pages(limit)],
    "other": lambda limit: [(p.url, p.raw, p.date) for p in data.segment_pages(None) if p.date and not p.es_pt][:limit],
}


def local_day(dates: PageDates) -> date | None:
    if dates.published is None:
        return None
    offset = timedelta(minutes=dates.published_offset_minutes or 0)
    return dates.published.astimezone(timezone(offset)).date()


def run(name: str, limit: int | None, show_failures: bool) -> None:
    pages = SETS[name](limit)
    hits, seconds, missed_by = 0, 0.0, Counter()
    scored = 0
    for url, raw, truth_text in pages:
        try:
            truth = date.fromisoformat(truth_text[:10])
        except ValueError:  # a few upstream annotations are malformed ("2022-01.26")
            continue
        html = decode_html(raw)
        meta, tree = read_page(html)
        start = time.perf_counter()
        dates = decide_dates(meta, tree, url, html=html)
        seconds += time.perf_counter() - start
        scored += 1
        day = local_day(dates)
        if day == truth:
            hits += 1
            continue
        missed_by[dates.published_source or "none"] += 1
        if show_failures:
            delta = f"{(day - truth).days:+d}d" if day else "-"
            print(f"  miss {truth} ours {day} ({delta}) {dates.published_source} "
                  f"offset={dates.published_offset_minutes} {url[:90]}")
    share = hits / scored if scored else 0.0
    print(f"{name}: {hits}/{scored} = {share:.3f} local-day; date step {1000 * seconds / max(scored, 1):.1f} ms/page; "
          f"misses by source: {dict(missed_by.most_common())}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per set")
    parser.add_argument("--failures", action="store_true", help="print every miss")
    parser.add_argument("--set", choices=tuple(SETS), action="append", help="sets to run (default: all)")
    args = parser.parse_args(argv)
    data.require_shared()
    for name in args.set or SETS:
        run(name, args.limit, args.failures)


if __name__ == "__main__":
    main()
