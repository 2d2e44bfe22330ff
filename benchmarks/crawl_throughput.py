"""End-to-end crawl throughput on real news pages, against bare trafilatura in the same run.

A local replay outlet on 127.0.0.1 serves N article pages (the real pages of
../shared/corpora/extraction, read in place, repeated under distinct URLs to reach N) through
a news-sitemap index. `protestwire crawl` fetches them all: fetch, extract (in worker
processes), normalise, classify, deduplicate, store, WARC capture. Then the same pages go
through bare `trafilatura.extract` on one core. Prints pages/s, peak memory and the ratio, and
for scale the ceiling: bare trafilatura in one process per core, against one.

    .venv/bin/python benchmarks/crawl_throughput.py [--pages 2400] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ProcessTreeMonitor, news_pages  # noqa: E402
from protestwire.replay.server import ReplaySite, serve_sites  # noqa: E402

SITEMAP_SIZE = 500
TARGET_PAGES_PER_SECOND = 80
TARGET_RATIO = 1.5
# A local replay server needs no politeness; the crawl is otherwise configured as shipped.
BENCH_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32", "PROTESTWIRE_MAX_ARTICLE_AGE_DAYS": "0", "LOG_LEVEL": "ERROR",
}


def build_site(folder: Path, pages: list[tuple[str, bytes]], count: int) -> list[str]:
    """Write the distinct pages once; the sitemaps list ``count`` URLs cycling over them
    (copies live under /c1/, /c2/...: links to the same folder, so each URL is distinct)."""
    (folder / "c0").mkdir(parents=True)
    for index, (_, raw) in enumerate(pages):
        (folder / "c0" / f"{index}.html").write_bytes(raw)
    for copy in range(1, -(-count // len(pages))):
        (folder / f"c{copy}").symlink_to(folder / "c0", target_is_directory=True)
    urls = [f"/c{i // len(pages)}/{i % len(pages)}.html" for i in range(count)]
    children = []
    for start in range(0, count, SITEMAP_SIZE):
        name = f"sitemap-{start // SITEMAP_SIZE}.xml"
        entries = "".join(f"<url><loc>{{{{BASE}}}}{u}</loc></url>" for u in urls[start:start + SITEMAP_SIZE])
        (folder / name).write_text('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                   f'schemas/sitemap/0.9">{entries}</urlset>', encoding="utf-8")
        children.append(f"<sitemap><loc>{{{{BASE}}}}/{name}</loc></sitemap>")
    (folder / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.'
                                        f'sitemaps.org/schemas/sitemap/0.9">{"".join(children)}</sitemapindex>')
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (folder / "site.toml").write_text('id = "bench"\nname = "Benchmark outlet"\ncountry = "PE"\nlanguages = ["es"]\n'
                                      'sitemaps = ["/sitemap.xml"]\n')
    return urls


def crawl(folder: Path, workdir: Path, workers: int,
          profile: Path | None = None) -> tuple[float, int, int, ProcessTreeMonitor, float]:
    """(seconds, pages fetched, articles stored, process monitor, replay-server CPU seconds) of one crawl."""
    import resource
    from sqlalchemy import func, select

    from storage.db import connect, session_scope
    from storage.models import Article, CrawlRun

    with serve_sites([ReplaySite.load(folder)]) as (site,):
        registry = workdir / "sources.toml"
        registry.write_text(f'[[source]]\nid = "bench"\nname = "Benchmark outlet"\nhomepage = "{site.base_url}/"\n'
                            f'country = "PE"\nlanguages = ["es"]\nsitemaps = ["{site.base_url}/sitemap.xml"]\n'
                            'allowed_domains = ["127.0.0.1"]\n', encoding="utf-8")
        db_url = f"sqlite:///{workdir / 'bench.db'}"
        settings = [f"--set={k}={v}" for k, v in {**BENCH_SETTINGS, "PROTESTWIRE_EXTRACT_WORKERS": workers}.items()]
        profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
        command = [sys.executable, *profiler, "-m", "protestwire", "crawl", "--spider", "sitemaps", "--sources", str(registry),
                   "--db", db_url, *settings]
        server_cpu = resource.getrusage(resource.RUSAGE_SELF)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        with ProcessTreeMonitor(process.pid) as monitor:
            _, stderr = process.communicate()
        after = resource.getrusage(resource.RUSAGE_SELF)
        server_seconds = (after.ru_utime + after.ru_stime) - (server_cpu.ru_utime + server_cpu.ru_stime)
        if process.returncode != 0:
            raise SystemExit(f"crawl failed:\n{stderr[-3000:]}")
    engine = connect(db_url)
    with session_scope(engine) as session:
        run = session.scalars(select(CrawlRun)).one()
        stored = session.scalar(select(func.count()).select_from(Article)) or 0
        seconds = (run.finished_at - run.started_at).total_seconds()
        return seconds, run.pages_fetched, stored, monitor, server_seconds


def bare_trafilatura(pages: list[bytes]) -> float:
    """Pages per second of trafilatura.extract, default options, one core."""
    import trafilatura

    started = time.perf_counter()
    for raw in pages:
        trafilatura.extract(raw)
    return len(pages) / (time.perf_counter() - started)


def _extract_all(pages: list[bytes]) -> None:
    import trafilatura

    for raw in pages:
        trafilatura.extract(raw)


def bare_trafilatura_all_cores(pages: list[bytes], workers: int) -> float:
    """Pages per second of trafilatura.extract in ``workers`` processes at once: the most any
    pipeline built on it can do on this machine (cores share caches and memory bandwidth)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract_all, [pages[:5]] * workers))  # imports and warm-up, not timed
        started = time.perf_counter()
        list(pool.map(_extract_all, [pages[n::workers] for n in range(workers)]))
        return len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2400, help="article pages to crawl (default 2400)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="extraction worker processes")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="run the Scrapy process under cProfile and write its statistics to FILE "
                             "(read them with python -m pstats FILE); slows the crawl")
    args = parser.parse_args()
    pages = news_pages()
    print(f"{len(pages)} distinct real pages, {sum(len(r) for _, r in pages) / len(pages) / 1024:.0f} KiB on average;"
          f" crawling {args.pages} article URLs with {args.workers} extraction workers on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="protestwire-bench-") as tmp:
        folder, workdir = Path(tmp) / "site", Path(tmp) / "work"
        workdir.mkdir()
        urls = build_site(folder, pages, args.pages)
        cycled = [pages[i % len(pages)][1] for i in range(len(urls))]
        # The baseline runs before and after the crawl and the two are averaged: this machine's
        # speed drifts by ~20% over minutes, which alone moved the ratio between runs.
        before = bare_trafilatura(cycled)
        seconds, fetched, stored, monitor, server_seconds = crawl(folder, workdir, args.workers, args.profile)
    after = bare_trafilatura(cycled)
    baseline = (before + after) / 2
    all_cores = bare_trafilatura_all_cores(cycled, os.cpu_count() or 2)
    end_to_end = len(urls) / seconds
    ratio = end_to_end / baseline
    print()
    print(f"{'measure':<52}{'value':>12}")
    print(f"{'end-to-end crawl (fetch+pipeline+store), pages/s':<52}{end_to_end:>12.1f}")
    print(f"{'  pages fetched / articles stored':<52}{f'{fetched} / {stored}':>12}")
    print(f"{'  peak memory of the crawl (all processes), MiB':<52}{monitor.peak_bytes / 2**20:>12.0f}")
    cpu = monitor.cpu_by_role()
    for role, label in (("crawler", "Scrapy process (fetch, stages, store, WARC)"), ("workers", "extraction workers")):
        print(f"{'  CPU ms/page, ' + label:<52}{cpu.get(role, 0.0) / len(urls) * 1000:>12.1f}")
    print(f"{'  CPU ms/page, replay server (this process)':<52}{server_seconds / len(urls) * 1000:>12.1f}")
    print(f"{'bare trafilatura.extract, one core, pages/s':<52}{baseline:>12.1f}")
    print(f"{'  before / after the crawl':<52}{f'{before:.1f} / {after:.1f}':>12}")
    print(f"{'ratio end-to-end / bare trafilatura':<52}{ratio:>12.2f}")
    print(f"{f'  ceiling: bare trafilatura in {os.cpu_count() or 2} processes':<52}{all_cores / baseline:>11.2f}x")
    print()
    print(f"target: >= {TARGET_PAGES_PER_SECOND} pages/s: {'met' if end_to_end >= TARGET_PAGES_PER_SECOND else 'NOT met'};"
          f" ratio >= {TARGET_RATIO}: {'met' if ratio >= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
