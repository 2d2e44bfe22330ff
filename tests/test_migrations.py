"""Schema migrations: upgrade from nothing, down to nothing and up again, on each backend."""

from alembic import command
from sqlalchemy import inspect

from storage.db import alembic_config, current_revision, init_db
from storage.search import SearchQuery, search
from tests.helpers import fill_store


def test_upgrade_downgrade_upgrade_keeps_search_working(any_engine) -> None:
    head = current_revision(any_engine)
    command.downgrade(alembic_config(any_engine), "base")
    assert current_revision(any_engine) is None
    assert "articles" not in inspect(any_engine).get_table_names()
    assert init_db(any_engine) == head
    fill_store(any_engine)
    assert [h.title for h in search(any_engine, SearchQuery(text="carretera"))] == [
        "Transportistas bloquean la carretera Oruro-La Paz"
    ]


def test_schema_matches_the_models(any_engine) -> None:
    """Autogenerate finds nothing to change: migrations and models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.migrations.env_support import include_object
    from storage.models import Base

    with any_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_an_older_store_is_named_and_upgraded_by_init(tmp_path) -> None:
    from click.testing import CliRunner

    from protestwire.cli import main
    from storage.db import connect

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = connect(url)
    command.upgrade(alembic_config(engine), "0003")  # as an earlier protestwire left it
    result = CliRunner().invoke(main, ["search", "paro", "--db", url])
    assert result.exit_code == 1 and "schema version 0003" in result.output and "protestwire init" in result.output
    assert CliRunner().invoke(main, ["init", "--db", url]).exit_code == 0
    assert CliRunner().invoke(main, ["search", "paro", "--db", url]).exit_code == 0


def test_migration_0009_is_idempotent_and_older_articles_are_regrouped_by_init(any_engine) -> None:
    """0009 (threads) applied to a store that already has its columns changes nothing; rows stored before
    it (no ``story_method``) are regrouped by ``init``."""
    from sqlalchemy import text

    from protestwire.regroup import needs_regroup
    from protestwire.upgrade import upgrade_store
    from storage.db import head_revision

    fill_store(any_engine)
    with any_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0008'"))  # 0009 "not yet" applied
    assert init_db(any_engine) == head_revision(any_engine)  # 0009 ran again over its columns, indexes, table
    with any_engine.begin() as connection:
        connection.execute(text("UPDATE articles SET story_method = NULL, thread_id = NULL"))
    assert needs_regroup(any_engine)
    from rich.console import Console

    upgrade_store(any_engine, Console(quiet=True))
    assert not needs_regroup(any_engine)
    with any_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM articles WHERE thread_id IS NULL")).scalar() == 0
