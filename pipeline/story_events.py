"""Event records per story, in the writer's transaction: code a story's protest articles, merge, store.

``refresh_stories`` is called by every write path with the stories it touched, inside the same
transaction as the articles: ``pipeline.store.store_articles`` (crawls and ``ingest``) and
``protestwire events --rebuild`` (``protestwire.story_events``). A story's row therefore commits, or
rolls back, with the articles it was made from: a crash mid-run leaves no row out of step with its
articles, and a rebuild recodes whatever is missing. Each row carries a hash of what it was made
from (its canonical protest articles' ids, texts, dates and judgements, and the coder's model), so
refreshing a story that did not change costs one read; a story with no protest article left loses
its row. Like ``pipeline/store.py``, this module sits at the top of ``pipeline/``, where the stages
meet the store's models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pipeline.judge.events import MODEL_PATH, code_event, merge_records
from storage.models import Article, Source, StoryEvent, utcnow

_MODEL_STAMP: str | None = None


@dataclass(frozen=True)
class RefreshReport:
    coded: int
    unchanged: int
    removed: int

    def __add__(self, other: RefreshReport) -> RefreshReport:
        return RefreshReport(self.coded + other.coded, self.unchanged + other.unchanged, self.removed + other.removed)


def _model_stamp() -> str:
    global _MODEL_STAMP
    if _MODEL_STAMP is None:
        _MODEL_STAMP = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16]
    return _MODEL_STAMP


def story_key() -> Any:
    """A story's id as stored: the article's ``story_id``, or its own id while it has none."""
    return func.coalesce(Article.story_id, Article.id)


def inputs_hash(articles: list[tuple[Article, str | None]]) -> str:
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
        record=merged, inputs_hash=inputs_hash(articles), updated_at=utcnow(),
    )


def stories_of(session: Session, article_ids: Iterable[int]) -> set[int]:
    """The stories the given articles belong to."""
    ids = sorted(set(article_ids))
    return set(session.scalars(select(story_key()).where(Article.id.in_(ids)))) if ids else set()


def refresh_stories(session: Session, story_ids: Iterable[int]) -> RefreshReport:
    """Bring the event rows of ``story_ids`` up to date in the session's transaction (the caller
    commits): code a story that changed or has no row, keep one that did not change, and drop the
    row of a story with no canonical protest article left."""
    batch = sorted(set(story_ids))
    if not batch:
        return RefreshReport(0, 0, 0)
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
    coded = unchanged = 0
    gone = sorted(set(known) - set(by_story))
    if gone:
        session.execute(delete(StoryEvent).where(StoryEvent.story_id.in_(gone)))
    for story, articles in by_story.items():
        existing = known.get(story)
        if existing is not None and existing.inputs_hash == inputs_hash(articles):
            unchanged += 1
            continue
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(story_event(story, articles))
        coded += 1
    session.flush()
    return RefreshReport(coded=coded, unchanged=unchanged, removed=len(gone))
