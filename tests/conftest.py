"""Shared fixtures: a fresh store per test, the replay sites, the real corpora in ../shared."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from protestwire.replay.server import SITES_DIR, ReplaySite, load_sites
from storage.db import connect, init_db

SHARED_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    engine = connect(url)
    init_db(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgres_database() -> Any:
    from tests.services import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The store on each supported backend, schema created by the migrations, empty."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    engine = connect(url)
    init_db(engine)
    yield engine
    if request.param == "postgresql":  # the database is shared by the session: empty it
        from storage.models import Base

        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Any:
    engine = connect(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def shared_corpora() -> Path:
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"real corpora not found at {SHARED_CORPORA} (they live beside the checkout in ../shared)")
    return SHARED_CORPORA


@dataclass(frozen=True)
class ExpectedArticle:
    site: ReplaySite
    path: str
    fields: dict[str, Any]

    @property
    def case_id(self) -> str:
        return f"{self.site.id}{self.path}"

    def page_bytes(self) -> bytes:
        file = self.site.resolve(self.path)
        assert file is not None, f"{self.case_id} has no file"
        return file.read_bytes()


def expected_articles() -> list[ExpectedArticle]:
    """Every article the replay sites promise, from their expected.toml files."""
    found = []
    for site in load_sites(SITES_DIR):
        expected = tomllib.loads((site.folder / "expected.toml").read_text(encoding="utf-8"))
        found += [ExpectedArticle(site, entry["path"], entry) for entry in expected["article"]]
    return found
