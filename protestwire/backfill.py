"""Backfill: fingerprint the articles stored before copies and stories were indexed (migration 0006).

Such rows have no ``story_features``, no band or story keys and no ``story_id``, so neither new
articles nor searches can match them. They are fingerprinted here as if they had been stored
one by one in publication order (earliest first, then by id), by the store's own decision
(``pipeline.store.fill_fingerprint``). Each batch is its own transaction: an interrupted run
loses at most one batch and the next run picks up the rows still unfingerprinted; once every
row has its fingerprint a run does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, exists, select

from pipeline.store import DEFAULT_DEDUP, DedupOptions, fill_fingerprint
from storage.db import session_scope
from storage.models import Article

BATCH = 200

# Every article stored since 0006 gets its features and its story_id in one transaction, so the
# rows left to fill are those without a story_id too: the story_id index finds them without
# reading the whole table (which the check before every crawl or ingest would otherwise do).
_UNFILLED = (Article.story_id.is_(None), Article.story_features.is_(None))
_PUBLICATION_ORDER = (Article.published.asc().nulls_last(), Article.id)


@dataclass
class BackfillReport:
    fingerprinted: int = 0
    copies: int = 0  # articles found to copy an earlier one (exactly or nearly)
    joined_stories: int = 0  # articles (not copies) that joined another article's story


def needs_backfill(engine: Engine) -> bool:
    """Whether any stored article still lacks its fingerprint (a cheap, indexed check)."""
    with session_scope(engine, write=False) as session:
        return bool(session.scalar(select(exists().where(*_UNFILLED))))


def unfilled_ids(engine: Engine) -> list[int]:
    """The ids of the articles left to fingerprint, in publication order."""
    with session_scope(engine, write=False) as session:
        return list(session.scalars(select(Article.id).where(*_UNFILLED).order_by(*_PUBLICATION_ORDER)))


def _fill_batch(engine: Engine, ids: Sequence[int], options: DedupOptions, report: BackfillReport,
                on_done: Callable[[], None] | None) -> None:
    with session_scope(engine) as session:
        # Read again in this transaction: another process may have filled some meanwhile.
        query = select(Article.id).where(Article.id.in_(ids), *_UNFILLED).order_by(*_PUBLICATION_ORDER)
        for article_id in session.scalars(query).all():
            place = fill_fingerprint(session, session.get_one(Article, article_id), options)
            session.expunge_all()  # rows changed by Core statements: never read a stale one
            report.fingerprinted += 1
            report.copies += place.copy_of is not None
            report.joined_stories += place.copy_of is None and place.story_id is not None
            if on_done:
                on_done()


def backfill_fingerprints(
    engine: Engine, *, batch_size: int = BATCH, limit: int | None = None, options: DedupOptions = DEFAULT_DEDUP,
    on_total: Callable[[int], None] | None = None, on_done: Callable[[], None] | None = None,
) -> BackfillReport:
    """Fingerprint every article that lacks one (at most ``limit``), one committed batch at a time."""
    ids = unfilled_ids(engine)[:limit]
    if on_total:
        on_total(len(ids))
    report = BackfillReport()
    for start in range(0, len(ids), batch_size):
        _fill_batch(engine, ids[start:start + batch_size], options, report, on_done)
    return report
