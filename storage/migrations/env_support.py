"""Helpers for the alembic environment that tests import too."""

from typing import Any

# Full-text machinery lives outside the ORM models (FTS5 tables, the tsvector column and its
# index): autogenerate must neither drop it nor report it as a difference.
FULLTEXT_OBJECTS = {"search_vector", "ix_articles_search_vector", "stem_vector", "ix_articles_stem_vector",
                    "ix_articles_unstemmed"}


# The store's version counter (0013, storage.version) is kept by triggers, not by the models.
OUTSIDE_MODELS = {"store_version"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if name is None:
        return True
    # The scheduler's job store (APScheduler creates and owns its table) is no model either.
    return not (name in FULLTEXT_OBJECTS or name in OUTSIDE_MODELS
                or (type_ == "table" and (name.startswith("articles_fts") or name == "apscheduler_jobs")))
