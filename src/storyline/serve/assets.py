"""The UI's few static files (stylesheet, script, icon), read once at start and served from memory.

Serving them from memory keeps them off the view thread pool (a file response stats, opens and reads the
file in worker threads), so a page's assets never queue behind slow views. Each has an ETag; browsers
revalidate after an hour.
"""

import hashlib
import mimetypes
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

__all__ = ["build_assets_router"]

MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def build_assets_router(directory: Path) -> APIRouter:
    """`GET /static/{name}` for every file directly in `directory` (no subfolders, no other paths)."""
    assets: dict[str, tuple[bytes, str, str]] = {}
    for path in sorted(directory.iterdir()):
        if path.is_file():
            body = path.read_bytes()
            media = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            assets[path.name] = (body, media, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    router = APIRouter(include_in_schema=False)

    @router.get("/static/{name}")
    async def asset(name: str, request: Request) -> Response:
        found = assets.get(name)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        body, media, etag = found
        headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media, headers=headers)

    return router
