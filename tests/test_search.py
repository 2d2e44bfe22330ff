import re
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from pipeline.store import store_article, upsert_source
from storage.db import session_scope
from storage.search import (
    MAX_QUERY_CHARACTERS, MAX_QUERY_WORDS, QueryError, SearchQuery, build_query, fts_match_expression, search,
    search_page, search_sql, tsquery_expression,
)
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


def test_user_text_is_never_engine_syntax(filled) -> None:
    assert titles(filled, text='paro NEAR nacional') == []  # NEAR is a word here, not FTS5's operator
    assert titles(filled, text='title:paro') == []  # no column filter: the words "title" and "paro"
    assert titles(filled, text='paro & | ! :* "') == ["Paro nacional: movilizaciones en Bogotá y Cali"]
    assert fts_match_expression('bloqueo "paro nacional" greve*', stem=False) == (
        '({title subtitle body} : "bloqueo" AND {title subtitle body} : "paro nacional" AND {title subtitle body} : "greve"*)')


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
        assert """articles_fts MATCH '({title subtitle body} : "paro" OR search_stems : ("par" OR "paro"))'""" in sql
    else:
        assert "to_tsquery('simple', '(paro)')" in sql


def test_tsquery_expression_folds_accents_and_keeps_phrases_and_prefixes() -> None:
    assert tsquery_expression('Bogotá "paro nacional" bloqueo*') == "((bogota) & (paro <-> nacional) & (bloqueo:*))"
    assert tsquery_expression("& | ! :*") == ""


PARO = "Paro nacional: movilizaciones en Bogotá y Cali"
GREVE = "Professores entram em greve em Goiás"
BLOQUEO = "Transportistas bloquean la carretera Oruro-La Paz"


def test_plain_syntax_or_not_and_parentheses(filled) -> None:
    assert sorted(titles(filled, text="paro OR greve")) == sorted([PARO, GREVE])
    assert titles(filled, text="paro OR huelga") == [PARO]  # issue 18: found nothing without --raw
    assert titles(filled, text="(paro OR greve) NOT goias") == [PARO]
    assert titles(filled, text="(paro OR greve) -goiás") == [PARO]
    assert sorted(titles(filled, text='(bloque* OR "paro nacional") AND -cali')) == [BLOQUEO]
    assert titles(filled, text="Oruro-La") == [BLOQUEO]  # a hyphen inside a word is no NOT
    assert titles(filled, text='paro OR greve -"rede estadual"') == [PARO]
    assert titles(filled, text="paro OR greve -(cali OR goias)") == []


def test_or_binds_before_the_space_as_in_web_search(filled) -> None:
    assert titles(filled, text="paro OR greve Bogota") == [PARO]  # (paro OR greve) AND bogota
    assert fts_match_expression("paro OR huelga Bolivia", stem=False) == (
        '(({title subtitle body} : "paro" OR {title subtitle body} : "huelga") AND {title subtitle body} : "bolivia")')
    assert tsquery_expression("paro OR huelga Bolivia") == "(((paro) | (huelga)) & (bolivia))"


def test_lower_case_operators_are_words_and_said_so(filled) -> None:
    assert titles(filled, text="paro or greve") == []
    assert SearchQuery(text="paro or greve").notes() == [
        "'or' was searched as a word; operators are written in capitals (OR)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("paro OR", "OR needs a word"), ("(paro OR greve", "'(' is not closed"), ("paro)", "')' has no '('"),
     ("-futbol", "only excludes"), ("paro NOT", "NOT (or -) needs a word"), ("paro OR -futbol", "one side of OR"),
     ("OR paro", "OR needs a word")],
)
def test_plain_syntax_mistakes_say_how_to_write_the_query(text, message) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        SearchQuery(text=text)


@pytest.mark.parametrize("text", ['"unbalanced', "foo:bar", "paro OR", "paro AND (", "NEAR(a b"])
def test_raw_engine_errors_are_query_errors_on_each_backend(filled, text) -> None:
    try:
        search(filled, SearchQuery(text=text, raw=True))  # PostgreSQL's websearch syntax takes any text
    except QueryError as error:
        message = str(error)
        assert "drop --raw" in message and "\n" not in message
        assert filled.dialect.name == "sqlite"


