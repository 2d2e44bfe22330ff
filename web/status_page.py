"""The /status page: each source's health (storage.health) as an HTML table, escaped by Jinja2."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from storage.health import VERDICTS

_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(default=True, default_for_string=True))


def status_html(rows: list[Any]) -> str:
    counts = Counter(row.verdict for row in rows)
    totals = [(verdict, counts[verdict]) for verdict in VERDICTS if counts[verdict]]
    return _ENVIRONMENT.get_template("status.html").render(rows=rows, totals=totals)
