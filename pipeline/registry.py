"""The sources registry as the pure stages see it: which registered outlet a URL belongs to."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawlers.sources import Source


@lru_cache(maxsize=1)
def registry_sources() -> tuple[Source, ...]:
    """The outlets of the bundled registry (crawlers/sources.toml); none when it cannot be read."""
    from crawlers.sources import SourcesError, load_sources

    try:
        return tuple(load_sources())
    except SourcesError:
        return ()


def registry_source(url: str) -> Source | None:
    """The registered outlet whose domains ``url`` is on, if any."""
    return next((s for s in registry_sources() if s.allows(url)), None)


def registry_source_by_id(source_id: str) -> Source | None:
    return next((s for s in registry_sources() if s.id == source_id), None)
