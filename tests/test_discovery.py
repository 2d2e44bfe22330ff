import gzip

import pytest

from crawlers.discovery import parse_feed, parse_sitemap

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Folha do Planalto</title><link>https://folha.example/</link><language>pt-BR</language>
<item><title>Professores entram em greve</title><link>https://folha.example/2026/11/greve/</link>
<pubDate>Wed, 18 Nov 2026 09:30:00 -0300</pubDate><dc:creator>Marina Souza</dc:creator></item>
<item><title>Sem link</title></item>
<item><title>Relativo</title><link>/2026/11/relativo/</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>La Voz del Cauca</title><id>urn:voz</id>
<updated>2026-11-20T10:00:00-05:00</updated>
<entry><title>Minga indígena en la Panamericana</title><id>urn:1</id>
<link rel="alternate" href="https://voz.example/minga"/><published>2026-11-20T10:00:00-05:00</published>
<updated>2026-11-20T11:00:00-05:00</updated><author><name>Redacción</name></author></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://andino.example/peru/paro-agrario-noticia/</loc><news:news>
<news:publication><news:name>El Observador Andino</news:name><news:language>es</news:language></news:publication>
<news:publication_date>2026-11-20T14:00:00Z</news:publication_date><news:title>Paro agrario en Ica</news:title>
</news:news></url>
<url><loc>https://andino.example/deportes/</loc><lastmod>2026-11-19</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://altiplano.example/sitemap-news.xml</loc></sitemap>
<sitemap><loc>https://altiplano.example/sitemap-2025.xml</loc></sitemap>
</sitemapindex>"""


def test_rss_items_become_article_links_with_hints() -> None:
    result = parse_feed(RSS.encode(), "https://folha.example/feed/")
    assert result.error is None
    assert [a.url for a in result.articles] == [
        "https://folha.example/2026/11/greve/", "https://folha.example/2026/11/relativo/"
    ]
    hints = result.articles[0].hints
    assert hints.title == "Professores entram em greve"
    assert hints.published == "2026-11-18T12:30:00+00:00"
    assert hints.author == "Marina Souza"
    assert hints.language == "pt"


def test_atom_entries_are_read() -> None:
    result = parse_feed(ATOM.encode(), "https://voz.example/feeds/ultimas.atom")
    assert [a.url for a in result.articles] == ["https://voz.example/minga"]
    assert result.articles[0].hints.published == "2026-11-20T15:00:00+00:00"


@pytest.mark.parametrize("body", [b"", b"<html><body>404</body></html>", b"\x00\xff garbage", b"<rss><channel><item>"])
def test_malformed_feeds_report_an_error_instead_of_raising(body: bytes) -> None:
    result = parse_feed(body, "https://x.example/feed")
    assert result.articles == []
    assert result.error


def test_news_sitemap_gives_urls_with_titles_dates_and_language() -> None:
    result = parse_sitemap(URLSET)
    assert result.error is None
    first, second = result.articles
    assert first.url == "https://andino.example/peru/paro-agrario-noticia/"
    assert first.hints.title == "Paro agrario en Ica"
    assert first.hints.published == "2026-11-20T14:00:00Z"
    assert first.hints.language == "es"
    assert second.hints.published == "2026-11-19"


def test_sitemap_index_lists_child_sitemaps() -> None:
    result = parse_sitemap(INDEX)
    assert result.articles == []
    assert result.sitemaps == ["https://altiplano.example/sitemap-news.xml", "https://altiplano.example/sitemap-2025.xml"]


def test_gzipped_sitemaps_are_inflated() -> None:
    assert len(parse_sitemap(gzip.compress(URLSET)).articles) == 2


@pytest.mark.parametrize(
    "body", [b"", b"not xml at all", b"<html><body>Not found</body></html>", b"\x1f\x8b broken gzip"]
)
def test_malformed_sitemaps_report_an_error(body: bytes) -> None:
    result = parse_sitemap(body)
    assert result.articles == [] and result.error


def test_entities_are_not_expanded() -> None:
    hostile = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&e;</loc></url></urlset>"""
    for article in parse_sitemap(hostile).articles:
        assert "root:" not in article.url


def test_real_latin1_feed_without_declaration_is_decoded(shared_corpora) -> None:
    """UOL's feed is ISO-8859-1 bytes with no XML declaration; titles must keep their accents."""
    body = (shared_corpora / "feeds/rss-parser/input/uolNoticias.rss").read_bytes()
    result = parse_feed(body, "https://noticias.uol.com.br/", "application/rss+xml; charset=ISO-8859-1")
    assert len(result.articles) == 15
    titles = " ".join(a.hints.title for a in result.articles)
    assert "\ufffd" not in titles and "ç" in titles


@pytest.mark.parametrize(
    "name",
    ["rss-parser/input/encoding.rss", "rss-parser/input/guardian.rss", "mediacloud-rss-fetcher/real-cnn.rss",
     "mediacloud-rss-fetcher/real-korean-times.rss", "feed-rs/rss_2.0_nbcny.xml"],
)
def test_real_feeds_yield_links(shared_corpora, name: str) -> None:
    result = parse_feed((shared_corpora / "feeds" / name).read_bytes(), "https://example.org/feed")
    assert result.articles and all(a.url.startswith("http") for a in result.articles)


def test_real_news_sitemap(shared_corpora) -> None:
    result = parse_sitemap((shared_corpora / "feeds/crawler-commons/shinpaideshou-news-sitemap.xml").read_bytes())
    assert len(result.articles) == 3
    assert result.articles[0].hints.title == "Job Opening: Reischauer Policy Research Fellow"
