"""`protestwire sources check --online` against replay outlets on 127.0.0.1."""

from click.testing import CliRunner

from crawlers.check import check_sources
from protestwire.cli import main
from protestwire.replay.server import ReplaySite, load_sites, serve_sites
from tests import faulty_site
from tests.test_crawl_faults import registry
from tests.test_scheduler import _toml


def test_every_discovery_url_of_working_outlets_answers_with_links(tmp_path) -> None:
    with serve_sites(load_sites()) as running:
        file = tmp_path / "sources.toml"
        file.write_text("\n".join(_toml(site.as_source()) for site in running), encoding="utf-8")
        result = CliRunner().invoke(main, ["sources", "check", "--online", "--sources", str(file)],
                                    env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "8 of 8 URLs answered with article links" in result.output


def test_broken_feeds_and_sitemaps_are_reported(tmp_path) -> None:
    folder = faulty_site.build(tmp_path / "site")
    with serve_sites([ReplaySite.load(folder)]) as (site,):
        file = tmp_path / "sources.toml"
        file.write_text(registry(site.base_url), encoding="utf-8")
        from sources import load_sources

        checks = {c.url.removeprefix(site.base_url): c for c in check_sources(load_sources(file), timeout=5)}
        result = CliRunner().invoke(main, ["sources", "check", "--online", "--sources", str(file)])
    assert checks["/feed.xml"].ok and checks["/feed.xml"].links > 5
    assert "malformed feed" in checks["/feed-roto.xml"].problem
    assert "malformed sitemap" in checks["/sitemap-roto.xml"].problem
    assert checks["/sitemap.xml"].ok and checks["/seccion/protestas/"].ok
    assert result.exit_code == 1
