"""`protestwire feeds build DIR`: every saved and ready-made feed written as static files.

DIR gets ``all.atom``, ``all.rss``, ``country/BO.atom``..., ``type/blockade.atom``... and
``NAME.atom`` / ``NAME.rss`` per saved search, plus ``index.opml`` listing them for feed readers.
Each file is written to a temporary name and renamed, so a web server serving DIR never sends
half a feed; a file whose content did not change is not rewritten (its mtime, and so the
server's Last-Modified, stays).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from feeds import feed_document
from feeds.catalog import FeedSpec, all_specs

FORMATS = ("atom", "rss")


@dataclass(frozen=True)
class BuildReport:
    written: int
    unchanged: int
    feeds: int


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` atomically unless the file holds it already; whether it was written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def opml(specs: list[FeedSpec], base_url: str) -> bytes:
    """An OPML 2.0 list of the Atom feeds, to import into a feed reader in one go."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             "  <head><title>protestwire feeds</title></head>", "  <body>"]
    for spec in specs:
        lines.append(f"    <outline type=\"rss\" text={quoteattr(spec.title)} "
                     f"xmlUrl={quoteattr(spec.url(base_url, 'atom'))}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def build_feeds(engine: Any, directory: str | Path, base_url: str, *, countries: list[str] | None = None,
                site_url: str | None = None) -> BuildReport:
    """Write every feed under ``directory``; ``base_url`` is where that folder will be served (the
    feeds' self links), ``site_url`` the search page's address (their alternate links)."""
    root = Path(directory)
    specs = all_specs(engine, countries)
    written = unchanged = 0
    for spec in specs:
        for fmt in FORMATS:
            body = feed_document(engine, spec.query, fmt, self_url=spec.url(base_url, fmt),  # type: ignore[arg-type]
                                 title=spec.title, feed_id_=spec.feed_id, site_url=site_url)
            if write_if_changed(root / f"{spec.path}.{fmt}", body):
                written += 1
            else:
                unchanged += 1
    write_if_changed(root / "index.opml", opml(specs, base_url))
    return BuildReport(written=written, unchanged=unchanged, feeds=len(specs))
