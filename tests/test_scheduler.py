"""The APScheduler service: one job per source, each crawl in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

import scheduler
from protestwire.replay.server import load_sites, serve_sites
from sources import load_sources
from storage.db import connect, session_scope
from storage.models import Article, CrawlRun


def test_each_source_gets_one_non_overlapping_job_on_its_interval() -> None:
    sources = load_sources()
    background = BackgroundScheduler(timezone=timezone.utc)
    scheduler.add_crawl_jobs(background, sources, "sqlite:///x.db")
    jobs = {job.id: job for job in background.get_jobs()}
    assert set(jobs) == {f"crawl:{s.id}" for s in sources}
    for source in sources:
        job = jobs[f"crawl:{source.id}"]
        assert job.trigger.interval.total_seconds() == source.crawl_interval_minutes * 60
        assert job.max_instances == 1 and job.coalesce
        assert job.args == (source.id, "sqlite:///x.db", None)


# What a persistent APScheduler job store keeps of a crawl job: "module:function". The layout of
# issue 19 kept scheduler.py in place, so rows written before it still load; moving crawl_source
# would need a new ref here and the jobs re-registered (add_crawl_jobs replaces them by id).
CRAWL_JOB_REF = "scheduler:crawl_source"


def test_a_crawl_job_kept_in_a_job_store_loads_back_to_the_same_function(tmp_path) -> None:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    (source, *_) = load_sources()
    writer = BackgroundScheduler(timezone=timezone.utc, jobstores={"default": SQLAlchemyJobStore(url=url)})
    writer.start(paused=True)
    try:
        scheduler.add_crawl_jobs(writer, [source], "sqlite:///x.db")
    finally:
        writer.shutdown(wait=False)
    store = SQLAlchemyJobStore(url=url)
    store.start(None, "default")
    try:
        (job,) = store.get_all_jobs()
    finally:
        store.shutdown()
    assert job.func_ref == CRAWL_JOB_REF and job.func is scheduler.crawl_source
    assert job.id == f"crawl:{source.id}" and job.args == (source.id, "sqlite:///x.db", None)


def test_crawl_command_runs_the_cli_in_a_fresh_interpreter() -> None:
    command = scheduler.crawl_command("elcomercio-pe", "sqlite:///x.db", "my.toml")
    assert command[:3] == [sys.executable, "-m", "protestwire"]
    assert command[3:] == ["crawl", "--source", "elcomercio-pe", "--db", "sqlite:///x.db", "--sources", "my.toml"]


def test_schedule_once_crawls_each_source_into_the_store(tmp_path, db_url) -> None:
    wanted = {"altiplano-bo", "andes-report-cl"}
    sites = [s for s in load_sites() if s.id in wanted]
    with serve_sites(sites) as running:
        registry = tmp_path / "sources.toml"
        registry.write_text("\n".join(_toml(site.as_source()) for site in running), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "protestwire", "schedule", "--once", "--sources", str(registry), "--db", db_url],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "PROTESTWIRE_MAX_ARTICLE_AGE_DAYS": "0", "PROTESTWIRE_BACKOFF_BASE_SECONDS": "0"},
        )
    assert result.returncode == 0, result.stderr
    assert "Crawled 2 of 2 sources." in result.stdout
    engine = connect(db_url)
    with session_scope(engine) as session:
        per_source = dict(session.execute(select(Article.source_id, func.count()).group_by(Article.source_id)).all())
        runs = session.scalar(select(func.count()).select_from(CrawlRun))
    assert set(per_source) == wanted and all(count >= 5 for count in per_source.values())
    assert runs == 4  # per source: feeds, then sitemaps (its own, or those its robots.txt names)


def _toml(source) -> str:
    def quoted(values) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    return (f'[[source]]\nid = "{source.id}"\nname = "{source.name}"\nhomepage = "{source.homepage}"\n'
            f'country = "{source.country}"\nlanguages = {quoted(source.languages)}\nfeeds = {quoted(source.feeds)}\n'
            f'sitemaps = {quoted(source.sitemaps)}\nallowed_domains = {quoted(source.allowed_domains)}\n')


def test_a_restart_keeps_the_stored_schedule_and_drops_unscheduled_sources(db_url) -> None:
    """Jobs kept in the store's apscheduler_jobs keep their next run across restarts; a changed
    interval or a new source is due now; a source no longer scheduled loses its job."""
    first, second, third = load_sources()[:3]

    def started() -> BackgroundScheduler:
        background = BackgroundScheduler(timezone=timezone.utc, jobstores={"default": scheduler.job_store(db_url)})
        background.start(paused=True)
        return background

    before = started()
    scheduler.add_crawl_jobs(before, [first, second], db_url)
    scheduler.add_maintenance_jobs(before, db_url)
    later = datetime.now(timezone.utc) + timedelta(hours=3)
    before.modify_job(f"crawl:{first.id}", next_run_time=later)
    before.shutdown(wait=False)

    after = started()
    try:
        scheduler.add_crawl_jobs(after, [first, third], db_url)
        scheduler.add_maintenance_jobs(after, db_url)
        jobs = {job.id: job for job in after.get_jobs()}
    finally:
        after.shutdown(wait=False)
    assert set(jobs) == {f"crawl:{first.id}", f"crawl:{third.id}", *(name for name, _ in scheduler.MAINTENANCE)}
    assert abs((jobs[f"crawl:{first.id}"].next_run_time - later).total_seconds()) < 1  # resumed, not reset
    assert jobs[f"crawl:{third.id}"].next_run_time < later
    assert jobs["maintenance:regroup"].func is scheduler.run_maintenance


def test_maintenance_jobs_run_on_a_store_and_can_run_again(db_url) -> None:
    from storage.models import FetchState
    from tests.helpers import fill_store

    engine = connect(db_url)
    fill_store(engine)
    old = datetime.now(timezone.utc) - scheduler.FETCH_STATE_MAX_AGE - timedelta(days=1)
    with session_scope(engine) as session:
        session.add_all([FetchState(url="https://gone.example/rss", checked_at=old),
                         FetchState(url="https://here.example/rss")])
    for job in ("optimize-index", "prune-fetch-state", "regroup"):
        assert scheduler.run_maintenance(job, db_url) == 0
        assert scheduler.run_maintenance(job, db_url) == 0  # safe to re-run
    with session_scope(engine) as session:
        assert list(session.scalars(select(FetchState.url))) == ["https://here.example/rss"]
    from storage.search import SearchQuery, search

    assert search(engine, SearchQuery(text="carretera"))  # the optimised index still answers
    engine.dispose()
