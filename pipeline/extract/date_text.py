"""Dates as publishers write them: machine stamps (ISO 8601 in its loose forms, RFC 822, "10/05/2022
05:22 pm"), printed dates in es/pt/en ("21 de noviembre de 2025", "November 4, 2025 at 4:38 PM")
and dates in URL paths. Pure functions; ``pipeline.extract.dates`` decides which one a page means.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

import dateparser
from dateutil import parser as dateutil_parser


@dataclass(frozen=True)
class DateReading:
    """A parsed date: ``moment`` is naive when the text gave no zone; ``day_only`` when no time."""

    moment: datetime
    day_only: bool = False


# ISO 8601 as publishers actually write it: unpadded fields ("2022-5-5 22:17:36"), one-digit
# seconds ("23:15:0Z"), a space or "T", fractions, and "Z", "UTC", "GMT" or an offset.
_LOOSE_ISO = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.I,
)
# Zone abbreviations seen in publisher metadata ("2020-09-25T16:02:50CDT", "10:01:41 EDT").
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "CET": 60, "CEST": 120, "BRT": -180, "ART": -180,
}
_TZINFOS = {name: minutes * 60 for name, minutes in ZONE_ABBREVIATIONS.items()}
# Earliest plausible publication year: older "dates" are template defaults and copyright lines.
MIN_YEAR = 1995


def parse_date_text(value: str | None, *, day_first: bool) -> DateReading | None:
    """A date or datetime from machine-written text (ISO 8601, RFC 822, "10/05/2022 05:22 pm").

    The moment is naive when the text gave no zone. ``day_first`` reads "10/05/2022" as 10 May
    (es, pt and most of the world) rather than October 5 (en-US).
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    reading = _read_iso(text) or _read_rfc822(text) or _read_other(text, day_first)
    if reading is None:
        try:  # a readable day at the start of a garbled stamp ("2022-05-04-0305:49:00-10800")
            reading = DateReading(datetime.combine(date.fromisoformat(text[:10]), time(12)), day_only=True)
        except ValueError:
            return None
    return reading if reading.moment.year >= MIN_YEAR else None


def _read_iso(text: str) -> DateReading | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return DateReading(moment, day_only=len(text) <= 10)
    except ValueError:
        pass
    match = _LOOSE_ISO.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if zone:
        moment = moment.replace(tzinfo=_fixed_zone(zone))
    return DateReading(moment, day_only=hour is None)


def _fixed_zone(text: str) -> timezone:
    if text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _read_rfc822(text: str) -> DateReading | None:
    if not text[:1].isalpha():
        return None
    try:
        return DateReading(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _read_other(text: str, day_first: bool) -> DateReading | None:
    """dateutil for the rest ("10/05/2022 05:22 pm", "Tue, Sep 15 2020 10:01:41 EDT"); only text
    carrying a four-digit year, as dateutil fills missing parts with today's."""
    if len(text) > 60 or not _YEAR.search(text):
        return None
    year_first = bool(re.match(r"\d{4}", text))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moment = dateutil_parser.parse(text, dayfirst=day_first and not year_first, yearfirst=year_first,
                                           tzinfos=_TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    return DateReading(moment, day_only=not re.search(r"\d:\d\d", text))


_MONTH = r"[a-zA-Zçéû]{3,10}\.?"
_TIME = r"(?:\s*(?:[-|,·•]|a las|às|at|-)?\s*\d{1,2}[:h]\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?"
# Printed dates: "21 de noviembre de 2025", "21 Nov. 2025", "November 21, 2025", "21/11/2025",
# each with an optional time ("- 10:30", "às 10h30", "10:30 p. m.", "22:11 GMT+10").
PRINTED_DATE = re.compile(
    r"\b(?:\d{1,2}º?\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+|del\s+)?(?:19|20)\d\d"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d{1,2}-\d{1,2})" + _TIME,
    re.I,
)
RELATIVE_DATE = re.compile(
    r"\b(?:hace|h[áa])\s+\d{1,2}\s+(?:minutos?|horas?|d[íi]as?)\b|\b\d{1,2}\s+(?:minutes?|hours?|days?)\s+ago\b",
    re.I,
)
_AMPM = re.compile(r"\b([ap])\.?\s?m\.?(?!\w)", re.I)
_GMT_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
LANGUAGES = ("es", "pt", "en")

def read_printed_date(text: str, languages: list[str], *, day_first: bool) -> DateReading | None:
    """A printed date via dateparser (es/pt/en month names), after tidying what it trips on:
    "p. m.", "às"/"a las", "10h30" and "GMT+10"."""
    zone = None
    offset = _GMT_OFFSET.search(text)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        zone = timezone(sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0)))
        text = text[:offset.start()]
    tidy = _AMPM.sub(lambda m: m.group(1).lower() + "m", text)
    tidy = re.sub(r"(\d{1,2})h(\d{2})", r"\1:\2", tidy)
    tidy = re.sub(r"\s(?:a las|às|at|[-|,·•])\s", " ", f" {tidy} ").strip(" -|,·•")
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)", tidy)
    if numeric:
        first, second, year, rest = numeric.groups()
        day, month = (first, second) if day_first or int(second) > 12 else (second, first)
        tidy = f"{year}-{int(month):02d}-{int(day):02d}{rest}"
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                "DATE_ORDER": "DMY" if day_first else "MDY"}
    moment = dateparser.parse(tidy, languages=languages, settings=settings)
    if moment is None or moment.year < MIN_YEAR:
        return None
    if zone is not None:
        moment = moment.replace(tzinfo=zone)
    return DateReading(moment, day_only=not re.search(r"\d:\d\d", tidy))


# /2023/05/17/, /2023-05-17/, /20230517/ (htmldate's URL patterns, day precision only).
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def url_date(url: str) -> DateReading | None:
    match = _URL_DATE.search(url.split("?", 1)[0])
    if match is None:
        return None
    try:
        return DateReading(datetime(*(int(part) for part in match.groups())), day_only=True)
    except ValueError:
        return None
