"""The crawl scheduler: every source is crawled on its own interval, by APScheduler (3.x).

Each crawl runs as ``python -m protestwire crawl --source ID`` in a fresh process:
Twisted's reactor cannot restart inside one process, and a crash or a hung outlet
then costs one job, not the service. A job never overlaps itself (``max_instances=1``)
and missed runs collapse into one (``coalesce``), so a laptop waking from sleep does
not crawl an outlet five times in a row.

Each crawl is a process group of its own (the crawl and its extraction workers). Stopping the
scheduler (SIGTERM from systemd or `timeout`, SIGHUP, Ctrl-C) stops them too: SIGTERM to each
crawl, which closes its run as interrupted, then after STOP_GRACE_SECONDS SIGKILL to its whole
group. A run a SIGKILL left "running" is closed by the next crawl or schedule (crawlers.run).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawlers.state import close_stale_runs
from sources import Source
from storage.db import connect

log = logging.getLogger("protestwire.scheduler")
# Spread the first runs so a dozen outlets are not all fetched in the same second.
JITTER_SECONDS = 60
# A crawl of one outlet that takes longer than this is stuck; the next run starts afresh.
CRAWL_TIMEOUT_SECONDS = 30 * 60
# How long a crawl told to stop (SIGTERM) may take to close its run before it is killed.
STOP_GRACE_SECONDS = 10.0


def crawl_command(source_id: str, db_url: str, sources_file: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "protestwire", "crawl", "--source", source_id, "--db", db_url]
    return command + (["--sources", sources_file] if sources_file else [])


def stop_process_group(child: subprocess.Popen[str], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM to the crawl (Scrapy stops it gracefully), then SIGKILL to its group after ``grace``
    seconds: the crawl if it hung, and its extraction workers in any case."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(grace)
        except subprocess.TimeoutExpired:
            log.warning("crawl process %s did not stop in %.0f s: killing it", child.pid, grace)
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # the group is gone already
        pass
    child.wait()


class Children:
    """The crawl processes running now, so that stopping the scheduler stops them too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self.stopping = False

    def start(self, command: list[str]) -> subprocess.Popen[str] | None:
        """A new crawl in a session (process group) of its own; None once stopping."""
        with self._lock:
            if self.stopping:
                return None
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
            self._running.add(child)
            return child

    def forget(self, child: subprocess.Popen[str]) -> None:
        with self._lock:
            self._running.discard(child)

    def stop_all(self, grace: float = STOP_GRACE_SECONDS) -> int:
        """Stop every running crawl (and start no more); how many there were."""
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for child in running:
            stop_process_group(child, grace)
        return len(running)


children = Children()


def crawl_source(source_id: str, db_url: str, sources_file: str | None = None,
                 timeout: float = CRAWL_TIMEOUT_SECONDS) -> int:
    """Crawl one source in a child process; returns its exit code (-1 when it timed out)."""
    started = datetime.now(timezone.utc)
    child = children.start(crawl_command(source_id, db_url, sources_file))
    if child is None:
        return -1  # the scheduler is stopping
    try:
        _, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.error("crawl of %s timed out after %.0f s", source_id, timeout)
        stop_process_group(child)
        child.communicate()
        children.forget(child)
        return -1
    # Not on the way out of a SIGTERM (SystemExit): stop_all must still find the child.
    children.forget(child)
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    if child.returncode == 0:
        log.info("crawled %s in %.1f s", source_id, seconds)
    else:
        log.error("crawl of %s failed (exit %s): %s", source_id, child.returncode, stderr.strip()[-2000:])
    return child.returncode


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def stopping_children_on_exit(db_url: str) -> Iterator[None]:
    """SIGTERM and SIGHUP end the scheduler as Ctrl-C does; on the way out, every crawl is stopped
    and the runs of those that had to be killed are closed as interrupted."""
    previous = {sig: signal.signal(sig, _exit_on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        if children.stop_all():
            engine = connect(db_url)
            close_stale_runs(engine)
            engine.dispose()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
    with stopping_children_on_exit(db_url):
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
            log.warning("stopping: the running crawls get SIGTERM, then SIGKILL after %.0f s", STOP_GRACE_SECONDS)


def run_once(sources: Sequence[Source], db_url: str, sources_file: str | None = None) -> dict[str, int]:
    """Crawl every source once, one after the other; returns each source's exit code (for cron).
    A SIGTERM or Ctrl-C stops the running crawl and raises SystemExit/KeyboardInterrupt."""
    with stopping_children_on_exit(db_url):
        return {source.id: crawl_source(source.id, db_url, sources_file) for source in sources}
