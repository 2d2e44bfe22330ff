"""The search page's timeline: protest-relevant articles per day by country, as inline SVG.

Stacked by outlet country: the ``MAX_SERIES`` largest, the rest summed as "other". Rendered on the
server from ``storage.facets.grouped_counts`` rows; no script, no library, no external asset.
Every label is escaped (country codes come from the store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

WIDTH, HEIGHT = 760, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 110, 14, 30
MAX_DAYS = 180  # longer spans are charted by week
MAX_SERIES = 6  # countries drawn apart; the rest are summed as "other"
# Colour-blind-safe (Okabe-Ito), dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#666666")


def series_by_country(rows: Sequence[tuple[tuple[str, ...], int]],
                      step: int = 1) -> tuple[list[date], dict[str, list[int]]]:
    """Every day (``step`` 7: every week) from the first to the last, gaps as 0, and each country's
    count per day, largest first."""
    per_country: dict[str, dict[date, int]] = defaultdict(dict)
    for (day, country), count in rows:
        per_country[country][date.fromisoformat(day)] = count
    if not per_country:
        return [], {}
    days_seen = [day for counts in per_country.values() for day in counts]
    first, last = min(days_seen), max(days_seen)
    days = [first + timedelta(days=i) for i in range(0, (last - first).days + 1, step)]
    ranked = sorted(per_country, key=lambda c: (-sum(per_country[c].values()), c))
    series = {c: [per_country[c].get(d, 0) for d in days] for c in ranked[:MAX_SERIES]}
    rest = ranked[MAX_SERIES:]
    if rest:
        series["other"] = [sum(per_country[c].get(d, 0) for c in rest) for d in days]
    return days, series


def _nice_top(value: int) -> int:
    """A round axis maximum (2, 5, 10, 20, 50...) at or above ``value``."""
    return next(c for c in sorted(m * 10 ** k for k in range(12) for m in (1, 2, 5)) if c >= max(value, 2))


def spans_long(rows: Sequence[tuple[tuple[str, ...], int]]) -> bool:
    """More days than bars that stay readable: chart weeks instead."""
    days = [date.fromisoformat(day) for (day, _), _ in rows]
    return bool(days) and (max(days) - min(days)).days > MAX_DAYS


def timeline_svg(rows: Sequence[tuple[tuple[str, ...], int]], title: str = "Protest-relevant articles per day",
                 step: int = 1) -> str:
    """An accessible SVG chart: one stacked bar per day (or week, ``step`` 7), a colour per country;
    a short note when empty."""
    days, series = series_by_country(rows, step)
    if not days:
        return '<p class="chart-empty">No dated protest-relevant articles match: nothing to chart.</p>'
    totals = [sum(counts[i] for counts in series.values()) for i in range(len(days))]
    top = _nice_top(max(totals))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    bar = max(slot * 0.8, 0.5)

    def y(count: float) -> float:
        return TOP + plot_h * (1 - count / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="timeline" '
             f'role="img" aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>']
    for tick in (0, top // 2, top):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{tick:,}</text>')
    label_every = max(1, round(len(days) / 7))
    for i in range(0, len(days), label_every):
        parts.append(f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                     f'class="tick">{days[i].strftime("%d %b")}</text>')
    below = [0] * len(days)
    for n, (country, counts) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        label = escape(country)
        parts.append(f'<g class="series" data-country="{label}" fill="{colour}">')
        for i, count in enumerate(counts):
            if count:
                top_y, bottom_y = y(below[i] + count), y(below[i])
                parts.append(f'<rect x="{LEFT + slot * i + (slot - bar) / 2:.1f}" y="{top_y:.1f}" width="{bar:.1f}" '
                             f'height="{bottom_y - top_y:.1f}"><title>{label} {days[i].isoformat()}: {count:,}'
                             f'</title></rect>')
                below[i] += count
        legend_y = TOP + 16 * n + 8
        parts.append(f'<rect x="{WIDTH - RIGHT + 14}" y="{legend_y - 9}" width="12" height="10"/>'
                     f'<text x="{WIDTH - RIGHT + 32}" y="{legend_y}" class="legend">{label} '
                     f'({sum(counts):,})</text></g>')
    parts.append("</svg>")
    return "".join(parts)
