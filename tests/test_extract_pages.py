"""Extraction of the page types that trip extractors up, on pages we wrote for the purpose:
cookie wall, live blog, photo gallery, AMP page, JSON-LD that lies about the body, paywall
teaser, no date at all. Each page is its own case, with must/must-not checks."""

from __future__ import annotations

import json

import pytest

from pipeline import process_page
from pipeline.types import Dropped

PARAGRAPHS = [
    "Miles de docentes marcharon este miércoles por el centro de Asunción para exigir el reajuste salarial "
    "prometido por el Ministerio de Educación y Ciencias a comienzos del año lectivo.",
    "La movilización partió de la plaza Uruguaya y llegó hasta el Congreso Nacional, donde los dirigentes "
    "de la Federación de Educadores entregaron un petitorio con doce puntos.",
    "El gremio anunció que, si no recibe una respuesta antes del viernes, convocará a una huelga general "
    "docente de 48 horas en todo el país.",
]
BODY_HTML = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
COOKIE_TEXT = ("Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle publicidad "
               "relacionada con sus preferencias mediante el análisis de sus hábitos de navegación. Si continúa "
               "navegando, consideramos que acepta su uso.")


def page(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html lang='es'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def json_ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


ARTICLE_HEAD = ("<title>Docentes marchan en Asunción | Diario del Paraguay</title>"
                "<meta property='og:site_name' content='Diario del Paraguay'>"
                "<meta property='article:published_time' content='2026-11-18T10:30:00-03:00'>")

PAGES = {
    "cookie-wall": (
        page(ARTICLE_HEAD, f"<div id='cookie-consent' class='cmp-banner'><p>{COOKIE_TEXT}</p><button>Aceptar</button>"
                           f"</div><main><article><h1>Docentes marchan en Asunción</h1>{BODY_HTML}</article></main>"),
        {"contains": PARAGRAPHS, "excludes": [COOKIE_TEXT[:60]], "title": "Docentes marchan en Asunción"},
    ),
    "live-blog": (
        page(ARTICLE_HEAD.replace("Docentes marchan en Asunción", "EN VIVO: marcha docente en Asunción")
             + json_ld({"@context": "https://schema.org", "@type": "LiveBlogPosting",
                        "headline": "EN VIVO: marcha docente en Asunción", "coverageStartTime": "2026-11-18T09:00:00-03:00",
                        "datePublished": "2026-11-18T09:00:00-03:00"}),
             "<main><h1>EN VIVO: marcha docente en Asunción</h1><div class='liveblog'>"
             + "".join(f"<article class='update'><time datetime='2026-11-18T1{i}:00:00-03:00'>1{i}:00</time><p>{p}</p>"
                       f"</article>" for i, p in enumerate(PARAGRAPHS)) + "</div></main>"),
        {"contains": PARAGRAPHS, "excludes": [], "title": "EN VIVO: marcha docente en Asunción", "day": "2026-11-18"},
    ),
    "amp": (
        page(ARTICLE_HEAD + "<link rel='canonical' href='https://www.diariodelparaguay.example/pais/marcha-docente/'>"
             "<script async src='https://cdn.ampproject.org/v0.js'></script><style amp-boilerplate>body{}</style>",
             f"<header class='amp-header'><a href='/'>Diario del Paraguay</a></header><article>"
             f"<h1>Docentes marchan en Asunción</h1><amp-img src='/f.jpg' width='600' height='400'></amp-img>"
             f"{BODY_HTML}</article>"),
        {"contains": PARAGRAPHS, "excludes": [], "title": "Docentes marchan en Asunción",
         "canonical": "https://www.diariodelparaguay.example/pais/marcha-docente/",
         "url": "https://amp.diariodelparaguay.example/pais/marcha-docente/amp/"},
    ),
    "lying-json-ld": (
        page(ARTICLE_HEAD + json_ld({"@type": "NewsArticle", "headline": "Docentes marchan en Asunción",
                                     "articleBody": "Resultados de la lotería del miércoles: 12, 25, 33, 41, 48. "
                                                    "Consulte los números ganadores en nuestra edición impresa. " * 6,
                                     "url": "https://otro-sitio.example/loteria"})
             + "<link rel='canonical' href='https://otro-sitio.example/loteria'>",
             f"<article><h1>Docentes marchan en Asunción</h1>{BODY_HTML}</article>"),
        {"contains": PARAGRAPHS, "excludes": ["lotería"], "title": "Docentes marchan en Asunción",
         "canonical": "https://www.diariodelparaguay.example/pais/marcha-docente/"},
    ),
    "paywall-teaser": (
        page(ARTICLE_HEAD + json_ld({"@type": "NewsArticle", "headline": "Docentes marchan en Asunción",
                                     "isAccessibleForFree": False,
                                     "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                                                 "cssSelector": ".paywall"}}),
             f"<article><h1>Docentes marchan en Asunción</h1>{BODY_HTML}<div class='paywall'>"
             f"<p>Este contenido es exclusivo para suscriptores. Suscríbase desde 1 dólar al mes.</p></div></article>"),
        {"contains": PARAGRAPHS[:2], "excludes": [], "title": "Docentes marchan en Asunción", "paywalled": True},
    ),
    "no-date": (
        page("<title>Docentes marchan en Asunción</title>",
             f"<article><h1>Docentes marchan en Asunción</h1>{BODY_HTML}</article>"),
        {"contains": PARAGRAPHS, "excludes": [], "title": "Docentes marchan en Asunción", "day": None},
    ),
}
URL = "https://www.diariodelparaguay.example/pais/marcha-docente/"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_types(name: str) -> None:
    raw, expect = PAGES[name]
    article = process_page(raw, expect.get("url", URL)).article
    assert article.title == expect["title"]
    for sentence in expect["contains"]:
        assert sentence in article.body
    for text in expect["excludes"]:
        assert text not in article.body
    if "canonical" in expect:
        assert article.canonical_url == expect["canonical"]
    if "paywalled" in expect:
        assert article.paywalled is expect["paywalled"]
    if "day" in expect:
        day = expect["day"]
        assert (article.to_json()["published_local"] or "")[:10] == (day or "") if day else article.published is None


def test_photo_gallery_is_not_an_article() -> None:
    gallery = page("<title>Galería: la marcha docente en fotos</title>",
                   "<main><h1>La marcha docente en fotos</h1>" + "".join(
                       f"<figure><img src='/g/{i}.jpg'><figcaption>Foto {i}: docentes en la plaza.</figcaption></figure>"
                       for i in range(8)) + "</main>")
    with pytest.raises(Dropped) as dropped:
        process_page(gallery, URL)
    assert dropped.value.reason == "no-text"
