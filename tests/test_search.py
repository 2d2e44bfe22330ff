from datetime import date, datetime, timezone

import pytest

from pipeline.store import store_article, upsert_source
from storage.db import session_scope
from storage.search import QueryError, SearchQuery, fts_match_expression, search, search_sql, tsquery_expression
from tests.helpers import make_record

ARTICLES = [
    ("https://bo.example/1", "bo", "Transportistas bloquean la carretera Oruro-La Paz", "es", date(2026, 11, 21)),
    ("https://co.example/2", "co", "Paro nacional: movilizaciones en Bogotá y Cali", "es", date(2026, 11, 19)),
    ("https://br.example/3", "br", "Professores entram em greve em Goiás", "pt", date(2026, 11, 18)),
    ("https://cl.example/4", "cl", "Chilean wine exports reach a record", "en", date(2026, 11, 10)),
]
BODIES = {
    "bo": "Los transportistas mantienen el bloqueo en la carretera y exigen diésel. Dirigentes anuncian más bloqueos.",
    "co": "El paro nacional convocado por centrales obreras reunió marchas en Bogotá. Los manifestantes protestaron.",
    "br": "Os professores da rede estadual decidiram entrar em greve. O sindicato exige reajuste e fez passeata.",
    "cl": "Wine exports grew 12 percent this year, led by shipments to China, the growers' association said.",
}
COUNTRIES = {"bo": "BO", "co": "CO", "br": "BR", "cl": "CL"}


@pytest.fixture
def filled(any_engine):
    engine = any_engine
    with session_scope(engine) as session:
        for key, country in COUNTRIES.items():
            upsert_source(session, id=key, name=key.upper(), homepage=f"https://{key}.example/", country=country,
                          languages=["es"])
        for url, key, title, language, day in ARTICLES:
            published = datetime(day.year, day.month, day.day, 15, tzinfo=timezone.utc)
            store_article(session, make_record(url, title=title, body=BODIES[key], language=language,
                                               published=published, source_id=key))
    return engine


def titles(engine, **kwargs) -> list[str]:
    return [hit.title for hit in search(engine, SearchQuery(**kwargs))]


def test_words_match_without_accents_or_case(filled) -> None:
    assert titles(filled, text="BOGOTA") == ["Paro nacional: movilizaciones en Bogotá y Cali"]
    assert titles(filled, text="goias") == ["Professores entram em greve em Goiás"]


def test_all_words_are_required_and_phrases_keep_order(filled) -> None:
    assert titles(filled, text='"paro nacional"') == ["Paro nacional: movilizaciones en Bogotá y Cali"]
    assert titles(filled, text='"nacional paro"') == []
    assert titles(filled, text="paro greve") == []


def test_prefix_search(filled) -> None:
    assert titles(filled, text="bloque*") == ["Transportistas bloquean la carretera Oruro-La Paz"]


def test_filters_combine(filled) -> None:
    assert titles(filled, country="BR") == ["Professores entram em greve em Goiás"]
    assert titles(filled, language="en") == ["Chilean wine exports reach a record"]
    assert titles(filled, source="co") == ["Paro nacional: movilizaciones en Bogotá y Cali"]
    assert titles(filled, since=date(2026, 11, 19), until=date(2026, 11, 19)) == [
        "Paro nacional: movilizaciones en Bogotá y Cali"
    ]
    assert "Chilean wine exports reach a record" not in titles(filled, protest_only=True)


def test_geotag_filters(filled) -> None:
    assert titles(filled, event_country="BO") == ["Transportistas bloquean la carretera Oruro-La Paz"]
    assert titles(filled, protest_type="strike") == [
        "Paro nacional: movilizaciones en Bogotá y Cali", "Professores entram em greve em Goiás"]
    assert titles(filled, protest_type="blockade", event_country="CO") == []
    assert titles(filled, place="bogota") == ["Paro nacional: movilizaciones en Bogotá y Cali"]
    assert titles(filled, place="GOIAS") == ["Professores entram em greve em Goiás"]
    assert titles(filled, place="la paz", text="diesel") == ["Transportistas bloquean la carretera Oruro-La Paz"]
    assert titles(filled, place="Lima") == []


def test_hits_carry_geotags(filled) -> None:
    hit = search(filled, SearchQuery(text="Goiás"))[0]
    assert hit.event_country == "BR" and hit.countries == {"BR": 1.0}
    assert hit.places[0]["name"] == "Goiás" and hit.places[0]["kind"] == "admin1"
    assert {"event_country", "countries", "places"} <= set(hit.to_json())


def test_geotag_filters_in_sql(filled) -> None:
    sql = search_sql(filled, SearchQuery(event_country="CO", protest_type="strike", place="Cali"))
    assert "articles.event_country = 'CO'" in sql
    assert "strike" in sql and "Cali" in sql


def test_without_text_results_are_newest_first(filled) -> None:
    assert titles(filled, limit=2) == [ARTICLES[0][2], ARTICLES[1][2]]


def test_hits_carry_source_country_and_snippet(filled) -> None:
    hit = search(filled, SearchQuery(text="diésel"))[0]
    assert hit.source == "bo" and hit.country == "BO" and hit.language == "es"
    assert "[diésel]" in hit.snippet


def test_user_text_with_fts_syntax_is_searched_literally(filled) -> None:
    assert titles(filled, text='paro AND "') == []  # no syntax error: words and quote are escaped
    assert fts_match_expression('bloqueo "paro nacional" greve*') == '"bloqueo" "paro nacional" "greve"*'


def test_raw_syntax_passes_through_to_the_engine(filled) -> None:
    assert len(titles(filled, text="paro OR greve", raw=True)) == 2


def test_raw_syntax_errors_become_query_errors(engine) -> None:
    with pytest.raises(QueryError, match="drop --raw"):
        search(engine, SearchQuery(text="paro OR", raw=True))


@pytest.mark.parametrize(
    "kwargs",
    [{"country": "Peru"}, {"language": "spanish"}, {"limit": 0}, {"limit": 5000}, {"event_country": "bo"},
     {"protest_type": "parade"}, {"place": "Atlantis"},
     {"since": date(2026, 11, 20), "until": date(2026, 11, 1)}],
)
def test_invalid_queries_are_refused_with_a_reason(kwargs) -> None:
    with pytest.raises(QueryError):
        SearchQuery(**kwargs)


def test_search_sql_is_the_query_that_runs(filled) -> None:
    sql = search_sql(filled, SearchQuery(text="paro", country="CO"))
    assert "sources.country = 'CO'" in sql
    if filled.dialect.name == "sqlite":
        assert "articles_fts MATCH '\"paro\"'" in sql
    else:
        assert "to_tsquery('simple', '(paro)')" in sql


def test_tsquery_expression_folds_accents_and_keeps_phrases_and_prefixes() -> None:
    assert tsquery_expression('Bogotá "paro nacional" bloqueo*') == "(bogota) & (paro <-> nacional) & (bloqueo:*)"
    assert tsquery_expression("& | ! :*") == ""
