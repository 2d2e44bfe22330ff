"""Ingest pre-extracted articles (JSON Lines) through normalise, classify, dedup and store.

Each line is ``{"url", "title"?, "text"?, "published"?, "source"?, "language"?}``: a record
needs a URL and a text or a title. Without a title, the text's first sentence (shortened at a
word boundary) becomes the title ("titles derived" in the report). Every article given is kept
(copies are stored and marked), unless ``protest_only`` drops the ones not scored as protest
coverage. A bad line is counted and reported with its number and reason; the others are stored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

from pipeline import record_from_article
from pipeline.extract.language import detect_language
from pipeline.extract.normalise import normalise_article, parse_datetime
from pipeline.store import store_articles
from pipeline.textlines import Undecodable
from pipeline.types import ArticleRecord, ExtractedArticle
from sources import is_source_id
from storage.db import session_scope
from storage.models import Source

# Articles written per transaction: large enough to amortise the commit, small enough that a
# crash loses little (re-running the same file stores only what is missing).
INGEST_BATCH = 200
EXTRACTOR_VERSION = "ingest"
REQUIRED_KEYS = ("url",)
# A derived title is at most this long (characters), cut at a word boundary.
DERIVED_TITLE_CHARS = 120
# The end of a first sentence: a full stop, question or exclamation mark before a space and a
# capital (not "R$ 1.500" or "Sr. Silva" mid-sentence), or a line break.
_SENTENCE_END = re.compile(r"(?<=[^\s.]{3}[.!?])\s+(?=[\"“«¿¡(]?[A-ZÁÉÍÓÚÂÊÔÃÕÇÑ0-9])|\n")


class IngestLineError(ValueError):
    """A line that cannot be ingested; the message names the line and what is wrong."""


@dataclass
class IngestReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    invalid: list[str] = field(default_factory=list)  # "line N: problem"
    titles_derived: int = 0  # records stored under their text's first sentence (no title given)


def derive_title(text: str, limit: int = DERIVED_TITLE_CHARS) -> str:
    """The first sentence of ``text``, shortened at a word boundary to ``limit`` characters ("…" added)."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    first = " ".join(first.split())
    if len(first) <= limit:
        return first
    cut = first[:limit + 1].rsplit(" ", 1)[0] if " " in first[:limit + 1] else first[:limit]
    return cut.rstrip(" ,;:-–—") + "…"


def _text_field(data: dict[str, object], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def article_from_line(line: str, number: int) -> tuple[ExtractedArticle, str | None, bool]:
    """The normalised article of one JSON line, its source id and whether its title was derived
    from the text (raises IngestLineError)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestLineError(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise IngestLineError(f"line {number}: expected an object with url and a text or title")
    missing = [k for k in REQUIRED_KEYS if not isinstance(data.get(k), str) or not data[k].strip()]
    if missing:
        raise IngestLineError(f"line {number}: missing or empty {', '.join(missing)}")
    url, source = data["url"].strip(), data.get("source")
    if not is_http_url(url):
        raise IngestLineError(f"line {number}: url {data['url']!r} is not an http(s) URL")
    if source is not None and source != "" and not (isinstance(source, str) and is_source_id(source)):
        raise IngestLineError(f"line {number}: source {source!r} is not a source id "
                              "(2-63 lower-case letters, digits and dashes, as in the sources registry)")
    # "body" is the key `protestwire export` writes, so an export can be ingested again.
    title = _text_field(data, "title").strip()
    text = _text_field(data, "text") or _text_field(data, "body")
    if not title and not text.strip():
        raise IngestLineError(f"line {number}: neither a text nor a title")
    derived = not title
    title = title or derive_title(text)
    text = text if text.strip() else title
    published, offset = None, None
    if data.get("published"):
        parsed = parse_datetime(str(data["published"]))
        if parsed is None:
            raise IngestLineError(f"line {number}: published {data['published']!r} is not an ISO 8601 date")
        published = parsed[0]
        if parsed[1] and published.utcoffset() is not None:
            offset = int(published.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    article = ExtractedArticle(
        url=url, canonical_url=url, title=title, body=text, published=published,
        published_source="ingest" if published else None, published_offset_minutes=offset,
        language=detect_language(title + "\n" + text, data.get("language")),
        extractor_version=EXTRACTOR_VERSION,
    )
    return normalise_article(article), (source or None), derived


def is_http_url(text: str) -> bool:
    """An absolute http(s) URL with a host and no spaces."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in text)


def _ensure_sources(engine: Engine, ids: set[str]) -> None:
    """Sources named in the file: from the registry when listed there, else a bare row named by its id."""
    from sources import SourcesError, load_sources

    with session_scope(engine) as session:
        missing = ids - set(session.scalars(select(Source.id).where(Source.id.in_(ids))))
        if not missing:
            return
        try:
            registry = {s.id: s for s in load_sources()}
        except SourcesError:
            registry = {}
        for source_id in sorted(missing):
            known = registry.get(source_id)
            session.add(Source(id=source_id, name=known.name if known else source_id,
                               homepage=known.homepage if known else "", country=known.country if known else "",
                               languages=list(known.languages) if known else []))


def _records(lines: Iterable[str | Undecodable], report: IngestReport, protest_only: bool,
             on_line: Callable[[], None] | None) -> Iterator[ArticleRecord]:
    for number, line in enumerate(lines, start=1):
        if on_line:
            on_line()
        if isinstance(line, Undecodable):
            report.invalid.append(f"line {line.number}: {line.message}")
            report.outcomes["invalid"] += 1
            continue
        if not line.strip():
            continue
        try:
            article, source, derived = article_from_line(line, number)
        except IngestLineError as exc:
            report.invalid.append(str(exc))
            report.outcomes["invalid"] += 1
            continue
        report.titles_derived += derived
        record = record_from_article(article, source_id=source)
        if protest_only and not record.assessment.protest:
            report.outcomes["not-protest"] += 1
            continue
        yield record


def ingest_lines(engine: Engine, lines: Iterable[str | Undecodable], *, protest_only: bool = False,
                 on_line: Callable[[], None] | None = None, batch_size: int = INGEST_BATCH) -> IngestReport:
    """Store every article of ``lines`` (JSON Lines); counts outcomes (new, duplicate, ...) and bad lines."""
    report = IngestReport()
    batch: list[ArticleRecord] = []

    def flush() -> None:
        sources = {r.source_id for r in batch if r.source_id}
        if sources:
            _ensure_sources(engine, sources)
        with session_scope(engine) as session:
            for result in store_articles(session, batch):
                report.outcomes[result.outcome] += 1
        batch.clear()

    for record in _records(lines, report, protest_only, on_line):
        batch.append(record)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report
