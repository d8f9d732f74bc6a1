"""The web application: `create_app` wires the pages, the JSON API, feeds, static files and security headers.

Run it with `run_server` (what `storyline serve` calls) or any ASGI server. The app only reads the database;
`POST /api/ingest` exists only when a token is given, and then requires it.
"""

import gc
import logging
import math
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline import __version__
from storyline.serve import views
from storyline.serve.api import build_api_router
from storyline.serve.assets import build_assets_router
from storyline.serve.cache import DEFAULT_MAX_BYTES, CardCache, ResponseCache, StoreVersion, prerender
from storyline.serve.head import HeadAsGet
from storyline.serve.ingest import DEFAULT_MAX_BODY, Ingest
from storyline.serve.security import SecurityHeaders
from storyline.serve.stores import StorePool
from storyline.serve.web import Renderer, build_web_router
from storyline.store import Store, is_postgres

__all__ = ["app_from_env", "create_app", "run_server"]

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_THREADS = 4
_DESCRIPTION = (
    "Read-only access to stories, briefs, articles and search. Every brief item carries evidence spans: "
    '`article.text[start:end]` of the cited article. Errors are `{"ok": false, "errors": [...]}`.'
)


def create_app(
    db: str,
    token: str | None = None,
    ingest: Ingest | None = None,
    threads: int = DEFAULT_THREADS,
    max_body: int = DEFAULT_MAX_BODY,
    cache_bytes: int = DEFAULT_MAX_BYTES,
    prerender_stories: int = 0,
    inline: bool = True,
) -> FastAPI:
    """The storyline web app over the store at `db`.

    Args:
        db: path of the SQLite database, or a postgresql:// URL (created with the current schema if missing).
        token: when given, `POST /api/ingest` is added and requires `Authorization: Bearer <token>`.
        ingest: what `POST /api/ingest` calls with a writable store and the posted article objects.
        threads: views run in at most this many threads per process. Views are CPU-bound Python, so more
            threads only fight over the GIL and starve the event loop; waiting requests queue cheaply instead.
        max_body: the largest `POST /api/ingest` body in bytes (16 MiB by default); larger ones get HTTP 413.
        cache_bytes: response bodies kept per process (`serve/cache.py`), 128 MiB by default; 0 keeps none.
        prerender_stories: at start, before the first request is taken, render the pages and /api twins of this
            many newest stories and of the story list pages that show them, into the response cache.
        inline: (SQLite) run the views on the event loop rather than in `threads` worker threads: measured
            faster and fairer under load (docs/web.md); Postgres views always run in threads.
    """
    if token is not None and not token.strip():
        raise ValueError("the ingest token must not be empty")
    pool = StorePool(db, size=threads, inline=inline)
    pool.get()  # open (and migrate) once now, so a bad path or URL fails at start
    renderer = Renderer()
    # Every cache is emptied when the store's data_version moves: asked on every request for SQLite (a pragma,
    # microseconds), at most every 0.25 s for Postgres (a round trip from the event loop).
    version = StoreVersion(pool.get, interval=0.25 if is_postgres(db) else 0.0)
    cards = CardCache(ttl=None)  # story cards for the list and the feeds, per (story id, updated_at)
    data = CardCache(ttl=None, size=1024)  # view dicts: a page and its /api twin share one build
    version.register(cards)
    version.register(data)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if prerender_stories > 0 and cache_bytes > 0:
            paths = _prerender_paths(pool.get(), prerender_stories)
            started = time.perf_counter()
            done = await prerender(app, paths, threads)
            logger.info("prerendered %d of %d pages in %.1f s", done, len(paths), time.perf_counter() - started)
        for name in renderer.env.list_templates():
            renderer.env.get_template(name)  # compiled now, not by the first visitor of each kind of page
        if os.environ.get("STORYLINE_GC_FREEZE", "1") == "1":
            gc.collect()
            gc.freeze()
        yield
        pool.close()

    app = FastAPI(
        title="storyline",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,  # the stock docs pages load scripts from a CDN; /api/docs is served locally instead
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ResponseCache, version=version, max_bytes=cache_bytes)  # outermost: a hit skips the rest
    writable = _writable(db, ingest) if ingest else None
    app.include_router(build_api_router(pool, token, writable, cards, max_body, data))
    app.include_router(build_web_router(pool, renderer, cards, data))
    app.include_router(build_assets_router(STATIC))
    _add_docs(app, renderer)
    _add_error_handlers(app, renderer)
    return app


