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


def test_page_without_article_text_still_gives_its_title_and_date() -> None:
    # A video page: headline, date and player, no story text. The store drops it; what the page
    # gave travels with the Dropped exception.
    raw = page(ARTICLE_HEAD, "<main><h1>Docentes marchan en Asunción</h1><div class='player'>Video</div></main>")
    with pytest.raises(Dropped) as dropped:
        process_page(raw, URL)
    article = dropped.value.article
    assert dropped.value.reason == "no-text" and article is not None
    assert article.title.startswith("Docentes marchan en Asunción") and article.body == ""
    assert article.to_json()["published_local"] == "2026-11-18T10:30:00-03:00"


def article_with(head: str, byline: str = "") -> bytes:
    return page(ARTICLE_HEAD + head, f"<main><article><h1>Docentes marchan en Asunción</h1>{byline}{BODY_HTML}"
                                     "</article></main>")


@pytest.mark.parametrize(("head", "byline", "authors"), [
    # JSON-LD names the people; the newsroom desk only when nobody else is named.
    (json_ld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Redacción"},
                                                 {"@type": "Person", "name": "María Benítez"}]}), "", ["María Benítez"]),
    (json_ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Redacción"}}), "", ["Redacción"]),
    # Scholarly and WordPress templates: one dc.creator per author as "Last, First"; a "By A and B" meta.
    ("<meta name='dc.creator' content='Benítez, María'><meta name='dc.creator' content='Ortiz, Julio'>", "",
     ["María Benítez", "Julio Ortiz"]),
    ("<meta name='article:author' content='https://diario.example/autor/mbenitez/'>"
     "<meta name='byl' content='Por María Benítez y Julio Ortiz'>", "", ["María Benítez", "Julio Ortiz"]),
    # Only the page's byline markup; photo credits and profile slugs beside it are not people.
    ("", "<p class='byline'>Por <a rel='author' href='/autor/mbenitez'>María Benítez</a></p>"
         "<span itemprop='author'>mbenitez</span><a rel='author'>(Foto: Archivo)</a>", ["María Benítez"]),
    ("<meta name='author' content='Benítez &amp; Ortiz'>", "", ["Benítez", "Ortiz"]),
    # No metadata names anyone: the byline element does, its label and date left out.
    ("", "<div class='article-author'>Publicado por María Benítez <time datetime='2026-11-18'>18/11/2026</time>"
         "</div>", ["María Benítez"]),
    ("", "<div class='byline'>Texto: María Benítez | Julio Ortiz</div>", ["María Benítez", "Julio Ortiz"]),
    # The metadata names only the outlet: the byline's reporter instead.
    (json_ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Diario del Paraguay"}}),
     "<span class='author-name'>Julio Ortiz</span>", ["Julio Ortiz"]),
    # The metadata names only the newsroom desk, the byline a reporter: the reporter.
    (json_ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Redacción"}}),
     "<p class='article-byline'>Por Julio Ortiz</p>", ["Julio Ortiz"]),
    # A byline element with a handle or a label and no full name gives nobody rather than junk.
    ("", "<div class='author'>Posted by admin</div><span class='byline'>Publicado</span>", []),
])
def test_authors_are_people_from_wherever_the_page_names_them(head: str, byline: str, authors: list[str]) -> None:
    assert process_page(article_with(head, byline), URL).article.authors == authors


def test_html_entities_in_metadata_are_decoded() -> None:
    raw = page("<meta property='og:title' content='Docentes: &#8220;No vamos a parar&#8221;'>"
               + json_ld({"@type": "NewsArticle", "headline": "Docentes: &quot;No vamos a parar&quot;",
                          "description": "El gremio &amp; la federación"}),
               f"<main><article>{BODY_HTML}</article></main>")
    article = process_page(raw, URL).article
    assert article.title == 'Docentes: "No vamos a parar"'
    assert article.subtitle == "El gremio & la federación"


