import pytest

from sources import SourcesError, load_sources, parse_sources, select_sources

VALID = """
[[source]]
id = "altiplano-bo"
name = "Diario El Altiplano"
homepage = "https://altiplano.example/"
country = "BO"
languages = ["es"]
feeds = ["https://altiplano.example/rss.xml"]
"""


LATIN_AMERICA = "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE HT".split()
WIRES_AND_REGIONAL = ("efe", "ap", "reuters", "bbc", "dw", "france24", "elpais", "infobae", "cnn", "aljazeera",
                      "globalvoices", "agenciabrasil")


def test_bundled_registry_covers_the_region() -> None:
    sources = load_sources()
    assert len(sources) >= 60
    per_country = {cc: sum(s.country == cc for s in sources) for cc in LATIN_AMERICA}
    assert all(count >= 2 for count in per_country.values()), per_country
    ids = " ".join(s.id for s in sources)
    assert all(name in ids for name in WIRES_AND_REGIONAL)
    assert {"fr"} & {lang for s in sources if s.country == "HT" for lang in s.languages}


def test_allowed_domains_default_to_the_homepage_host_and_include_subdomains() -> None:
    (source,) = parse_sources(VALID)
    assert source.allowed_domains == ("altiplano.example",)
    assert source.allows("https://www.altiplano.example/noticias/1")
    assert not source.allows("https://evil.example/altiplano.example")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('country = "BO"', 'country = "Bolivia"'), "not an ISO 3166-1 alpha-2 code"),
        (('languages = ["es"]', 'languages = ["spanish"]'), "not an ISO 639-1 code"),
        (('country = "BO"', 'country = "BO"\nfeed = ["x"]'), "unknown key 'feed'"),
        (('feeds = ["https://altiplano.example/rss.xml"]', ""), "at least one of feeds, sitemaps or sections"),
        (('feeds = ["https://altiplano.example/rss.xml"]', 'feeds = ["https://cdn.example/rss.xml"]'),
         "outside allowed_domains"),
        (('country = "BO"', 'country = "BO"\ncrawl_interval_minutes = 1'), "at least 5"),
        (('id = "altiplano-bo"', 'id = "Altiplano BO"'), "lower-case letters"),
        (('name = "Diario El Altiplano"', ""), "missing key 'name'"),
        (('feeds = ["https://altiplano.example/rss.xml"]', 'feeds = ["ftp://x/rss"]'), "not an http(s) URL"),
    ],
)
def test_invalid_entries_are_reported_by_source(change: tuple[str, str], message: str) -> None:
    with pytest.raises(SourcesError) as error:
        parse_sources(VALID.replace(*change))
    assert message in str(error.value)
    assert len(error.value.problems) == 1


def test_problems_name_the_file_line_and_source() -> None:
    text = VALID + VALID.replace('"altiplano-bo"', '"voz-co"').replace('country = "BO"', 'country = "Colombia"')
    with pytest.raises(SourcesError) as error:
        parse_sources(text, "mine.toml")
    assert error.value.problems == ["mine.toml:14: source voz-co: country 'Colombia' is not an ISO 3166-1 alpha-2 code"]


def test_every_problem_of_a_source_is_reported_at_once(tmp_path) -> None:
    from click.testing import CliRunner

    from protestwire.cli import main

    text = """
[[source]]
id = "voz-bo"
nombre = "La Voz"
homepage = "https://voz.example/"
country = "Bolivia"
languages = ["es", "quechua"]
feeds = ["https://otro.example/rss"]
crawl_interval_minutes = 1
"""
    with pytest.raises(SourcesError) as error:
        parse_sources(text, "mine.toml")
    assert error.value.problems == [
        "mine.toml:4: source voz-bo: unknown key 'nombre' (known: id, name, homepage, country, languages, feeds, "
        "sitemaps, sections, allowed_domains, crawl_interval_minutes)",
        "mine.toml:2: source voz-bo: missing key 'name'",
        "mine.toml:6: source voz-bo: country 'Bolivia' is not an ISO 3166-1 alpha-2 code",
        "mine.toml:7: source voz-bo: language 'quechua' is not an ISO 639-1 code",
        "mine.toml:8: source voz-bo: 'https://otro.example/rss' is outside allowed_domains (voz.example)",
        "mine.toml:9: source voz-bo: crawl_interval_minutes must be a whole number of minutes, at least 5",
    ]
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "check", "--sources", str(path)])
    assert result.exit_code == 1
    assert all(f"{path}:{line}:" in result.output.replace("\n", "") for line in (2, 4, 6, 7, 8, 9)), result.output


def test_sections_alone_are_enough() -> None:
    text = VALID.replace('feeds = ["https://altiplano.example/rss.xml"]', 'sections = ["https://altiplano.example/tag/protestas/"]')
    assert parse_sources(text)[0].sections == ("https://altiplano.example/tag/protestas/",)


def test_duplicate_ids_and_bad_toml_are_reported() -> None:
    with pytest.raises(SourcesError, match="source altiplano-bo: duplicate id \\(first at line 3\\)"):
        parse_sources(VALID + VALID)
    with pytest.raises(SourcesError, match="not valid TOML"):
        parse_sources("[[source]\nid=")


def test_select_sources_names_unknown_ids() -> None:
    sources = parse_sources(VALID)
    assert select_sources(sources, ["altiplano-bo"]) == sources
    with pytest.raises(SourcesError, match="unknown source id"):
        select_sources(sources, ["nope"])


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(SourcesError, match="cannot read sources file"):
        load_sources(tmp_path / "missing.toml")
