"""Data passed between pipeline stages. Field names are the stable keys of the store and exports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from vocabulary.clock import local_time


class Dropped(Exception):
    """A page that leaves the pipeline on purpose, with a reason name reused across stages.

    Reasons: ``empty``, ``too-large``, ``not-html``, ``no-text``, ``no-title``, ``listing-page`` (a section
    front or tag page: links to stories, none of its own). ``article`` is
    what the page did give when it was parsed but holds no article text (``no-text``: title,
    dates, authors, an empty body): the store drops it, ``protestwire extract`` still shows it.
    """

    def __init__(self, reason: str, detail: str = "", article: ExtractedArticle | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.article = article

    def __reduce__(self) -> tuple[type[Dropped], tuple[str, str, ExtractedArticle | None]]:
        # Crosses process boundaries (extraction workers) with its reason intact.
        return (Dropped, (self.reason, self.detail, self.article))


@dataclass(frozen=True, kw_only=True)
class FeedHints:
    """What a feed or news sitemap said about an article before we fetched it."""

    title: str | None = None
    published: str | None = None
    author: str | None = None
    summary: str | None = None
    language: str | None = None
    country: str | None = None  # the outlet's home country (ISO alpha-2), from the sources registry
    # The outlet's domains, from the sources registry: a canonical URL on any of them is believed
    # (an outlet's AMP or regional edition on another domain declaring the main site's URL).
    outlet_domains: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ExtractedArticle:
    url: str
    canonical_url: str
    title: str
    subtitle: str | None = None
    body: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    published_source: str | None = None
    # The UTC offset the page gave with its publication time (minutes; None when it gave none),
    # so the local day and hour can be recovered from the UTC ``published``.
    published_offset_minutes: int | None = None
    # How far to trust ``published`` (0-1): by where it came from and whether it had a time zone.
    published_confidence: float | None = None
    modified: datetime | None = None
    modified_source: str | None = None  # json-ld or meta, as for published
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    site_name: str | None = None
    paywalled: bool = False
    extractor_version: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("published", "modified"):
            data[key] = data[key].isoformat() if data[key] else None
        data["published_local"] = local_time(self.published, self.published_offset_minutes)
        return data


@dataclass(frozen=True, kw_only=True)
class ProtestAssessment:
    protest: bool
    protest_score: float
    protest_types: list[str] = field(default_factory=list)
    # Human-readable reasons behind the score: the features that moved it most, e.g. "title: bloquean (+1.21)".
    signals: list[str] = field(default_factory=list)
    # The relevance model that gave the score (pipeline.judge.relevance), stored as articles.judged_with.
    model_version: str = ""


@dataclass(frozen=True, kw_only=True)
class Place:
    """A sub-national place an article names: a city or a first-level division."""

    name: str
    kind: str  # "city" or "admin1" (departamento, estado, provincia, región)
    country: str  # ISO alpha-2
    admin1: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "country": self.country}
        if self.admin1:
            data["admin1"] = self.admin1
        return data


@dataclass(frozen=True, kw_only=True)
class GeoTags:
    # ISO alpha-2 -> share of the place evidence (sums to 1 when any place was named).
    countries: dict[str, float] = field(default_factory=dict)
    # Where the story most likely happened; the outlet's country only when nothing else is named.
    event_country: str | None = None
    places: list[Place] = field(default_factory=list)
    # Human-readable matches behind the tags, e.g. "la paz -> BO (city, ambiguous)".
    signals: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ArticleRecord:
    """One article ready to store: extracted, normalised, classified, fingerprinted."""

    article: ExtractedArticle
    assessment: ProtestAssessment
    content_hash: str
    source_id: str | None = None
    geo: GeoTags = field(default_factory=GeoTags)
    # Near-duplicate and story fingerprints (pipeline.dedup.fingerprint.Fingerprint); the store
    # computes them when a record comes without.
    fingerprint: Any = None
