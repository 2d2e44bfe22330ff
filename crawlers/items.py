"""The item that travels through the Scrapy pipelines; each stage fills one field."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.types import ArticleRecord, ExtractedArticle, FeedHints, ProtestAssessment


@dataclass
class ArticleItem:
    source_id: str
    url: str
    body: bytes
    content_type: str | None = None
    feed: FeedHints | None = None
    # Filled by the pipelines in order: extract (+ normalise), classify, deduplicate.
    article: ExtractedArticle | None = None
    assessment: ProtestAssessment | None = None
    record: ArticleRecord | None = None
