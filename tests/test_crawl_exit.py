"""A crawl that could not reach an outlet exits 1, alone or under `schedule --once`, so a cron job
notices; a crawl that reached every outlet exits 0 (even when some of its URLs failed, see
tests/test_crawl_faults.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.run import RunSummary, unreached_sources
from tests import faulty_site


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def dead_registry(folder: Path) -> Path:
    base = f"http://127.0.0.1:{closed_port()}"
    registry = folder / "sources.toml"
    registry.write_text(
        f'[[source]]\nid = "apagado-pe"\nname = "Diario Apagado"\nhomepage = "{base}/"\ncountry = "PE"\n'
        f'languages = ["es"]\nfeeds = ["{base}/feed.xml"]\nsitemaps = ["{base}/sitemap.xml"]\n'
        f'allowed_domains = ["127.0.0.1"]\n', encoding="utf-8")
    return registry


def protestwire(*args: str) -> subprocess.CompletedProcess[str]:
    settings = {**faulty_site.FAST_FAULT_SETTINGS, "RETRY_TIMES": "0"}
    env = {**os.environ, "COLUMNS": "200"}
    command = [sys.executable, "-m", "protestwire", *args]
    if args[0] == "crawl":
        command += [f"--set={k}={v}" for k, v in settings.items()]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def test_a_crawl_that_reached_no_outlet_exits_1(tmp_path: Path, db_url: str) -> None:
    from storage.db import connect, session_scope
    from storage.models import CrawlRun
    from tests.test_scheduler_stop import gone_pid

    engine = connect(db_url)
    with session_scope(engine) as session:  # as a crawl killed with SIGKILL left its run
        session.add(CrawlRun(spider="feeds", pid=gone_pid(), host=socket.gethostname()))
    result = protestwire("crawl", "--sources", str(dead_registry(tmp_path)), "--db", db_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no answer from apagado-pe" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert "Closed 1 crawl run(s) left running by a process that is gone" in " ".join(result.stderr.split())
    with session_scope(engine, write=False) as session:
        assert session.get(CrawlRun, 1).status == "interrupted (process gone)"
    engine.dispose()


def test_schedule_once_exits_1_and_names_the_outlet_that_failed(tmp_path: Path, db_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "protestwire", "schedule", "--once", "--sources", str(dead_registry(tmp_path)),
         "--db", db_url], capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200", "PROTESTWIRE_BACKOFF_BASE_SECONDS": "0"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Crawled 0 of 1 sources. Failed: apagado-pe." in result.stdout


def summary(per_source: dict[str, dict[str, int]]) -> RunSummary:
    return RunSummary("feeds", "finished", 0, 0, 0, 0, 0, 0, {}, {}, per_source)


@pytest.mark.parametrize(("runs", "unreached"), [
    ([{"a": {"errors": 2}}], ["a"]),
    ([{"a": {"errors": 2}}, {"a": {"answered": 1}}], []),  # the sitemaps answered after the feed failed
    ([{"a": {"errors": 1, "answered": 3}, "b": {"errors": 1}}], ["b"]),
    ([{"a": {"answered": 1, "not-modified": 1}}], []),
])
def test_an_outlet_is_unreached_when_it_failed_and_never_answered(runs, unreached) -> None:
    assert unreached_sources([summary(per_source) for per_source in runs]) == unreached
