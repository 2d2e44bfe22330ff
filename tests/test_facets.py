"""Facets: exact counts of what a search matches, the same on SQLite and PostgreSQL."""

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from pipeline.store import store_article, upsert_source
from storage.db import session_scope
from storage.facets import FacetValue, facet_counts, grouped_counts
from storage.search import QueryError, build_query
from tests.helpers import make_record

# (source, title, body, language, published UTC, offset minutes)
ARTICLES = [
    ("bo", "Transportistas bloquean la carretera Oruro-La Paz", "Bloqueo de transportistas en Oruro, Bolivia. "
     "Los transportistas mantienen el bloqueo y marchan por diésel.", "es", datetime(2026, 11, 16, 15), -240),
    ("bo", "Maestros marchan en La Paz", "Los maestros marcharon en La Paz, Bolivia, en protesta por salarios. "
     "La marcha recorrió el centro.", "es", datetime(2026, 11, 24, 2, 30), -240),  # 23 Nov in La Paz
    ("co", "Paro nacional en Bogotá", "El paro nacional convocado por centrales obreras reunió marchas en Bogotá, "
     "Colombia. Los manifestantes protestaron.", "es", datetime(2026, 11, 18, 15), -300),
    ("br", "Professores entram em greve em Goiás", "Os professores de Goiás, Brasil, decidiram entrar em greve. "
     "O sindicato exige reajuste.", "pt", datetime(2026, 11, 18, 15), -180),
    ("br", "Exportações de soja crescem", "As exportações de soja do Brasil cresceram 8% em outubro, "
     "segundo o ministério.", "pt", datetime(2026, 11, 25, 15), -180),
]


@pytest.fixture
def filled(any_engine):
    with session_scope(any_engine) as session:
        for key, country in (("bo", "BO"), ("co", "CO"), ("br", "BR")):
            upsert_source(session, id=key, name=key.upper(), homepage=f"https://{key}.example/", country=country,
                          languages=["es"])
        for i, (key, title, body, language, published, offset) in enumerate(ARTICLES):
            record = make_record(f"https://{key}.example/{i}", title=title, body=body * 3, language=language,
                                 published=published.replace(tzinfo=timezone.utc), source_id=key)
            store_article(session, replace(record, article=replace(record.article, published_offset_minutes=offset)))
    return any_engine


def as_dict(values: list[FacetValue]) -> dict[str, int]:
    return {v.value: v.count for v in values}


def test_counts_by_outlet_country_source_and_language(filled) -> None:
    facets = facet_counts(filled, build_query(), ("country", "source", "language"))
    assert as_dict(facets["country"]) == {"BO": 2, "BR": 2, "CO": 1}
    assert as_dict(facets["source"]) == {"bo": 2, "br": 2, "co": 1}
    assert as_dict(facets["language"]) == {"es": 3, "pt": 2}
    assert [v.value for v in facets["country"]] == ["BO", "BR", "CO"]  # largest first, then by value


def test_facets_count_exactly_what_the_search_matches(filled) -> None:
    facets = facet_counts(filled, build_query(text="marchan OR greve", country="BO"), ("country", "language"))
    assert as_dict(facets["country"]) == {"BO": 2}
    assert as_dict(facets["language"]) == {"es": 2}
    assert facet_counts(filled, build_query(text="nothingmatches"), ("country",)) == {"country": []}


def test_action_types_count_each_article_once_per_type(filled) -> None:
    types = as_dict(facet_counts(filled, build_query(protest_only=True), ("protest_type",))["protest_type"])
    assert types["strike"] == 2 and types["blockade"] == 1
    assert "march" in types


def test_event_country_days_and_weeks_follow_the_publishers_calendar(filled) -> None:
    facets = facet_counts(filled, build_query(), ("event_country", "day", "week"))
    assert as_dict(facets["event_country"])["BR"] == 2
    assert [v.value for v in facets["day"]] == ["2026-11-16", "2026-11-18", "2026-11-23", "2026-11-25"]
    assert as_dict(facets["day"])["2026-11-18"] == 2
    assert as_dict(facets["week"]) == {"2026-11-16": 3, "2026-11-23": 2}  # weeks named by their Monday


def test_grouped_counts_by_week_and_country(filled) -> None:
    counts = dict(grouped_counts(filled, build_query(), ("week", "country")))
    assert counts == {("2026-11-16", "BO"): 1, ("2026-11-16", "BR"): 1, ("2026-11-16", "CO"): 1,
                      ("2026-11-23", "BO"): 1, ("2026-11-23", "BR"): 1}


def test_unknown_facets_and_bad_limits_are_query_errors(filled) -> None:
    with pytest.raises(QueryError, match="facet must be one of"):
        facet_counts(filled, build_query(), ("colour",))
    with pytest.raises(QueryError, match="facet limit"):
        facet_counts(filled, build_query(), ("country",), limit=0)
