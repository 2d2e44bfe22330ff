"""`protestwire serve` under load (issue 20), on a generated store, over 127.0.0.1 only.

Prints conditional feed requests answered 304 per second (If-None-Match with the feed's ETag;
target >= 1,000/s) and requests per second of a common and a rare search for 1 and for 8
concurrent clients (target: 8 clients get >= 4x one client's rate), with p50/p95 latencies. Each client is a
process of its own with one keep-alive connection, so the clients' own Python is not one GIL.

    python benchmarks/serve.py                       # 2,000 articles (benchmarks/search.py's fill), --workers = cores
    python benchmarks/serve.py --articles 5000 --workers 4 --seconds 10
    python benchmarks/serve.py --db sqlite:///big.db # an existing store, filled only if empty
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HOST = "127.0.0.1"  # the benchmark never contacts any other address
FEED = "/feeds/search.atom?" + urlencode({"q": "protesta"})
# In benchmarks/search.py's store nearly every article holds each of its 20 words, and a word with a
# number ("huelga137") is in about 6 articles of 1,000: a common search and a rare one.
SEARCHES = {"common": "paro huelga", "rare": "huelga137"}
TARGET_304_PER_SECOND = 1000
TARGET_SPEED_UP = 4.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare_store(url: str, articles: int) -> None:
    from sqlalchemy import func, select

    from benchmarks.search import fill
    from storage.db import connect, init_db
    from storage.models import Article

    engine = connect(url)
    init_db(engine)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Article)).scalar() or 0
    if not stored:
        began = time.perf_counter()
        fill(engine, articles)
        stored = articles
        print(f"{articles:,} articles stored in {time.perf_counter() - began:.1f} s")
    print(f"store: {stored:,} articles on {engine.dialect.name}")
    engine.dispose()


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-m", "protestwire", "serve", "--host", HOST, "--port", str(port),
                               "--workers", str(workers), "--db", url],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"serve stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if get(port, "/healthz")[0] == 200:
                time.sleep(1 + workers * 0.5)  # let every worker finish starting
                return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("serve did not answer within 60 s")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def client(port: int, path: str, headers: dict[str, str], seconds: float, start_at: float,
           expected: int) -> list[float]:
    """One client: requests one after another on one keep-alive connection; their latencies."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    latencies = []
    while time.time() < start_at:
        time.sleep(0.001)
    stop_at = start_at + seconds
    while time.time() < stop_at:
        began = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != expected:
            raise RuntimeError(f"{path}: {response.status}, expected {expected}")
        latencies.append(time.perf_counter() - began)
    connection.close()
    return latencies


def load(port: int, path: str, clients: int, seconds: float, headers: dict[str, str] | None = None,
         expected: int = 200) -> tuple[float, float, float]:
    """Requests per second of ``clients`` concurrent clients over ``seconds``, and p50/p95 in ms."""
    start_at = time.time() + 1.0  # every client process started and connected before the clock runs
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        runs = pool.starmap(client, [(port, path, headers or {}, seconds, start_at, expected)] * clients)
    latencies = sorted(latency for run in runs for latency in run)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="articles to generate in a new store")
    parser.add_argument("--db", help="store URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="serve --workers")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/serve.db"
        prepare_store(url, args.articles)
        port = free_port()
        server = start_server(url, port, args.workers)
        try:
            print(f"protestwire serve --workers {args.workers} on {HOST}:{port}; {os.cpu_count()} cores; "
                  f"{args.seconds:g} s a measurement")
            status, headers = get(port, FEED)
            etag = {k.lower(): v for k, v in headers.items()}["etag"]
            rate, p50, p95 = load(port, FEED, 8, args.seconds, {"If-None-Match": etag}, expected=304)
            verdict = "met" if rate >= TARGET_304_PER_SECOND else "NOT met"
            print(f"{'conditional feed, 8 clients, 304s':<40} {rate:8.0f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
                  f"  (target >= {TARGET_304_PER_SECOND:,}/s: {verdict})")
            for kind, text in SEARCHES.items():
                path = "/api/articles?" + urlencode({"q": text})
                one, p50, p95 = load(port, path, 1, args.seconds)
                label = f"{kind} search '{text}'"
                print(f"{label + ', 1 client':<40} {one:8.1f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
                eight, p50, p95 = load(port, path, 8, args.seconds)
                verdict = "met" if eight / one >= TARGET_SPEED_UP else "NOT met"
                print(f"{label + ', 8 clients':<40} {eight:8.1f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
                      f"  ({eight / one:.2f}x one client; target >= {TARGET_SPEED_UP:g}x: {verdict})")
        finally:
            server.terminate()  # SIGTERM: uvicorn stops its workers and exits
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
