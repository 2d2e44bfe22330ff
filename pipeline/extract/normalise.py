"""Normalise stage: canonical URLs, clean text and titles, dates in UTC.

Canonical URLs by courlan: no tracking parameters, no fragments, no AMP or mobile variants.
Mojibake repaired (ftfy) and text cleaned; " | Outlet" stripped from titles and the repeated
headline from the body's first lines. Pure functions; ``normalise_article`` applies them all to
an extracted article.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import ftfy
from courlan import extract_domain, normalize_url

from pipeline.types import ExtractedArticle

# Separators outlets put between a headline and their own name in <title>/og:title.
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_AMP_PATH = re.compile(r"/amp/?$")
_AMP_FILE = re.compile(r"\.amp(\.html?)$")
# First host labels of an outlet's AMP or mobile edition.
_VARIANT_HOST_LABELS = frozenset({"m", "mobile", "amp"})
# UTF-8 bytes of Latin letters and typographic signs as they look when read as Latin-1/cp1252.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152-\u2122]|Â[\u00a0-\u00bf]|â€")


def canonical_url(url: str) -> str:
    """The URL an article is known by: lower-case host, no tracking parameters, no fragment,
    the regular page rather than its AMP or mobile variant.

    ``utm_*``, ``fbclid``, ``gclid``, ``amp=1``, ``outputType=amp`` and similar are dropped by
    courlan's strict normalisation; AMP paths (``/amp``, ``nota.amp.html``) and AMP or mobile hosts
    (``amp.``, ``m.``, ``mobile.``) point at the regular page.
    """
    try:
        normalised = normalize_url(url.strip(), strict=True)
    except ValueError:
        normalised = url.strip()
    head, sep, query = normalised.partition("?")
    head = _AMP_FILE.sub(r"\1", _AMP_PATH.sub("/", head))
    head = _regular_host(head)
    return head + sep + query if query else head


def _regular_host(head: str) -> str:
    """``https://m.elcomercio.pe/x`` -> ``https://elcomercio.pe/x``: the variant label dropped
    only when what is left is still the outlet's domain (never ``m.com.br`` -> ``com.br``)."""
    parts = urlsplit(head)
    label, _dot, remainder = parts.netloc.partition(".")
    if label not in _VARIANT_HOST_LABELS or not remainder:
        return head
    domain = extract_domain(head)  # the registrable domain of the whole host
    if not domain or not (remainder == domain or remainder.endswith("." + domain)):
        return head
    return urlunsplit(parts._replace(netloc=remainder))


def fix_mojibake(text: str) -> str:
    """UTF-8 read as Latin-1 or Windows-1252 ("BogotÃ¡", "â€œ") put right with ftfy.

    ftfy runs only where the telltale sequences occur: most text has none, and ftfy costs
    about a millisecond per 10 KB.
    """
    if not _MOJIBAKE.search(text):
        return text
    return ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False)


def clean_text(text: str) -> str:
    """Mojibake fixed, NFC, one space between words, one blank line between paragraphs, no edge spaces."""
    text = unicodedata.normalize("NFC", fix_mojibake(text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", joined).strip()


def clean_inline(text: str | None) -> str | None:
    """A one-line field (title, author, section): NFC and single spaces, or None when empty."""
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", fix_mojibake(text)).replace("\n", " ")).strip()
    return cleaned or None


def names_site(name: str, site_name: str | None) -> bool:
    """Whether ``name`` names the site itself: a title suffix ("| EL TIEMPO") or a byline that is
    the outlet ("El Colombiano", "unocero - Ana Pérez")."""
    name_key, site_key = _name_key(name), _name_key(site_name or "")
    return bool(name_key and site_key) and (name_key in site_key or site_key in name_key)


def _name_key(name: str) -> str:
    """"El Tiempo", "eltiempo.com" and "EL TIEMPO" all give "eltiempo"."""
    key = re.sub(r"\W+", "", name.casefold())
    return re.sub(r"(com|net|org)(ar|br|bo|cl|co|mx|pe|py|uy|ve|ec)?$", "", key) if "." in name else key


def strip_title_suffix(title: str, site_name: str | None = None) -> str:
    """Drop a trailing " | Outlet" (or " - Outlet"...) from a headline.

    Only a suffix naming the site (when known) or a short one (at most four words,
    shorter than the headline) is removed, so headlines containing a dash survive.
    """
    for separator in TITLE_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if not sep or not head.strip():
            continue
        short_tail = len(tail.split()) <= 4 and len(tail) < len(head) / 2
        if names_site(tail, site_name) or (site_name is None and short_tail):
            return head.strip()
    return title.strip()


def parse_datetime(value: str | None) -> tuple[datetime, bool] | None:
    """An aware datetime from ISO 8601 or RFC 822 text, with whether a time zone was given.

    A value without a zone is read as UTC (and reported as zoneless); a bare date is
    put at 12:00 UTC so that its calendar day is the same anywhere in the Americas.
    """
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
        return datetime.combine(day, time(12), timezone.utc), False
    if parsed.tzinfo is None:
        if len(text) <= 10:
            return parsed.replace(hour=12, tzinfo=timezone.utc), False
        return parsed.replace(tzinfo=timezone.utc), False
    return parsed, True


def to_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _line_key(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def strip_leading_repeats(body: str, *headings: str | None) -> str:
    """Drop the body's first lines while they repeat the headline, section or site name.

    Extractors often keep the <h1> as the first paragraph; the title field has it already. A
    standfirst printed on the page stays: it is the publisher's text (and readers' gold
    standards count it), while near-duplicate detection tolerates a different opening.
    """
    keys = {_line_key(h) for h in headings if h}
    keys.discard("")
    lines = body.split("\n")
    start = 0
    while start < len(lines) and (not lines[start].strip() or _line_key(lines[start]) in keys):
        start += 1
    return "\n".join(lines[start:])


def normalise_article(article: ExtractedArticle) -> ExtractedArticle:
    """The same article with canonical URL, clean text fields and UTC datetimes."""
    site_name = clean_inline(article.site_name)
    raw_title = clean_inline(article.title) or ""
    title = strip_title_suffix(raw_title, site_name)
    subtitle = clean_inline(article.subtitle)
    section = clean_inline(article.section)
    body = strip_leading_repeats(clean_text(article.body), title, raw_title, section, site_name)
    return dataclasses.replace(
        article,
        url=article.url.strip(),
        canonical_url=canonical_url(article.canonical_url or article.url),
        title=title,
        subtitle=subtitle,
        body=body or clean_text(article.body),
        authors=list(dict.fromkeys(a for a in (clean_inline(x) for x in article.authors) if a)),
        section=section,
        tags=list(dict.fromkeys(t for t in (clean_inline(x) for x in article.tags) if t)),
        site_name=site_name,
        published=to_utc(article.published),
        modified=to_utc(article.modified),
    )
