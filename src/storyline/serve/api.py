"""The JSON API under /api: the same view data the pages render, plus `POST /api/ingest` behind a token."""

import logging
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from storyline.errors import StoreError
from storyline.serve import views
from storyline.serve.cache import CardCache
from storyline.serve.ingest import DEFAULT_MAX_BODY, Ingest, add_ingest_route
from storyline.serve.schema import ArticlePage, ErrorBody, SearchPage, StoryList, StoryPage
from storyline.serve.stores import StorePool

__all__ = ["ID_PATTERN", "Ingest", "build_api_router"]

logger = logging.getLogger(__name__)

ID_PATTERN = r"^[A-Za-z0-9_.:-]{4,128}$"  # story and article ids (and unique prefixes of at least 4 characters)
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such record"},
    422: {"model": ErrorBody, "description": "Invalid parameters"},
}

Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Stories per page")]
Language = Annotated[
    str | None, Query(pattern=r"^[a-z]{2,3}$", description="Only stories with a member in this language (ISO 639-1)")
]
StoryId = Annotated[str, Path(pattern=ID_PATTERN, description="A story id or a unique prefix of one")]
ArticleId = Annotated[str, Path(pattern=ID_PATTERN, description="An article id or a unique prefix of one")]
SearchQuery = Annotated[str, Query(max_length=500, description="Words to find (all must occur)")]
Limit = Annotated[int, Query(ge=1, le=100, description="Most results to return")]


def not_found(error: StoreError) -> HTTPException:
    return HTTPException(status_code=404, detail=str(error))


def build_api_router(
    pool: StorePool,
    token: str | None = None,
    ingest: Ingest | None = None,
    cards: CardCache | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    data: CardCache | None = None,
) -> APIRouter:
    """The /api routes, reading through `pool`. `POST /api/ingest` exists only when `token` is given
    (`serve/ingest.py`), and takes bodies of at most `max_body` bytes. `data` keeps view dicts (shared with the
    pages)."""
    router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)
    inline = pool.route_runner()

    @router.get("/stories", response_model=None, responses={200: {"model": StoryList}})
    @inline
    def list_stories(page: Page = 1, per_page: PerPage = views.PER_PAGE, language: Language = None) -> JSONResponse:
        """Stories by latest activity, with coverage and conflict counts; `language` keeps the stories with a
        member in that language (ISO 639-1), and `languages` lists every language with its story count."""
        return JSONResponse(views.story_list_data(pool.get(), page, per_page, cards, language))

    @router.get("/stories/{story_id}", response_model=None, responses={200: {"model": StoryPage}})
    @inline
    def get_story(story_id: StoryId) -> JSONResponse:
        """One story: its members, brief, grounding problems, cited articles, quoted evidence spans and log."""
        try:
            return JSONResponse(views.cached(data, views.story_data, pool.get(), story_id))
        except StoreError as error:
            raise not_found(error) from error

    @router.get("/articles/{article_id}", response_model=None, responses={200: {"model": ArticlePage}})
    @inline
    def get_article(article_id: ArticleId) -> JSONResponse:
        """One article: its extraction record, its analysis (entities, quotes, claims, events) and its story."""
        try:
            return JSONResponse(views.cached(data, views.article_data, pool.get(), article_id))
        except StoreError as error:
            raise not_found(error) from error

    @router.get(
        "/search",
        response_model=None,
        responses={200: {"model": SearchPage}, 400: {"model": ErrorBody, "description": "Unusable query"}},
    )
    @inline
    def search(q: SearchQuery = "", limit: Limit = 20) -> JSONResponse:
        """Full-text search over article titles and texts (SQLite FTS5), best matches first."""
        try:
            return JSONResponse(views.search_data(pool.get(), q, limit))
        except StoreError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error

    if token is not None:
        add_ingest_route(router, pool, token, ingest, max_body)
    return router