def _prerender_paths(store: Store, count: int) -> list[str]:
    """The newest `count` stories' pages and /api twins, and the story list pages (HTML and /api) showing them."""
    paths = ["/", "/api/stories"]
    for page in range(1, math.ceil(min(count, store.count_stories()) / views.PER_PAGE) + 1):
        paths += [f"/?page={page}", f"/api/stories?page={page}"]
    for story in store.stories(limit=count):
        paths += [f"/stories/{story.id}", f"/api/stories/{story.id}"]
    return paths


def _writable(db: str, ingest: Ingest) -> Ingest:
    """Give the ingest function its own writable store (the pooled ones are query-only)."""
    from storyline.store import open_store

    def run(_: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
        with open_store(db) as store:
            return ingest(store, items)

    return run


def _add_docs(app: FastAPI, renderer: Renderer) -> None:
    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return renderer.page("api_docs.html", spec=app.openapi(), nav="api", json_url="/openapi.json")


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (path.startswith("/api/") and path != "/api/docs") or path.endswith(".json")


def _add_error_handlers(app: FastAPI, renderer: Renderer) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _wants_json(request):
            body = {"ok": False, "errors": [str(error.detail)]}
            return JSONResponse(body, status_code=error.status_code, headers=error.headers)
        page = renderer.page("error.html", error.status_code, status=error.status_code, message=str(error.detail))
        if error.headers:
            page.headers.update(error.headers)
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        messages = [_validation_message(e) for e in error.errors()]
        if _wants_json(request):
            return JSONResponse({"ok": False, "errors": messages}, status_code=422)
        return renderer.page("error.html", 400, status=400, message="; ".join(messages))

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        # A bug, not a bad request: Starlette re-raises `error` after this response, so the server logs the
        # traceback. The client gets the usual error body, without internals.
        message = "internal server error (the server log has the details)"
        if _wants_json(request):
            return JSONResponse({"ok": False, "errors": [message]}, status_code=500)
        return renderer.page("error.html", 500, status=500, message=message)


def _validation_message(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}"


def app_from_env() -> FastAPI:
    """An app for `uvicorn --factory` (several worker processes): the database from STORYLINE_DB, the
    threads per process from STORYLINE_SERVE_THREADS (default 4), the newest stories to render at start from
    STORYLINE_SERVE_PRERENDER (default 0)."""
    threads = int(os.environ.get("STORYLINE_SERVE_THREADS", DEFAULT_THREADS))
    prerender_stories = int(os.environ.get("STORYLINE_SERVE_PRERENDER", 0))
    inline = os.environ.get("STORYLINE_SERVE_INLINE", "1") != "0"
    return create_app(
        os.environ.get("STORYLINE_DB", "storyline.db"),
        threads=threads,
        prerender_stories=prerender_stories,
        inline=inline,
    )


def run_server(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    ingest: Ingest | None = None,
    workers: int = 1,
    max_body: int = DEFAULT_MAX_BODY,
    prerender_stories: int | None = None,
) -> None:
    """Serve the app with uvicorn until interrupted. Several `workers` serve read-only (no ingest route);
    `max_body` is the largest `POST /api/ingest` body in bytes; `prerender_stories` (default: the
    STORYLINE_SERVE_PRERENDER variable, else 0) newest stories are rendered before the first request."""
    if prerender_stories is None:
        prerender_stories = int(os.environ.get("STORYLINE_SERVE_PRERENDER", 0))
    if workers > 1:
        if token is not None:
            raise ValueError("POST /api/ingest needs a single worker: drop --token or use one worker")
        os.environ["STORYLINE_DB"] = db
        os.environ["STORYLINE_SERVE_PRERENDER"] = str(prerender_stories)
        uvicorn.run("storyline.serve.app:app_from_env", factory=True, host=host, port=port, workers=workers)
        return
    logger.info("serving %s on http://%s:%d/", db, host, port)
    app = create_app(db, token, ingest, max_body=max_body, prerender_stories=prerender_stories)
    uvicorn.run(app, host=host, port=port, ws="none", log_level="info")
