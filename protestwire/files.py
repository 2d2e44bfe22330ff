"""`protestwire extract`: pages saved on disk in, one JSON object per page out."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pipeline.extract.normalise import normalise_article
from pipeline.extract.page import extract_article
from pipeline.types import Dropped, FeedHints
from sources.registry import registry_source


@dataclass(frozen=True)
class ExtractJob:
    path: str
    url: str
    id: Any = None


def read_page(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") else raw


def extract_jobs(paths: Iterable[str], url: str | None, manifest: IO[str] | None) -> Iterator[ExtractJob]:
    """The pages to extract: the PATHs given, then the manifest's lines (checked as they come)."""
    for path in paths:
        yield ExtractJob(path, url or Path(path).resolve().as_uri())
    if manifest is None:
        return
    for number, line in enumerate(manifest, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            yield ExtractJob(str(entry["path"]), str(entry.get("url") or Path(entry["path"]).resolve().as_uri()),
                             entry.get("id"))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"manifest line {number}: expected {{\"id\", \"url\", \"path\"}} ({exc})") from exc



def outlet_hints(url: str) -> FeedHints | None:
    """What the sources registry knows of the page's outlet: its country, whose newsroom clock
    dates a page that gives only UTC times (infobae.com is Buenos Aires, not UTC), and its domains,
    on which a canonical URL the page declares is believed."""
    source = registry_source(url)
    return FeedHints(country=source.country, outlet_domains=source.allowed_domains) if source is not None else None


def extract_one(job: ExtractJob) -> dict[str, Any]:
    """The article on one saved page under the stable keys, or {"error": ...}; never raises. A page
    with no article text keeps what it did give (title, dates, authors) beside its error."""
    head: dict[str, Any] = {"id": job.id} if job.id is not None else {}
    try:
        raw = read_page(job.path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return {**head, "url": job.url, "path": job.path, "error": f"cannot read {job.path}: {exc}"}
    try:
        article = normalise_article(extract_article(raw, job.url, feed=outlet_hints(job.url)))
    except Dropped as dropped:
        error = {"error": f"{dropped.reason}: {dropped.detail or job.url}"}
        if dropped.article is not None:  # no article text, but the title and dates the page gave
            return {**head, **normalise_article(dropped.article).to_json(), "path": job.path, **error}
        return {**head, "url": job.url, "path": job.path, **error}
    return {**head, **article.to_json()}
