"""Alembic environment: runs migrations on the engine handed over by ``storage.db.init_db``."""

from alembic import context

from storage.migrations.env_support import include_object
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line: build one from the ini URL
        from storage.db import connect

        engine = connect(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
        )
        context.run_migrations()


run_migrations_online()
