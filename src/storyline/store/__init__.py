"""Storage backends. `open_store` picks one from a path or URL."""

from storyline.store.protocol import ConcurrentUpdate, Store
from storyline.store.sqlite import SQLiteStore

__all__ = ["DEFAULT_DB", "ConcurrentUpdate", "SQLiteStore", "Store", "is_postgres", "open_store"]

DEFAULT_DB = "storyline.db"


def is_postgres(location: str) -> bool:
    """Whether `location` names a Postgres database (a postgres:// or postgresql:// URL)."""
    return location.startswith(("postgres://", "postgresql://"))


def open_store(location: str, read_only: bool = False) -> Store:
    """Open the store at `location`: a SQLite path (created if missing), ':memory:', or a postgresql:// URL.

    Postgres is imported only here, when asked for, so the default path never loads psycopg. With `read_only`
    the database itself refuses writes (SQLite `query_only`, Postgres `default_transaction_read_only`).
    """
    if is_postgres(location):
        from storyline.store.postgres import PostgresStore

        return PostgresStore(location, read_only=read_only)
    store = SQLiteStore(location)
    if read_only:
        store.db.execute("PRAGMA query_only = ON")
    return store
