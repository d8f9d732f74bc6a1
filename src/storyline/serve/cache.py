"""The server's caches, all owned by the app (no module-level state) and all keyed by the store's version.

`StoreVersion` turns the store's `data_version` token into a counter that moves whenever committed content
changes. `ResponseCache` (ASGI middleware) keeps whole 200 responses of the read-only GET routes per
(host, path, query) and store version: a hit is answered on the event loop without touching a view thread,
the database or the templates, with an ETag (a hash of the body, so every worker process gives the same one)
and `Cache-Control: no-cache`; `If-None-Match` gets 304. `CardCache` keeps story cards and view dicts (a
story page and its /api twin share one build). When the version moves every cache drops its entries, so a
new article, story or brief shows on the next request.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_MAX_BYTES", "CardCache", "ResponseCache", "StoreVersion", "etag_matches", "prerender"]

DEFAULT_MAX_BYTES = 128 * 1024 * 1024  # response bodies kept per process
CACHE_CONTROL = b"no-cache"  # browsers keep the page and revalidate it (ETag) on every use
# Not cached: assets (served from memory with their own ETags), the digest (its window is relative to the clock),
# ingest (POST).
UNCACHED_PREFIXES = ("/static/", "/digest", "/api/ingest")


class _Versioned(Protocol):
    def advance(self) -> None: ...


class _HasVersion(Protocol):
    def data_version(self) -> str: ...


class StoreVersion:
    """A counter that moves whenever the store's `data_version` token changes.

    `get_store` returns the store to ask (the caller's thread's store); the token is asked at most every
    `interval` seconds (0: on every call; a Postgres round trip is worth sparing). Every registered cache is
    told to drop its entries when the counter moves.
    """

    def __init__(
        self, get_store: Callable[[], _HasVersion], interval: float = 0.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.get_store = get_store
        self.interval = interval
        self.clock = clock
        self.count = 0
        self._token: tuple[int, str] | None = None
        self._checked = float("-inf")
        self._caches: list[_Versioned] = []
        self._lock = threading.Lock()

    def register(self, cache: _Versioned) -> None:
        self._caches.append(cache)

    def current(self) -> int:
        """The counter, after asking the store (unless it was asked less than `interval` seconds ago)."""
        now = self.clock()
        if now - self._checked < self.interval:
            return self.count
        store = self.get_store()
        token = (id(store), store.data_version())
        with self._lock:
            self._checked = now
            if token != self._token:
                self._token = token
                self.count += 1
                for cache in self._caches:
                    cache.advance()
            return self.count


class CardCache:
    """Least-recently-used cache of JSON-ready dicts (story cards, view data), emptied when the store changes.

    `ttl` bounds an entry's age in seconds (None: no bound, the store version alone decides). A value built
    while the store changed is returned but not kept, so no entry outlives the data it was built from.
    """

    def __init__(self, ttl: float | None = 30.0, size: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self.generation = 0
        self._entries: OrderedDict[Hashable, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The cached value for `key`, or `build()` (stored) when it is missing or older than `ttl`."""
        now = self.clock()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and (self.ttl is None or now - found[0] < self.ttl):
                self._entries.move_to_end(key)
                return found[1]
            generation = self.generation
        value = build()
        with self._lock:
            if generation == self.generation:
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def advance(self) -> None:
        """The store changed: drop every entry (and keep none that is being built now)."""
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def clear(self) -> None:
        self.advance()


def etag_matches(header: str | None, etag: str) -> bool:
    """True when an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks) or is `*`."""
    if not header:
        return False
    bare = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


class _Entry:
    __slots__ = ("body", "etag", "headers", "size", "version")

    def __init__(self, version: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: bytes) -> None:
        self.version = version
        self.headers = headers
        self.body = body
        self.etag = etag
        self.size = len(body) + sum(len(n) + len(v) for n, v in headers) + 200


class ResponseCache:
    """ASGI middleware: whole 200 responses of GET routes per (scheme, host, path, query) and store version.

    Misses go to the app; the response is sent with an ETag and `Cache-Control: no-cache` and kept (at most
    `max_bytes` of them, least recently used dropped first). An If-None-Match naming the ETag gets 304.
    Other statuses pass through untouched and are not kept. Placed outside the other middlewares, so a hit
    skips them: a kept response carries the headers they added (security headers included); HEAD is answered
    from a kept GET response, without the body.
    """

    def __init__(self, app: ASGIApp, version: StoreVersion, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        version.register(self)

    def advance(self) -> None:
        self._entries.clear()
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("GET", "HEAD") or path.startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        host, if_none_match = b"", None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"if-none-match":
                if_none_match = value.decode("latin-1")
        # only the feeds print absolute links (from the Host header); every other body is the same for any host
        host = host if path.startswith("/feeds/") else b""
        key = (scope.get("scheme"), host, scope.get("root_path", ""), path, scope.get("query_string", b""))
        version = self.version.current()
        entry = self._entries.get(key)
        if entry is not None and entry.version == version:
            self._entries.move_to_end(key)
            await _answer(entry, if_none_match, send, method == "HEAD")
            return
        if method == "HEAD":  # answered by the app (HeadAsGet) and not kept: it has no body
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            else:
                await send(message)

        await self.app(scope, receive, capture)
        if start is None:
            return
        body = b"".join(chunks)
        if start["status"] != 200:
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        headers = [(n, v) for n, v in start.get("headers", []) if n.lower() not in (b"etag", b"cache-control")]
        entry = _Entry(version, [*headers, (b"etag", etag), (b"cache-control", CACHE_CONTROL)], body, etag)
        if self.version.count == version and entry.size <= self.max_bytes // 4:
            self._keep(key, entry)
        await _answer(entry, if_none_match, send)

    def _keep(self, key: tuple[Any, ...], entry: _Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self._entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.size


_NOT_ON_304 = (b"content-length", b"content-type")


async def _answer(entry: _Entry, if_none_match: str | None, send: Send, head: bool = False) -> None:
    if etag_matches(if_none_match, entry.etag.decode()):
        headers = [(name, value) for name, value in entry.headers if name.lower() not in _NOT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
    await send({"type": "http.response.body", "body": b"" if head else entry.body, "more_body": False})


async def prerender(app: ASGIApp, paths: list[str], concurrency: int = 4) -> int:
    """GET each of `paths` through `app` (and so through its ResponseCache), `concurrency` at a time; returns
    how many answered 200. Used at start to render the newest stories before the first visitor asks."""
    import anyio

    done = 0
    limiter = anyio.Semaphore(concurrency)

    async def one(target: str) -> None:
        nonlocal done
        path, _, query = target.partition("?")
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(b"host", b"localhost")],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 0),
        }
        status = 0

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        async with limiter:
            await app(scope, receive, send)
        done += status == 200

    async with anyio.create_task_group() as group:
        for target in paths:
            group.start_soon(one, target)
    return done