@pytest.mark.parametrize(("body", "paywalled"), [
    # Two teaser paragraphs, then the outlet's subscription box: no JSON-LD flag needed.
    ("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
     + "<div class='c-paywall__box'><p>Este contenido es exclusivo para suscriptores. Suscríbete desde $1.</p></div>",
     True),
    ("<p>" + PARAGRAPHS[0] + "</p><div id='regwall'><p>Continue lendo: crie sua conta grátis.</p></div>", True),
    # A free, full story whose template ships a hidden paywall box on every page.
    (BODY_HTML * 4 + "<div class='paywall' hidden><p>Para seguir leyendo, suscríbete.</p></div>", False),
    # A short brief without any paywall marker is simply short.
    ("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]), False),
])
def test_teasers_behind_a_paywall_are_flagged(body: str, paywalled: bool) -> None:
    raw = page(ARTICLE_HEAD, f"<main><article><h1>Docentes marchan en Asunción</h1>{body}</article></main>")
    assert process_page(raw, URL).article.paywalled is paywalled


def test_boxes_named_related_go_but_a_story_container_named_so_stays() -> None:
    related = "".join(f"<li><a href='/pais/nota-{i}'>Otra nota relacionada con la educación pública número {i}</a></li>"
                      for i in range(12))
    raw = page(ARTICLE_HEAD, "<main><h1>Docentes marchan en Asunción</h1>"
                             f"<div class='single_content read-more'>{BODY_HTML}</div>"
                             f"<section class='related-posts'><h3>Lee también</h3><ul>{related}</ul></section></main>")
    article = process_page(raw, URL).article
    for sentence in PARAGRAPHS:
        assert sentence in article.body
    assert "Otra nota relacionada" not in article.body


# The English translation of a quote in a Spanish story, as bilingual outlets print it.
TRANSLATED_QUOTE = ("If the ministry does not answer by Friday, the federation will call a 48-hour national strike, "
                    "said its secretary general to the crowd in front of Congress.")


def test_translation_written_as_a_div_between_paragraphs_is_kept() -> None:
    # A bilingual story: the quote in the original language, its translation in a bare <div>.
    translation = TRANSLATED_QUOTE
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
                             f"<blockquote><p>{PARAGRAPHS[2]}</p></blockquote><div class='translation'>{translation}</div>"
                             f"<p>{PARAGRAPHS[0][::-1]}</p><div class='fecha'>18/11/2026</div></article></main>")
    body = process_page(raw, URL).article.body
    assert translation in body and PARAGRAPHS[2] in body
    assert "18/11/2026" not in body  # a short line of its own is not a paragraph


def test_readers_comments_and_sign_up_forms_are_not_the_story() -> None:
    comment = ("Totalmente de acuerdo con los docentes, el ministerio prometió el reajuste hace meses y todavía no "
               "cumplió con nada de lo que firmó en marzo. Que paren hasta que paguen lo que deben.")
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>" + BODY_HTML
                             + "<div class='subscribe-form'><strong>Recibí el boletín semanal del Diario</strong>"
                               "<p>Te enviaremos las noticias más importantes una vez por semana.</p></div>"
                             + "<div id='sf_comment_list'>" + f"<div class='sf_comment_text'><p>{comment}</p></div>" * 4
                             + "</div></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in PARAGRAPHS:
        assert sentence in body
    assert "boletín" not in body and comment[:40] not in body


