"""Pipeline stages as pure functions, callable without Scrapy.

``process_page`` runs extract -> normalise -> classify -> fingerprint on one page and
returns an ``ArticleRecord`` ready for ``pipeline.store.store_article``; it raises
``Dropped`` with a reason when the page is not an article.
"""

from __future__ import annotations

from pipeline.classify import ClassifyOptions, classify_protest
from pipeline.deduplicate import content_hash, fingerprint
from pipeline.extract import ExtractOptions, extract_article
from pipeline.normalise import normalise_article
from pipeline.types import ArticleRecord, Dropped, ExtractedArticle, FeedHints, ProtestAssessment

DEFAULT_EXTRACT = ExtractOptions()
DEFAULT_CLASSIFY = ClassifyOptions()


def process_page(
    raw: bytes | str,
    url: str,
    *,
    source_id: str | None = None,
    content_type: str | None = None,
    feed: FeedHints | None = None,
    extract_options: ExtractOptions = DEFAULT_EXTRACT,
    classify_options: ClassifyOptions = DEFAULT_CLASSIFY,
) -> ArticleRecord:
    article = normalise_article(
        extract_article(raw, url, content_type=content_type, feed=feed, options=extract_options)
    )
    return record_from_article(article, source_id=source_id, classify_options=classify_options)


def record_from_article(
    article: ExtractedArticle, *, source_id: str | None = None, classify_options: ClassifyOptions = DEFAULT_CLASSIFY,
    assessment: ProtestAssessment | None = None,
) -> ArticleRecord:
    """A normalised article classified (unless ``assessment`` is given) and fingerprinted, ready to store.

    The one place records are made: crawls, ``ingest`` and ``reextract`` all come through here.
    """
    if assessment is None:
        assessment = classify_protest(article.title, article.body, article.language, options=classify_options)
    return ArticleRecord(
        article=article, assessment=assessment, content_hash=content_hash(article.body), source_id=source_id,
        fingerprint=fingerprint(article.title, article.body, article.language),
    )


__all__ = [
    "ArticleRecord", "Dropped", "ExtractedArticle", "FeedHints", "ProtestAssessment", "process_page",
    "record_from_article",
]
