"""Long-running commands: `protestwire serve` and `protestwire demo --serve`, as a user starts them."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser

from tests.helpers import fill_store, free_first_port


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_serve_answers_search_and_feeds(engine, db_url: str) -> None:
    fill_store(engine)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "protestwire", "serve", "--port", str(port), "--db", db_url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert b'"ok"' in wait_for(f"http://127.0.0.1:{port}/healthz", process)
        feed = wait_for(f"http://127.0.0.1:{port}/feeds/search.rss?q=carretera", process)
        assert [e.title for e in feedparser.parse(feed).entries] == ["Transportistas bloquean la carretera Oruro-La Paz"]
    finally:
        stop(process)


def test_demo_serve_keeps_the_replay_sites_up_until_interrupted(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "protestwire", "demo", "--serve", "--db", f"sqlite:///{tmp_path / 'demo.db'}",
         "--first-port", free_first_port()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:  # wait for the crawl to finish
            lines.append(line)
            if "until Ctrl-C" in line:
                break
        base = next(line.split()[-1] for line in lines if "Diario El Altiplano" in line and "http://" in line)
        feed = feedparser.parse(wait_for(base + "rss.xml", process))
        assert not feed.bozo and len(feed.entries) >= 5
        assert b"Disallow" in wait_for(base + "robots.txt", process)
    finally:
        stop(process)
    assert process.returncode == 0


def test_serve_workers_runs_several_processes_each_answering(engine, db_url: str) -> None:
    fill_store(engine)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "protestwire", "serve", "--port", str(port), "--workers", "2",
                                "--db", db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert b'"ok"' in wait_for(f"http://127.0.0.1:{port}/healthz", process)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        workers = [pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2
        for _ in range(6):  # whichever process answers, the answer is the same
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/articles?q=carretera")
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200 and response.headers["ETag"]
    finally:
        stop(process)
