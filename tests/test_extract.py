"""Extraction on the replay outlets' pages (written by us on real templates) and on bad input."""

from datetime import date

import pytest

from pipeline import process_page
from pipeline.extract.dates import DATE_CONFIDENCE
from pipeline.extract.page import ExtractOptions, extract_article
from pipeline.types import Dropped, FeedHints
from tests.conftest import ExpectedArticle, expected_articles

CASES = expected_articles()


def url_of(case: ExpectedArticle) -> str:
    return "http://127.0.0.1:8000" + case.path


def process(case: ExpectedArticle):
    raw = case.page_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:8000")
    return process_page(raw, url_of(case), content_type=f"text/html; charset={case.site.charset}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.case_id)
def test_title_language_and_date(case: ExpectedArticle) -> None:
    article = process(case).article
    assert article.title == case.fields["title"]
    assert article.language == case.fields["language"]
    assert article.published is not None, "no publication date found"
    # The expected day is the outlet's local day; UTC may be the next day for late-evening stories.
    local_day = date.fromisoformat(case.fields["published"])
    if not article.published_offset_minutes:  # no offset, or UTC ("Z"): not the outlet's own clock
        assert 0 <= (article.published.date() - local_day).days <= 1
    else:  # the page gave its local offset: its own calendar day comes back exactly
        assert article.to_json()["published_local"][:10] == local_day.isoformat()
    assert article.published_source in DATE_CONFIDENCE
    assert article.published_confidence is not None and 0.5 <= article.published_confidence <= 1.0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.case_id)
def test_body_has_the_article_and_not_the_page_furniture(case: ExpectedArticle) -> None:
    body = process(case).article.body
    for sentence in case.fields["body_contains"]:
        assert sentence in body
    for furniture in case.fields["body_excludes"]:
        assert furniture not in body


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.case_id)
def test_protest_relevance(case: ExpectedArticle) -> None:
    record = process(case)
    assert record.assessment.protest is case.fields["protest"], record.assessment.signals


def test_canonical_url_comes_from_the_page() -> None:
    case = next(c for c in CASES if c.site.id == "andes-report-cl")
    article = extract_article(case.page_bytes().replace(b"{{BASE}}", b"https://andes.example"),
                              "https://andes.example" + case.path + "?utm_source=rss")
    assert article.canonical_url == "https://andes.example" + case.path


@pytest.mark.parametrize(("outlet_domains", "believed"), [
    ((), False),  # another domain, not known to be the outlet's: copied template or syndication
    (("andes.example", "andesreport.example"), True),  # the outlet's other registered domain
])
def test_canonical_url_on_another_domain_is_believed_only_on_the_outlets_domains(
        outlet_domains: tuple[str, ...], believed: bool) -> None:
    case = next(c for c in CASES if c.site.id == "andes-report-cl")
    page = case.page_bytes().replace(b"{{BASE}}", b"https://www.andesreport.example")
    url = "https://amp.andes.example" + case.path
    article = extract_article(page, url, feed=FeedHints(outlet_domains=outlet_domains))
    assert article.canonical_url == ("https://www.andesreport.example" + case.path if believed else url)


def test_latin1_page_is_decoded_from_its_declared_charset() -> None:
    case = next(c for c in CASES if c.site.charset.lower() == "iso-8859-1")
    article = extract_article(case.page_bytes(), url_of(case), content_type="text/html")  # header without charset
    assert "\ufffd" not in article.body and "Ã" not in article.body
    assert any(ch in article.body for ch in "áéíóúñ")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"<html><body><nav><a href='/'>Inicio</a></nav></body></html>", "no-text"),
        (b"<html><head><title>x</title></head><body><p>" + b"corto " * 5 + b"</p></body></html>", "no-text"),
    ],
)
def test_pages_without_an_article_are_dropped_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Dropped) as dropped:
        extract_article(raw, "https://x.example/a")
    assert dropped.value.reason == reason


def test_huge_pages_are_dropped_before_parsing() -> None:
    with pytest.raises(Dropped) as dropped:
        extract_article(b"<p>" + b"a" * 2000 + b"</p>", "https://x.example/a", options=ExtractOptions(max_html_bytes=1000))
    assert dropped.value.reason == "too-large"


def test_malformed_html_still_yields_text() -> None:
    paragraph = "Los manifestantes marcharon por la avenida principal exigiendo respuestas del gobierno. "
    broken = ("<html><head><title>Marcha en Lima</title><body><div><p>" + paragraph * 4 + "<p><b>" + paragraph * 2
              + "</div></span></table>").encode()
    article = extract_article(broken, "https://x.example/marcha")
    assert article.title == "Marcha en Lima"
    assert "manifestantes marcharon" in article.body


def test_dropped_keeps_its_reason_across_processes() -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(Dropped("no-text", "https://x.example/a has 12 characters")))
    assert (copy.reason, copy.detail) == ("no-text", "https://x.example/a has 12 characters")


def test_page_in_windows_1252_that_declares_no_charset_keeps_its_accents() -> None:
    # An old outlet's template: no <meta charset>, no charset in the HTTP header, Latin-1 bytes.
    # Browsers read such pages as Windows-1252; decoding them as UTF-8 turned every accent into U+FFFD.
    paragraph = ("Más de dos mil campesinos marcharon este martes desde Quillacollo hasta la plaza 14 de Septiembre "
                 "para exigir la reparación de los caminos dañados por las lluvias. “No queremos más promesas”, "
                 "dijo el dirigente Ramón Quiñones ante la Gobernación.")
    raw = ("<html><head><title>Marcha campesina en Cochabamba</title></head><body><h1>Marcha campesina en "
           f"Cochabamba</h1><p>{paragraph}</p><p>{paragraph}</p></body></html>").encode("cp1252")
    article = extract_article(raw, "https://x.example/marcha", content_type="text/html")
    assert paragraph in article.body
