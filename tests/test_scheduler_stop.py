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
