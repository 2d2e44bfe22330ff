"""The three dedup levels (exact, near-duplicate, story) as a user of the store sees them."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from pipeline.dedup.neardup import NearDupOptions, band_keys, is_near_duplicate, lede_and_all, shingles
from pipeline.dedup.stories import cosine, story_terms, story_vectors
from pipeline.extract.normalise import clean_text
from pipeline.store import store_article, store_articles, upsert_source
from storage.db import session_scope
from storage.models import Article
from tests.dedup_texts import ENGLISH, MONDAY, OTHER_EVENT, PORTUGUESE, THURSDAY_NEXT_WEEK, WIRE, WIRE_COPY
from tests.helpers import make_record

SOURCES = (("efe", "EFE", "ES"), ("diariodelvalle-bo", "Diario del Valle", "BO"), ("folha-br", "Folha", "BR"),
           ("ap", "AP", "US"), ("eldeber-bo", "El Deber", "BO"))


def wire(url: str = "https://efe.example/bloqueo-yungas", *, body: str = WIRE, source: str = "efe",
         title: str = "Productores de coca bloquean la carretera a los Yungas", language: str = "es",
         published=MONDAY):  # noqa: ANN001
    return make_record(url, title=title, body=body, source_id=source, language=language, published=published)


def store_all(engine, *records):  # noqa: ANN001, ANN201
    with session_scope(engine) as session:
        for source_id, name, country in SOURCES:
            upsert_source(session, id=source_id, name=name, homepage=f"https://{source_id}.example/", country=country,
                          languages=["es"])
        results = [store_article(session, record) for record in records]
    with session_scope(engine) as session:
        rows = {a.id: a for a in session.scalars(select(Article))}
    return results, rows


# --- near-duplicate fingerprints (pure) ------------------------------------------------------


def test_a_wire_copy_with_intro_links_boilerplate_and_trimmed_end_is_a_near_duplicate() -> None:
    original, copy = shingles(clean_text(WIRE)), shingles(clean_text(WIRE_COPY))
    assert is_near_duplicate(original, copy)
    assert set(band_keys(*lede_and_all(clean_text(WIRE)))) & set(band_keys(*lede_and_all(clean_text(WIRE_COPY))))


def test_another_article_on_the_same_topic_is_not_a_near_duplicate() -> None:
    assert not is_near_duplicate(shingles(clean_text(WIRE)), shingles(clean_text(OTHER_EVENT)))


def test_a_short_quote_of_the_wire_does_not_make_a_copy() -> None:
    quote = WIRE.split("\n\n")[2]  # one paragraph inside a longer, different article
    assert not is_near_duplicate(shingles(clean_text(WIRE)), shingles(clean_text(quote + "\n\n" + OTHER_EVENT)))


def test_bodies_too_short_to_judge_get_no_band_keys() -> None:
    assert band_keys(*lede_and_all("Bloqueo en los Yungas.")) == []


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError):
        NearDupOptions(min_containment=0)


# --- story features (pure) ------------------------------------------------------------------


def _entities(title: str, body: str) -> dict[str, float]:
    return story_vectors(story_terms(title, body), None, {}, 0).entities


def test_reports_of_one_event_in_es_pt_and_en_are_closer_than_a_related_event() -> None:
    es = _entities("Productores de coca bloquean la carretera a los Yungas", WIRE)
    pt = _entities("Produtores de coca bloqueiam estrada na Bolívia", PORTUGUESE)
    en = _entities("Bolivian coca growers block highway to the Yungas", ENGLISH)
    other = _entities("Transportistas bloquean accesos a Santa Cruz por falta de diésel", OTHER_EVENT)
    for a, b in ((es, pt), (es, en), (pt, en)):
        assert cosine(a, b) > 2 * max(cosine(es, other), cosine(pt, other), cosine(en, other))


# --- the store ------------------------------------------------------------------------------


def test_exact_copy_points_at_the_earliest_published_even_when_stored_later(any_engine) -> None:
    later = wire("https://diariodelvalle.example/coca", source="diariodelvalle-bo", published=MONDAY + timedelta(hours=3))
    earlier = wire(published=MONDAY)
    results, rows = store_all(any_engine, later, earlier, wire("https://eldeber.example/coca", source="eldeber-bo",
                                                               published=MONDAY + timedelta(hours=5)))
    assert [r.outcome for r in results] == ["new", "duplicate", "duplicate"]
    original = rows[results[1].article_id]
    assert original.duplicate_of is None
    assert rows[results[0].article_id].duplicate_of == original.id
    assert rows[results[2].article_id].duplicate_of == original.id
    assert len({a.story_id for a in rows.values()}) == 1


def test_near_duplicate_is_kept_and_marked_with_its_canonical_copy(any_engine) -> None:
    copy = wire("https://diariodelvalle.example/bloqueo", body=WIRE_COPY, source="diariodelvalle-bo",
                title="BLOQUEO EN LOS YUNGAS: cocaleros exigen abrogar la ley", published=MONDAY + timedelta(hours=2))
    results, rows = store_all(any_engine, wire(), copy)
    assert [r.outcome for r in results] == ["new", "duplicate"]
    assert rows[results[1].article_id].duplicate_of == results[0].article_id
    assert rows[results[1].article_id].story_id == rows[results[0].article_id].story_id


def test_related_but_different_event_is_a_new_article_and_story(any_engine) -> None:
    other = wire("https://eldeber.example/diesel", body=OTHER_EVENT, source="eldeber-bo",
                 title="Transportistas bloquean accesos a Santa Cruz por falta de diésel", published=MONDAY)
    results, rows = store_all(any_engine, wire(), other)
    assert [r.outcome for r in results] == ["new", "new"]
    first, second = (rows[r.article_id] for r in results)
    assert second.duplicate_of is None and second.story_id != first.story_id


def test_reports_in_other_languages_join_the_story_without_being_copies(any_engine) -> None:
    pt = wire("https://folha.example/coca-bolivia", body=PORTUGUESE, source="folha-br", language="pt",
              title="Produtores de coca bloqueiam estrada na Bolívia", published=MONDAY + timedelta(hours=6))
    en = wire("https://ap.example/bolivia-coca", body=ENGLISH, source="ap", language="en",
              title="Bolivian coca growers block highway to the Yungas", published=MONDAY + timedelta(hours=8))
    results, rows = store_all(any_engine, wire(), pt, en)
    assert [r.outcome for r in results] == ["new", "new", "new"]
    stories = {rows[r.article_id].story_id for r in results}
    assert stories == {results[0].article_id}
    assert all(rows[r.article_id].duplicate_of is None for r in results)


def test_the_same_story_text_outside_the_window_starts_a_new_story(any_engine) -> None:
    pt = wire("https://folha.example/coca-bolivia", body=PORTUGUESE, source="folha-br", language="pt",
              title="Produtores de coca bloqueiam estrada na Bolívia", published=MONDAY + timedelta(days=40))
    results, rows = store_all(any_engine, wire(), pt)
    assert rows[results[1].article_id].story_id == results[1].article_id
    # ... of the same developing story: one thread
    assert rows[results[1].article_id].thread_id == rows[results[0].article_id].thread_id == results[0].article_id


def test_dedup_state_lives_in_the_store_across_sessions_and_batches(any_engine) -> None:
    store_all(any_engine, wire())  # an earlier run
    copy = wire("https://diariodelvalle.example/bloqueo", body=WIRE_COPY, source="diariodelvalle-bo",
                published=MONDAY + timedelta(hours=2))
    other = wire("https://eldeber.example/diesel", body=OTHER_EVENT, source="eldeber-bo", published=THURSDAY_NEXT_WEEK)
    with session_scope(any_engine) as session:
        results = store_articles(session, [copy, other, dataclasses.replace(copy)])
    assert [r.outcome for r in results] == ["duplicate", "new", "unchanged"]


def test_search_collapses_copies_and_reports_on_both_backends(any_engine) -> None:
    from storage.search import SearchQuery, search

    copy = wire("https://diariodelvalle.example/bloqueo", body=WIRE_COPY, source="diariodelvalle-bo",
                published=MONDAY + timedelta(hours=2))
    pt = wire("https://folha.example/coca-bolivia", body=PORTUGUESE, source="folha-br", language="pt",
              title="Produtores de coca bloqueiam estrada na Bolívia", published=MONDAY + timedelta(hours=6))
    other = wire("https://eldeber.example/diesel", body=OTHER_EVENT, source="eldeber-bo",
                 title="Transportistas bloquean accesos a Santa Cruz por falta de diésel", published=MONDAY)
    store_all(any_engine, wire(), copy, pt, other)
    hits = search(any_engine, SearchQuery(text="coca", sort="newest"))
    assert len(hits) == 1 and hits[0].also_reported_by == 2 and hits[0].story_articles == 3
    assert len(search(any_engine, SearchQuery(text="coca", expand=True))) == 3
    assert len(search(any_engine, SearchQuery())) == 2