def test_publisher_body_loses_the_markdown_its_cms_left_in_it() -> None:
    # A script-rendered page: the JSON-LD articleBody is all the text there is, written in the
    # CMS's Markdown (layout directives on their own lines, links as [text](url)).
    markdown = ("+++dropcap\n\n" + PARAGRAPHS[0] + "\n+++\n\n"
                + PARAGRAPHS[1].replace("Federación de Educadores",
                                        "[Federación de Educadores](https://fede.example/inicio)") + "\n\n" + PARAGRAPHS[2])
    raw = page(ARTICLE_HEAD + json_ld({"@type": "NewsArticle", "headline": "Docentes marchan en Asunción",
                                       "articleBody": markdown}),
               "<main><h1>Docentes marchan en Asunción</h1><div id='app'></div></main>")
    body = process_page(raw, URL).article.body
    assert body.startswith(PARAGRAPHS[0]) and "Federación de Educadores entregaron" in body
    assert "+++" not in body and "https://" not in body


def test_read_also_links_and_follow_us_calls_between_paragraphs_are_not_the_story() -> None:
    # Outlets put another story's headline behind a label between the paragraphs, and invite
    # readers to their channels; a paragraph of the story that mentions a network stays.
    network_paragraph = ("La convocatoria circuló por WhatsApp y Facebook durante la semana, y los organizadores "
                         "dijeron que siguen esperando una respuesta del ministerio.")
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p>"
                             "<p><strong>Lea también:</strong> <a href='/pais/otra'>Choferes anuncian paro de buses</a></p>"
                             f"<p>{PARAGRAPHS[1]}</p>"
                             "<p>LE PUEDE INTERESAR: <a href='/pais/clima'>Pronóstico para el fin de semana</a></p>"
                             f"<p>{network_paragraph}</p><p>{PARAGRAPHS[2]}</p>"
                             "<p>Síguenos en Telegram, Instagram y Twitter</p>"
                             "<p>¿Ya conoces nuestro canal de WhatsApp? Únete aquí</p></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in (*PARAGRAPHS, network_paragraph):
        assert sentence in body
    for promotion in ("Choferes anuncian", "Pronóstico para", "Síguenos", "canal de WhatsApp"):
        assert promotion not in body


@pytest.mark.parametrize(("line", "promotion"), [
    ("VEA TAMBIÉN: Estudiantes toman el colegio nacional", True),
    ("Leia mais: Professores fazem greve em São Paulo", True),
    ("Notas relacionadas", True),
    ("À lire aussi : Les enseignants manifestent à Paris", True),
    ("Mira: así fue la marcha", True),
    ("Follow Diario.example on Twitter and Facebook for the latest news.", True),
    ("Suscríbete a nuestro newsletter y recibe las noticias del día", True),
    ("El gremio envió un boletín a sus afiliados con el recorrido de la marcha.", False),
    # Sentences that merely open with the same words are the story's.
    ("Mira lo que dijo el ministro cuando le preguntaron por el reajuste.", False),
    ("Relacionados con la marcha, diez docentes fueron detenidos.", False),
    ("Ana Ortiz cubre educación. Follow her on Twitter @aortiz.", False),
    # The outlet's copyright notice under the story.
    ("© 2026 Diario del Paraguay. Todos los derechos reservados.", True),
    ("Copyright © 2026 Folha do Sul. Todos os direitos reservados.", True),
    ("El gremio defiende los derechos adquiridos de los docentes jubilados y de los contratados.", False),
    # Calls for readers' tips with the newsroom's address; an address in the story is the story's.
    ("¿Tienes información sobre la marcha? Escríbenos a redaccion@diario.example", True),
    ("Got a story? Get in touch with our news team at news@paper.example", True),
    ("Tem uma denúncia? Envie para redacao@folha.example", True),
    ("La federación recibe las adhesiones en prensa@federacion.example hasta el viernes.", False),
    # Notices about the page: a story still being written, a sign-up box's small print.
    ("Esta noticia está en desarrollo y será ampliada en breve.", True),
    ("Notícia em atualização", True),
    ("This is a breaking news story - more to follow", True),
    ("Recibirás nuestro boletín cada mañana. Puedes darte de baja cuando quieras. Consulta nuestra política de "
     "privacidad.", True),
    ("El ministerio actualizó su política de privacidad tras la filtración de datos de los docentes.", False),
    ("More to follow in Luque, where teachers meet on Friday, the federation said.", False),
    # A picture's credit left between the paragraphs.
    ("Foto: Agencia IP", True),
    ("(Foto: Marcelo Camargo/Agência Brasil)", True),
    ("Photo: Reuters", True),
    ("Fotos de la marcha: los docentes llenaron la plaza Uruguaya durante toda la mañana del miércoles.", False),
])
def test_promotion_lines_are_told_from_story_lines(line: str, promotion: bool) -> None:
    from pipeline.extract.page import drop_promotion_lines

    assert (drop_promotion_lines(f"{PARAGRAPHS[0]}\n{line}") == PARAGRAPHS[0]) is promotion


