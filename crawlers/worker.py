"""What the extraction worker processes run: keep the raw page in a WARC file, then every pure stage.

Kept apart from the Scrapy adapters (``crawlers/pipelines.py``) so that a worker imports neither
Scrapy nor Twisted. The workers fork from a forkserver that has imported ``crawlers.warm``
(``warm_up`` below) once per crawl command: without it each worker of each spider spent ~1.5 s
of CPU importing and loading models before its first page.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from crawlers.items import CaptureRef
from pipeline import process_page
from pipeline.extract.page import ExtractOptions
from pipeline.types import ArticleRecord, Dropped, FeedHints
from storage.warc import RawPage, WarcFile

# The WARC file each process appends to, per crawl run (a worker serves one run at a time).
_open_warcs: dict[str, WarcFile] = {}


def capture_and_process(
    page: RawPage, warc_prefix: str | None, feed: FeedHints | None, source_id: str, options: ExtractOptions
) -> tuple[CaptureRef | None, ArticleRecord | Dropped]:
    """Keep the raw page in this process's WARC file, then run the pure stages on it: extract,
    normalise, classify, geotag, fingerprint (``pipeline.process_page``). Runs in a worker
    process, so all the per-page CPU work uses the workers' cores and Scrapy's own process only
    fetches and stores; Dropped is returned, not raised, so no traceback crosses the process
    boundary."""
    capture = None
    if warc_prefix is not None:
        path = f"{warc_prefix}-{os.getpid()}.warc.gz"
        warc = _open_warcs.get(path)
        if warc is None:
            warc = _open_warcs[path] = WarcFile(Path(path))
        offset, length = warc.write_response(page)
        capture = CaptureRef(path, offset, length)
    try:
        return capture, process_page(
            page.body, page.url, source_id=source_id, content_type=page.content_type, feed=feed,
            extract_options=options, fetched_at=datetime.now(timezone.utc), last_modified=page.header("last-modified"),
        )
    except Dropped as dropped:
        return capture, dropped


def close_warcs() -> None:
    while _open_warcs:
        _open_warcs.popitem()[1].close()


# A short article in the shape the stages expect (headline, byline date, paragraphs naming a
# place): processing it loads the language model, gazetteer, date parser and lexicons.
_WARM_UP_PAGE = (
    "<html lang='es'><head><title>Paro nacional de transportistas en Lima</title>"
    "<meta property='article:published_time' content='2026-11-20T08:00:00-05:00'></head><body><article>"
    "<h1>Paro nacional de transportistas en Lima</h1><p class='byline'>Publicado el 20 de noviembre de 2026</p>"
    + "<p>Los transportistas bloquearon avenidas de Lima y Arequipa en protesta contra la inseguridad.</p>" * 8
    + "</article></body></html>"
)


def warm_up() -> None:
    """Load everything a page needs once, so processes forked afterwards start ready."""
    try:
        process_page(_WARM_UP_PAGE, "https://diario.example/2026/11/20/paro-nacional.html",
                     feed=FeedHints(country="PE"), extract_options=ExtractOptions(thorough=False))
    except Dropped:
        pass
    except Exception:  # noqa: BLE001 - it runs in the forkserver: failing there would stop every worker
        logging.getLogger(__name__).warning("warming up the pipeline failed; workers will load it themselves",
                                            exc_info=True)
