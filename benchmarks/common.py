"""Shared by the benchmarks: the real pages in ../shared, read in place, and process-tree memory."""

from __future__ import annotations

import gzip
import threading
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
EXTRACTION = SHARED / "extraction"
MIN_PAGE_BYTES = 2_000


def news_pages(limit: int | None = None) -> list[tuple[str, bytes]]:
    """(name, raw bytes) of every HTML page of ../shared/corpora/extraction, decompressed."""
    if not EXTRACTION.is_dir():
        raise SystemExit(f"the real pages are not at {EXTRACTION} (../shared beside the checkout)")
    pages = []
    for file in sorted(EXTRACTION.rglob("*")):
        if not file.is_file() or not file.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
            continue
        raw = file.read_bytes()
        if file.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        if len(raw) >= MIN_PAGE_BYTES:
            pages.append((str(file.relative_to(EXTRACTION)), raw))
        if limit and len(pages) >= limit:
            break
    return pages


class ProcessTreeMonitor:
    """Samples a process and its descendants until stopped: peak summed resident memory, and
    the CPU seconds each process used (the last sample of each, so exited workers count). A
    sample reads /proc for every process (~1-2 ms), so every quarter second: the monitor runs on
    the cores it measures."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.every = every
        self.peak_bytes = 0
        self.cpu_seconds: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        total = 0
        for p in [self.process, *self.process.children(recursive=True)]:
            try:
                with p.oneshot():
                    total += p.memory_info().rss
                    times = p.cpu_times()
                    role = "crawler" if p.pid == self.process.pid else "workers"
                    self.cpu_seconds[p.pid] = (role, times.user + times.system)
            except psutil.Error:
                pass
        self.peak_bytes = max(self.peak_bytes, total)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                return
            time.sleep(self.every)

    def cpu_by_role(self) -> dict[str, float]:
        roles: dict[str, float] = {}
        for role, seconds in self.cpu_seconds.values():
            roles[role] = roles.get(role, 0.0) + seconds
        return roles

    def __enter__(self) -> ProcessTreeMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