TEASERS = [
    ("Choferes de buses anuncian un paro de 24 horas", "Los transportistas reclaman el pago del subsidio atrasado "
     "desde agosto y advierten que el servicio quedará suspendido en todo el área metropolitana."),
    ("Estudiantes toman tres colegios en Luque", "Los alumnos exigen la reparación de los techos de las aulas, "
     "dañados por la tormenta de la semana pasada, antes del inicio de los exámenes finales."),
    ("Campesinos marchan hacia la capital", "Unas dos mil familias partieron desde San Pedro con el pedido de "
     "una ley de emergencia para la producción de algodón y de sésamo en el norte del país."),
    ("Médicos del hospital regional levantan la huelga", "El sindicato aceptó la propuesta del ministerio tras "
     "nueve días de medida de fuerza y los consultorios vuelven a atender desde el lunes."),
]


def test_other_stories_teaser_cards_after_the_story_are_not_the_story() -> None:
    # A stream of other stories inside the <article>, in plain <div>s (no telling class names):
    # linked headline + standfirst.
    cards = "".join(f"<div><div><h3><a href='/pais/nota-{i}'>{headline}</a></h3><p>{standfirst}</p></div></div>"
                    for i, (headline, standfirst) in enumerate(TEASERS))
    section = ("<h2><a href='/pais/educacion'>La educación pública en crisis permanente</a></h2>"
               f"<p>{PARAGRAPHS[2]}</p>")  # a linked sub-heading of the story itself
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>{section}"
                             f"<div><h2>Más noticias</h2>{cards}</div></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in PARAGRAPHS:
        assert sentence in body
    for _headline, standfirst in TEASERS:
        assert standfirst[:40] not in body


def test_translation_left_loose_in_a_div_by_unclosed_markup_is_kept() -> None:
    # "<div class='translation'>text</p><p>more</div>": the parser puts the first paragraph's
    # text straight into the div, before the paragraph that follows it.
    first = TRANSLATED_QUOTE
    second = ("The march left from Uruguaya square and reached the National Congress, where the union leaders "
              "handed in a petition with twelve demands.")
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p><blockquote><p>{PARAGRAPHS[1]}</p></blockquote>"
                             f"<div class='translation'>{first}</p><p>{second}</div>"
                             f"<p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[0][::-1]}</p></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in (*PARAGRAPHS, first, second):
        assert sentence in body


def test_boxes_asking_readers_to_subscribe_or_donate_are_not_the_story() -> None:
    # A support box inside the article (no telling class names), and a paragraph of the story
    # that links to a story about donations: only the box goes.
    appeal = ("Tu suscripción se está usando en otro dispositivo. Si quieres compartir tu cuenta, cambia a la "
              "modalidad familiar y cada persona leerá con su propio usuario.")
    donations = ("La federación recibió donaciones de otros gremios para cubrir los costos del traslado de los "
                 "docentes del interior, según informó su tesorero.")
    linked = donations.replace("donaciones de otros gremios",
                               "<a href='/pais/2026/11/donaciones-al-gremio/'>donaciones de otros gremios</a>")
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>" + BODY_HTML
                             + f"<p>{linked}</p>"
                             + f"<div><div><h2>Apoya el periodismo independiente</h2><p>{appeal}</p>"
                               "<div><a href='https://diario.example/suscripciones/familiar/'>Cambiar de plan</a>"
                               "<a href='#'>Seguir leyendo aquí</a></div></div></div></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in (*PARAGRAPHS, donations):
        assert sentence in body
    assert appeal[:40] not in body and "Apoya el periodismo" not in body


