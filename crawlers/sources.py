"""The sources registry: which outlets to crawl, read from a human-edited TOML file.

Each ``[[source]]`` table names one outlet; ``load_sources`` validates every entry
and reports all problems at once, naming the source and key at fault.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pycountry

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")
REQUIRED_KEYS = {"id", "name", "homepage", "country", "languages"}
OPTIONAL_KEYS = {"feeds", "sitemaps", "allowed_domains", "crawl_interval_minutes"}
DEFAULT_CRAWL_INTERVAL_MINUTES = 60


class SourcesError(ValueError):
    """The registry file is missing or invalid; the message lists every problem."""


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str
    name: str
    homepage: str
    country: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = field(default=())
    crawl_interval_minutes: int = DEFAULT_CRAWL_INTERVAL_MINUTES

    def allows(self, url: str) -> bool:
        """Whether ``url`` belongs to one of the outlet's domains (subdomains included)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _validate(entry: dict[str, object], position: int) -> tuple[Source | None, list[str]]:
    label = f"source #{position} ({entry.get('id', 'no id')})"
    problems = [f"{label}: unknown key {key!r}" for key in entry if key not in REQUIRED_KEYS | OPTIONAL_KEYS]
    problems += [f"{label}: missing key {key!r}" for key in sorted(REQUIRED_KEYS - entry.keys())]
    if problems:
        return None, problems
    country = str(entry["country"]).upper()
    if pycountry.countries.get(alpha_2=country) is None:
        problems.append(f"{label}: country {entry['country']!r} is not an ISO 3166-1 alpha-2 code")
    languages = entry["languages"]
    if not isinstance(languages, list) or not languages:
        problems.append(f"{label}: languages must be a non-empty list such as [\"es\"]")
        languages = []
    for language in languages:
        if pycountry.languages.get(alpha_2=str(language)) is None:
            problems.append(f"{label}: language {language!r} is not an ISO 639-1 code")
    feeds = tuple(str(u) for u in entry.get("feeds", []))  # type: ignore[union-attr]
    sitemaps = tuple(str(u) for u in entry.get("sitemaps", []))  # type: ignore[union-attr]
    homepage = str(entry["homepage"])
    domains = tuple(str(d).lower() for d in entry.get("allowed_domains", [])) or (_host(homepage),)  # type: ignore[union-attr]
    if not feeds and not sitemaps:
        problems.append(f"{label}: give at least one of feeds or sitemaps")
    for url in (homepage, *feeds, *sitemaps):
        if urlsplit(url).scheme not in ("http", "https") or not _host(url):
            problems.append(f"{label}: {url!r} is not an http(s) URL")
    source = Source(
        id=str(entry["id"]), name=str(entry["name"]), homepage=homepage, country=country,
        languages=tuple(str(x) for x in languages), feeds=feeds, sitemaps=sitemaps, allowed_domains=domains,
        crawl_interval_minutes=int(entry.get("crawl_interval_minutes", DEFAULT_CRAWL_INTERVAL_MINUTES)),  # type: ignore[call-overload]
    )
    return (None if problems else source), problems


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: not valid TOML: {exc}") from exc
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{origin}: no [[source]] tables found")
    sources: list[Source] = []
    problems: list[str] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        source, found = _validate(entry, position)
        problems += found
        if source is not None:
            if source.id in seen:
                problems.append(f"source #{position}: duplicate id {source.id!r}")
            seen.add(source.id)
            sources.append(source)
    if problems:
        raise SourcesError(f"{origin}: " + "; ".join(problems))
    return sources


def load_sources(path: str | Path | None = None) -> list[Source]:
    file = Path(path) if path else DEFAULT_SOURCES_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {file}: {exc.strerror}") from exc
    return parse_sources(text, str(file))


def select_sources(sources: list[Source], only: list[str] | None) -> list[Source]:
    """The sources named in ``only`` (all when empty); an unknown id is an error listing the known ones."""
    if not only:
        return sources
    known = {s.id: s for s in sources}
    unknown = [i for i in only if i not in known]
    if unknown:
        raise SourcesError(f"unknown source id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [known[i] for i in only]
