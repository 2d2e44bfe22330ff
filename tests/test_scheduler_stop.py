"""Stopping the scheduler stops its crawls (SIGTERM, then SIGKILL of the crawl's process group), and
a crawl run left "running" by a process that is gone is closed as interrupted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from crawlers.state import INTERRUPTED, close_stale_runs
from storage.db import connect, session_scope
from storage.models import CrawlRun


def gone_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_runs_whose_process_is_gone_are_closed_and_the_others_kept(engine) -> None:
    host, now = socket.gethostname(), datetime.now(timezone.utc)
    dead = gone_pid()
    rows = {
        "killed here": CrawlRun(spider="feeds", pid=dead, host=host),
        "alive here": CrawlRun(spider="feeds", pid=os.getpid(), host=host),
        "another host": CrawlRun(spider="feeds", pid=dead, host=host + "-other"),
        "old, no pid": CrawlRun(spider="feeds", started_at=now - timedelta(days=2)),
        "new, no pid": CrawlRun(spider="feeds", started_at=now - timedelta(minutes=5)),
        "finished": CrawlRun(spider="feeds", pid=dead, host=host, status="finished"),
    }
    with session_scope(engine) as session:
        session.add_all(rows.values())
        session.flush()
        ids = {name: run.id for name, run in rows.items()}
    assert close_stale_runs(engine) == 2
    with session_scope(engine, write=False) as session:
        status = {name: session.get(CrawlRun, run_id).status for name, run_id in ids.items()}
    assert status == {"killed here": INTERRUPTED, "alive here": "running", "another host": "running",
                      "old, no pid": INTERRUPTED, "new, no pid": "running", "finished": "finished"}
    assert close_stale_runs(engine) == 0  # idempotent


@pytest.fixture
def silent_outlet() -> Iterator[str]:
    """An outlet that accepts connections and never answers: a crawl of it hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def wait_for(condition, seconds: float = 120.0):  # noqa: ANN001 - a callable
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"still waiting after {seconds:.0f} s")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_to_the_scheduler_stops_its_crawl_and_closes_the_run(tmp_path: Path, db_url: str,
                                                                      silent_outlet: str) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f'[[source]]\nid = "mudo-pe"\nname = "Diario Mudo"\nhomepage = "{silent_outlet}/"\ncountry = "PE"\n'
        f'languages = ["es"]\nfeeds = ["{silent_outlet}/feed.xml"]\nallowed_domains = ["127.0.0.1"]\n',
        encoding="utf-8")
    scheduler = subprocess.Popen([sys.executable, "-m", "protestwire", "schedule", "--sources", str(registry),
                                  "--db", db_url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "PROTESTWIRE_BACKOFF_BASE_SECONDS": "0"})
    engine = connect(db_url)

    def running_crawl() -> int | None:
        with session_scope(engine, write=False) as session:
            return session.scalar(select(CrawlRun.pid).where(CrawlRun.status == "running"))

    try:
        crawl_pid = wait_for(running_crawl)
        assert crawl_pid != scheduler.pid and os.getpgid(crawl_pid) == crawl_pid  # a process group of its own
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=120)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    # The crawl and its extraction workers (killed ones may linger a moment as zombies till reaped).
    wait_for(lambda: not group_alive(crawl_pid), seconds=30)
    with session_scope(engine, write=False) as session:
        statuses = set(session.scalars(select(CrawlRun.status)))
    assert "running" not in statuses and statuses
    engine.dispose()


def test_a_scheduler_killed_mid_crawl_and_restarted_crawls_nothing_twice(tmp_path: Path, db_url: str) -> None:
    """kill -9 of the scheduler while it crawls: the crawl goes on (its own session, output to a file,
    the source's lock inherited), the restarted scheduler keeps its stored jobs and skips the source's
    turns until that crawl ends, then crawls on its interval. No two runs overlap; no article twice."""
    from dataclasses import replace

    from sqlalchemy import func, text

    from protestwire.replay.server import Fault, load_sites, serve_sites
    from storage.models import Article
    from tests.conftest import expected_articles
    from tests.test_scheduler import _toml

    (site,) = [s for s in load_sites() if s.id == "altiplano-bo"]
    paths = [case.path for case in expected_articles() if case.site.id == site.id]
    slow = replace(site, faults=site.faults + tuple(Fault(path=path, delay_seconds=1.5, then_serve=True) for path in paths))
    env = {**os.environ, "PROTESTWIRE_MAX_ARTICLE_AGE_DAYS": "0", "PROTESTWIRE_BACKOFF_BASE_SECONDS": "0"}
    engine = connect(db_url)

    def runs() -> list[CrawlRun]:
        with session_scope(engine, write=False) as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.started_at)))

    with serve_sites([slow]) as (running,):
        registry = tmp_path / "sources.toml"
        registry.write_text(_toml(running.as_source()), encoding="utf-8")
        command = [sys.executable, "-m", "protestwire", "schedule", "--sources", str(registry), "--db", db_url,
                   "--interval-seconds", "4"]
        first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            crawl_pid = wait_for(lambda: next((r.pid for r in runs() if r.status == "running"), None))
        finally:
            first.kill()  # SIGKILL: no handler runs, the crawl is not told
            first.wait()
        assert group_alive(crawl_pid)  # the crawl outlives its scheduler
        second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
        try:
            wait_for(lambda: not group_alive(crawl_pid), seconds=180)
            orphan_end = max(r.finished_at for r in runs() if r.pid == crawl_pid)
            # Then a crawl of the restarted scheduler, on its interval, to its end.
            wait_for(lambda: any(r.started_at > orphan_end and r.status == "finished" for r in runs()), seconds=180)
            second.send_signal(signal.SIGTERM)
            _, log = second.communicate(timeout=120)
        finally:
            if second.poll() is None:
                second.kill()
    assert "still going" in log, log[-2000:]  # a turn came while the old crawl held the source
    every = runs()
    by_pid = {r.pid for r in every}
    assert crawl_pid in by_pid and len(by_pid) >= 2
    assert all(r.status == "finished" for r in every if r.pid == crawl_pid)  # not killed with its scheduler
    for earlier, later in zip(every, every[1:]):
        assert earlier.finished_at is not None and later.started_at >= earlier.finished_at, (earlier.id, later.id)
    with session_scope(engine, write=False) as session:
        stored = session.scalar(select(func.count()).select_from(Article))
        distinct = session.scalar(select(func.count(func.distinct(Article.canonical_url))))
        jobs = sorted(session.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    new = sum((r.per_source or {}).get(site.id, {}).get("new", 0) for r in every)
    assert stored == distinct == new >= len(paths) - 1  # every article once (one page robots.txt forbids)
    assert jobs == ["crawl:altiplano-bo", "maintenance:optimize-index", "maintenance:prune-fetch-state",
                    "maintenance:regroup"]
    engine.dispose()
