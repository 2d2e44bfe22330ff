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

The jobs live in the store itself (APScheduler's SQLAlchemy job store, table ``apscheduler_jobs``):
a restarted scheduler keeps each job's next run instead of crawling everything again, and a run
missed while it was down happens once. A crawl holds a lock on its source (``source_lock``) that
its process inherits, so a crawl left running by a scheduler killed with SIGKILL keeps its source
until it ends: the restarted scheduler skips that source's turn rather than crawl it twice at once.
Beside the crawls run the maintenance jobs (``MAINTENANCE``): stories regrouped where the method
changed or articles are left to place (``protestwire regroup``, in a child process like a crawl),
the full-text index optimised, and fetch state of feeds no longer fetched dropped.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
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
# The job store's table, in the store's own database.
JOBS_TABLE = "apscheduler_jobs"
# Maintenance: (job id, hours between runs). Each is safe to re-run and does nothing when nothing is due.
MAINTENANCE = (("maintenance:regroup", 24.0), ("maintenance:optimize-index", 24.0 * 7),
               ("maintenance:prune-fetch-state", 24.0))
# Fetch state (ETag, Last-Modified) of a URL not fetched for this long is dropped: the feed or
# sitemap left the registry, and a table of every URL ever fetched need not grow forever.
FETCH_STATE_MAX_AGE = timedelta(days=90)


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


def lock_path(db_url: str, name: str) -> Path:
    """The lock file of one source's crawls on one store (a temporary folder of this user)."""
    store = hashlib.sha1(db_url.encode("utf-8")).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"protestwire-locks-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{store}-{name.replace('/', '_')}.lock"


def source_lock(db_url: str, name: str) -> IO[bytes] | None:
    """The source's lock, held (an open file, flock'ed); None while another crawl of it holds it:
    one started by this scheduler, or by one killed before, whose crawl inherited the lock."""
    handle = open(lock_path(db_url, name), "ab")  # noqa: SIM115 - the caller closes it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


class Children:
    """The crawl processes running now, so that stopping the scheduler stops them too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self.stopping = False

    def start(self, command: list[str], stderr: IO[bytes] | None = None,
              keep: IO[bytes] | None = None) -> subprocess.Popen[str] | None:
        """A new crawl in a session (process group) of its own; None once stopping. Its output goes
        to ``stderr`` (a file, not a pipe: a crawl outliving a killed scheduler must not die writing to
        it); ``keep``, the source's lock, is inherited, so the lock lasts as long as the crawl."""
        with self._lock:
            if self.stopping:
                return None
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr or subprocess.DEVNULL,
                                     start_new_session=True, pass_fds=(keep.fileno(),) if keep else ())
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


def run_child(name: str, command: list[str], db_url: str, timeout: float = CRAWL_TIMEOUT_SECONDS) -> int:
    """Run ``command`` in a child process holding ``name``'s lock; its exit code, -1 when it timed
    out or the scheduler is stopping, 0 without running when another run of ``name`` holds the lock."""
    lock = source_lock(db_url, name)
    if lock is None:
        log.warning("%s: the previous run is still going (started before a restart?); skipping this turn", name)
        return 0
    started = datetime.now(timezone.utc)
    with lock, tempfile.TemporaryFile() as output:
        child = children.start(command, output, keep=lock)
        if child is None:
            return -1  # the scheduler is stopping
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.error("%s timed out after %.0f s", name, timeout)
            stop_process_group(child)
            children.forget(child)
            return -1
        # Not on the way out of a SIGTERM (SystemExit): stop_all must still find the child.
        children.forget(child)
        seconds = (datetime.now(timezone.utc) - started).total_seconds()
        if child.returncode == 0:
            log.info("%s done in %.1f s", name, seconds)
        else:
            output.seek(max(0, output.seek(0, os.SEEK_END) - 2000))
            log.error("%s failed (exit %s): %s", name, child.returncode,
                      output.read().decode("utf-8", "replace").strip())
        return child.returncode


def crawl_source(source_id: str, db_url: str, sources_file: str | None = None,
                 timeout: float = CRAWL_TIMEOUT_SECONDS) -> int:
    """Crawl one source in a child process; returns its exit code (-1 when it timed out)."""
    return run_child(f"crawl:{source_id}", crawl_command(source_id, db_url, sources_file), db_url, timeout)


