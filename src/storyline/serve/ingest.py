"""`POST /api/ingest`: the token first, then the body read in chunks up to a cap, then parsed, then ingested.

The order is the defence. A route that declares a body parameter has FastAPI read and parse the whole body
before any dependency or handler runs, so a request without a token could make the server hold and parse
hundreds of megabytes before it is refused. This route declares no body parameter: the token check is a
dependency (it sees only the headers), the handler then streams the body itself and stops at `max_body`
bytes, and pydantic's JSON parser (which limits nesting to 200 levels and numbers to about 4,300 digits)
turns it into `IngestItem`s. The OpenAPI document still describes the body (`openapi_extra`).
"""

import logging
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, TypeAdapter, ValidationError

from storyline.errors import StorylineError
from storyline.serve.schema import ErrorBody, IngestItem
from storyline.serve.security import token_matches
from storyline.serve.stores import StorePool
from storyline.store import Store

__all__ = ["DEFAULT_MAX_BODY", "MAX_ITEMS", "Ingest", "add_ingest_route", "parse_items", "read_body"]

logger = logging.getLogger(__name__)

Ingest = Callable[[Store, list[dict[str, Any]]], dict[str, Any]]
DEFAULT_MAX_BODY = 16 * 1024 * 1024  # bytes of one POST /api/ingest body
MAX_ITEMS = 1000  # articles in one batch
MAX_MESSAGES = 20  # validation messages returned for one request (a bad batch can have thousands)
_JSON_TYPES = ("application/json", "text/json")
_DIGITS = re.compile(r"[0-9]{1,20}")

_BATCH: TypeAdapter[list[IngestItem]] = TypeAdapter(Annotated[list[IngestItem], Field(max_length=MAX_ITEMS)])
_BATCH_SCHEMA = {"type": "array", "maxItems": MAX_ITEMS, "items": IngestItem.model_json_schema(), "title": "Articles"}
_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": _BATCH_SCHEMA}},
    "description": f"A JSON list of at most {MAX_ITEMS:,} articles; the whole body at most `max_body` bytes.",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The batch could not be processed"},
    401: {"model": ErrorBody, "description": "Missing or wrong token"},
    413: {"model": ErrorBody, "description": "The body is larger than this server accepts"},
    415: {"model": ErrorBody, "description": "The body is not JSON"},
    501: {"model": ErrorBody, "description": "This server has no ingest function"},
}


def add_ingest_route(
    router: APIRouter, pool: StorePool, token: str, ingest: Ingest | None, max_body: int = DEFAULT_MAX_BODY
) -> None:
    """Add `POST /ingest` to `router`: `ingest(store, items)` behind `Authorization: Bearer <token>`."""
    bearer = HTTPBearer(auto_error=False, description="The token given to `storyline serve --token`")

    async def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> None:
        given = f"{credentials.scheme} {credentials.credentials}" if credentials else None
        if not token_matches(given, token):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    @router.post(
        "/ingest",
        response_model=None,
        responses={200: {"model": dict[str, Any]}, **_ERRORS},
        dependencies=[Depends(require_token)],
        openapi_extra={"requestBody": _REQUEST_BODY},
    )
    async def ingest_articles(request: Request) -> JSONResponse:
        """Run a batch of articles through the pipeline (ingest, analyze, cluster, brief). Needs the token."""
        if ingest is None:
            raise HTTPException(status_code=501, detail="this server was started without an ingest function")
        _check_media_type(request.headers.get("content-type"))
        items = await run_in_threadpool(parse_items, await read_body(request, max_body))
        try:
            result = await run_in_threadpool(lambda: ingest(pool.get(), items))
        except StorylineError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        logger.info("ingest request: %d items", len(items))
        return JSONResponse(result)


def _check_media_type(content_type: str | None) -> None:
    """Refuse a body declared as something other than JSON (no Content-Type is taken as JSON)."""
    if content_type is None:
        return
    media = content_type.partition(";")[0].strip().lower()
    if media not in _JSON_TYPES and not media.endswith("+json"):
        raise HTTPException(status_code=415, detail=f"the body must be application/json, not {media[:100]!r}")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read chunk by chunk; HTTP 413 as soon as it is known to exceed `limit` bytes.

    A Content-Length above the limit is refused before any of the body is read.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not _DIGITS.fullmatch(declared.strip()):
            raise HTTPException(status_code=400, detail="Content-Length is not a byte count")
        if int(declared) > limit:
            raise HTTPException(status_code=413, detail=f"the body is {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(status_code=413, detail=f"the body is over the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_items(body: bytes) -> list[dict[str, Any]]:
    """The articles of a JSON batch as plain dicts. Raises RequestValidationError (HTTP 422) with the reasons."""
    try:
        items = _BATCH.validate_json(body)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False)
        shown: list[Any] = [{**problem, "loc": ("body", *problem["loc"])} for problem in problems[:MAX_MESSAGES]]
        if len(problems) > MAX_MESSAGES:
            shown.append({"loc": ("body",), "msg": f"and {len(problems) - MAX_MESSAGES} more problems"})
        raise RequestValidationError(shown) from None
    return [item.model_dump() for item in items]
