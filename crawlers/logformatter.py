"""How Scrapy words its log lines for protestwire."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class ProtestwireLogFormatter(LogFormatter):
    """Dropped pages are logged at INFO with their reason only, never with the item: each drop
    is already counted (stats and the crawl-run row), and an item holds the whole raw page."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> LogFormatterResult:
        return {
            "level": logging.INFO,
            "msg": "Dropped %(url)s: %(exception)s",
            "args": {"url": getattr(item, "url", "?"), "exception": exception},
        }
