"""Event records per story: what `protestwire events --rebuild` runs over the whole store.

The coding itself is ``pipeline.story_events``, which every write path (crawls and ``ingest``,
through ``pipeline.store.store_articles``) already calls in its own transaction for the stories it
touched. ``refresh_story_events`` goes over every protest story (or those with an article seen
since a time), one committed batch at a time: it recodes what is missing or out of date (a new
model, a store written before the records existed, a run that died between batches) and drops the
rows of stories that are no longer protest coverage. Idempotent and resumable.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from pipeline.story_events import RefreshReport, code_article, refresh_stories, story_event, story_key
from storage.models import Article, StoryEvent

__all__ = ["BATCH", "RefreshReport", "code_article", "refresh_story_events", "story_event", "story_key"]

BATCH = 200  # stories per transaction


def _protest_stories(session: Session, since: datetime | None) -> list[int]:
    stmt = select(story_key()).where(Article.protest.is_(True), Article.duplicate_of.is_(None))
    if since is not None:
        stmt = stmt.where(Article.last_seen >= since)
    return sorted(set(session.scalars(stmt.distinct())))


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def refresh_story_events(engine: Engine, *, since: datetime | None = None) -> RefreshReport:
    """Code (or recode) the event of every protest story that changed; ``since``: only stories with an
    article seen since then."""
    report = RefreshReport(0, 0, 0)
    with Session(engine) as session:
        story_ids = _protest_stories(session, since)
        if since is None:  # a full rebuild also drops the rows of stories no longer protest coverage
            stale = set(session.scalars(select(StoryEvent.story_id))) - set(story_ids)
            if stale:
                session.execute(delete(StoryEvent).where(StoryEvent.story_id.in_(stale)))
                session.commit()
                report = RefreshReport(0, 0, len(stale))
    for batch in _batches(story_ids):
        with Session(engine) as session:
            report = report + refresh_stories(session, batch)
            session.commit()
    return report
