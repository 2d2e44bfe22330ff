"""Publication dates: each place a date can come from, the fallbacks, the clock, and a page with none.

Every page here is written for the test (es/pt/en templates of the kinds outlets use).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from pipeline.extract.date_text import parse_date_text
from pipeline.extract.dates import DateOptions, decide_dates
from pipeline.extract.page import read_page
from pipeline.types import FeedHints

STORY = "<p>" + "Los manifestantes marcharon por la avenida central hasta la plaza. " * 6 + "</p>"


OTHER_STORY = ('<nav><ul><li><a href="/otra">Otra nota</a> <time datetime="2019-01-02T10:00:00-03:00">2/1/2019'
               '</time></li></ul></nav>')


def page(head: str = "", header: str = "", body: str = STORY, lang: str = "es", nav: str = OTHER_STORY) -> str:
    return (f'<html lang="{lang}"><head><title>Marcha docente en el centro</title>{head}</head><body>'
            f'{nav}<article><h1>Marcha docente en el centro de la ciudad</h1>{header}{body}</article>'
            f'<footer>© 2009-2025 Diario Ejemplo. Todos los derechos reservados.</footer></body></html>')


def dates_of(html: str, url: str = "https://diario.example/politica/marcha-docente", **kwargs):
    return decide_dates(*read_page(html), url, html=html, **kwargs)


def local_day(result) -> date:
    offset = timedelta(minutes=result.published_offset_minutes or 0)
    return result.published.astimezone(timezone(offset)).date()


def test_json_ld_beats_meta_and_keeps_its_offset() -> None:
    html = page(head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Marcha",'
                     ' "datePublished": "2025-11-21T22:15:00-03:00", "dateModified": "2025-11-22T09:00:00-03:00"}'
                     '</script><meta property="article:published_time" content="2025-11-20T10:00:00Z">')
    result = dates_of(html)
    assert result.published_source == "json-ld"
    assert result.published == datetime(2025, 11, 22, 1, 15, tzinfo=timezone.utc)
    assert result.published_offset_minutes == -180 and local_day(result) == date(2025, 11, 21)
    assert result.modified == datetime(2025, 11, 22, 12, 0, tzinfo=timezone.utc)
    assert result.modified_source == "json-ld"
    assert result.published_confidence == 0.95


def test_meta_tag_in_utc_is_moved_to_the_newsroom_clock_of_the_country_domain() -> None:
    html = page(head='<meta property="article:published_time" content="2025-11-22T01:30:00Z">')
    result = dates_of(html, "https://www.diario.com.ar/sociedad/marcha")
    assert result.published_source == "meta"
    assert result.published_offset_minutes == -180
    assert local_day(result) == date(2025, 11, 21)  # 22:30 in Buenos Aires


def test_registry_country_wins_over_a_generic_domain() -> None:
    html = page(head='<meta property="article:published_time" content="2025-11-22T01:30:00Z">')
    result = dates_of(html, "https://noticias.example.com/marcha", feed=FeedHints(country="MX"))
    assert result.published_offset_minutes == -360 and local_day(result) == date(2025, 11, 21)


def test_zoneless_time_is_the_newsroom_wall_clock_and_keeps_its_day() -> None:
    html = page(head='<meta property="article:published_time" content="2025-5-5 22:17:36">')
    result = dates_of(html, "https://www.diario.com.co/marcha")
    assert local_day(result) == date(2025, 5, 5)
    assert result.published_offset_minutes == -300


def test_article_time_element_not_the_related_list_one() -> None:
    html = page(header='<p class="byline">Por Ana Pérez <time datetime="2025-11-21T08:15:00-04:00">'
                       '21 de noviembre</time></p>')
    result = dates_of(html)
    assert result.published_source == "time-element"
    assert local_day(result) == date(2025, 11, 21)


def test_generic_date_meta_yields_to_the_printed_byline_date() -> None:
    # <meta name="date"> is often the page's last change; the byline shows the publication day.
    html = page(head='<meta name="date" content="2025-11-24T11:52:23">',
                header='<div class="meta"><span>Por Ana Pérez</span><span>21/11/2025 - 10:30</span></div>')
    assert local_day(dates_of(html)) == date(2025, 11, 21)
    alone = dates_of(page(head='<meta name="date" content="2025-11-24T11:52:23">'))
    assert alone.published_source == "meta" and local_day(alone) == date(2025, 11, 24)


def test_feed_date_when_the_page_has_no_metadata_date() -> None:
    result = dates_of(page(), feed=FeedHints(published="Fri, 21 Nov 2025 13:00:00 -0300"))
    assert result.published_source == "feed" and local_day(result) == date(2025, 11, 21)


@pytest.mark.parametrize("line, lang, day", [
    ("Publicado el viernes 21 de noviembre de 2025 | 10:30", "es", date(2025, 11, 21)),
    ("21/11/2025 - 10:30", "es", date(2025, 11, 21)),
    ("Publicado em 3 de dezembro de 2025 às 14h05", "pt", date(2025, 12, 3)),
    ("November 4, 2025 at 4:38 PM", "en", date(2025, 11, 4)),
    ("11/04/2025", "en", date(2025, 11, 4)),
])
def test_byline_date_printed_under_the_headline(line: str, lang: str, day: date) -> None:
    html = page(header=f'<div class="meta"><span>Por Redacción</span><span>{line}</span></div>', lang=lang)
    result = dates_of(html)
    assert result.published_source == "byline" and local_day(result) == day


def test_updated_stamp_and_story_dates_are_not_the_byline_date() -> None:
    header = ('<div class="meta"><span>Actualizado el 30 de noviembre de 2025</span>'
              '<span>20 de noviembre de 2025</span></div>')
    body = "<p>" + "El conflicto empezó el 3 de marzo de 2024 y sigue sin solución a la vista. " * 3 + "</p>"
    result = dates_of(page(header=header, body=body + STORY))
    assert local_day(result) == date(2025, 11, 20)


def test_relative_date_counts_from_the_crawl_time() -> None:
    header = '<div class="meta"><span>Por Ana Souza</span><span>há 2 horas</span></div>'
    fetched = datetime(2025, 11, 21, 15, 0, tzinfo=timezone.utc)
    result = dates_of(page(header=header, lang="pt"), fetched_at=fetched)
    assert result.published_source == "crawl-time"
    assert result.published == datetime(2025, 11, 21, 13, 0, tzinfo=timezone.utc)
    assert dates_of(page(header=header, lang="pt")).published_source != "crawl-time"  # no anchor


def test_url_date_when_the_page_prints_none() -> None:
    result = dates_of(page(), "https://diario.example/2025/11/21/marcha-docente/")
    assert result.published_source == "url" and local_day(result) == date(2025, 11, 21)


def test_htmldate_reads_the_page_when_nothing_structured_is_there() -> None:
    body = STORY + STORY + '<p class="fecha">Fecha de publicación: 2025-11-19</p>'
    result = dates_of(page(body=body, nav=""), options=DateOptions(extensive_search=True))
    assert result.published_source == "html" and local_day(result) == date(2025, 11, 19)


def test_http_last_modified_is_the_last_resort() -> None:
    result = dates_of(page(body=STORY.replace("avenida", "calle")), last_modified="Sat, 22 Nov 2025 03:00:00 GMT",
                      options=DateOptions(extensive_search=False))
    assert result.published_source in ("http-header", "html")
    assert result.published_source != "http-header" or result.published_confidence <= 0.4


def test_utc_stamp_gets_the_clock_of_the_printed_byline_time() -> None:
    html = page(head='<meta property="article:published_time" content="2025-04-14T00:38:07Z">',
                header='<div class="meta"><span>Monday</span><span>Apr 13, 2025 at 4:38 PM</span></div>', lang="en")
    result = dates_of(html, "https://news.example.com/story")
    assert result.published_source == "meta"
    assert result.published_offset_minutes == -480 and local_day(result) == date(2025, 4, 13)


@pytest.mark.parametrize(("stamp", "header", "url", "day"), [
    # 02:18Z on the 18th under a byline dated the 17th: the evening of the 17th in the Americas.
    ("2025-02-18T02:18:11Z", '<p class="fecha">Redacción | 17 de febrero de 2025</p>',
     "https://noticias.example.com/espectaculos/nota", date(2025, 2, 17)),
    # No byline date, but the URL carries the day readers saw.
    ("2025-02-18T02:18:11Z", "", "https://noticias.example.com/2025/02/17/nota/", date(2025, 2, 17)),
    # 23:11Z on 31 December for a story dated 1 January: a clock east of UTC.
    ("2024-12-31T23:11:59Z", '<p class="fecha">1 de enero de 2025</p>', "https://blog.example.com/nota",
     date(2025, 1, 1)),
    # 10:04Z on the 9th under the 8th would need a clock 11 hours west: the stamp's UTC day stays.
    ("2025-07-09T10:04:04Z", "", "https://noticias.example.com/2025/07/08/nota/", date(2025, 7, 9)),
])
def test_utc_stamp_takes_the_day_the_page_prints_when_a_newsroom_clock_explains_it(
        stamp: str, header: str, url: str, day: date) -> None:
    result = dates_of(page(head=f'<meta property="article:published_time" content="{stamp}">', header=header), url)
    assert result.published == datetime.fromisoformat(stamp)  # the moment itself is unchanged
    assert local_day(result) == day


def test_utc_stamp_gets_the_clock_the_rest_of_the_page_is_written_on() -> None:
    # A US station's story in UTC, and its programme schedule in New York time.
    schedule = ('<script>var schedule = [{"show": "News at 11", "date": "Fri, 01 May 2020 23:00:00 -0400"},'
                ' {"show": "Morning", "date": "Sat, 02 May 2020 06:00:00 -0400"},'
                ' {"show": "Noon", "start": "2020-05-02T12:00:00-04:00"}];</script>')
    html = page(head='<meta property="article:published_time" content="2020-05-02T02:54:29.000Z">' + schedule,
                lang="en", nav="")
    result = dates_of(html, "https://station.example.com/traffic/penn-station-closes/6144149/")
    assert result.published == datetime(2020, 5, 2, 2, 54, 29, tzinfo=timezone.utc)
    assert result.published_offset_minutes == -240 and local_day(result) == date(2020, 5, 1)


def test_utc_stamp_stays_utc_when_the_page_clocks_disagree() -> None:
    stamps = ('<script>var items = [{"d": "2020-05-01T23:00:00-04:00"}, {"d": "2020-05-01T23:00:00+02:00"}];'
              '</script>')
    html = page(head='<meta property="article:published_time" content="2020-05-02T02:54:29Z">' + stamps,
                lang="en", nav="")
    result = dates_of(html, "https://station.example.com/story/6144149/")
    assert local_day(result) == date(2020, 5, 2)


@pytest.mark.parametrize(("byline", "source", "day"), [
    # Reworked and republished: the meta tag and the printed date agree on the new day.
    ('<p class="fecha">Por Ana Pérez | 15 de diciembre de 2025</p>', "meta", date(2025, 12, 15)),
    # The printed date agrees with JSON-LD: it stays the publication date.
    ('<p class="fecha">Por Ana Pérez | 6 de diciembre de 2024</p>', "json-ld", date(2024, 12, 6)),
    # No printed date to settle it: JSON-LD, first in the cascade.
    ('<p class="autor">Por Ana Pérez</p>', "json-ld", date(2024, 12, 6)),
])
def test_when_metadata_disagree_the_printed_date_settles_it(byline: str, source: str, day: date) -> None:
    html = page(head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Marcha docente",'
                     ' "datePublished": "2024-12-06T14:36:00-03:00"}</script>'
                     '<meta property="article:published_time" content="2025-12-15T09:13:00-03:00">',
                header=byline)
    result = dates_of(html)
    assert result.published_source == source and local_day(result) == day


@pytest.mark.parametrize(("json_ld_stamp", "meta_stamp", "moment"), [
    # The CMS wrote the newsroom's wall clock as UTC in JSON-LD; the meta tag has its real offset.
    ("2025-11-21T21:30:00Z", "2025-11-21T21:30:00-03:00", datetime(2025, 11, 22, 0, 30, tzinfo=timezone.utc)),
    # Offsets that differ on a different wall-clock time are not the same slip: JSON-LD stays.
    ("2025-11-21T21:30:00Z", "2025-11-21T20:30:00-03:00", datetime(2025, 11, 21, 21, 30, tzinfo=timezone.utc)),
])
def test_a_local_time_labelled_utc_gets_the_offset_its_twin_stamp_gives(
        json_ld_stamp: str, meta_stamp: str, moment: datetime) -> None:
    html = page(head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Marcha docente",'
                     f' "datePublished": "{json_ld_stamp}"}}</script>'
                     f'<meta property="article:published_time" content="{meta_stamp}">')
    result = dates_of(html)
    assert result.published == moment


def test_page_with_no_date() -> None:
    result = dates_of(page(body=STORY, nav=""))
    assert result.published is None and result.published_source is None
    assert result.published_confidence is None and result.modified is None


@pytest.mark.parametrize("text, expected", [
    ("2022-05-04T03:00:00 UTC", datetime(2022, 5, 4, 3, tzinfo=timezone.utc)),
    ("2020-12-05T23:15:0Z", datetime(2020, 12, 5, 23, 15, tzinfo=timezone.utc)),
    ("20200414T00:38:07Z", datetime(2020, 4, 14, 0, 38, 7, tzinfo=timezone.utc)),
    ("Wed, 04 May 2022 00:25:56 GMT", datetime(2022, 5, 4, 0, 25, 56, tzinfo=timezone.utc)),
    ("2020-09-25T16:02:50CDT", datetime(2020, 9, 25, 21, 2, 50, tzinfo=timezone.utc)),
    ("10/05/2022 05:22 pm", datetime(2022, 5, 10, 17, 22)),
    ("2022/05/10 17:36:11", datetime(2022, 5, 10, 17, 36, 11)),
])
def test_publisher_stamps_as_written(text: str, expected: datetime) -> None:
    reading = parse_date_text(text, day_first=True)
    assert reading is not None
    moment = reading.moment
    assert (moment.astimezone(timezone.utc) if moment.tzinfo else moment) == expected


@pytest.mark.parametrize("text", ["", "   ", "no es una fecha", "0000-00-00", "1970-01-01T00:00:00Z"])
def test_non_dates_and_placeholders_give_nothing(text: str) -> None:
    assert parse_date_text(text, day_first=True) is None
