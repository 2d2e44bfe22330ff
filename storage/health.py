"""Source health (`protestwire status`, /status): is each outlet still being crawled, and does what
comes back still look like articles?

Read from what the crawler stores: ``crawl_runs`` (status, and per source: answers, errors and,
since issue 13, errors and drops by kind; a run of one source also names its kinds run-wide) and
the articles themselves (first seen, publication date and where it came from). Per source:
  last_success      the start of the newest finished run in which the outlet answered
  per_day_now       articles first stored per day over the last ``recent_days``
  per_day_baseline  the same over the ``baseline_days`` before that (fewer if the outlet is newer)
  http_403, http_429  shares of the recent requests (answers plus failures) that ended so
  no_body           share of the recent pages dropped for having no article text ("no-text")
  no_date           share of the recent articles with no date of their own (none, or the crawl time)
Verdict, the first that holds (thresholds are ``HealthOptions``' fields, documented there):
  blocked   403s and 429s together are at least ``blocked_share`` of ``min_requests`` or more requests
  failing   no successful run in ``stale_intervals`` crawl intervals (at least ``min_stale_hours``), or never
  broken    ``broken_share`` or more of ``min_pages`` or more pages had no body, or of the articles no date
  quiet     a baseline of ``quiet_min_per_day`` or more articles a day, and now under ``quiet_ratio`` of it
  healthy   none of these
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, and_, case, func, or_, select

from storage.db import session_scope
from storage.models import Article, CrawlRun, Source

VERDICTS = ("healthy", "quiet", "blocked", "broken", "failing")
DEFAULT_INTERVAL_MINUTES = 60
# Run rows are read newest first in batches this size when looking for a source's last success.
RUN_BATCH = 500


@dataclass(frozen=True, kw_only=True)
class HealthOptions:
    now: datetime | None = None  # default: the time of the call
    recent_days: float = 2.0  # "now": long enough for an outlet that publishes a few stories a day
    baseline_days: float = 28.0  # the outlet's own normal: four weeks, so weekends weigh as they do
    quiet_ratio: float = 0.25  # under a quarter of its usual articles a day is quiet
    quiet_min_per_day: float = 1.0  # an outlet with fewer than one a day usually is too sparse to call quiet
    blocked_share: float = 0.5  # half the requests answered 403 or 429: the outlet is turning us away
    broken_share: float = 0.5  # half the pages without text or date: its template changed under us
    min_requests: int = 5  # fewer requests than this tell nothing about blocking
    min_pages: int = 5  # nor fewer pages about extraction
    stale_intervals: float = 3.0  # three missed crawls in a row
    min_stale_hours: float = 6.0  # but never less than this (a 15-minute outlet is not failing after 45)
    intervals: dict[str, int] = field(default_factory=dict)  # source id -> crawl_interval_minutes (registry)


@dataclass(frozen=True, kw_only=True)
class SourceHealth:
    source: str
    name: str | None
    country: str | None
    verdict: str
    reason: str
    last_success: datetime | None
    last_run: datetime | None
    runs_recent: int
    per_day_now: float
    per_day_baseline: float | None
    requests: int
    http_403: float
    http_429: float
    errors: float
    pages: int
    no_body: float
    articles_recent: int
    no_date: float

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("last_success", "last_run"):
            data[name] = data[name].isoformat() if data[name] else None
        return data


@dataclass
class _Counts:
    runs: int = 0
    last_run: datetime | None = None
    last_success: datetime | None = None
    answered: int = 0
    errors: int = 0
    http_403: int = 0
    http_429: int = 0
    stored: int = 0
    dropped: int = 0
    no_text: int = 0


def _kind(counts: dict[str, Any], run: Any, prefix: str, kind: str, run_wide: dict[str, Any]) -> int:
    """A source's count of one kind: its own (``error:http-403``), else the run's when it was its only source."""
    own = counts.get(f"{prefix}:{kind}")
    if own is not None:
        return int(own)
    return int(run_wide.get(kind, 0)) if len(run.per_source or {}) == 1 else 0


def _succeeded(run: Any, counts: dict[str, Any]) -> bool:
    return run.status == "finished" and int(counts.get("answered", 0)) > 0


def _run_counts(engine: Engine, since: datetime) -> dict[str, _Counts]:
    found: dict[str, _Counts] = {}
    with session_scope(engine, write=False) as session:
        rows = session.execute(select(CrawlRun.started_at, CrawlRun.status, CrawlRun.errors, CrawlRun.drop_reasons,
                                      CrawlRun.per_source).where(CrawlRun.started_at >= since)).all()
    for run in rows:
        for source_id, counts in (run.per_source or {}).items():
            c = found.setdefault(source_id, _Counts())
            c.runs += 1
            c.last_run = max(filter(None, (c.last_run, run.started_at)))
            if _succeeded(run, counts):
                c.last_success = max(filter(None, (c.last_success, run.started_at)))
            c.answered += int(counts.get("answered", 0))
            c.errors += int(counts.get("errors", 0))
            c.http_403 += _kind(counts, run, "error", "http-403", run.errors or {})
            c.http_429 += _kind(counts, run, "error", "http-429", run.errors or {})
            c.stored += sum(int(counts.get(k, 0)) for k in ("new", "updated", "unchanged", "duplicate"))
            c.dropped += int(counts.get("dropped", 0))
            c.no_text += _kind(counts, run, "dropped", "no-text", run.drop_reasons or {})
    return found


def _older_successes(engine: Engine, before: datetime, wanted: set[str], oldest: datetime) -> dict[str, tuple[datetime,
                                                                                                              datetime]]:
    """For sources with no success in the recent window: (last success, last run) before it, newest first."""
    found: dict[str, tuple[datetime, datetime]] = {}
    last_runs: dict[str, datetime] = {}
    upper = None
    with session_scope(engine, write=False) as session:
        while wanted - set(found):
            stmt = (select(CrawlRun.id, CrawlRun.started_at, CrawlRun.status, CrawlRun.per_source)
                    .where(CrawlRun.started_at < before, CrawlRun.started_at >= oldest)
                    .order_by(CrawlRun.id.desc()).limit(RUN_BATCH))
            if upper is not None:
                stmt = stmt.where(CrawlRun.id < upper)
            rows = session.execute(stmt).all()
            if not rows:
                break
            for run in rows:
                for source_id, counts in (run.per_source or {}).items():
                    if source_id in wanted and source_id not in found:
                        last_runs.setdefault(source_id, run.started_at)
                        if _succeeded(run, counts):
                            found[source_id] = (run.started_at, last_runs[source_id])
            upper = rows[-1].id
    for source_id, last in last_runs.items():
        if source_id not in found:
            found[source_id] = (None, last)  # type: ignore[assignment]
    return found


def _article_counts(engine: Engine, recent: datetime, baseline: datetime) -> dict[str, tuple[int, int, int, Any]]:
    """Per source: (articles first seen recently, of them undated, in the baseline window, first ever seen)."""
    undated = or_(Article.published.is_(None), Article.published_source == "crawl-time")
    is_recent = Article.first_seen >= recent
    stmt = (select(Article.source_id,
                   func.sum(case((is_recent, 1), else_=0)),
                   func.sum(case((and_(is_recent, undated), 1), else_=0)),
                   func.sum(case((and_(Article.first_seen >= baseline, Article.first_seen < recent), 1), else_=0)),
                   func.min(Article.first_seen))
            .where(Article.source_id.is_not(None)).group_by(Article.source_id))
    with session_scope(engine, write=False) as session:
        return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0), row[4]) for row in session.execute(stmt)}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _aware(moment: Any) -> Any:
    """first_seen read by func.min comes back naive on SQLite (no column type): it is UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if isinstance(moment, datetime) and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def verdict(row: dict[str, Any], options: HealthOptions, interval_minutes: int, now: datetime) -> tuple[str, str]:
    """The verdict of one source's figures and the reason for it (the module's docstring lists the rules)."""
    blocked = row["http_403"] + row["http_429"]
    if row["requests"] >= options.min_requests and blocked >= options.blocked_share:
        return "blocked", (f"{blocked:.0%} of {row['requests']} recent requests answered 403 or 429")
    stale = timedelta(hours=max(options.min_stale_hours, options.stale_intervals * interval_minutes / 60))
    if row["last_success"] is None:
        return "failing", "no successful crawl run" + (" yet" if row["last_run"] is None else " on record")
    if now - row["last_success"] > stale:
        return "failing", f"no successful crawl run for {_age(now - row['last_success'])}"
    if row["pages"] >= options.min_pages and row["no_body"] >= options.broken_share:
        return "broken", f"{row['no_body']:.0%} of {row['pages']} recent pages had no article text"
    if row["articles_recent"] >= options.min_pages and row["no_date"] >= options.broken_share:
        return "broken", f"{row['no_date']:.0%} of {row['articles_recent']} recent articles had no date"
    base = row["per_day_baseline"]
    if base is not None and base >= options.quiet_min_per_day and row["per_day_now"] < options.quiet_ratio * base:
        return "quiet", f"{row['per_day_now']:.1f} articles a day against its usual {base:.1f}"
    return "healthy", "crawled, answering, articles as usual"


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def source_health(engine: Engine, options: HealthOptions | None = None) -> list[SourceHealth]:
    """Every source the store knows (crawled or with articles), worst verdicts first, then by id."""
    options = options or HealthOptions()
    now = options.now or datetime.now(timezone.utc)
    recent = now - timedelta(days=options.recent_days)
    baseline_start = recent - timedelta(days=options.baseline_days)
    runs = _run_counts(engine, recent)
    articles = _article_counts(engine, recent, baseline_start)
    with session_scope(engine, write=False) as session:
        known = {row.id: (row.name, row.country) for row in session.execute(select(Source.id, Source.name,
                                                                                     Source.country))}
    ids = sorted(set(known) | set(runs) | set(articles))
    older = _older_successes(engine, recent, {i for i in ids if runs.get(i, _Counts()).last_success is None},
                             baseline_start - timedelta(days=365))
    results = []
    for source_id in ids:
        c = runs.get(source_id, _Counts())
        recent_articles, undated, in_baseline, first_seen = articles.get(source_id, (0, 0, 0, None))
        first_seen = _aware(first_seen)
        last_success, last_run = c.last_success, c.last_run
        if last_success is None and source_id in older:
            last_success, before = older[source_id]
            last_run = last_run or before
        base_days = 0.0
        if first_seen is not None and first_seen < recent:
            base_days = min(options.baseline_days, (recent - max(first_seen, baseline_start)).total_seconds() / 86400)
        requests = c.answered + c.errors
        pages = c.stored + c.dropped
        row: dict[str, Any] = {
            "last_success": last_success, "last_run": last_run, "requests": requests, "pages": pages,
            "http_403": _share(c.http_403, requests), "http_429": _share(c.http_429, requests),
            "errors": _share(c.errors, requests), "no_body": _share(c.no_text, pages),
            "articles_recent": recent_articles, "no_date": _share(undated, recent_articles),
            "per_day_now": round(recent_articles / options.recent_days, 2),
            "per_day_baseline": round(in_baseline / base_days, 2) if base_days >= 1 else None,
        }
        interval = options.intervals.get(source_id, DEFAULT_INTERVAL_MINUTES)
        name, country = known.get(source_id, (None, None))
        state, reason = verdict(row, options, interval, now)
        results.append(SourceHealth(source=source_id, name=name, country=country, verdict=state, reason=reason,
                                    runs_recent=c.runs, **row))
    order = {"blocked": 0, "failing": 1, "broken": 2, "quiet": 3, "healthy": 4}
    return sorted(results, key=lambda r: (order[r.verdict], r.source))
