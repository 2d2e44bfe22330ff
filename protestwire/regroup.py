"""Regroup: recompute the story and thread of every stored article with the current method.

Articles are taken in publication order (undated last, then by id) and placed as if stored one
by one: each is compared only with articles already regrouped (``story_method`` is current), so
an interrupted run resumes where it stopped and a finished store is left alone. Each batch is its
own transaction. ``restart`` regroups everything again (after a model change, say): the result is
the same as a first run. Copies (``duplicate_of``) take their canonical's story and thread.

Called by ``protestwire regroup`` and by ``protestwire init`` (``protestwire.upgrade``); other
commands that re-judge a store call ``regroup_store`` too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from pipeline.dedup.stories import DEFAULT_STORY, METHOD, StoryOptions, story_terms, story_vectors
from pipeline.store import flush_term_counts, record_story, story_decision, term_frequencies
from storage.db import session_scope
from storage.models import Article, StoryKey, StoryTerm

BATCH = 200
_STALE = or_(Article.story_method.is_(None), Article.story_method != METHOD)
_PUBLICATION_ORDER = (Article.published.asc().nulls_last(), Article.id)


@dataclass
class RegroupReport:
    regrouped: int = 0
    joined_stories: int = 0  # articles (not copies) that joined an earlier article's story
    joined_threads: int = 0  # articles starting a story that joined an earlier thread


def needs_regroup(engine: Engine) -> bool:
    """Whether any stored article was grouped by another method, or not yet (an indexed check)."""
    with session_scope(engine, write=False) as session:
        return bool(session.scalar(select(exists().where(_STALE))))


def stale_ids(engine: Engine) -> list[int]:
    with session_scope(engine, write=False) as session:
        return list(session.scalars(select(Article.id).where(_STALE).order_by(*_PUBLICATION_ORDER)))


def _forget_all(engine: Engine) -> None:
    """Start over: every article to regroup, no term counted."""
    with session_scope(engine) as session:
        session.execute(update(Article).values(story_method=None))
        session.execute(delete(StoryTerm))


def _regroup_one(session: Session, article: Article, options: StoryOptions, report: RegroupReport) -> None:
    session.execute(delete(StoryKey).where(StoryKey.article_id == article.id))
    terms = story_terms(article.title, article.body, options)
    canonical = session.get(Article, article.duplicate_of) if article.duplicate_of else None
    if canonical is not None and canonical.story_method == METHOD:
        vectors = story_vectors(terms, article.language, *term_frequencies(session, terms), options)
        story = canonical.story_id or canonical.id
        thread, decision = canonical.thread_id or story, None
    else:
        vectors, decision = story_decision(session, terms, article.language, article.published, options)
        story = decision.story_id or article.id
        thread = decision.thread_id or story
        report.joined_stories += decision.story_id is not None
        report.joined_threads += decision.story_id is None and decision.thread_id is not None
    session.execute(update(Article).where(Article.id == article.id).values(
        story_id=story, thread_id=thread, story_features=vectors.encode(), story_method=METHOD))
    record_story(session, article.id, terms, vectors, article.published or article.first_seen, decision)
    report.regrouped += 1


def _regroup_batch(engine: Engine, ids: Sequence[int], options: StoryOptions, report: RegroupReport,
                   on_done: Callable[[], None] | None) -> None:
    with session_scope(engine) as session:
        # Read again in this transaction: another process may have regrouped some meanwhile.
        query = select(Article.id).where(Article.id.in_(ids), _STALE).order_by(*_PUBLICATION_ORDER)
        for article_id in session.scalars(query).all():
            _regroup_one(session, session.get_one(Article, article_id), options, report)
            session.expunge_all()  # rows changed by Core statements: never read a stale one
            if on_done:
                on_done()
        flush_term_counts(session)


def regroup_store(
    engine: Engine, *, restart: bool = False, batch_size: int = BATCH, limit: int | None = None,
    options: StoryOptions = DEFAULT_STORY, on_total: Callable[[int], None] | None = None,
    on_done: Callable[[], None] | None = None,
) -> RegroupReport:
    """Regroup the stored articles not grouped by the current method (all of them: ``restart``),
    at most ``limit``, one committed batch at a time."""
    if restart:
        _forget_all(engine)
    ids = stale_ids(engine)[:limit]
    if on_total:
        on_total(len(ids))
    report = RegroupReport()
    for start in range(0, len(ids), batch_size):
        _regroup_batch(engine, ids[start:start + batch_size], options, report, on_done)
    return report
