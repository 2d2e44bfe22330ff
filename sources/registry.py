"""The bundled registry looked up by URL or id, read once: which registered outlet a page belongs to.

``pipeline.process_page`` (a page given without its source) and the store (a source row for an id it
has not seen) ask here; the stages themselves never do, they get the outlet as ``FeedHints``.
"""

from __future__ import annotations

from functools import lru_cache

from sources import Source, SourcesError, load_sources


@lru_cache(maxsize=1)
def registry_sources() -> tuple[Source, ...]:
    """The outlets of the bundled registry (sources/sources.toml); none when it cannot be read."""
    try:
        return tuple(load_sources())
    except SourcesError:
        return ()


def registry_source(url: str) -> Source | None:
    """The registered outlet whose domains ``url`` is on, if any."""
    return next((s for s in registry_sources() if s.allows(url)), None)


def registry_source_by_id(source_id: str) -> Source | None:
    return next((s for s in registry_sources() if s.id == source_id), None)
