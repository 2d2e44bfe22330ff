"""Publication and modification dates of a page: which moment, found where, how sure, on whose clock.

Pure: the page's metadata (``pipeline.extract.metadata``), its parsed tree, URL and the feed's hints in,
``PageDates`` out. Cascade for the publication date (the first place that gives one wins):
 1. JSON-LD ``datePublished`` of the article object, then publisher <meta> tags
    (``article:published_time``, ``pubdate``...), as read by ``pipeline.extract.metadata``; when these
    disagree, the one whose day the byline prints (a republished story keeps its first date in
    JSON-LD but shows the new one); a UTC stamp whose wall-clock time another stamp gives with a
    real offset takes that offset (local time labelled as UTC by the CMS);
 2. a <time datetime> in the article: ``itemprop="datePublished"``/``pubdate`` first, never one in
    a list, aside, nav or footer (those date other stories); a generic ``<meta name="date">``
    (often the last edit) comes after it and after the byline date (4);
 3. the feed item's date;
 4. a date printed just after the headline ("Publicado el viernes 21 de noviembre de 2025",
    "21/11/2025 - 10:30"; "há 2 horas" only when the crawl time is known), skipping
    "Actualizado"/"Updated" stamps and copyright lines;
 5. a date in the URL path (/2023/05/17/, /20230517/);
 6. htmldate's reading of the already-parsed tree (no second parse of the page);
 7. the HTTP Last-Modified header.
Then the clock: a time with an offset keeps it; a UTC ("Z") time is moved to the newsroom's zone
(the outlet's country from the sources registry, else the country-code domain) or, failing that,
to the offset implied by a time printed after the headline, or to the nearest offset that puts it
on the neighbouring day the byline or the URL shows, or to the offset the page's other zoned
timestamps (schedules, comments, related stories) mostly carry; a time without a zone is the newsroom's
wall-clock time, so its calendar day is kept as written. (The page's language or og:locale
region as a clock was tried and lost more days than it won on the date benchmark.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import dateparser
from htmldate import find_date
from lxml.html import HtmlElement

from pipeline.extract.date_text import (
    LANGUAGES, PRINTED_DATE, RELATIVE_DATE, DateReading, parse_date_text, read_printed_date, url_date,
)
from pipeline.extract.metadata import PageMetadata, headline_element
from pipeline.extract.timezones import country_from_url, newsroom_zone
from pipeline.types import FeedHints

# Trust in a publication date by where it was found, set from the date benchmark's hit rates
# (benchmarks/extraction.py, section 3): publisher metadata is right far more often than a date
# read from the page text, and a date in the URL or a Last-Modified header is often a later edit.
DATE_CONFIDENCE = {
    "json-ld": 0.95, "meta": 0.9, "time-element": 0.85, "feed": 0.85, "byline": 0.8, "crawl-time": 0.7,
    "url": 0.75, "html": 0.7, "http-header": 0.4,
}
# A date whose clock is unknown (no zone, no newsroom zone) may be a day off in the local calendar.
ZONELESS_PENALTY = 0.1
# Characters of page text after the headline searched for the byline date: byline, section and
# date lines of the es/pt/en templates in tests/ and the benchmark pages fit in ~300; 500 leaves
# room while staying clear of the story's own dates ("el pasado 11 de marzo").
BYLINE_WINDOW_CHARS = 500
# Words that, just before a date, mark it as something other than the publication date.
# Longest text line read as a byline or date line ("Por Ana Pérez | 21 de noviembre de 2025 -
# 10:30 hs | Lectura: 4 minutos" is ~70); longer lines are paragraphs and captions.
BYLINE_LINE_MAX_CHARS = 120
# Text lines after the headline that may hold its date: kicker, byline, date, reading time, share
# count... the pages we looked at had it within the first five; later lines are the story and
# the "more on this" lists with their own dates.
BYLINE_MAX_LINES = 8
_TRAP_WORDS = re.compile(
    r"(actualiza|atualiza|updated|modifica|editad|editado|©|copyright|\(c\))[^\d]{0,25}$", re.I
)


@dataclass(frozen=True, kw_only=True)
class DateOptions:
    # htmldate's extensive search (free-text dates anywhere on the page) when nothing better was
    # found: +1 page right and ~3 ms on the date benchmark; off means only its markup heuristics.
    extensive_search: bool = True
    # htmldate reads the page text again (one more parse, only for pages with no date in their
    # metadata, feed, byline or URL) rather than our pruned tree: on the date benchmark the pruned
    # tree (no scripts, no "related" boxes) cost 4 of the 40 pages that reach this step.
    htmldate_reparses: bool = True
    # Latest plausible publication date, for htmldate (None: today).
    max_date: date | None = None


DEFAULT_DATE_OPTIONS = DateOptions()


@dataclass(frozen=True, kw_only=True)
class PageDates:
    published: datetime | None = None
    published_source: str | None = None
    published_offset_minutes: int | None = None
    published_confidence: float | None = None
    modified: datetime | None = None
    modified_source: str | None = None

    def article_fields(self) -> dict[str, Any]:
        """The fields ``ExtractedArticle`` keeps."""
        return {
            "published": self.published, "published_source": self.published_source,
            "published_offset_minutes": self.published_offset_minutes,
            "published_confidence": self.published_confidence, "modified": self.modified,
            "modified_source": self.modified_source,
        }




def decide_dates(
    meta: PageMetadata,
    tree: HtmlElement | None,
    url: str,
    *,
    feed: FeedHints | None = None,
    html: str | None = None,
    fetched_at: datetime | None = None,
    last_modified: str | None = None,
    options: DateOptions = DEFAULT_DATE_OPTIONS,
) -> PageDates:
    """Published and modified datetimes (aware) of a page, with where each came from and the trust
    in the first. ``html`` (the page text) is for htmldate, the fallback; ``fetched_at`` anchors
    relative dates ("hace 3 horas"); ``last_modified`` (the HTTP header) is the last resort."""
    page = _Page(meta, tree, url, feed or FeedHints(), fetched_at)
    reading, source = _published_reading(page, html, last_modified, options)
    zone = newsroom_zone(page.feed.country or country_from_url(url))
    published, offset, confidence = None, None, None
    if reading is not None and source is not None:
        published, offset = on_newsroom_clock(reading, zone)
        if offset == 0 and zone is None and source not in ("byline", "crawl-time"):
            # UTC and no known newsroom: a local time printed by the headline gives the clock,
            # else the day printed there or written in the URL bounds it, else the clock the
            # page's other timestamps are written on.
            offset = (_offset_from_byline(published, page.byline())
                      or _offset_from_printed_day(published, _printed_days(page))
                      or page_clock_offset(html) or offset)
        confidence = round(DATE_CONFIDENCE[source] - (0.0 if offset is not None else ZONELESS_PENALTY), 2)
    modified_reading = parse_date_text(meta.modified, day_first=page.day_first)
    modified = on_newsroom_clock(modified_reading, zone)[0] if modified_reading else None
    return PageDates(
        published=published, published_source=source if published else None,
        published_offset_minutes=offset, published_confidence=confidence,
        modified=modified, modified_source=(meta.modified_source or "meta") if modified else None,
    )


class _Page:
    """What the cascade reads, with the byline dates worked out at most once, and only if asked."""

    def __init__(self, meta: PageMetadata, tree: HtmlElement | None, url: str, feed: FeedHints,
                 fetched_at: datetime | None) -> None:
        self.meta, self.tree, self.url, self.feed, self.fetched_at = meta, tree, url, feed, fetched_at
        self.language = (meta.language or feed.language or "").lower()[:2]
        self.day_first = self.language != "en"
        self._byline: list[tuple[DateReading, str]] | None = None
        self._candidates: list[tuple[DateReading, str]] | None = None

    def byline(self) -> list[tuple[DateReading, str]]:
        if self._byline is None:
            self._byline = _byline_dates(self.tree, self.meta.title, self.language, self.fetched_at)
        return self._byline

    def candidates(self) -> list[tuple[DateReading, str]]:
        """Every publication date the publisher's metadata give, read, with its source."""
        if self._candidates is None:
            self._candidates = [
                (reading, kind) for value, kind in self.meta.published_candidates
                if (reading := parse_date_text(value, day_first=self.day_first)) is not None
            ]
        return self._candidates


