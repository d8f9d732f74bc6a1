"""The server's stores: SQLite, one connection per worker thread (sqlite3 connections are not shared across
threads); Postgres, one store over a `psycopg_pool` connection pool that every thread shares."""

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from storyline.store import SQLiteStore, Store, is_postgres, open_store

__all__ = ["StorePool"]

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger(__name__)


class StorePool:
    """Hands each worker thread a store, opened on first use, and closes them all at shutdown.

    With `read_only` (the default) the database itself refuses writes (SQLite `PRAGMA query_only`, Postgres
    read-only transactions), so a bug in a view cannot write. The web server runs its sync views in a small,
    long-lived thread pool: SQLite keeps one connection per thread for the life of the process, Postgres a pool
    of at most `size` connections.
    """

    def __init__(self, path: str, read_only: bool = True, size: int = 4, inline: bool = False) -> None:
        self.path = path
        self.inline = inline and not is_postgres(path)
        self.read_only = read_only
        self.size = size
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Store] = []
        self._shared: Store | None = None  # Postgres: one store over a connection pool
        self._generation = 0  # bumped by close(): stores of an older generation are reopened on next use

    def get(self) -> Store:
        """This thread's store, opened on first use."""
        if is_postgres(self.path):
            return self._pooled()
        store: Store | None = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "generation", None) != self._generation:
            sqlite = SQLiteStore(self.path)
            # Lets SQLite answer `LIKE 'prefix%'` lookups from an index; ids are lower-case hex, so matching
            # prefixes case-sensitively changes no result.
            sqlite.db.execute("PRAGMA case_sensitive_like = ON")
            if self.read_only:
                sqlite.db.execute("PRAGMA query_only = ON")  # SQLite itself refuses writes on this connection
            store = sqlite
            self._local.store = store
            self._local.generation = self._generation
            with self._lock:
                self._opened.append(store)
            logger.debug("opened %s in thread %s", self.path, threading.current_thread().name)
        return store

    def route_runner(self) -> Callable[[F], F]:
        """A decorator for sync routes. With `inline` (SQLite only), the route runs on the event loop instead of
        a worker thread: requests are then answered in arrival order, and a view never waits for a free thread
        while the loop serves cached pages (measured in docs/web.md). Otherwise the route is left as it is."""
        if not self.inline:
            return lambda function: function

        def wrap(function: F) -> F:
            @functools.wraps(function)
            async def run(*args: Any, **kwargs: Any) -> Any:
                return function(*args, **kwargs)

            return run  # type: ignore[return-value]  # FastAPI reads the signature through __wrapped__

        return wrap

    def _pooled(self) -> Store:
        with self._lock:
            if self._shared is None:
                from storyline.store.postgres import PostgresStore

                if self.read_only:
                    open_store(self.path).close()  # migrates a new database (read-only connections cannot)
                self._shared = PostgresStore(self.path, read_only=self.read_only, pool_size=self.size)
                self._opened.append(self._shared)
            return self._shared

    def close(self) -> None:
        """Close every connection this pool opened; later calls to `get` open new ones."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._shared = None
            self._generation += 1
        for store in opened:
            store.close()
