"""The HTML pages: each renders the same view dict its /api twin returns, plus drawing geometry."""

import logging
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from storyline import updates
from storyline.errors import StoreError
from storyline.records import to_dict
from storyline.render.lineage import SHOWN_ADDED
from storyline.serve import charts, feeds, highlight, present, views
from storyline.serve.cache import CardCache
from storyline.serve.security import safe_url
from storyline.serve.stores import StorePool

__all__ = ["Renderer", "build_web_router"]

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
FEED_SIZE = 50
Offset = Annotated[int | None, Query(ge=0, le=1 << 40)]


class Renderer:
    """Jinja2 templates with autoescaping on for every template and the presentation helpers as filters."""

    def __init__(self, directory: Path = TEMPLATES) -> None:
        self.env = Environment(
            loader=FileSystemLoader(directory),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
        )
        self.env.filters.update(
            day=present.format_day,
            language=present.language_name,
            role=lambda role: present.ROLE_LABELS.get(role or "", role or ""),
            safe_url=safe_url,
            percent=lambda value: f"{100 * float(value):.0f}%",
        )
        self.env.globals.update(
            markers=present.markers,
            evidence_key=views.evidence_key,
            split_tail=present.split_tail,
            by_source=present.by_source,
            shown_added=SHOWN_ADDED,
        )

    def page(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """Render `name` with `context` into an HTML response."""
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status_code)


def build_web_router(
    pool: StorePool, renderer: Renderer, cards: CardCache | None = None, cache: CardCache | None = None
) -> APIRouter:
    """The HTML routes (left out of the OpenAPI document: /api is the machine interface). `cache` keeps view
    dicts (shared with the /api twins)."""
    router = APIRouter(include_in_schema=False)
    inline = pool.route_runner()

    @router.get("/")
    @inline
    def index(
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        language: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$")] = None,
    ) -> HTMLResponse:
        data = views.story_list_data(pool.get(), page, views.PER_PAGE, cards, language)
        query = f"page={page}" + (f"&language={language}" if language else "")
        return renderer.page("index.html", data=data, json_url=f"/api/stories?{query}", nav="stories")

    @router.get("/stories/{story_id}")
    @inline
    def story(story_id: str) -> HTMLResponse:
        data = _found(views.story_data, pool, story_id, cache)
        articles = data["articles"]
        numbers = {aid: card["number"] for aid, card in articles.items() if card["number"]}
        brief = data["brief"]
        context: dict[str, Any] = {
            "graph": charts.lineage_graph(nodes := present.source_nodes(data), numbers),
            "tree": charts.lineage_tree(nodes, numbers),
            "timeline": charts.timeline_chart(brief["timeline"]) if brief else None,
            "histogram": charts.coverage_histogram([articles[m["article_id"]]["published"] for m in _members(data)]),
            "points": present.distinct_points(brief) if brief else [],
        }
        return renderer.page("story.html", data=data, json_url=f"/api/stories/{data['story']['id']}", **context)

    @router.get("/articles/{article_id}")
    @inline
    def article(article_id: str, start: Offset = None, end: Offset = None) -> HTMLResponse:
        data = _found(views.article_data, pool, article_id, cache)
        marks = highlight.analysis_marks(data["analysis"]) + _evidence_mark(start, end)
        text = highlight.paragraphs(data["article"]["text"], marks)
        counts = _analysis_counts(data["analysis"])
        json_url = f"/api/articles/{data['article']['id']}"
        return renderer.page("article.html", data=data, text=text, counts=counts, json_url=json_url)

    @router.get("/fragments/articles/{article_id}")
    @inline
    def source_panel(article_id: str, start: Offset = None, end: Offset = None) -> HTMLResponse:
        data = _found(views.article_data, pool, article_id, cache)
        text = highlight.paragraphs(data["article"]["text"], _evidence_mark(start, end))
        return renderer.page("source_panel.html", data=data, text=text, start=start, end=end)

    @router.get("/search")
    @inline
    def search(q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
        try:
            data = views.search_data(pool.get(), q, 50)
        except StoreError as error:
            return renderer.page("search.html", 400, data={"query": q, "results": []}, error=str(error), nav="search")
        snippets = [highlight.search_snippet(result["snippet"]) for result in data["results"]]
        json_url = "/api/search?" + urlencode({"q": data["query"]})
        return renderer.page("search.html", data=data, snippets=snippets, error=None, json_url=json_url, nav="search")

    @router.get("/digest")
    @inline
    def digest_page(since: Annotated[str, Query(max_length=40)] = "24h") -> HTMLResponse:
        try:
            start = updates.since_time(since) or ""
        except ValueError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        entries = updates.digest(pool.get(), start)
        data = {"since": since, "start": start, "entries": entries, "lines": updates.changes_lines}
        return renderer.page("digest.html", data=data, json_url=None, nav="digest")

    @router.get("/sources")
    @inline
    def sources_page() -> HTMLResponse:
        data = {"feeds": [to_dict(feed) for feed in pool.get().feeds()]}
        return renderer.page("sources.html", data=data, json_url=None, nav="sources")

    _add_feeds(router, pool, cards)
    return router


def _add_feeds(router: APIRouter, pool: StorePool, cards: CardCache | None) -> None:
    inline = pool.route_runner()

    @router.get("/feeds/stories.atom")
    @inline
    def atom(request: Request) -> Response:
        found = views.story_list_data(pool.get(), 1, FEED_SIZE, cards)["stories"]
        body = feeds.atom_feed(found, str(request.base_url))
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @router.get("/feeds/updates.atom")
    @inline
    def updates_feed(request: Request) -> Response:
        found = [
            (brief.id, changes.version, at, brief.headline.text, updates.changes_lines(changes))
            for changes, brief, at in updates.recent_updates(pool.get(), FEED_SIZE)
        ]
        body = feeds.updates_atom(found, str(request.base_url))
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @router.get("/feeds/stories.json")
    @inline
    def json_feed(request: Request) -> JSONResponse:
        found = views.story_list_data(pool.get(), 1, FEED_SIZE, cards)["stories"]
        return JSONResponse(feeds.json_feed(found, str(request.base_url)), media_type="application/feed+json")


def _found(view: Any, pool: StorePool, record_id: str, cache: CardCache | None) -> dict[str, Any]:
    try:
        data: dict[str, Any] = views.cached(cache, view, pool.get(), record_id)
    except StoreError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return data


def _members(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in data["story"]["members"] if m["article_id"] in data["articles"]]


def _evidence_mark(start: int | None, end: int | None) -> list[highlight.Mark]:
    if start is None or end is None or end <= start:
        return []
    return [highlight.Mark(start, end, "evidence", "the cited span")]


def _analysis_counts(analysis: dict[str, Any] | None) -> dict[str, int]:
    if not analysis:
        return {}
    return {kind: len(analysis[kind]) for kind in ("entities", "quotes", "claims", "events")}
