"""Storage: SQLAlchemy models, schema migrations, search and the engine factory.

Everything here is backend-neutral SQLAlchemy; the only dialect-specific parts
are the full-text index (FTS5 on SQLite) created by the migrations and read by
``storage.search``.
"""

from storage.db import DEFAULT_DB_URL, connect, init_db, resolve_db_url, session_scope

__all__ = ["DEFAULT_DB_URL", "connect", "init_db", "resolve_db_url", "session_scope"]