def test_live_blog_updates_with_linked_headings_are_kept() -> None:
    # Each update's heading links to its own anchor on the page: updates, not teaser cards.
    updates = "".join(f"<div class='update'><h3><a href='{URL}#update-{i}'>{headline}</a></h3><p>{text}</p></div>"
                      for i, (headline, text) in enumerate(TEASERS))
    raw = page(ARTICLE_HEAD, f"<main><article><h1>Docentes marchan en Asunción</h1>{updates}</article></main>")
    body = process_page(raw, URL).article.body
    for _headline, text in TEASERS:
        assert text in body


@pytest.mark.parametrize(("seo_headline", "h1", "title"), [
    # The search-engine headline in JSON-LD; readers see (and cite) the <h1>.
    ("Docentes marchan en Asunción: qué piden y qué respondió el ministerio",
     "Miles de docentes marchan en Asunción por el reajuste salarial",
     "Miles de docentes marchan en Asunción por el reajuste salarial"),
    # An <h1> that is the site's name, not a version of the headline: the metadata title stays.
    ("Docentes marchan en Asunción por el reajuste salarial", "Diario del Paraguay",
     "Docentes marchan en Asunción por el reajuste salarial"),
    # An <h1> with a kicker in front of the headline: the shorter, the headline itself.
    ("Docentes marchan en Asunción por el reajuste salarial",
     "Huelga docente: Docentes marchan en Asunción por el reajuste salarial",
     "Docentes marchan en Asunción por el reajuste salarial"),
])
def test_title_is_the_headline_readers_see(seo_headline: str, h1: str, title: str) -> None:
    head = ARTICLE_HEAD + json_ld({"@type": "NewsArticle", "headline": seo_headline})
    raw = page(head, f"<header><h1>{h1}</h1></header><article>{BODY_HTML}</article>")
    article = process_page(raw, "https://www.diariodelparaguay.example/pais/marcha-docente/").article
    assert article.title == title


def test_boxes_a_more_stories_title_opens_are_not_the_story() -> None:
    # "Mais lidas" over other stories whose headlines are plain links in a list and whose
    # standfirsts are not links (no teaser-card headings, no telling class names); a box of the
    # story's own prose under a similar title stays.
    most_read = "".join(f"<li><a href='/pais/nota-{i}'>{headline}</a><span>{standfirst}</span></li>"
                        for i, (headline, standfirst) in enumerate(TEASERS[:3]))
    own_box = (f"<div><h3>Lo más visto en la marcha</h3><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>"
               f"<p>{TRANSLATED_QUOTE}</p></div>")
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p>{own_box}"
                             f"<div><h2>Mais lidas</h2><ul>{most_read}</ul></div></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in (*PARAGRAPHS, TRANSLATED_QUOTE):
        assert sentence in body
    for _headline, standfirst in TEASERS[:3]:
        assert standfirst[:40] not in body


def test_author_biography_under_the_story_is_not_the_story() -> None:
    # A long biography (prose, a few links) in a box named for it, in Portuguese and English
    # templates; the story around it stays.
    biography = ("Marina Souza é repórter de educação desde 2009 e cobriu as greves de professores em seis estados. "
                 "Antes, trabalhou em rádios comunitárias do interior de Minas Gerais, onde apresentou um programa "
                 "diário sobre escolas rurais. Formada em jornalismo pela universidade federal, recebeu dois prêmios "
                 "de reportagem e escreve também sobre orçamento público, transporte escolar e merenda. Vive em Belo "
                 "Horizonte com a família e coordena oficinas de leitura de jornais para adolescentes.")
    for box_class in ("sobre-o-autor", "author__biography"):
        raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>" + BODY_HTML
                                 + f"<div class='{box_class}'><h3><a href='/autores/marina'>Marina Souza</a></h3>"
                                   f"<p>{biography}</p></div></article></main>")
        body = process_page(raw, URL).article.body
        for sentence in PARAGRAPHS:
            assert sentence in body
        assert biography[:40] not in body