def _published_reading(page: _Page, html: str | None, last_modified: str | None,
                       options: DateOptions) -> tuple[DateReading | None, str | None]:
    """The publication date and its source, by the cascade in the module docstring."""
    meta, tree = page.meta, page.tree
    reading = parse_date_text(meta.published, day_first=page.day_first)
    source = (meta.published_source or "meta") if reading else None
    if source in (None, "meta-date") and tree is not None:
        # The article's own <time> (not a related list's), if any; it also beats a generic
        # <meta name="date">, often the last edit.
        element = parse_date_text(_article_time_element(tree), day_first=page.day_first)
        if element is not None or source != "meta-date":
            reading, source = element, "time-element" if element else None
    if source == "meta-date":
        return page.byline()[0] if page.byline() else (reading, "meta")
    if reading is not None:
        return _as_the_byline_shows(page, *_with_its_real_offset(page, reading, source))
    if reading := parse_date_text(page.feed.published, day_first=page.day_first):
        return reading, "feed"
    if page.byline():
        return page.byline()[0]
    if reading := url_date(page.url):
        return reading, "url"
    text_or_tree = html if html and (options.htmldate_reparses or tree is None) else tree
    if text_or_tree is not None and (reading := parse_date_text(_htmldate(text_or_tree, page.url, options),
                                                                day_first=False)):
        return reading, "html"
    if reading := parse_date_text(last_modified, day_first=False):
        return reading, "http-header"
    return None, None


