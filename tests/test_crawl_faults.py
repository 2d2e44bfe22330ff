"""Crawling a misbehaving outlet: every bad response is counted per source, none stops the crawl,
and a second crawl of the unchanged site makes only conditional requests and stores nothing new."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from protestwire.replay.server import ReplaySite, serve_sites
from storage.db import connect, session_scope
from storage.models import Article, Capture, CrawlRun
from storage.warc import read_response
from tests import faulty_site

ROBOTS_SOURCE = """
[[source]]
id = "quebrada-robots"
name = "Diario La Quebrada (robots.txt discovery)"
homepage = "{base}/"
country = "PE"
languages = ["es"]
feeds = []
sections = ["{base}/seccion/protestas/"]
allowed_domains = ["127.0.0.1"]
"""


def registry(base: str) -> str:
    return (f'[[source]]\nid = "quebrada-pe"\nname = "Diario La Quebrada"\nhomepage = "{base}/"\ncountry = "PE"\n'
            f'languages = ["es"]\nfeeds = ["{base}/feed.xml", "{base}/feed-roto.xml"]\n'
            f'sitemaps = ["{base}/sitemap.xml", "{base}/sitemap-roto.xml"]\nsections = ["{base}/seccion/protestas/"]\n'
            f'allowed_domains = ["127.0.0.1"]\n')


def crawl(registry_file: Path, db_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    settings = [f"--set={k}={v}" for k, v in faulty_site.FAST_FAULT_SETTINGS.items()]
    return subprocess.run(
        [sys.executable, "-m", "protestwire", "crawl", "--sources", str(registry_file), "--db", db_url,
         *settings, *extra],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = faulty_site.build(tmp_path_factory.mktemp("quebrada") / "site")
    workdir = tmp_path_factory.mktemp("store")
    db_url = f"sqlite:///{workdir / 'store.db'}"
    with serve_sites([ReplaySite.load(folder)]) as (running,):
        registry_file = workdir / "sources.toml"
        registry_file.write_text(registry(running.base_url), encoding="utf-8")
        first = crawl(registry_file, db_url)
        assert first.returncode == 0, first.stderr
        first_requests = list(running.requests.entries)
        del running.requests.entries[:]
        second = crawl(registry_file, db_url)
        assert second.returncode == 0, second.stderr
        second_requests = list(running.requests.entries)
    return db_url, running.base_url, first, first_requests, second, second_requests


def runs(db_url: str) -> list[CrawlRun]:
    engine = connect(db_url)
    with session_scope(engine) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def articles(db_url: str) -> list[Article]:
    engine = connect(db_url)
    with session_scope(engine) as session:
        return list(session.scalars(select(Article)))


def test_good_articles_from_every_discovery_path_are_stored(crawled) -> None:
    db_url, base, *_ = crawled
    stored = {a.canonical_url.removeprefix(base) for a in articles(db_url)}
    assert stored == set(faulty_site.STORED_PATHS)


def test_each_bad_response_is_counted_by_kind(crawled) -> None:
    db_url, *_ = crawled
    first_runs = runs(db_url)[:3]
    assert [r.spider for r in first_runs] == ["feeds", "sitemaps", "sections"]
    errors: dict[str, int] = {}
    for run in first_runs:
        assert run.status == "finished"
        for reason, count in run.errors.items():
            errors[reason] = errors.get(reason, 0) + count
    assert errors == faulty_site.EXPECTED_ERRORS
    assert first_runs[0].drop_reasons == {"no-text": 1}  # the photo gallery, decided in a worker process
    feeds = first_runs[0]
    assert feeds.per_source["quebrada-pe"]["errors"] == sum(feeds.errors.values())
    assert feeds.per_source["quebrada-pe"]["offsite-links"] == 1
    # The same by kind per source (issue 13: a source's health tells 403s and 429s apart).
    assert {k.removeprefix("error:"): v for k, v in feeds.per_source["quebrada-pe"].items()
            if k.startswith("error:")} == feeds.errors
    assert feeds.per_source["quebrada-pe"]["dropped:no-text"] == 1


def test_rate_limited_pages_are_retried_after_waiting(crawled) -> None:
    _, _, _, first_requests, *_ = crawled
    paths = [path for _, path, _ in first_requests]
    for path in faulty_site.SLOW_RECOVERY:
        assert paths.count(path) == 2  # refused once, then fetched


def test_a_page_in_the_wrong_declared_encoding_keeps_its_accents(crawled) -> None:
    db_url, base, *_ = crawled
    page = next(a for a in articles(db_url) if a.canonical_url == base + faulty_site.LATIN1[0])
    assert "Jesús María" in page.body and "\ufffd" not in page.body


def test_article_pages_are_kept_in_warc_and_readable_back(crawled) -> None:
    db_url, base, *_ = crawled
    engine = connect(db_url)
    with session_scope(engine) as session:
        pairs = session.execute(select(Article, Capture).join(Capture, Article.capture_id == Capture.id)).all()
    assert len(pairs) == len(faulty_site.STORED_PATHS)
    for article, capture in pairs:
        raw = read_response(capture.warc_path, capture.warc_offset)
        assert raw.url == article.url and raw.status == 200
        assert b"<article>" in raw.body


def test_second_crawl_of_an_unchanged_site_is_only_conditional_requests(crawled) -> None:
    db_url, _, _, first_requests, second, second_requests = crawled
    assert second_requests, "the second crawl asked nothing"
    unconditional = [(path, headers) for _, path, headers in second_requests
                     if "If-None-Match" not in headers and "If-Modified-Since" not in headers]
    assert unconditional == []
    assert len(second_requests) < len(first_requests) / 3
    later = runs(db_url)[3:]
    assert sum(r.articles_new + r.articles_updated + r.articles_duplicate for r in later) == 0
    assert len(articles(db_url)) == len(faulty_site.STORED_PATHS)


def test_refetch_fetches_stored_articles_again(tmp_path) -> None:
    folder = faulty_site.build(tmp_path / "site")
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    with serve_sites([ReplaySite.load(folder)]) as (running,):
        registry_file = tmp_path / "sources.toml"
        registry_file.write_text(registry(running.base_url), encoding="utf-8")
        assert crawl(registry_file, db_url, "--spider", "sections").returncode == 0
        path = list(faulty_site.STORIES)[3]
        assert running.requests.hits[path] == 1
        assert crawl(registry_file, db_url, "--spider", "sections").returncode == 0
        assert running.requests.hits[path] == 1  # stored: not fetched again
        assert crawl(registry_file, db_url, "--spider", "sections", "--refetch",
                     "--set=PROTESTWIRE_CONDITIONAL_GET=false").returncode == 0
        assert running.requests.hits[path] == 2


def test_robots_txt_sitemap_lines_are_followed_for_sources_without_sitemaps(tmp_path) -> None:
    folder = faulty_site.build(tmp_path / "site")
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /privado/\nSitemap: {{BASE}}/sitemap-noticias.xml\n")
    with serve_sites([ReplaySite.load(folder)]) as (running,):
        registry_file = tmp_path / "sources.toml"
        registry_file.write_text(ROBOTS_SOURCE.format(base=running.base_url), encoding="utf-8")
        result = crawl(registry_file, db_url, "--spider", "sitemaps")
        assert result.returncode == 0, result.stderr
    stored = {a.canonical_url.removeprefix(running.base_url) for a in articles(db_url)}
    assert stored == {list(faulty_site.STORIES)[2]}