def test_other_stories_headlines_in_capitals_between_paragraphs_are_not_the_story() -> None:
    # A link in capitals alone in a paragraph is another story's headline or an app promotion;
    # a short linked acronym and a paragraph in capitals that links nowhere are the story's.
    warning = "LA FEDERACIÓN ADVIERTE QUE LA HUELGA SERÁ POR TIEMPO INDEFINIDO SI NO HAY RESPUESTA"
    raw = page(ARTICLE_HEAD, "<main><article><h1>Docentes marchan en Asunción</h1>"
                             f"<p>{PARAGRAPHS[0]}</p>"
                             "<p><strong><a href='/pais/2026/11/choferes-paro/'>CHOFERES DE BUSES ANUNCIAN UN PARO "
                             "DE 24 HORAS</a></strong></p>"
                             f"<p>{PARAGRAPHS[1]}</p><p><a href='/tags/mec/'>MEC</a></p><p>{warning}</p>"
                             "<p><a href='https://diario.example/app/'>CLICK HERE TO GET THE DIARIO APP</a></p>"
                             f"<p>{PARAGRAPHS[2]}</p></article></main>")
    body = process_page(raw, URL).article.body
    for sentence in (*PARAGRAPHS, warning):
        assert sentence in body
    assert "CHOFERES DE BUSES" not in body and "CLICK HERE" not in body


def test_steps_of_a_script_rendered_how_to_come_from_its_json_ld() -> None:
    # The page's shell shows a headline and an empty app root; the steps exist only as the
    # schema.org HowTo the template embeds (no articleBody), which trafilatura reads as a last resort.
    steps = [
        "Meça o diâmetro da mesa de ponta a ponta, passando pelo centro, e some duas vezes a altura "
        "que a toalha deve cair de cada lado.",
        "Dobre o tecido ao meio duas vezes, marque um quarto de círculo com um barbante preso a um lápis "
        "e corte as quatro camadas juntas.",
        "Faça a bainha com um ponto reto a meio centímetro da borda e passe a ferro antes de colocar na mesa.",
    ]
    how_to = {"@context": "https://schema.org", "@type": "HowTo", "name": "Como fazer uma toalha de mesa redonda",
              "step": [{"@type": "HowToStep", "position": i + 1, "text": f"<p>{text}</p>"}
                       for i, text in enumerate(steps)]}
    raw = page("<title>Como fazer uma toalha de mesa redonda | Casa & Jeito</title>" + json_ld(how_to),
               "<header><a href='/'>Casa &amp; Jeito</a></header><main><h1>Como fazer uma toalha de mesa redonda</h1>"
               "<div id='app-root' data-state='loading'></div></main>"
               "<script>window.__APP__ = {page: 'diy'};</script>")
    article = process_page(raw, "https://casaejeito.example/diy/toalha-redonda").article
    for step in steps:
        assert step in article.body


STANDFIRST = ("El gremio docente entregó un petitorio de doce puntos en el Congreso y anunció una huelga de 48 "
              "horas si no hay respuesta antes del viernes")


