"""Storage backends. `open_store` picks one from a path or URL."""

from storyline.errors import StoreError
from storyline.store.sqlite import SQLiteStore

__all__ = ["DEFAULT_DB", "SQLiteStore", "open_store"]

DEFAULT_DB = "storyline.db"


def open_store(location: str) -> SQLiteStore:
    """Open the store at `location`: a SQLite path (created if missing) or ':memory:'."""
    if location.startswith(("postgres://", "postgresql://")):
        raise StoreError("the Postgres backend is not available in this version; use a SQLite path")
    return SQLiteStore(location)