def test_raw_errors_name_the_problem(engine) -> None:
    with pytest.raises(QueryError, match='no closing quote'):
        search(engine, SearchQuery(text='"unbalanced', raw=True))
    with pytest.raises(QueryError, match='"foo:" reads as a column filter'):
        search(engine, SearchQuery(text="foo:bar", raw=True))


def test_query_length_is_bounded_without_echoing_the_query() -> None:
    SearchQuery(text=" ".join(["paro"] * MAX_QUERY_WORDS))
    for text in (" ".join(["paro"] * 12_000), "x" * (MAX_QUERY_CHARACTERS + 1)):
        for raw in (False, True):
            with pytest.raises(QueryError, match="too long") as error:
                SearchQuery(text=text, raw=raw)
            assert len(str(error.value)) < 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"language": "[/]"}, "ISO 639-1"), ({"country": "Perú"}, "ISO 3166-1"), ({"since": "ayer"}, "YYYY-MM-DD"),
     ({"until": "2026-13-01"}, "YYYY-MM-DD"), ({"limit": "many"}, "whole number"), ({"limit": "0"}, "between 1"),
     ({"offset": "-1"}, "0 or more"), ({"sort": "oldest"}, "relevance or newest"),
     ({"tz": "Mars/Olympus"}, "unknown time zone")],
)
def test_build_query_refuses_bad_filter_values(fields, message) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        build_query(**fields)


def test_build_query_reads_strings() -> None:
    query = build_query(text="paro", country="bo", language="ES", since="2026-11-01", limit="5", tz="-04:00")
    assert (query.country, query.language, query.since, query.limit) == ("BO", "es", date(2026, 11, 1), 5)


@pytest.fixture
def evening_in_la_paz(any_engine):
    """An article printed on 2026-11-11 at 21:30 -04:00, that is 2026-11-12 01:30 UTC."""
    with session_scope(any_engine) as session:
        upsert_source(session, id="bo", name="BO", homepage="https://bo.example/", country="BO", languages=["es"])
        record = make_record("https://bo.example/noche", title="Cacerolazo nocturno en Cochabamba",
                             published=datetime(2026, 11, 12, 1, 30, tzinfo=timezone.utc), source_id="bo")
        store_article(session, replace(record, article=replace(record.article, published_offset_minutes=-240)))
    return any_engine


def test_since_and_until_use_the_publishers_day(evening_in_la_paz) -> None:
    found = ["Cacerolazo nocturno en Cochabamba"]
    assert titles(evening_in_la_paz, since=date(2026, 11, 11), until=date(2026, 11, 11)) == found
    assert titles(evening_in_la_paz, since=date(2026, 11, 12)) == []
    assert titles(evening_in_la_paz, until=date(2026, 11, 10)) == []


def test_tz_reads_the_days_in_one_zone(evening_in_la_paz) -> None:
    found = ["Cacerolazo nocturno en Cochabamba"]
    assert titles(evening_in_la_paz, since=date(2026, 11, 12), until=date(2026, 11, 12), tz="UTC") == found
    assert titles(evening_in_la_paz, since=date(2026, 11, 11), until=date(2026, 11, 11), tz="America/La_Paz") == found
    assert titles(evening_in_la_paz, since=date(2026, 11, 12), tz="-04:00") == []


def test_a_page_knows_the_total_and_the_next_offset(filled) -> None:
    first = search_page(filled, SearchQuery(limit=3))
    assert (len(first.hits), first.total, first.total_exact, first.next_offset) == (3, 4, True, 3)
    last = search_page(filled, SearchQuery(limit=3, offset=3))
    assert (len(last.hits), last.total, last.next_offset) == (1, 4, None)
    assert {h.id for h in first.hits}.isdisjoint(h.id for h in last.hits)
    assert search_page(filled, SearchQuery(text="paro OR greve", limit=1)).total == 2
    assert search_page(filled, SearchQuery(text="paro", expand=True)).total == 1


def test_totals_count_stories_not_copies(any_engine) -> None:
    with session_scope(any_engine) as session:
        upsert_source(session, id="bo", name="BO", homepage="https://bo.example/", country="BO", languages=["es"])
        for number in range(3):  # the same wire text three times: one story
            store_article(session, make_record(f"https://bo.example/copia-{number}", source_id="bo"))
    assert search_page(any_engine, SearchQuery(text="bloquean")).total == 1
    assert search_page(any_engine, SearchQuery(text="bloquean", expand=True)).total == 3
