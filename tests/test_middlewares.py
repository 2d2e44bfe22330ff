from datetime import datetime, timezone

import pytest

from crawlers.discovery import looks_like_article_url, robots_sitemaps
from crawlers.middlewares import retry_delay
from crawlers.state import Validators, conditional_headers

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("header", "attempt", "expected"),
    [
        ("7", 0, 7.0),  # seconds, as the server asks
        ("Fri, 27 Nov 2026 12:00:30 GMT", 0, 30.0),  # an HTTP date
        ("Fri, 27 Nov 2026 11:00:00 GMT", 0, 0.0),  # already past
        (None, 0, 2.0), (None, 1, 4.0), (None, 3, 16.0),  # exponential backoff
        ("soon", 2, 8.0),  # nonsense: backoff
        ("3600", 0, 120.0),  # capped
    ],
)
def test_retry_delay(header, attempt, expected) -> None:
    assert retry_delay(header, attempt, base=2.0, cap=120.0, now=NOW) == expected


def test_conditional_headers() -> None:
    assert conditional_headers(None) == {}
    assert conditional_headers(Validators('"abc"', "Wed, 25 Nov 2026 10:00:00 GMT")) == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Wed, 25 Nov 2026 10:00:00 GMT",
    }


def test_robots_sitemaps() -> None:
    robots = b"User-agent: *\nDisallow: /admin/\nSitemap: https://x.example/sitemap.xml\nsitemap: https://x.example/news-sitemap.xml\n"
    assert robots_sitemaps(robots) == ["https://x.example/sitemap.xml", "https://x.example/news-sitemap.xml"]
    assert robots_sitemaps(robots, news_only=True) == ["https://x.example/news-sitemap.xml"]


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://elcomercio.pe/peru/paro-agrario-en-ica-noticia/", True),
        ("https://g1.globo.com/go/goias/noticia/2026/11/18/greve-de-professores.ghtml", True),
        ("https://www.eltiempo.com/colombia/otras-ciudades/paro-nacional-en-cali-3301234", True),
        ("https://www.pagina12.com.ar/2026/11/20/marcha-federal/", True),
        ("https://elcomercio.pe/politica/", False),
        ("https://elcomercio.pe/tag/protestas/", False),
        ("https://elcomercio.pe/autor/rosa-huaman/", False),
        ("https://elcomercio.pe/", False),
        ("https://elcomercio.pe/static/logo.png", False),
    ],
)
def test_article_like_urls(url: str, article: bool) -> None:
    assert looks_like_article_url(url) is article


def _meta_refresh_middleware():
    from scrapy.utils.test import get_crawler

    from crawlers.middlewares import QuickMetaRefreshMiddleware

    return QuickMetaRefreshMiddleware.from_crawler(get_crawler(settings_dict={"METAREFRESH_ENABLED": True}))


def test_meta_refresh_redirect_is_still_followed() -> None:
    from scrapy import Request
    from scrapy.http import HtmlResponse

    page = (b'<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; url=/nota/2026/11/paro-nacional.html">'
            b"</head><body>Redirigiendo...</body></html>")
    request = Request("https://diario.example/n/123")
    answer = _meta_refresh_middleware().process_response(
        request, HtmlResponse(request.url, body=page, headers={"Content-Type": "text/html; charset=utf-8"}, request=request))
    assert isinstance(answer, Request)
    assert answer.url == "https://diario.example/nota/2026/11/paro-nacional.html"


def test_page_without_meta_refresh_passes_untouched() -> None:
    from scrapy import Request
    from scrapy.http import HtmlResponse

    request = Request("https://diario.example/nota/1.html")
    response = HtmlResponse(request.url, body=b"<html><head><title>Paro</title></head><body>" + b"x" * 50_000
                            + b"</body></html>", headers={"Content-Type": "text/html"}, request=request)
    assert _meta_refresh_middleware().process_response(request, response) is response


def test_declared_charset_check() -> None:
    from crawlers.spiders.base import CHARSET_SAMPLE_BYTES, decodes_as

    spanish = "<p>Protesta en Asunción: los manifestantes bloquearon la ruta.</p>"
    assert decodes_as(spanish.encode("utf-8"), "utf-8")
    assert not decodes_as(spanish.encode("latin-1"), "utf-8")  # a Latin-1 page served as UTF-8
    assert decodes_as(spanish.encode("latin-1"), "iso-8859-1")
    assert not decodes_as(b"<p>x</p>", "no-such-charset")
    # A two-byte letter cut by the sample's end is not an error.
    cut = b"a" * (CHARSET_SAMPLE_BYTES - 1) + "ñ".encode("utf-8") + b" resto"
    assert decodes_as(cut, "utf-8")


def test_a_crawl_without_protest_only_logs_no_disabled_stage(caplog) -> None:
    """The relevance stage is off by default: the crawl says nothing about it (issue 18)."""
    import logging

    from scrapy.pipelines import ItemPipelineManager
    from scrapy.utils.test import get_crawler

    from crawlers import settings as protestwire_settings

    crawler = get_crawler(settings_dict={"ITEM_PIPELINES": {"crawlers.pipelines.RelevancePipeline": 300}})
    with caplog.at_level(logging.INFO):
        manager = ItemPipelineManager.from_crawler(crawler)
    assert manager.middlewares == ()
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "RelevancePipeline" in r.getMessage()
                and "Disabled" in r.getMessage()]
    assert "crawlers.pipelines.RelevancePipeline" in protestwire_settings.ITEM_PIPELINES


def test_the_first_page_waits_for_starting_workers_without_blocking_the_event_loop(monkeypatch) -> None:
    """While the extraction workers start (seconds on a loaded machine) the first page waits for
    them, and the event loop goes on: a blocked loop let a slow page's response beat its download
    timeout, so the timeout went uncounted (tests/test_crawl_faults.py under load)."""
    import asyncio
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from scrapy.utils.test import get_crawler

    from crawlers import pipelines
    from crawlers.items import ArticleItem
    from tests import faulty_site

    workers_may_start = threading.Event()

    class SlowStartingPool(ProcessPoolExecutor):
        def _spawn_process(self) -> None:  # a forkserver still warming up
            workers_may_start.wait()
            super()._spawn_process()

    monkeypatch.setattr(pipelines, "ProcessPoolExecutor", SlowStartingPool)
    # Lets a blocked loop go on after a while, so that the test fails rather than hangs.
    timer = threading.Timer(5, workers_may_start.set)
    timer.daemon = True
    timer.start()
    pipeline = pipelines.ProcessPipeline.from_crawler(
        get_crawler(settings_dict={"PROTESTWIRE_EXTRACT_WORKERS": 1, "PROTESTWIRE_CAPTURE": False}))
    path, (title, published, paragraphs) = faulty_site.LATIN1
    page = faulty_site.article(path, title, published, paragraphs).replace("{{BASE}}", "https://quebrada.example")
    item = ArticleItem("quebrada-pe", "https://quebrada.example" + path, page.encode("utf-8"), "text/html")

    async def first_page() -> tuple[bool, ArticleItem]:
        pipeline.open_spider()
        processing = asyncio.ensure_future(pipeline.process_item(item))
        await asyncio.sleep(0)  # process_item runs up to its first wait here
        loop_went_on = not workers_may_start.is_set()
        workers_may_start.set()
        return loop_went_on, await processing

    try:
        loop_went_on, processed = asyncio.run(first_page())
    finally:
        timer.cancel()
        pipeline.close_spider()
    assert loop_went_on
    assert processed.article is not None and processed.article.title == title
