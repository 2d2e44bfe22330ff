"""The tables the CLI and the demo print (rich), one function per kind of result.

Every cell and title is a ``Text``, never console markup: titles, outlet names, URLs and
reasons are other people's text and may hold "[...]" ("[fotos] Marcha en Cusco", "[/]").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.style import Style
from rich.table import Table
from rich.text import Text

from vocabulary.clock import local_time

if TYPE_CHECKING:  # types only: crawlers.check loads Scrapy and the extractors, storage.search the ORM
    from crawlers.check import UrlCheck
    from sources import Source
    from storage.search import SearchHit, SearchPage, SearchQuery


def plain_row(*cells: object) -> list[Text]:
    """Table cells from values, as literal text (no markup)."""
    return [cell if isinstance(cell, Text) else Text(str(cell)) for cell in cells]


def runs_table(summaries: Sequence[Any]) -> Table:
    """One row per crawl run (crawlers.run.RunSummary)."""
    table = Table(title=Text("Crawl runs"), title_justify="left")
    table.add_column("spider", no_wrap=True)
    for name in ("pages", "new", "updated", "same", "copies", "dropped"):
        table.add_column(name, justify="right", min_width=len(name))
    table.add_column("why dropped, what failed", overflow="fold", min_width=12)
    for s in summaries:
        spider = s.spider if s.status == "finished" else f"{s.spider} ({s.status})"
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted({**s.drop_reasons, **s.errors}.items())) or "-"
        table.add_row(*plain_row(spider, s.pages_fetched, s.articles_new, s.articles_updated,
                                 s.articles_unchanged, s.articles_duplicate, s.articles_dropped, reasons))
    return table


def page_title(page: SearchPage, query: SearchQuery) -> Text:
    """ "20 of 1,000 stories matching ...": the page's size against the total, never the page alone."""
    unit = "article(s)" if query.expand else "stories"
    total = f"{page.total:,}" if page.total_exact else f"about {page.total:,}"
    shown = f"{len(page.hits)} of {total}"
    if page.offset and page.hits:
        shown += f" (from {page.offset + 1:,})"
    return Text(f"{shown} {unit} matching {query.describe()}")


def page_caption(page: SearchPage, query: SearchQuery) -> Text | None:
    """The next page's option, when there is one."""
    if page.next_offset is None:
        return None
    limit = f" --limit {query.limit}" if query.limit != 20 else ""
    if page.next_cursor and query.sort == "newest":  # keyset: as fast on page 500 as on page 2
        return Text(f"Next page: --cursor {page.next_cursor}{limit}")
    return Text(f"Next page: --offset {page.next_offset}{limit}")


def hits_table(hits: Sequence[SearchHit], title: str | Text, *, caption: Text | None = None) -> Table:
    """One row per hit: id, the publisher's day, outlet, country, language, score, title over its URL.

    The URL sits under the title (dim, a terminal link), and the table has no vertical rules and
    one space between columns, so the title and URL get half of a 100-column terminal.
    """
    table = Table(title=Text(title) if isinstance(title, str) else title, title_justify="left",
                  caption=caption, caption_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  collapse_padding=True, leading=1)
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("published", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("cc", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("protest", no_wrap=True)
    table.add_column("title, url", overflow="fold", ratio=1)
    for hit in hits:
        score = f"{hit.protest_score:.2f}" + (" ✓" if hit.protest else "")
        # The publisher's own calendar day when known: what its readers saw on the page.
        local = local_time(hit.published, hit.published_offset_minutes)
        day = (local or (hit.published.isoformat() if hit.published else "?"))[:10]
        table.add_row(*plain_row(hit.id, day, hit.source or "?", hit.country or "?", hit.language or "?", score,
                                 _title_cell(hit)))
    return table


def _title_cell(hit: SearchHit) -> Text:
    cell = Text(hit.title)
    if hit.duplicate_of:
        cell.append(f"  (copy of #{hit.duplicate_of})", style="dim")
    if hit.also_reported_by:
        outlets = "outlet" if hit.also_reported_by == 1 else "outlets"
        cell.append(f"  (also reported by {hit.also_reported_by} {outlets})", style="dim")
    cell.append("\n")
    cell.append(hit.url, style=Style(dim=True, link=hit.url))
    return cell


def sources_table(sources: Sequence[Source]) -> Table:
    table = Table(title=Text(f"{len(sources)} sources"), title_justify="left",
                  caption=Text("f/s/l: feeds, sitemaps, listing (section) pages; min: crawl interval in minutes"))
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("name", overflow="fold", min_width=16)
    table.add_column("cc", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("f/s/l", no_wrap=True, justify="center")
    table.add_column("min", no_wrap=True, justify="right")
    for s in sorted(sources, key=lambda s: (s.country, s.id)):
        table.add_row(*plain_row(s.id, s.name, s.country, ",".join(s.languages),
                                 f"{len(s.feeds)}/{len(s.sitemaps)}/{len(s.sections)}", s.crawl_interval_minutes))
    return table


def checks_table(results: Sequence[UrlCheck]) -> Table:
    table = Table(title=Text("Online check"), title_justify="left")
    for name in ("source", "kind", "status", "links", "problem", "url"):
        table.add_column(name, overflow="fold")
    for r in results:
        table.add_row(*plain_row(r.source_id, r.kind, r.status or "-", r.links, r.problem or "ok", r.url))
    return table


def weeks_table(rows: Sequence[tuple[str, str, int]], title: str) -> Table:
    """Counts per week (rows, oldest first) and country (columns, most articles first), with totals."""
    by_country: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    for week, country, count in rows:
        by_country[country] = by_country.get(country, 0) + count
        cells[(week, country)] = count
    countries = sorted(by_country, key=lambda c: (-by_country[c], c))
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("week of")
    for country in countries:
        table.add_column(country, justify="right")
    table.add_column("total", justify="right", style="bold")
    for week in sorted({week for week, _, _ in rows}):
        counts = [cells.get((week, country), 0) for country in countries]
        table.add_row(*plain_row(week, *(f"{n:,}" if n else "·" for n in counts), f"{sum(counts):,}"))
    table.add_row(*plain_row("total", *(f"{by_country[c]:,}" for c in countries), f"{sum(by_country.values()):,}"),
                  style="bold", end_section=False)
    return table


def health_table(rows: Sequence[Any]) -> Table:
    """One row per source (storage.health.SourceHealth), worst verdicts first."""
    styles = {"healthy": "green", "quiet": "yellow", "blocked": "bold red", "broken": "bold red", "failing": "bold red"}
    table = Table(title=Text("Source health"), title_justify="left")
    table.add_column("source", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("last success", no_wrap=True)
    for name in ("now/day", "usual", "403", "429", "no body", "no date"):
        table.add_column(name, justify="right")
    table.add_column("why", overflow="fold", min_width=12)
    for r in rows:
        table.add_row(*plain_row(
            r.source, Text(r.verdict, style=styles.get(r.verdict, "")),
            r.last_success.strftime("%m-%d %H:%M") if r.last_success else "never", f"{r.per_day_now:.1f}",
            "-" if r.per_day_baseline is None else f"{r.per_day_baseline:.1f}", f"{r.http_403:.0%}",
            f"{r.http_429:.0%}", f"{r.no_body:.0%}", f"{r.no_date:.0%}", r.reason))
    return table
