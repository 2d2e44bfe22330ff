"""The sources registry: which outlets to crawl, read from a human-edited TOML file.

Each ``[[source]]`` table of ``sources.toml`` (beside this module) names one outlet;
``parse_sources`` validates every entry and reports all problems at once as
``FILE:LINE: source ID: problem``. This package sits at the bottom of the layers with
``vocabulary/``: it imports nothing of ours and no Scrapy, so the crawlers, the drivers in
``protestwire/``, the scheduler and the CLI all read the same registry. ``registry.py`` looks the
bundled file up by URL or id.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pycountry

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")
REQUIRED_KEYS = ("id", "name", "homepage", "country", "languages")
OPTIONAL_KEYS = ("feeds", "sitemaps", "sections", "allowed_domains", "crawl_interval_minutes")
URL_LIST_KEYS = ("feeds", "sitemaps", "sections")
DEFAULT_CRAWL_INTERVAL_MINUTES = 60
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_TABLE_HEADER = re.compile(r"^\s*\[\[\s*source\s*\]\]")


def is_source_id(text: str) -> bool:
    """Whether ``text`` is a valid source id: 2-63 lower-case letters, digits and dashes."""
    return bool(_ID.fullmatch(text))


class SourcesError(ValueError):
    """The registry file is missing or invalid; the message lists every problem."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str
    name: str
    homepage: str
    country: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # listing pages (a "protestas" tag page) where no feed exists
    allowed_domains: tuple[str, ...] = field(default=())
    crawl_interval_minutes: int = DEFAULT_CRAWL_INTERVAL_MINUTES

    def allows(self, url: str) -> bool:
        """Whether ``url`` belongs to one of the outlet's domains (subdomains included)."""
        return _on_domains(_host(url), self.allowed_domains)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _on_domains(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


class _Lines:
    """Line numbers of each [[source]] table and of the keys inside it, for precise messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.starts = [n for n, line in enumerate(self.lines, start=1) if _TABLE_HEADER.match(line)]

    def of(self, position: int, key: str | None = None) -> int:
        start = self.starts[position - 1] if position <= len(self.starts) else 0
        if key is None or not start:
            return start
        end = self.starts[position] if position < len(self.starts) else len(self.lines) + 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((n for n in range(start, end) if pattern.match(self.lines[n - 1])), start)


def _validate(entry: dict[str, object], where: callable) -> tuple[Source | None, list[str]]:  # type: ignore[valid-type]
    """The source an entry describes, or None, and every problem of it: each key and each field is
    checked, so one run of ``sources check`` lists them all."""
    sid = str(entry.get("id", "?"))
    problems: list[str] = []

    def problem(key: str | None, message: str) -> None:
        problems.append(f"{where(key)}: source {sid}: {message}")

    for key in entry:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            problem(key, f"unknown key {key!r} (known: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in entry:
            problem(None, f"missing key {key!r}")
    if "id" in entry and not _ID.match(sid):
        problem("id", f"id {sid!r} must be lower-case letters, digits and dashes")
    for key in ("name", "homepage", "country"):
        if key in entry and (not isinstance(entry[key], str) or not str(entry[key]).strip()):
            problem(key, f"{key} must be a non-empty string")
    country = str(entry.get("country", "")).upper()
    if isinstance(entry.get("country"), str) and pycountry.countries.get(alpha_2=country) is None:
        problem("country", f"country {entry['country']!r} is not an ISO 3166-1 alpha-2 code")
    languages = entry.get("languages", [])
    if "languages" in entry and (not isinstance(languages, list) or not languages):
        problem("languages", 'languages must be a non-empty list such as ["es"]')
    languages = languages if isinstance(languages, list) else []
    for language in languages:
        if pycountry.languages.get(alpha_2=str(language)) is None:
            problem("languages", f"language {language!r} is not an ISO 639-1 code")
    url_lists: dict[str, tuple[str, ...]] = {}
    for key in URL_LIST_KEYS:
        value = entry.get(key, [])
        if not isinstance(value, list):
            problem(key, f"{key} must be a list of URLs")
            value = []
        url_lists[key] = tuple(str(u) for u in value)
    homepage = str(entry.get("homepage", ""))
    domains_value = entry.get("allowed_domains", [])
    if not isinstance(domains_value, list):
        problem("allowed_domains", 'allowed_domains must be a list of host names such as ["eldeber.com.bo"]')
    domains = tuple(str(d).lower() for d in domains_value) if isinstance(domains_value, list) else ()
    domains = domains or ((_host(homepage),) if _host(homepage) else ())
    if not any(url_lists.values()):
        problem(None, "give at least one of feeds, sitemaps or sections")
    checked = (("homepage", (homepage,)),) if "homepage" in entry else ()
    for key, urls in (*checked, *url_lists.items()):
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https") or not _host(url):
                problem(key, f"{url!r} is not an http(s) URL")
            elif domains and not _on_domains(_host(url), domains):
                problem(key, f"{url!r} is outside allowed_domains ({', '.join(domains)})")
    interval = entry.get("crawl_interval_minutes", DEFAULT_CRAWL_INTERVAL_MINUTES)
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 5:
        problem("crawl_interval_minutes", "crawl_interval_minutes must be a whole number of minutes, at least 5")
        interval = DEFAULT_CRAWL_INTERVAL_MINUTES
    if problems:
        return None, problems
    return Source(
        id=sid, name=str(entry["name"]), homepage=homepage, country=country,
        languages=tuple(str(x) for x in languages), feeds=url_lists["feeds"], sitemaps=url_lists["sitemaps"],
        sections=url_lists["sections"], allowed_domains=domains, crawl_interval_minutes=interval,
    ), problems


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: not valid TOML: {exc}") from exc
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{origin}: no [[source]] tables found")
    lines = _Lines(text)
    sources: list[Source] = []
    problems: list[str] = [f"{origin}: unknown top-level key {key!r}" for key in data if key != "source"]
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        def where(key: str | None, position: int = position) -> str:
            return f"{origin}:{lines.of(position, key)}"

        source, found = _validate(entry, where)
        problems += found
        sid = entry.get("id")
        if isinstance(sid, str) and sid in seen:
            problems.append(f"{where('id')}: source {sid}: duplicate id (first at line {seen[sid]})")
        elif isinstance(sid, str):
            seen[sid] = lines.of(position, "id")
        if source is not None:
            sources.append(source)
    if problems:
        raise SourcesError(f"{len(problems)} problem(s) in {origin}:\n" + "\n".join(problems), problems)
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
