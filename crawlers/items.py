"""The item that travels through the Scrapy pipelines; each stage fills one field."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.types import ArticleRecord, ExtractedArticle, FeedHints, ProtestAssessment


@dataclass(frozen=True)
class CaptureRef:
    warc_path: str
    offset: int
    length: int


@dataclass
class ArticleItem:
    source_id: str
    url: str
    body: bytes = field(repr=False)  # the raw page: never in logs
    content_type: str | None = None
    feed: FeedHints | None = None
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Where the raw page was kept (WARC file, offset, length), and what the pure stages made of
    # the page (pipeline.process_page: article, assessment and geotags in one record); filled by
    # ProcessPipeline.
    capture: CaptureRef | None = None
    article: ExtractedArticle | None = None
    assessment: ProtestAssessment | None = None
    record: ArticleRecord | None = None
