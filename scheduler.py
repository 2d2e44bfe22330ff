"""The crawl scheduler: every source is crawled on its own interval, by APScheduler (3.x).

Each crawl runs as ``python -m protestwire crawl --source ID`` in a fresh process:
Twisted's reactor cannot restart inside one process, and a crash or a hung outlet
then costs one job, not the service. A job never overlaps itself (``max_instances=1``)
and missed runs collapse into one (``coalesce``), so a laptop waking from sleep does
not crawl an outlet five times in a row.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timezone

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawlers.sources import Source

log = logging.getLogger("protestwire.scheduler")
# Spread the first runs so a dozen outlets are not all fetched in the same second.
JITTER_SECONDS = 60
# A crawl of one outlet that takes longer than this is stuck; the next run starts afresh.
CRAWL_TIMEOUT_SECONDS = 30 * 60


def crawl_command(source_id: str, db_url: str, sources_file: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "protestwire", "crawl", "--source", source_id, "--db", db_url]
    return command + (["--sources", sources_file] if sources_file else [])


def crawl_source(source_id: str, db_url: str, sources_file: str | None = None,
                 timeout: float = CRAWL_TIMEOUT_SECONDS) -> int:
    """Crawl one source in a child process; returns its exit code (-1 when it timed out)."""
    started = datetime.now(timezone.utc)
    try:
        result = subprocess.run(crawl_command(source_id, db_url, sources_file), capture_output=True, text=True,
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        log.error("crawl of %s timed out after %.0f s", source_id, timeout)
        return -1
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    if result.returncode == 0:
        log.info("crawled %s in %.1f s", source_id, seconds)
    else:
        log.error("crawl of %s failed (exit %s): %s", source_id, result.returncode, result.stderr.strip()[-2000:])
    return result.returncode


def add_crawl_jobs(scheduler: BaseScheduler, sources: Sequence[Source], db_url: str,
                   sources_file: str | None = None) -> None:
    """One interval job per source, the first run due now (with jitter)."""
    now = datetime.now(timezone.utc)
    for source in sources:
        scheduler.add_job(
            crawl_source, IntervalTrigger(minutes=source.crawl_interval_minutes, jitter=JITTER_SECONDS),
            args=[source.id, db_url, sources_file], id=f"crawl:{source.id}", name=f"crawl {source.name}",
            max_instances=1, coalesce=True, next_run_time=now, replace_existing=True,
            misfire_grace_time=source.crawl_interval_minutes * 60,
        )


def run_forever(sources: Sequence[Source], db_url: str, sources_file: str | None = None) -> None:
    """Crawl every source on its interval until interrupted (Ctrl-C or SIGTERM)."""
    scheduler = BlockingScheduler(timezone=timezone.utc, job_defaults={"max_instances": 1})
    add_crawl_jobs(scheduler, sources, db_url, sources_file)
    log.warning("scheduling %d sources; Ctrl-C stops", len(sources))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def run_once(sources: Sequence[Source], db_url: str, sources_file: str | None = None) -> dict[str, int]:
    """Crawl every source once, one after the other; returns each source's exit code (for cron)."""
    return {source.id: crawl_source(source.id, db_url, sources_file) for source in sources}
