"""Scrapy extensions of protestwire: ``LiveProgress``, the live status line (pages, articles, errors)
that a crawl writes to a terminal.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Console, Group
from rich.live import Live
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class LiveProgress:
    """A live status line per running spider: pages fetched, articles stored and dropped, errors.

    On with ``PROTESTWIRE_PROGRESS = True`` (the CLI sets it when writing to a terminal).
    Spiders running in the same process share one live display.
    """

    _live: ClassVar[Live | None] = None
    _shown: ClassVar[list[LiveProgress]] = []  # every spider of this display, finished ones too
    _open: ClassVar[int] = 0

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("PROTESTWIRE_PROGRESS"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LiveProgress:
        extension = cls(crawler)
        for handler, signal in (
            (extension.opened, signals.spider_opened), (extension.refresh, signals.response_received),
            (extension.refresh, signals.item_scraped), (extension.refresh, signals.item_dropped),
            (extension.closed, signals.spider_closed),
        ):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def line(self) -> Text:
        stats = self.crawler.stats.get_stats()

        def total(prefix: str) -> int:
            return sum(v for k, v in stats.items() if k.startswith(prefix))

        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        return Text(f"{name:>9}: pages {stats.get('response_received_count', 0)}, "
                    f"stored {total('protestwire/stored/')}, dropped {total('protestwire/dropped/')}, "
                    f"errors {total('protestwire/errors/')}")

    def refresh(self, **_: Any) -> None:
        if LiveProgress._live is not None:
            LiveProgress._live.update(Group(*(p.line() for p in LiveProgress._shown)))

    def opened(self, **_: Any) -> None:
        if LiveProgress._live is None:
            LiveProgress._live = Live(Text(""), console=Console(stderr=True), refresh_per_second=4)
            LiveProgress._live.start()
        LiveProgress._shown.append(self)
        LiveProgress._open += 1
        self.refresh()

    def closed(self, **_: Any) -> None:
        self.refresh()
        LiveProgress._open -= 1
        if LiveProgress._open == 0 and LiveProgress._live is not None:
            LiveProgress._live.stop()
            LiveProgress._live = None
            LiveProgress._shown.clear()
