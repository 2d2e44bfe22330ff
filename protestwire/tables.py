"""The tables the CLI and the demo print (rich), one function per kind of result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from crawlers.check import UrlCheck
from crawlers.sources import Source
from pipeline.types import local_time
from storage.search import SearchHit


def runs_table(summaries: Sequence[Any]) -> Table:
    """One row per crawl run (crawlers.run.RunSummary)."""
    table = Table(title="Crawl runs", title_justify="left")
    table.add_column("spider", no_wrap=True)
    for name in ("pages", "new", "updated", "same", "copies", "dropped"):
        table.add_column(name, justify="right", min_width=len(name))
    table.add_column("why dropped, what failed", overflow="fold", min_width=12)
    for s in summaries:
        spider = s.spider if s.status == "finished" else f"{s.spider} ({s.status})"
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted({**s.drop_reasons, **s.errors}.items())) or "-"
        table.add_row(spider, str(s.pages_fetched), str(s.articles_new), str(s.articles_updated),
                      str(s.articles_unchanged), str(s.articles_duplicate), str(s.articles_dropped), reasons)
    return table


def hits_table(hits: Sequence[SearchHit], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("published", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("cc", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("protest", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    for hit in hits:
        score = f"{hit.protest_score:.2f}" + (" ✓" if hit.protest else "")
        title_text = hit.title + (f"  [dim](copy of #{hit.duplicate_of})[/]" if hit.duplicate_of else "")
        if hit.also_reported_by:
            title_text += f"  [dim](also reported by {hit.also_reported_by} outlet{'s' if hit.also_reported_by > 1 else ''})[/]"
        # The publisher's own calendar day when known: what its readers saw on the page.
        local = local_time(hit.published, hit.published_offset_minutes)
        day = (local or (hit.published.isoformat() if hit.published else "?"))[:10]
        table.add_row(day, hit.source or "?",
                      hit.country or "?", hit.language or "?", score, title_text)
    return table


def sources_table(sources: Sequence[Source]) -> Table:
    table = Table(title=f"{len(sources)} sources", title_justify="left",
                  caption="f/s/l: feeds, sitemaps, listing (section) pages; min: crawl interval in minutes")
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("name", overflow="fold", min_width=16)
    table.add_column("cc", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("f/s/l", no_wrap=True, justify="center")
    table.add_column("min", no_wrap=True, justify="right")
    for s in sorted(sources, key=lambda s: (s.country, s.id)):
        table.add_row(s.id, s.name, s.country, ",".join(s.languages),
                      f"{len(s.feeds)}/{len(s.sitemaps)}/{len(s.sections)}", str(s.crawl_interval_minutes))
    return table


def checks_table(results: Sequence[UrlCheck]) -> Table:
    table = Table(title="Online check", title_justify="left")
    for name in ("source", "kind", "status", "links", "problem", "url"):
        table.add_column(name, overflow="fold")
    for r in results:
        table.add_row(r.source_id, r.kind, str(r.status or "-"), str(r.links), r.problem or "ok", r.url)
    return table
