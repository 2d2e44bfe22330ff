"""Stores from before migration 0006: their articles get fingerprints, copies and stories afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from pipeline.store import store_article, upsert_source
from protestwire.backfill import backfill_fingerprints, needs_backfill
from storage.db import session_scope
from storage.models import Article, ArticleBand, StoryKey, StoryTerm
from tests.dedup_texts import ENGLISH, MONDAY, OTHER_EVENT, PORTUGUESE, WIRE, WIRE_COPY
from tests.helpers import make_record

SOURCES = ("efe", "diariodelvalle-bo", "folha-br", "ap", "eldeber-bo")

WIRE_URL = "https://efe.example/bloqueo-yungas"
COPY_URL = "https://diariodelvalle.example/bloqueo"
EXACT_URL = "https://eldeber.example/coca"
PT_URL = "https://folha.example/coca-bolivia"
OTHER_URL = "https://eldeber.example/diesel"


def report(url: str, body: str, source: str, published: Any, *, title: str = "Productores de coca bloquean la "
           "carretera a los Yungas", language: str = "es") -> Any:
    return make_record(url, title=title, body=body, source_id=source, language=language, published=published)


WIRE_REPORT = report(WIRE_URL, WIRE, "efe", MONDAY)
NEAR_COPY = report(COPY_URL, WIRE_COPY, "diariodelvalle-bo", MONDAY + timedelta(hours=2),
                   title="BLOQUEO EN LOS YUNGAS: cocaleros exigen abrogar la ley")
EXACT_COPY = report(EXACT_URL, WIRE, "eldeber-bo", MONDAY + timedelta(hours=5))
PORTUGUESE_REPORT = report(PT_URL, PORTUGUESE, "folha-br", MONDAY + timedelta(hours=6),
                           title="Produtores de coca bloqueiam estrada na Bolívia", language="pt")
OTHER_STORY = report(OTHER_URL, OTHER_EVENT, "eldeber-bo", MONDAY + timedelta(hours=1),
                     title="Transportistas bloquean accesos a Santa Cruz por falta de diésel")


def store_all(engine: Any, *records: Any) -> None:
    with session_scope(engine) as session:
        for source_id in SOURCES:
            upsert_source(session, id=source_id, name=source_id, homepage=f"https://{source_id}.example/",
                          country="BO", languages=["es"])
        for record in records:
            store_article(session, record)


def forget_fingerprints(engine: Any) -> None:
    """Leave the store as migration 0006 left a store of older articles: no keys, features or stories,
    and only the exact copies marked (pointing at the first stored: the lowest id)."""
    with session_scope(engine) as session:
        session.execute(delete(ArticleBand))
        session.execute(delete(StoryKey))
        session.execute(delete(StoryTerm))
        session.execute(update(Article).values(story_features=None, story_id=None, duplicate_of=None, thread_id=None,
                                               story_method=None))
        first_by_hash: dict[str, int] = {}
        for article_id, content_hash in session.execute(select(Article.id, Article.content_hash).order_by(Article.id)):
            first = first_by_hash.setdefault(content_hash, article_id)
            if first != article_id:
                session.execute(update(Article).where(Article.id == article_id).values(duplicate_of=first))


def rows(engine: Any) -> dict[str, Article]:
    with session_scope(engine, write=False) as session:
        return {a.canonical_url: a for a in session.scalars(select(Article))}


def snapshot(engine: Any) -> tuple[Any, ...]:
    """Everything the backfill writes, keyed by URL (ids differ between stores)."""
    with session_scope(engine, write=False) as session:
        url_of = dict(session.execute(select(Article.id, Article.canonical_url)).all())
        articles = sorted((url_of[a.id], url_of.get(a.story_id), url_of.get(a.duplicate_of), a.story_features)
                          for a in session.scalars(select(Article)))
        bands = sorted((url_of[b.article_id], b.band_key) for b in session.scalars(select(ArticleBand)))
        keys = sorted((url_of[k.article_id], k.key, k.seen) for k in session.scalars(select(StoryKey)))
    return tuple(articles), tuple(bands), tuple(keys)


def test_older_articles_get_their_copies_and_stories_as_if_stored_in_publication_order(any_engine) -> None:
    # Stored latest first, so ids run against publication order.
    store_all(any_engine, PORTUGUESE_REPORT, EXACT_COPY, NEAR_COPY, OTHER_STORY, WIRE_REPORT)
    forget_fingerprints(any_engine)
    assert needs_backfill(any_engine)

    report = backfill_fingerprints(any_engine)

    assert (report.fingerprinted, report.copies, report.joined_stories) == (5, 2, 1)
    stored = rows(any_engine)
    wire, other = stored[WIRE_URL], stored[OTHER_URL]
    assert stored[COPY_URL].duplicate_of == wire.id  # the earliest published is the canonical copy
    assert stored[EXACT_URL].duplicate_of == wire.id
    assert wire.duplicate_of is None and other.duplicate_of is None and stored[PT_URL].duplicate_of is None
    assert {stored[url].story_id for url in (WIRE_URL, COPY_URL, EXACT_URL, PT_URL)} == {wire.id}
    assert other.story_id == other.id
    assert all(a.story_features is not None for a in stored.values())
    assert not needs_backfill(any_engine)


def test_an_exact_copy_marked_before_0006_points_at_the_earliest_published_afterwards(any_engine) -> None:
    store_all(any_engine, EXACT_COPY, WIRE_REPORT)  # the later copy was stored first: it was the canonical
    forget_fingerprints(any_engine)
    assert rows(any_engine)[WIRE_URL].duplicate_of == rows(any_engine)[EXACT_URL].id

    report = backfill_fingerprints(any_engine)

    stored = rows(any_engine)
    assert report.copies == 1
    assert stored[EXACT_URL].duplicate_of == stored[WIRE_URL].id and stored[WIRE_URL].duplicate_of is None
    assert stored[WIRE_URL].story_id == stored[EXACT_URL].story_id == stored[WIRE_URL].id


def test_a_second_run_changes_nothing(any_engine) -> None:
    store_all(any_engine, WIRE_REPORT, NEAR_COPY, PORTUGUESE_REPORT, OTHER_STORY)
    forget_fingerprints(any_engine)
    backfill_fingerprints(any_engine)
    filled = snapshot(any_engine)

    again = backfill_fingerprints(any_engine)

    assert again.fingerprinted == 0
    assert snapshot(any_engine) == filled


def old_store_and_its_backfill(engine: Any) -> tuple[Any, ...]:
    """Five articles as an older store holds them; returns what an uninterrupted backfill makes of them."""
    store_all(engine, PORTUGUESE_REPORT, NEAR_COPY, OTHER_STORY, WIRE_REPORT, EXACT_COPY)
    forget_fingerprints(engine)
    backfill_fingerprints(engine)
    uninterrupted = snapshot(engine)
    forget_fingerprints(engine)
    return uninterrupted


def test_an_interrupted_backfill_resumes_where_it_stopped(any_engine) -> None:
    uninterrupted = old_store_and_its_backfill(any_engine)

    first = backfill_fingerprints(any_engine, batch_size=1, limit=2)  # stopped after two batches
    with session_scope(any_engine, write=False) as session:
        left = session.scalars(select(Article.canonical_url).where(Article.story_features.is_(None))).all()
    assert first.fingerprinted == 2 and sorted(left) == sorted([COPY_URL, EXACT_URL, PT_URL])  # the latest three
    rest = backfill_fingerprints(any_engine, batch_size=2)

    assert rest.fingerprinted == 3
    assert snapshot(any_engine) == uninterrupted


def test_a_backfill_stopped_mid_batch_keeps_the_committed_batches_only(any_engine) -> None:
    uninterrupted = old_store_and_its_backfill(any_engine)
    done = []

    def stop_at_the_third() -> None:
        done.append(1)
        if len(done) == 3:
            raise KeyboardInterrupt  # Ctrl-C in the second batch

    with pytest.raises(KeyboardInterrupt):
        backfill_fingerprints(any_engine, batch_size=2, on_done=stop_at_the_third)
    with session_scope(any_engine, write=False) as session:
        filled = session.scalars(select(Article.canonical_url).where(Article.story_features.is_not(None))).all()
        keys_of = set(session.scalars(select(StoryKey.article_id)))
    assert sorted(filled) == sorted([WIRE_URL, OTHER_URL])
    assert keys_of == {rows(any_engine)[url].id for url in filled}  # nothing of the third article left

    backfill_fingerprints(any_engine)
    assert snapshot(any_engine) == uninterrupted


def test_an_article_stored_after_the_backfill_finds_older_copies_and_stories(any_engine) -> None:
    store_all(any_engine, WIRE_REPORT, OTHER_STORY)
    forget_fingerprints(any_engine)
    backfill_fingerprints(any_engine)

    english = report("https://ap.example/bolivia-coca", ENGLISH, "ap", MONDAY + timedelta(hours=8),
                     title="Bolivian coca growers block highway to the Yungas", language="en")
    store_all(any_engine, NEAR_COPY, english)

    stored = rows(any_engine)
    wire = stored[WIRE_URL]
    assert stored[COPY_URL].duplicate_of == wire.id
    assert stored[english.article.canonical_url].story_id == stored[COPY_URL].story_id == wire.id


def test_an_older_article_becomes_the_canonical_of_a_copy_stored_since_the_upgrade(any_engine) -> None:
    store_all(any_engine, WIRE_REPORT)
    forget_fingerprints(any_engine)
    store_all(any_engine, NEAR_COPY)  # stored before the backfill ran: it could not see the older text
    assert rows(any_engine)[COPY_URL].duplicate_of is None

    report = backfill_fingerprints(any_engine)

    stored = rows(any_engine)
    assert report.copies == 1
    assert stored[COPY_URL].duplicate_of == stored[WIRE_URL].id and stored[WIRE_URL].duplicate_of is None
    assert stored[WIRE_URL].story_id == stored[COPY_URL].story_id


def test_init_fills_older_articles_once_and_can_be_told_not_to(db_url: str) -> None:
    from click.testing import CliRunner

    from protestwire.cli import main
    from storage.db import connect

    engine = connect(db_url)
    store_all(engine, WIRE_REPORT, NEAR_COPY, PORTUGUESE_REPORT)
    forget_fingerprints(engine)
    runner = CliRunner()

    def said(result: Any) -> str:
        return " ".join(result.output.split())  # rich wraps long lines

    skipped = runner.invoke(main, ["init", "--no-backfill", "--db", db_url])
    assert skipped.exit_code == 0 and "no fingerprint yet" in said(skipped) and needs_backfill(engine)
    filled = runner.invoke(main, ["init", "--db", db_url])
    assert filled.exit_code == 0, filled.output
    assert "Fingerprinted 3 article(s)" in said(filled) and "1 copies found" in said(filled)
    assert rows(engine)[COPY_URL].duplicate_of == rows(engine)[WIRE_URL].id
    again = runner.invoke(main, ["init", "--db", db_url])
    assert again.exit_code == 0 and "Fingerprinted" not in said(again)
    engine.dispose()


def test_an_older_article_stays_the_canonical_of_an_exact_copy_stored_since_the_upgrade(any_engine) -> None:
    store_all(any_engine, WIRE_REPORT)
    forget_fingerprints(any_engine)
    store_all(any_engine, EXACT_COPY)  # found the older text by its hash already
    assert rows(any_engine)[EXACT_URL].duplicate_of == rows(any_engine)[WIRE_URL].id

    backfill_fingerprints(any_engine)

    stored = rows(any_engine)
    assert stored[EXACT_URL].duplicate_of == stored[WIRE_URL].id and stored[WIRE_URL].duplicate_of is None
    assert stored[WIRE_URL].story_id == stored[EXACT_URL].story_id == stored[WIRE_URL].id


def test_init_upgrades_a_store_written_before_0006_and_fingerprints_its_articles(any_engine) -> None:
    """The real upgrade path: rows written with the 0005 schema, then `protestwire init`."""
    from alembic import command
    from click.testing import CliRunner
    from sqlalchemy import MetaData, Table, insert

    from pipeline.store import _columns
    from protestwire.cli import main
    from storage.db import alembic_config

    store_all(any_engine)  # the sources
    command.downgrade(alembic_config(any_engine), "0005")
    articles = Table("articles", MetaData(), autoload_with=any_engine)
    with any_engine.begin() as connection:
        for record in (NEAR_COPY, PORTUGUESE_REPORT, WIRE_REPORT):
            values = {**_columns(record), "first_seen": MONDAY, "last_seen": MONDAY}
            connection.execute(insert(articles).values({k: v for k, v in values.items() if k in articles.c}))

    url = any_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["init", "--db", url])

    assert result.exit_code == 0, result.output
    assert "Fingerprinted 3 article(s)" in " ".join(result.output.split())
    stored = rows(any_engine)
    assert stored[COPY_URL].duplicate_of == stored[WIRE_URL].id
    assert {a.story_id for a in stored.values()} == {stored[WIRE_URL].id}
