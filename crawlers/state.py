"""What the crawler remembers between runs, kept in the store (never in process memory):
which article URLs are already stored, how feeds, sitemaps and robots.txt last answered, and
which crawl runs were left "running" by a process that is gone."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, select

from storage.db import session_scope
from storage.models import Article, CrawlRun, FetchState

# SQLite allows at most 32,766 bound parameters; stay far below.
LOOKUP_BATCH = 500


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    body: bytes | None = None  # kept for robots.txt only, which a 304 must still answer


def conditional_headers(validators: Validators | None) -> dict[str, str]:
    """The headers that make a request conditional on the last answer."""
    if validators is None:
        return {}
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


class CrawlState:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def known_article_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of ``urls`` already stored as some article's canonical URL."""
        wanted = list(dict.fromkeys(urls))
        known: set[str] = set()
        with session_scope(self.engine, write=False) as session:
            for start in range(0, len(wanted), LOOKUP_BATCH):
                batch = wanted[start:start + LOOKUP_BATCH]
                known.update(session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(batch))))
        return known

    def validators(self, url: str) -> Validators | None:
        with session_scope(self.engine, write=False) as session:
            state = session.get(FetchState, url)
            if state is None or not (state.etag or state.last_modified):
                return None
            return Validators(state.etag, state.last_modified, state.body)

    def remember(self, url: str, status: int, validators: Validators) -> None:
        with session_scope(self.engine) as session:
            state = session.get(FetchState, url) or FetchState(url=url)
            if status == 200:
                state.etag, state.last_modified, state.body = validators.etag, validators.last_modified, validators.body
            state.http_status = status
            state.checked_at = datetime.now(timezone.utc)
            session.add(state)


# A run left "running" with no process recorded (stored by an older protestwire) is taken as
# interrupted once it is this old: no crawl of one outlet lasts a day.
UNTRACKED_RUN_MAX_AGE = timedelta(days=1)
INTERRUPTED = "interrupted (process gone)"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_stale(run: CrawlRun, host: str, now: datetime) -> bool:
    """Whether a run marked "running" has no process left: its process on this host is gone, or it
    has none recorded and started long ago. Runs of other hosts (a shared PostgreSQL) are theirs."""
    if run.pid is None:
        return run.started_at < now - UNTRACKED_RUN_MAX_AGE
    return run.host == host and not process_alive(run.pid)


def close_stale_runs(engine: Engine) -> int:
    """Mark the crawl runs whose process was killed (SIGKILL, a crash, a reboot) as interrupted; how many."""
    host, now = socket.gethostname(), datetime.now(timezone.utc)
    with session_scope(engine) as session:
        stale = [run for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running"))
                 if is_stale(run, host, now)]
        for run in stale:
            run.status, run.finished_at = INTERRUPTED, now
    return len(stale)
