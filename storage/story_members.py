"""The articles of stories: what `/api/stories` and the search page's "also reported by" list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.models import Article, Source

# Articles listed per story; a wire story copied by a hundred outlets lists its earliest ones.
MAX_MEMBERS = 50


@dataclass(frozen=True, kw_only=True)
class Member:
    id: int
    title: str
    url: str
    source: str | None
    source_name: str | None
    country: str | None
    language: str | None
    published: datetime | None
    duplicate_of: int | None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "published": self.published.isoformat() if self.published else None}


def story_members(engine: Engine, story_ids: set[int], per_story: int = MAX_MEMBERS) -> dict[int, list[Member]]:
    """Per story id, its earliest ``per_story`` articles (publication order, undated last)."""
    if not story_ids:
        return {}
    order = func.row_number().over(partition_by=Article.story_id,
                                   order_by=(Article.published.asc().nulls_last(), Article.id)).label("n")
    ranked = (select(Article.id.label("id"), order)
              .where(Article.story_id.in_(sorted(story_ids))).subquery())
    stmt = (select(Article.story_id, Article.id, Article.title, Article.canonical_url, Article.source_id, Source.name,
                   Source.country, Article.language, Article.published, Article.duplicate_of)
            .join(ranked, ranked.c.id == Article.id).outerjoin(Source, Article.source_id == Source.id)
            .where(ranked.c.n <= per_story).order_by(Article.story_id, ranked.c.n))
    members: dict[int, list[Member]] = {}
    with Session(engine) as session:
        for story_id, *row in session.execute(stmt):
            if story_id is None:  # never: the statement asks for stories by id
                continue
            members.setdefault(story_id, []).append(Member(
                id=row[0], title=row[1], url=row[2], source=row[3], source_name=row[4], country=row[5],
                language=row[6], published=row[7], duplicate_of=row[8]))
    return members


def outlets_of(members: list[Member]) -> list[dict[str, str | None]]:
    """The distinct outlets of a story's articles, in the order they first reported it."""
    seen: dict[str | None, dict[str, str | None]] = {}
    for member in members:
        seen.setdefault(member.source, {"source": member.source, "name": member.source_name,
                                        "country": member.country})
    return list(seen.values())