def optimize_index(db_url: str) -> None:
    """Merge the full-text index's segments (SQLite FTS5 'optimize'; PostgreSQL: VACUUM ANALYZE articles)."""
    from sqlalchemy import text

    engine = connect(db_url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')"))
        else:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE articles"))
    finally:
        engine.dispose()


def prune_fetch_state(db_url: str, now: datetime | None = None) -> int:
    """Drop the validators of URLs not fetched for FETCH_STATE_MAX_AGE; how many."""
    from sqlalchemy import delete

    from storage.db import session_scope
    from storage.models import FetchState

    engine = connect(db_url)
    cutoff = (now or datetime.now(timezone.utc)) - FETCH_STATE_MAX_AGE
    try:
        with session_scope(engine) as session:
            return session.execute(delete(FetchState).where(FetchState.checked_at < cutoff)).rowcount or 0
    finally:
        engine.dispose()


def run_maintenance(job: str, db_url: str) -> int:
    """One maintenance job by name (MAINTENANCE); logs what it did. Regrouping runs in a child process."""
    if job == "regroup":
        return run_child("maintenance:regroup", [sys.executable, "-m", "protestwire", "regroup", "--db", db_url],
                         db_url, timeout=6 * 3600)
    if job == "optimize-index":
        optimize_index(db_url)
        log.info("full-text index optimised")
    elif job == "prune-fetch-state":
        log.info("dropped the fetch state of %d URL(s) not fetched for %d days", prune_fetch_state(db_url),
                 FETCH_STATE_MAX_AGE.days)
    else:
        raise ValueError(f"unknown maintenance job {job!r}")
    return 0


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
                   sources_file: str | None = None, *, interval_seconds: float | None = None) -> None:
    """One interval job per source (``interval_seconds`` overrides every source's, for trials and
    tests). A job the scheduler's store already holds, with the same interval and arguments, keeps
    its next run (a restart resumes the schedule); a new or changed one is due now, with jitter; the
    jobs of sources no longer scheduled are removed."""
    now = datetime.now(timezone.utc)
    wanted = set()
    for source in sources:
        seconds = interval_seconds or source.crawl_interval_minutes * 60
        job_id, args = f"crawl:{source.id}", (source.id, db_url, sources_file)
        wanted.add(job_id)
        kept = _stored_job(scheduler, job_id)
        if kept is not None and kept.args == args and getattr(kept.trigger, "interval", None) == timedelta(
                seconds=seconds):
            continue
        scheduler.add_job(
            crawl_source, IntervalTrigger(seconds=seconds, jitter=min(JITTER_SECONDS, seconds / 4)),
            args=list(args), id=job_id, name=f"crawl {source.name}",
            max_instances=1, coalesce=True, next_run_time=now, replace_existing=True,
            misfire_grace_time=int(seconds),
        )
    for job in _stored_jobs(scheduler):
        if job.id.startswith("crawl:") and job.id not in wanted:
            job.remove()


def add_maintenance_jobs(scheduler: BaseScheduler, db_url: str, *, scale: float = 1.0) -> None:
    """The maintenance jobs (MAINTENANCE), first due one interval from now unless already stored."""
    now = datetime.now(timezone.utc)
    for job_id, hours in MAINTENANCE:
        seconds = hours * 3600 * scale
        kept = _stored_job(scheduler, job_id)
        if kept is not None and getattr(kept.trigger, "interval", None) == timedelta(seconds=seconds):
            continue
        scheduler.add_job(run_maintenance, IntervalTrigger(seconds=seconds), args=[job_id.split(":", 1)[1], db_url],
                          id=job_id, name=job_id, max_instances=1, coalesce=True, replace_existing=True,
                          next_run_time=now + timedelta(seconds=seconds), misfire_grace_time=int(seconds))


def _stored_jobs(scheduler: BaseScheduler) -> list[Any]:
    return scheduler.get_jobs() if scheduler.running else []


def _stored_job(scheduler: BaseScheduler, job_id: str) -> Any:
    return scheduler.get_job(job_id) if scheduler.running else None


def job_store(db_url: str) -> Any:
    """APScheduler's SQLAlchemy job store in the store's own database."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    return SQLAlchemyJobStore(engine=connect(db_url), tablename=JOBS_TABLE)


def run_forever(sources: Sequence[Source], db_url: str, sources_file: str | None = None, *,
                interval_seconds: float | None = None) -> None:
    """Crawl every source on its interval, and run the maintenance jobs, until interrupted (Ctrl-C
    or SIGTERM). The jobs are kept in the store: a restart resumes their schedule."""
    scheduler = BackgroundScheduler(timezone=timezone.utc, jobstores={"default": job_store(db_url)},
                                    job_defaults={"max_instances": 1}, executors={"default": {
                                        "type": "threadpool", "max_workers": 10}})
    stop = threading.Event()
    with stopping_children_on_exit(db_url):
        try:
            scheduler.start(paused=True)
            add_crawl_jobs(scheduler, sources, db_url, sources_file, interval_seconds=interval_seconds)
            add_maintenance_jobs(scheduler, db_url, scale=(interval_seconds or 3600) / 3600)
            scheduler.resume()
            log.warning("scheduling %d sources and %d maintenance jobs; Ctrl-C stops", len(sources), len(MAINTENANCE))
            while not stop.wait(1.0):
                pass
        except (KeyboardInterrupt, SystemExit):
            log.warning("stopping: the running crawls get SIGTERM, then SIGKILL after %.0f s", STOP_GRACE_SECONDS)
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)


def run_once(sources: Sequence[Source], db_url: str, sources_file: str | None = None) -> dict[str, int]:
    """Crawl every source once, one after the other; returns each source's exit code (for cron).
    A SIGTERM or Ctrl-C stops the running crawl and raises SystemExit/KeyboardInterrupt."""
    with stopping_children_on_exit(db_url):
        return {source.id: crawl_source(source.id, db_url, sources_file) for source in sources}
