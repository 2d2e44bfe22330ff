"""The search page in a real browser: Debian's Chromium, headless, driven by playwright (never a downloaded browser).

scripts/test.sh installs the chromium package when it can (root with apt-get); elsewhere this skips, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.helpers import fill_store, make_record

CHROMIUM = os.environ.get("PROTESTWIRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (Debian's chromium package; scripts/test.sh installs it as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(engine) -> Iterator[str]:
    """The app on 127.0.0.1 with two outlets' protest stories and an economy article."""
    import uvicorn

    from pipeline.store import store_article, upsert_source
    from storage.db import session_scope
    from web import create_app

    fill_store(engine)
    with session_scope(engine) as session:
        upsert_source(session, id="cauca-co", name="La Voz del Cauca", homepage="https://cauca.example/", country="CO",
                      languages=["es"])
        store_article(session, make_record(
            "https://cauca.example/paro", source_id="cauca-co", title="Paro nacional: bloqueos en la vía Panamericana",
            body="Camioneros y campesinos bloquean la carretera Panamericana en el Cauca, Colombia, durante el paro "
                 "nacional. Los manifestantes exigen diálogo con el gobierno.",
            # two weeks before the Oruro blockade: its own story, not one the story model merges with it
            published=datetime(2026, 11, 5, 14, tzinfo=timezone.utc)))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_type_a_query_filter_by_country_and_see_results_and_the_chart(served: str, tmp_path: Path) -> None:
    missing = _browser_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # playwright gives each launch a fresh temporary profile (--user-data-dir) of its own.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()  # the page must work without it
            page.goto(served + "/")
            page.fill("input[name=q]", "carretera")
            page.click("button[type=submit]")
            titles = page.locator("ol.results h3").all_inner_texts()
            assert sorted(titles) == ["Paro nacional: bloqueos en la vía Panamericana",
                                      "Transportistas bloquean la carretera Oruro-La Paz"]
            page.select_option("select[name=country]", "CO")
            page.click("button[type=submit]")
            assert page.locator("ol.results h3").all_inner_texts() == [
                "Paro nacional: bloqueos en la vía Panamericana"]
            assert "country=CO" in page.url and "q=carretera" in page.url
            assert page.locator("ol.results mark").first.inner_text().lower() == "carretera"
            assert page.locator("svg.timeline g.series[data-country=CO] rect").count() >= 1
            assert page.locator("svg.timeline g.series[data-country=BO]").count() == 0
            assert page.input_value("input[name=q]") == "carretera"
            page.screenshot(path=str(tmp_path / "search-page.png"), full_page=True)
            assert (tmp_path / "search-page.png").stat().st_size > 10_000
        finally:
            browser.close()