def _with_its_real_offset(page: _Page, reading: DateReading, source: str) -> tuple[DateReading, str]:
    """The same wall-clock time under its real offset, when the publisher's stamps disagree only in
    that: "19:14:27Z" in JSON-LD beside "19:14:27+01:00" in a meta tag is the newsroom's local
    time labelled as UTC, a common CMS slip (the reverse, a real UTC time relabelled with a local
    offset, is rare). Seen on ~5% of the benchmark pages with two zoned stamps; the moment moves,
    the written day stays."""
    if reading.moment.utcoffset() != timedelta(0) or reading.day_only:
        return reading, source
    wall_clock = reading.moment.replace(tzinfo=None)
    for other, kind in page.candidates():
        if (kind != source and not other.day_only and other.moment.utcoffset() not in (None, timedelta(0))
                and other.moment.replace(tzinfo=None) == wall_clock):
            return other, _reported(kind)
    return reading, source


def _as_the_byline_shows(page: _Page, reading: DateReading, source: str) -> tuple[DateReading, str]:
    """The publisher's date that the byline agrees with, when its metadata give several: a
    republished or reworked story often keeps its first date in JSON-LD while its meta tag and
    the date printed under the headline show the new one, which is what readers see."""
    day = reading.moment.date()
    others = [(other, kind) for other, kind in page.candidates() if kind != source and other.moment.date() != day]
    if not others or not page.byline():  # they agree: the byline (~1 ms to find) is not needed
        return reading, source
    printed = page.byline()[0][0].moment.date()
    return next(((other, _reported(kind)) for other, kind in others if other.moment.date() == printed),
                (reading, source))


def _reported(kind: str) -> str:
    """The source name a metadata date is reported under (a generic <meta name="date"> is "meta")."""
    return "meta" if kind == "meta-date" else kind


# --- the clock ----------------------------------------------------------------------------------


def on_newsroom_clock(reading: DateReading, zone: tzinfo | None) -> tuple[datetime, int | None]:
    """(aware datetime, UTC offset in minutes of the publisher's clock, None when unknown).

    A time without a zone is wall-clock time in the newsroom (its day is kept as written); a bare
    date is put at noon there. A UTC time is moved to the newsroom's zone when that is known.
    """
    moment = reading.moment
    if reading.day_only:
        moment = datetime.combine(moment.date(), time(12))
    if moment.tzinfo is None:
        if zone is None:
            return moment.replace(tzinfo=timezone.utc), None
        moment = moment.replace(tzinfo=zone)
    elif zone is not None and moment.utcoffset() == timedelta(0):
        moment = moment.astimezone(zone)
    return moment, _minutes(moment.utcoffset())


