"""Language-aware full text (issue 12): a word finds its forms in the article's language, accents and
case aside; phrases and prefixes stay exact; the plain syntax's OR and NOT work on stems; an older
store gets its stems on upgrade. On SQLite (stem column in FTS5) and PostgreSQL (stem_vector)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command

from pipeline.store import store_article, upsert_source
from storage.db import alembic_config, connect, init_db, session_scope
from storage.fulltext import query_stems, search_stems, stem_words, unstemmed_count
from storage.search import SearchQuery, search
from tests.helpers import insert_as_older_protestwire, make_record

ES_MARCH = "Miles protestaron en Lima contra la reforma"
ES_BLOCKADE = "Campesinos bloquearon la carretera central"
ES_STRIKE = "Paros nacionales y huelgas en Bogotá"
PT_RALLY = "Manifestação reúne professores em Goiânia"
PT_STRIKE = "Motoristas entram em greve em São Paulo"
EN_MARCH = "Students protested against tuition fees"
ARTICLES = [
    ("https://pe.example/1", ES_MARCH, "es", "La protesta reunió a sindicatos y estudiantes en la plaza San Martín."),
    ("https://pe.example/2", ES_BLOCKADE, "es", "Los comuneros exigen la renuncia del gobernador; la vía sigue cerrada."),
    ("https://co.example/3", ES_STRIKE, "es", "Las centrales obreras convocaron la movilización por las pensiones."),
    ("https://br.example/4", PT_RALLY, "pt", "Os professores da rede estadual pedem reajuste salarial."),
    ("https://br.example/5", PT_STRIKE, "pt", "Os motoristas de ônibus pararam as linhas da zona leste."),
    ("https://uk.example/6", EN_MARCH, "en", "Thousands marched through the city centre to the ministry."),
]


@pytest.fixture
def stemmed(any_engine):
    with session_scope(any_engine) as session:
        upsert_source(session, id="news", name="News", homepage="https://news.example/", country="PE", languages=["es"])
        for number, (url, title, language, body) in enumerate(ARTICLES):
            published = datetime(2026, 11, 20 - number, 12, tzinfo=timezone.utc)
            store_article(session, make_record(url, title=title, body=body, language=language, published=published,
                                               source_id="news"))
    return any_engine


def found(engine, words: str, **kwargs) -> set[str]:
    return {hit.title for hit in search(engine, SearchQuery(text=words, **kwargs))}


@pytest.mark.parametrize(("words", "titles"), [
    # protestaron (title), protesta (body); and English "protested": a word matches its stems in
    # each language, as the query does not know the articles' languages.
    ("protestas", {ES_MARCH, EN_MARCH}),
    ("protesto", {ES_MARCH, EN_MARCH}),
    ("protestó", {ES_MARCH, EN_MARCH}),
    ("bloqueos", {ES_BLOCKADE}),  # bloquearon: only Portuguese Snowball joins bloqueos and bloquearon
    ("huelga", {ES_STRIKE}),
    ("paro", {ES_STRIKE, PT_STRIKE}),  # paros; pararam
    ("movilizaciones", {ES_STRIKE}),
    ("nacional", {ES_STRIKE}),
])
def test_spanish_words_find_their_forms(stemmed, words, titles) -> None:
    assert found(stemmed, words) == titles


@pytest.mark.parametrize(("words", "titles"), [
    ("manifestações", {PT_RALLY}),
    ("manifestacao", {PT_RALLY}),  # typed without accents
    ("manifestacoes", {PT_RALLY}),  # the accents of -ções put back: its stem is manifestação's
    ("greves", {PT_STRIKE}),
    ("professor", {PT_RALLY}),
])
def test_portuguese_words_find_their_forms(stemmed, words, titles) -> None:
    assert found(stemmed, words) == titles


def test_english_words_find_their_forms(stemmed) -> None:
    assert found(stemmed, "protesting") == {EN_MARCH, ES_MARCH}
    assert found(stemmed, "march") == {EN_MARCH}  # marched
    assert found(stemmed, "student") == {EN_MARCH}


def test_a_hit_found_by_its_stems_shows_them_in_its_snippet(stemmed) -> None:
    hit = next(hit for hit in search(stemmed, SearchQuery(text="protestas")) if hit.title == ES_MARCH)
    assert "[protesta]" in (hit.snippet or "")  # in its body: "La protesta reunió..."


def test_accents_and_case_are_ignored(stemmed) -> None:
    assert found(stemmed, "BOGOTA") == {ES_STRIKE}
    assert found(stemmed, "goiania") == {PT_RALLY}
    assert found(stemmed, "REUNE") == {PT_RALLY, ES_MARCH}  # reúne; reunió


def test_without_stemming_only_the_exact_form_matches(stemmed) -> None:
    assert found(stemmed, "protestas", stem=False) == set()
    assert found(stemmed, "protestaron", stem=False) == {ES_MARCH}


def test_phrases_are_exact(stemmed) -> None:
    assert found(stemmed, '"paros nacionales"') == {ES_STRIKE}
    assert found(stemmed, '"paro nacional"') == set()  # its words' stems would match: a phrase does not
    assert found(stemmed, '"students protested"') == {EN_MARCH}
    assert found(stemmed, '"student protests"') == set()


def test_prefix_matches_the_words_as_written(stemmed) -> None:
    assert found(stemmed, "protest*") == {ES_MARCH, EN_MARCH}
    assert found(stemmed, "bloque*") == {ES_BLOCKADE}
    assert found(stemmed, "bloqueos*") == set()  # a prefix is not stemmed


def test_or_and_not_work_on_stems(stemmed) -> None:
    assert found(stemmed, "huelgas OR greves") == {ES_STRIKE, PT_STRIKE}
    assert found(stemmed, "protestas -sindicato") == {EN_MARCH}  # sindicatos, in the Spanish one's body
    assert found(stemmed, "(protestas OR bloqueos) -comunero") == {ES_MARCH, EN_MARCH}  # comuneros
    assert found(stemmed, "protestas NOT lima") == {EN_MARCH}
    assert found(stemmed, "(protests OR greve) motorista") == {PT_STRIKE}


def test_raw_syntax_still_reaches_the_engine(stemmed) -> None:
    if stemmed.dialect.name == "sqlite":
        assert found(stemmed, "protestaron OR greve", raw=True) == {ES_MARCH, PT_STRIKE}
        assert found(stemmed, "search_stems:bloqu", raw=True) == {ES_BLOCKADE}
    else:
        assert found(stemmed, "protestaron or greve", raw=True) == {ES_MARCH, PT_STRIKE}


def test_an_article_in_another_language_is_found_by_its_exact_words(stemmed) -> None:
    with session_scope(stemmed) as session:
        store_article(session, make_record("https://fr.example/7", title="Les grévistes manifestent à Paris",
                                           body="La grève continue.", language="fr", source_id="news"))
    assert "Les grévistes manifestent à Paris" in found(stemmed, "grevistes")
    assert "Les grévistes manifestent à Paris" not in found(stemmed, "greviste")  # no French stemmer


def test_stems_follow_the_language_and_keep_unaccented_forms() -> None:
    assert stem_words("Protestaron y protestas", "es") == ["protest", "protest"]  # "y": a stop word
    assert stem_words("manifestações", "pt") == ["manifest", "manifestaco"]
    assert stem_words("protestaron", "fr") == []
    assert search_stems("Greve", None, "Motoristas", "pt") == "grev motor"
    assert set(query_stems("Bloqueos")) >= {"bloque", "bloqu"}


def test_stop_words_are_not_stemmed_so_paro_does_not_find_para(stemmed) -> None:
    with session_scope(stemmed) as session:
        store_article(session, make_record("https://pe.example/8", title="Fondos para el agua",
                                           body="El municipio destinó fondos para obras.", source_id="news"))
    assert "Fondos para el agua" not in found(stemmed, "paro")  # Snowball: "para" and "paro" both "par"
    assert "Fondos para el agua" in found(stemmed, "para")


def _insert_as_before_stemming(engine, number: int, title: str, body: str, language: str) -> None:
    insert_as_older_protestwire(engine, f"https://old.example/{number}", title, body, language)


def test_an_upgraded_older_store_gets_its_stems(any_engine) -> None:
    command.downgrade(alembic_config(any_engine), "0008")
    for number in range(7):  # more rows than a batch below: the fill goes on batch after batch
        _insert_as_before_stemming(any_engine, number, f"Campesinos bloquearon la ruta {number}", "Sin diálogo.", "es")
    _insert_as_before_stemming(any_engine, 99, "Greve dos professores", "Sem acordo.", "pt")
    batches: list[int] = []
    command.upgrade(alembic_config(any_engine), "head")
    assert unstemmed_count(any_engine) == 8
    assert {hit.title for hit in search(any_engine, SearchQuery(text="bloquearon"))} == {
        f"Campesinos bloquearon la ruta {n}" for n in range(7)}  # the exact words work meanwhile
    assert search(any_engine, SearchQuery(text="bloqueos")) == []
    assert len(search(any_engine, SearchQuery(text="campesinos -greve"))) == 7  # NOT keeps unstemmed rows

    from storage.fulltext import fill_stems
    assert fill_stems(any_engine, batch=3, on_done=batches.append) == 8
    assert batches == [3, 3, 2] and unstemmed_count(any_engine) == 0
    assert len(search(any_engine, SearchQuery(text="bloqueos"))) == 7
    assert [hit.title for hit in search(any_engine, SearchQuery(text="greves"))] == ["Greve dos professores"]
    assert init_db(any_engine) and fill_stems(any_engine) == 0  # a second run has nothing to do


def test_init_stems_an_older_store(tmp_path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0008")
    _insert_as_before_stemming(engine, 1, "Paros en el puerto", "Los estibadores pararon.", "es")
    init_db(engine)
    assert [hit.title for hit in search(engine, SearchQuery(text="paro"))] == ["Paros en el puerto"]
    engine.dispose()
