"""Pipeline stages as pure functions, callable without Scrapy.

``process_page`` runs one page through extract -> normalise -> classify -> geotag -> fingerprint
and returns an ``ArticleRecord`` ready for ``pipeline.store.store_article``; it raises
``Dropped`` with a reason when the page is not an article. ``record_from_article`` is the one
place records are made: crawls, ``ingest`` and ``reextract`` all come through here.

The stages live in three rooms, each importing only ``pipeline.types``, ``pipeline.textlines``,
``vocabulary/`` and the rooms before it: ``extract/`` (bytes to ``ExtractedArticle``), ``judge/``
(protest score, action types, places, event records) and ``dedup/`` (copies, stories, threads).
This top level chains them (here), holds the types they pass (``types.py``) and writes records
to the store (``store.py``); a page given without its source is looked up in the sources
registry (``sources.registry``) here, never in a stage.
"""

from __future__ import annotations

from datetime import datetime

from pipeline.dedup.fingerprint import content_hash, fingerprint
from pipeline.extract.normalise import normalise_article
from pipeline.extract.page import ExtractOptions, extract_article
from pipeline.extract.timezones import country_from_url
from pipeline.judge.classify import ClassifyOptions, classify_protest
from pipeline.judge.geotag import GeotagOptions, geotag
from pipeline.types import ArticleRecord, Dropped, ExtractedArticle, FeedHints, ProtestAssessment
from sources.registry import registry_source

DEFAULT_EXTRACT = ExtractOptions()
DEFAULT_CLASSIFY = ClassifyOptions()
DEFAULT_GEOTAG = GeotagOptions()


def process_page(
    raw: bytes | str,
    url: str,
    *,
    source_id: str | None = None,
    content_type: str | None = None,
    feed: FeedHints | None = None,
    extract_options: ExtractOptions = DEFAULT_EXTRACT,
    classify_options: ClassifyOptions = DEFAULT_CLASSIFY,
    fetched_at: datetime | None = None,
    last_modified: str | None = None,
) -> ArticleRecord:
    """One fetched page through every pure stage. ``fetched_at`` and ``last_modified`` (the HTTP
    header) let relative dates ("hace 3 horas") and the last-resort date be read. Given neither
    ``source_id`` nor ``feed``, a page of an outlet in the sources registry (by its URL's domain) gets
    that outlet's id, country and domains, as a crawl would give it."""
    if source_id is None and feed is None:
        outlet = registry_source(url)
        if outlet is not None:
            source_id, feed = outlet.id, FeedHints(country=outlet.country, outlet_domains=outlet.allowed_domains)
    article = normalise_article(extract_article(
        raw, url, content_type=content_type, feed=feed, options=extract_options, fetched_at=fetched_at,
        last_modified=last_modified,
    ))
    outlet_country = feed.country if feed is not None else None
    return record_from_article(article, source_id=source_id, classify_options=classify_options,
                               outlet_country=outlet_country)


def record_from_article(
    article: ExtractedArticle, *, source_id: str | None = None, classify_options: ClassifyOptions = DEFAULT_CLASSIFY,
    outlet_country: str | None = None, geotag_options: GeotagOptions = DEFAULT_GEOTAG,
    assessment: ProtestAssessment | None = None,
) -> ArticleRecord:
    """A normalised article classified (unless ``assessment`` is given), geotagged and
    fingerprinted, ready to store. The one place records are made: crawls, ``ingest`` and
    ``reextract`` all come through here. ``outlet_country`` (ISO alpha-2, from the sources
    registry; else guessed from the URL's country domain) is only a weak prior for the event
    country."""
    if assessment is None:
        assessment = classify_protest(article.title, article.body, article.language, options=classify_options)
    geo = geotag(article.title, article.body, outlet_country=outlet_country or country_from_url(article.url),
                 options=geotag_options)
    return ArticleRecord(
        article=article, assessment=assessment, content_hash=content_hash(article.body), source_id=source_id, geo=geo,
        fingerprint=fingerprint(article.title, article.body, article.language),
    )


__all__ = [
    "ArticleRecord", "Dropped", "ExtractedArticle", "FeedHints", "ProtestAssessment", "process_page",
    "record_from_article",
]