def _minutes(offset: timedelta | None) -> int | None:
    return int(offset.total_seconds() // 60) if offset is not None else None


# Real-world UTC offsets lie between -12:00 and +14:00.
_OFFSET_RANGE = range(-12 * 60, 14 * 60 + 1)


def _offset_from_byline(published: datetime, byline: list[tuple[DateReading, str]] | None) -> int | None:
    """The offset of the clock a byline time was printed on, when it names the moment ``published``
    gives in UTC: "Apr 13, 2020 at 4:38 PM" beside 00:38Z the next day is UTC-8; a zoned byline
    time ("22:11 GMT+10") says its offset itself. Only whole quarter hours within real offsets."""
    utc = published.astimezone(timezone.utc).replace(tzinfo=None, second=0, microsecond=0)
    for reading, _source in byline or []:
        if reading.day_only:
            continue
        moment = reading.moment
        if moment.tzinfo is not None:
            same_moment = abs((moment - published).total_seconds()) <= 60
            minutes = _minutes(moment.utcoffset()) if same_moment else None
        else:
            difference = moment.replace(second=0, microsecond=0) - utc
            minutes = int(difference.total_seconds() // 60)
            minutes = minutes if minutes % 15 == 0 else None
        if minutes and minutes in _OFFSET_RANGE:
            return minutes
    return None


# How far a newsroom's clock plausibly lies from UTC when only a printed day tells: back to the
# US Pacific coast (UTC-8), forward to eastern Australia in summer (UTC+11).
MAX_HOURS_WEST = 8
MAX_HOURS_EAST = 11


def _printed_days(page: _Page) -> list[date]:
    """The days the page shows its readers: the byline's first date, then the URL's."""
    days = [reading.moment.date() for reading, _source in page.byline()[:1]]
    if reading := url_date(page.url):
        days.append(reading.moment.date())
    return days


def _offset_from_printed_day(published: datetime, days: list[date]) -> int | None:
    """An offset that puts a UTC moment on the day the page prints, when that day is the UTC
    day's neighbour within reach of a real newsroom clock: 02:18Z on the 18th under a byline (or
    URL) dated the 17th was the evening of the 17th in the Americas. The hour itself is unknown,
    so the offset is the smallest whole-hour shift that reaches the printed day."""
    utc = published.astimezone(timezone.utc)
    for day in days:
        if day == utc.date():
            return None  # the page agrees with UTC
        if day == utc.date() - timedelta(days=1) and utc.hour + 1 <= MAX_HOURS_WEST:
            return -60 * (utc.hour + 1)  # back to 23:xx of the printed day
        if day == utc.date() + timedelta(days=1) and 24 - utc.hour <= MAX_HOURS_EAST:
            return 60 * (24 - utc.hour)  # on to 00:xx of the printed day
    return None


# The seconds and UTC offset that end a zoned timestamp: ISO 8601 ("...T23:00:00-04:00",
# "...T23:00:00.000+0530") or RFC 2822 ("Fri, 01 May 2020 23:00:00 -0400"), as in JSON blobs,
# schedules and other stories' metadata. Starting at the ":" keeps the scan of a whole page at
# ~0.2 ms (a pattern starting with the date's digits costs ~15 ms); whole seconds are required
# so that a time range ("10:30-12:30") is not read as an offset.
_ZONED_TIMESTAMP_END = re.compile(r":\d\d:\d\d(?:\.\d{1,6})? ?([+-])(\d\d):?(\d\d)\b")


def page_clock_offset(html: str | None) -> int | None:
    """The UTC offset most of the page's zoned timestamps carry, when they carry one: a site that
    dates its article in UTC ("Z") often writes its schedules, comments or related stories on the
    newsroom's own clock (a US station: 02:54Z beside "23:00:00 -0400" items). Zero offsets say
    nothing (UTC again); a tie between offsets leaves the clock unknown."""
    if not html:
        return None
    counts: dict[int, int] = {}
    for sign, hours, minutes in _ZONED_TIMESTAMP_END.findall(html):
        if minutes not in ("00", "30", "45"):
            continue
        offset = (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes))
        if offset and offset in _OFFSET_RANGE:
            counts[offset] = counts.get(offset, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# --- the page -----------------------------------------------------------------------------------

_OTHER_STORIES = frozenset({"li", "aside", "nav", "footer"})


def _article_time_element(tree: HtmlElement | None) -> str | None:
    """The datetime of the article's <time>: one marked as the publication time, else the first
    that is not in a list, aside, nav or footer (those date other stories)."""
    if tree is None:
        return None
    elements = tree.xpath("//time[@datetime]")
    marked = [el for el in elements if el.get("itemprop") == "datePublished" or el.get("pubdate") is not None]
    for element in marked + elements:
        if element in marked or not any(a.tag in _OTHER_STORIES for a in element.iterancestors()):
            value = element.get("datetime", "").strip()
            if value:
                return value
    return None


def _lines_after(element: HtmlElement, limit: int) -> list[str]:
    """The text pieces (one per text node, spaces squeezed) following ``element`` in document
    order, up to ``limit`` characters in all."""
    pieces: list[str] = []
    size = 0

    def add(text: str | None) -> None:
        nonlocal size
        squeezed = " ".join((text or "").split())
        if squeezed:
            pieces.append(squeezed)
            size += len(squeezed)

    add(element.tail)
    node: HtmlElement | None = element
    while node is not None and size < limit:
        for sibling in node.itersiblings():
            for part in sibling.iter():
                if isinstance(part.tag, str):
                    add(part.text)
                if part is not sibling:
                    add(part.tail)
            add(sibling.tail)
            if size >= limit:
                break
        node = node.getparent()
    return pieces



def _byline_dates(tree: HtmlElement | None, title: str | None, language: str,
                  fetched_at: datetime | None) -> list[tuple[DateReading, str]]:
    """Dates printed just after the headline, in page order, skipping "Actualizado" stamps and
    copyright lines. Relative ones ("hace 3 horas") only with the crawl time to count from."""
    if tree is None:
        return []
    heading = headline_element(tree, title)
    if heading is None:
        return []
    # Byline and date lines are short; a date inside a paragraph or caption is the story's own,
    # and the header ends where the second paragraph-length line starts (the first may be the
    # standfirst or a photo caption).
    lines, long_lines = [], 0
    for line in _lines_after(heading, BYLINE_WINDOW_CHARS)[:BYLINE_MAX_LINES]:
        if len(line) <= BYLINE_LINE_MAX_CHARS:
            lines.append(line)
        elif (long_lines := long_lines + 1) >= 2:
            break
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    found: list[tuple[DateReading, str]] = []
    for line in lines:
        for match in PRINTED_DATE.finditer(line):
            if not _TRAP_WORDS.search(line[:match.start()]):
                reading = read_printed_date(match.group(0), languages, day_first=language != "en")
                if reading is not None:
                    found.append((reading, "byline"))
        if fetched_at is None:
            continue
        for match in RELATIVE_DATE.finditer(line):
            if not _TRAP_WORDS.search(line[:match.start()]):
                moment = dateparser.parse(match.group(0), languages=languages,
                                          settings={"RELATIVE_BASE": fetched_at.replace(tzinfo=None)})
                if moment is not None:
                    found.append((DateReading(moment.replace(tzinfo=fetched_at.tzinfo)), "crawl-time"))
    return found


def _htmldate(page: HtmlElement | str, url: str, options: DateOptions) -> str | None:
    """htmldate's date, except a bare year it filled out as 1 January ("© 2009-2025" becomes
    2025-01-01): kept only when the page writes that day out in full."""
    try:
        found = find_date(page, url=url, original_date=True, extensive_search=options.extensive_search,
                          max_date=options.max_date.isoformat() if options.max_date else None)
    except (ValueError, TypeError):
        return None
    if found and found[4:] == "-01-01":
        text = page if isinstance(page, str) else " ".join(page.itertext())
        year = found[:4]
        if not any(form in text for form in (found, f"01/01/{year}", f"01.01.{year}", f"1/1/{year}")):
            return None
    return found
