from datetime import datetime, timezone

import pytest

from pipeline.extract.normalise import (
    canonical_url, clean_text, normalise_article, parse_datetime, strip_leading_repeats, strip_title_suffix,
)
from pipeline.types import ExtractedArticle


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://elcomercio.pe/peru/paro/?utm_source=rss&utm_medium=feed", "https://elcomercio.pe/peru/paro/"),
        ("https://www.eltiempo.com/colombia/paro?fbclid=abc#comentarios", "https://www.eltiempo.com/colombia/paro"),
        ("HTTPS://WWW.Folha.uol.com.br/poder/greve.shtml", "https://www.folha.uol.com.br/poder/greve.shtml"),
        ("https://example.org/noticia/amp/", "https://example.org/noticia/"),
        ("https://www.infobae.com/politica/2025/11/21/paro/?outputType=amp", "https://www.infobae.com/politica/2025/11/21/paro/"),
        ("https://diario.example.com.ar/nota-123.amp.html?amp=1", "https://diario.example.com.ar/nota-123.html"),
        ("https://m.elcomercio.pe/peru/paro-agrario/", "https://elcomercio.pe/peru/paro-agrario/"),
        ("https://amp.infobae.com/politica/paro/", "https://infobae.com/politica/paro/"),
        ("https://mobile.g1.globo.com/politica/greve/", "https://g1.globo.com/politica/greve/"),
        # Only a variant label goes, and never down to a public suffix.
        ("https://m.com.br/noticia/", "https://m.com.br/noticia/"),
        ("https://media.folha.uol.com.br/foto/", "https://media.folha.uol.com.br/foto/"),
        ("http://127.0.0.1:8123/m/nota", "http://127.0.0.1:8123/m/nota"),
        ("http://127.0.0.1:8123/a/?id=7&gclid=x", "http://127.0.0.1:8123/a/?id=7"),
    ],
)
def test_canonical_url_drops_tracking_and_variants(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_clean_text_keeps_paragraphs_and_folds_spaces() -> None:
    messy = "  Primer\u00a0 párrafo  con   espacios.\r\n\r\n\n  Segundo párrafo. \n"
    assert clean_text(messy) == "Primer párrafo con espacios.\n\nSegundo párrafo."


def test_clean_text_composes_accents() -> None:
    assert clean_text("Bolivia: bloqueos en Potosi\u0301") == "Bolivia: bloqueos en Potosí"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Paro agrario en Ica | El Observador Andino", "El Observador Andino", "Paro agrario en Ica"),
        ("Greve de professores - Folha do Planalto", "Folha do Planalto", "Greve de professores"),
        ("Asamblea aprueba ley | Diario1", "diario1.com", "Asamblea aprueba ley"),
        ("Paro nacional - día 3 de movilizaciones en Cali y Bogotá", "El Tiempo", "Paro nacional - día 3 de movilizaciones en Cali y Bogotá"),
        ("Marcha en Santiago", None, "Marcha en Santiago"),
    ],
)
def test_strip_title_suffix(title: str, site: str | None, expected: str) -> None:
    assert strip_title_suffix(title, site) == expected


@pytest.mark.parametrize(
    ("text", "expected", "zoned"),
    [
        ("2026-11-21T08:15:00-04:00", datetime(2026, 11, 21, 12, 15, tzinfo=timezone.utc), True),
        ("2026-11-18T09:30:00Z", datetime(2026, 11, 18, 9, 30, tzinfo=timezone.utc), True),
        ("Wed, 18 Nov 2026 09:30:00 -0300", datetime(2026, 11, 18, 12, 30, tzinfo=timezone.utc), True),
        ("2026-11-18", datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc), False),
    ],
)
def test_parse_datetime(text: str, expected: datetime, zoned: bool) -> None:
    parsed = parse_datetime(text)
    assert parsed is not None
    assert parsed[0] == expected
    assert parsed[1] is zoned


@pytest.mark.parametrize("text", ["", "ayer", "31/31/2026", None])
def test_parse_datetime_rejects_garbage(text: str | None) -> None:
    assert parse_datetime(text) is None


def test_body_does_not_repeat_the_headline_or_section_but_keeps_the_standfirst() -> None:
    body = ("Colombia\nCampesinos bloquean vías en Boyacá\nEl Gobierno invitó al diálogo.\n\n"
            "Bogotá, 19 nov (EFE).- Miles de campesinos bloquean desde el lunes las vías del departamento.")
    article = normalise_article(ExtractedArticle(
        url="https://diario.example/a", canonical_url="https://diario.example/a",
        title="Campesinos bloquean vías en Boyacá | Diario", subtitle="El Gobierno invitó al diálogo.",
        section="Colombia", body=body, extractor_version="test"))
    assert article.title == "Campesinos bloquean vías en Boyacá"
    # The standfirst printed on the page is the publisher's text: it stays in the body.
    assert article.body.startswith("El Gobierno invitó al diálogo.\n\nBogotá, 19 nov (EFE).-")


def test_body_lines_that_only_resemble_the_headline_stay() -> None:
    body = "Campesinos bloquean vías en Boyacá y Santander desde la madrugada.\n\nSegundo párrafo."
    assert strip_leading_repeats(body, "Campesinos bloquean vías en Boyacá") == body


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Marcha en BogotÃ¡ y ParÃ¡", "Marcha en Bogotá y Pará"),
        ("Greve de professores em GoiÃ¡s: â€œvamos atÃ© o fimâ€\u009d", "Greve de professores em Goiás: “vamos até o fim”"),
        ("Sin problemas: ¿qué pasó en São Paulo?", "Sin problemas: ¿qué pasó en São Paulo?"),
    ],
)
def test_mojibake_is_repaired_and_good_text_left_alone(broken: str, fixed: str) -> None:
    assert clean_text(broken) == fixed


def test_utc_times_of_latin_american_outlets_get_their_newsroom_clock() -> None:
    from pipeline.extract.timezones import country_from_url, newsroom_offset_minutes

    assert country_from_url("https://www.lanacion.com.ar/politica/x/") == "AR"
    assert country_from_url("https://www.example.com/x") is None
    evening_in_buenos_aires = datetime(2022, 5, 4, 0, 25, tzinfo=timezone.utc)
    assert newsroom_offset_minutes(evening_in_buenos_aires, "AR") == -180
    assert newsroom_offset_minutes(evening_in_buenos_aires, "ZZ") is None
