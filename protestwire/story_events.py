"""Event records per story: code every protest article of a story, merge, store in ``story_events``.

``refresh_story_events`` is what `protestwire events --rebuild` and `protestwire ingest` run. It is
idempotent and resumable: each story's row carries a hash of what it was made from (its canonical
protest articles' ids, texts, dates and judgements, and the coder's model), so a second run, or a
run after an interruption, recodes only the stories that changed or are still missing. Stories
whose articles are no longer judged protest coverage lose their row. Each batch of stories is
committed on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from pipeline.judge.events import MODEL_PATH, code_event, merge_records
from storage.models import Article, Source, StoryEvent, utcnow

BATCH = 200  # stories per transaction
_MODEL_STAMP: str | None = None


@dataclass(frozen=True)
class RefreshReport:
    coded: int
    unchanged: int
    removed: int


def _model_stamp() -> str:
    global _MODEL_STAMP
    if _MODEL_STAMP is None:
        _MODEL_STAMP = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16]
    return _MODEL_STAMP


def story_key() -> Any:
    """A story's id as stored: the article's ``story_id``, or its own id while it has none."""
    return func.coalesce(Article.story_id, Article.id)


def _inputs_hash(articles: list[tuple[Article, str | None]]) -> str:
    digest = hashlib.sha256(_model_stamp().encode())
    for article, outlet in articles:
        digest.update(f"{article.id}|{article.content_hash}|{article.title}|{article.published}|{outlet}|"
                      f"{article.protest}|{article.language}\n".encode())
    return digest.hexdigest()


def _day(published: datetime | None) -> date | None:
    return published.date() if published else None


def code_article(article: Article, outlet_country: str | None) -> dict[str, Any]:
    return code_event(article.title, article.body, language=article.language, published=_day(article.published),
                      outlet_country=outlet_country).to_json()


def story_event(story_id: int, articles: list[tuple[Article, str | None]]) -> StoryEvent:
    """The stored event of one story from its protest articles (with their outlets' countries)."""
    merged = merge_records([code_article(article, outlet) for article, outlet in articles])
    crowd = merged.get("participants") or {}
    return StoryEvent(
        story_id=story_id,
        start_date=date.fromisoformat(merged["start"]) if merged["start"] else None,
        end_date=date.fromisoformat(merged["end"]) if merged["end"] else None,
        country=merged["country"]["value"], admin1=merged["admin1"]["value"], city=merged["city"]["value"],
        participants_category=crowd.get("category"), participants_estimate=crowd.get("estimate"),
        protester_violence=merged["protester_violence"], demands=merged["demands"],
        state_response=merged["state_response"], action_types=merged["action_types"], reports=merged["reports"],
        record=merged, inputs_hash=_inputs_hash(articles), updated_at=utcnow(),
    )


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
    article seen since then (what an ingest touched)."""
    coded = unchanged = removed = 0
    with Session(engine) as session:
        story_ids = _protest_stories(session, since)
        if since is None:  # a full rebuild also drops the rows of stories no longer protest coverage
            stale = set(session.scalars(select(StoryEvent.story_id))) - set(story_ids)
            if stale:
                session.execute(delete(StoryEvent).where(StoryEvent.story_id.in_(stale)))
                session.commit()
                removed = len(stale)
    for batch in _batches(story_ids):
        with Session(engine) as session:
            rows = session.execute(
                select(story_key().label("story"), Article, Source.country)
                .outerjoin(Source, Article.source_id == Source.id)
                .where(story_key().in_(batch), Article.protest.is_(True), Article.duplicate_of.is_(None))
                .order_by(Article.published.nulls_last(), Article.id)
            ).all()
            by_story: dict[int, list[tuple[Article, str | None]]] = {}
            for story, article, outlet in rows:
                by_story.setdefault(story, []).append((article, outlet))
            known = {e.story_id: e for e in session.scalars(select(StoryEvent).where(StoryEvent.story_id.in_(batch)))}
            for story, articles in by_story.items():
                existing = known.get(story)
                if existing is not None and existing.inputs_hash == _inputs_hash(articles):
                    unchanged += 1
                    continue
                if existing is not None:
                    session.delete(existing)
                    session.flush()
                session.add(story_event(story, articles))
                coded += 1
            session.commit()
    return RefreshReport(coded=coded, unchanged=unchanged, removed=removed)
