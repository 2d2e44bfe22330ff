"""What the crawler remembers between runs, kept in the store (never in process memory):
which article URLs are already stored, and how feeds, sitemaps and robots.txt last answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, select

from storage.db import session_scope
from storage.models import Article, FetchState

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