@pytest.mark.parametrize(("shown", "share_buttons", "description", "opening"), [
    (True, 0, STANDFIRST, STANDFIRST + "\n" + PARAGRAPHS[0]),
    # A share bar of a block per network between the headline and the standfirst.
    (True, 12, STANDFIRST, STANDFIRST + "\n" + PARAGRAPHS[0]),
    # A description that runs on past the standfirst the page shows.
    (True, 0, STANDFIRST + ". La marcha recorrió el centro de la capital.", STANDFIRST + "\n" + PARAGRAPHS[0]),
    (False, 0, STANDFIRST, PARAGRAPHS[0]),  # a description the page does not show is not the story's text
])
def test_standfirst_under_the_headline_opens_the_body(shown: bool, share_buttons: int, description: str,
                                                      opening: str) -> None:
    # The "bajada" sits in the story's header, outside the <article> of the paragraphs, and the
    # template repeats it as the page's description; the title stays out of the body.
    share_bar = "".join(f"<div class='share__item'><div class='share__icon'><a href='https://red{i}.example/s'>Red {i}"
                        "</a></div></div>" for i in range(share_buttons))
    raw = page(ARTICLE_HEAD + f"<meta property='og:description' content='{description}'>",
               "<main><header class='story-header'><span class='kicker'>Educación</span>"
               f"<h1>Docentes marchan en Asunción</h1><div class='share'>{share_bar}</div>"
               + (f"<h2 class='story-header__subheadline'>{STANDFIRST}</h2>" if shown else "") +
               "<div class='byline'>Por <a href='/autor/mbenitez'>María Benítez</a> | 18 de noviembre de 2026</div>"
               "</header><div class='story-share'><a href='https://facebook.example/share'>Compartir</a></div>"
               f"<article class='story'><div class='story-body'>{BODY_HTML}</div></article></main>")
    body = process_page(raw, URL).article.body
    assert body.startswith(opening)
    assert "Docentes marchan en Asunción" not in body


def test_standfirst_is_found_under_the_story_headline_when_the_logo_is_an_h1_too() -> None:
    # The site menu between the logo's <h1> and the story is longer than the standfirst search.
    raw = page(ARTICLE_HEAD + f"<meta property='og:description' content='{STANDFIRST}'>",
               "<header class='site'><h1 class='logo'><a href='/'>Diario del Paraguay</a></h1>"
               + "".join(f"<div class='menu-item'><a href='/seccion-{i}'>Sección {i}</a></div>" for i in range(80))
               + "</header><main><header class='story-header'><h1>Docentes marchan en Asunción</h1>"
               f"<p class='bajada'>{STANDFIRST}</p></header>"
               f"<article class='story'><div class='story-body'>{BODY_HTML}</div></article></main>")
    body = process_page(raw, URL).article.body
    assert body.startswith(STANDFIRST + "\n")


SECTION_TEASERS = [
    ("Maestros rurales anuncian paro de 72 horas desde el lunes",
     "La federación de maestros rurales de La Paz rechazó la propuesta salarial del ministerio y convocó a un paro "
     "de tres días en todas las unidades educativas del departamento."),
    ("Transportistas bloquean la carretera a Oruro por el precio del diésel",
     "Los choferes del transporte pesado cerraron el paso en Caracollo y advierten que ampliarán la medida a otras "
     "rutas si no se normaliza la provisión de combustible."),
    ("La Asamblea aprueba en grande la ley de tierras entre protestas",
     "Organizaciones campesinas se concentraron en la plaza Murillo mientras los legisladores debatían el proyecto, "
     "que pasará ahora a la Cámara de Senadores."),
    ("Gremiales de El Alto marchan contra el nuevo impuesto municipal",
     "Comerciantes de la feria 16 de Julio recorrieron la avenida principal de la ciudad y exigieron al alcalde que "
     "retire la ordenanza aprobada la semana pasada."),
    ("El Gobierno convoca al diálogo a los cooperativistas mineros",
     "El ministro de Minería invitó a los dirigentes a una reunión el jueves en Potosí para tratar las concesiones y "
     "el régimen de regalías que reclaman desde hace meses."),
    ("Vecinos de Cochabamba exigen agua potable frente a la gobernación",
     "Más de un centenar de vecinos de la zona sur llegaron con bidones vacíos a la plaza 14 de Septiembre para "
     "pedir la conclusión de la obra de aducción prometida."),
    ("Universitarios toman el rectorado de la UMSA en reclamo por el presupuesto",
     "Los estudiantes ocupan el edificio central desde la madrugada y piden que el Tesoro desembolse los recursos "
     "comprometidos para el segundo semestre académico."),
    ("Trabajadores en salud cumplen el segundo día de huelga",
     "Médicos y enfermeras de los hospitales de tercer nivel mantienen la atención solo en emergencias mientras "
     "esperan una respuesta del Ministerio de Salud a su pliego."),
    ("Productores de leche denuncian precios por debajo del costo",
     "Los lecheros del altiplano advierten con derramar su producción en la carretera si la planta estatal no "
     "revisa el precio que paga por litro desde enero."),
    ("Oposición presenta un proyecto para adelantar las elecciones judiciales",
     "Los diputados de la bancada opositora entregaron la propuesta en la presidencia de la Cámara y piden que sea "
     "tratada antes del receso legislativo de fin de año."),
]


