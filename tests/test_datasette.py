"""Datasette (`datasette protestwire.db`) finds the store's full-text index and searches with it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from datasette.app import Datasette

from storage.db import alembic_config, connect, init_db
from storage.search import SearchQuery, search
from tests.helpers import fill_older_store, fill_store


def datasette_search(path: Path, words: str) -> tuple[str | None, list[str]]:
    """The FTS table Datasette detects for ``articles`` and the titles its search box finds."""
    async def ask() -> tuple[str | None, list[str]]:
        datasette = Datasette([str(path)])
        table = await datasette.get_database(path.stem).fts_table("articles")
        response = await datasette.client.get(
            f"/{path.stem}/articles.json", params={"_search": words, "_shape": "array", "_col": "title"})
        assert response.status_code == 200, response.text
        return table, [row["title"] for row in response.json()]

    return asyncio.run(ask())


def test_datasette_searches_a_fresh_store(tmp_path: Path) -> None:
    path = tmp_path / "protestwire.db"
    engine = connect(f"sqlite:///{path}")
    init_db(engine)
    fill_store(engine)
    engine.dispose()
    assert datasette_search(path, "carretera") == ("articles_fts", ["Transportistas bloquean la carretera Oruro-La Paz"])


def test_datasette_searches_a_store_upgraded_from_an_older_protestwire(tmp_path: Path) -> None:
    path = tmp_path / "protestwire.db"
    engine = connect(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0006")  # the index as older versions declared it
    fill_older_store(engine)
    assert datasette_search(path, "carretera")[0] is None  # no search box: the defect of issue 18
    init_db(engine)
    init_db(engine)  # a second run changes nothing
    # The articles are kept and indexed again: Datasette and protestwire's own search find them.
    assert datasette_search(path, "carretera") == ("articles_fts", ["Transportistas bloquean la carretera Oruro-La Paz"])
    assert [h.title for h in search(engine, SearchQuery(text="carretera"))] == [
        "Transportistas bloquean la carretera Oruro-La Paz"]
    assert datasette_search(path, "mineras") == ("articles_fts", ["Exportaciones mineras crecen"])
    engine.dispose()