def section_front(head: str) -> bytes:
    """The "Política" section of an outlet: a header, a stack of teaser cards, a footer."""
    cards = "".join(
        f"<article class='card'><span class='kicker'>Política</span><h2 class='card-title'>"
        f"<a href='/politica/{i:03d}-nota.html'>{headline}</a></h2><p class='card-summary'>{summary}</p>"
        f"<time datetime='2026-11-1{i % 10}T0{i % 10}:00:00-04:00'>1{i % 10} de noviembre</time></article>"
        for i, (headline, summary) in enumerate(SECTION_TEASERS))
    return page(head, "<header><a href='/'>La Voz del Altiplano</a><nav><a href='/politica'>Política</a>"
                      "<a href='/economia'>Economía</a><a href='/deportes'>Deportes</a></nav></header>"
                      f"<main><h1 class='section-title'>Política</h1><div class='stream'>{cards}</div>"
                      "<a class='more' href='/politica?page=2'>Ver más noticias</a></main>"
                      "<footer><p>© 2026 La Voz del Altiplano. Todos los derechos reservados.</p></footer>")


@pytest.mark.parametrize("head", [
    # What section fronts say about themselves: a website, a collection page, or just the outlet's name.
    "<title>La Voz del Altiplano</title><meta property='og:type' content='website'>"
    "<meta property='og:site_name' content='La Voz del Altiplano'>",
    "<title>Política | La Voz del Altiplano</title><meta property='og:site_name' content='La Voz del Altiplano'>"
    + json_ld({"@context": "https://schema.org", "@type": "CollectionPage", "name": "Política",
               "url": "https://lavozdelaltiplano.example/politica"}),
    "<title>La Voz del Altiplano - Noticias de Bolivia</title>"
    "<meta property='og:site_name' content='La Voz del Altiplano'>",
])
def test_a_section_front_is_a_listing_page_not_an_article(head: str) -> None:
    with pytest.raises(Dropped) as dropped:
        process_page(section_front(head), "https://lavozdelaltiplano.example/politica")
    assert dropped.value.reason == "listing-page"


def test_a_story_with_many_related_headlines_is_still_an_article() -> None:
    related = "".join(f"<li><h3><a href='/pais/nota-{i}'>{headline}</a></h3></li>"
                      for i, (headline, _) in enumerate(SECTION_TEASERS))
    raw = page(ARTICLE_HEAD + "<meta property='og:type' content='website'>",
               f"<main><article><h1>Docentes marchan en Asunción</h1>{BODY_HTML}</article>"
               f"<aside><h2>Más noticias</h2><ul>{related}</ul></aside></main>")
    article = process_page(raw, URL).article
    assert article.title == "Docentes marchan en Asunción" and PARAGRAPHS[0] in article.body
