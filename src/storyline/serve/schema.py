"""Wire shapes of the JSON API, for its OpenAPI document. Records are reused as they are (pydantic reads
dataclasses), so the documented shapes follow `records.py`; views return plain dicts of exactly these shapes.
"""

from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from storyline.records import Analysis, Article, Brief, Coverage, Story, StoryEvent

__all__ = [
    "ArticleCard",
    "ArticlePage",
    "ErrorBody",
    "IngestItem",
    "SearchPage",
    "SearchResult",
    "StoryCard",
    "StoryList",
    "StoryPage",
]


class ErrorBody(TypedDict):
    ok: Literal[False]
    errors: list[str]


class StoryCard(TypedDict):
    id: str
    headline: str
    summary: str | None
    has_brief: bool
    conflicts: int
    topics: list[str]
    articles: int
    coverage: Coverage | None
    updated_at: str


class LanguageCount(TypedDict):
    code: str  # ISO 639-1
    stories: int  # stories with a member in it


class StoryList(TypedDict):
    stories: list[StoryCard]
    page: int
    per_page: int
    total: int
    pages: int
    language: str | None  # the filter asked for, if any
    languages: list[LanguageCount]  # every language of the stories, most stories first


class ArticleCard(TypedDict):
    id: str
    title: str
    outlet: str | None
    authors: list[str]
    published: str | None
    language: str | None
    url: str | None
    role: str | None
    number: int | None


class Context(TypedDict):
    before: str  # the sentence up to the span
    span: str  # the cited span
    after: str  # the rest of the sentence


class StoryPage(TypedDict):
    story: Story
    brief: Brief | None
    problems: list[str]
    articles: dict[str, ArticleCard]
    excerpts: dict[str, str]  # "article_id:start-end" -> the quoted span (first 1000 characters)
    contexts: dict[str, Context]  # the same keys, for conflict evidence: the sentence around the span
    events: list[StoryEvent]


class ArticlePage(TypedDict):
    article: Article
    analysis: Analysis | None
    story_id: str | None


class SearchResult(TypedDict):
    article: ArticleCard
    snippet: str  # a window of the text with hits marked [like this]
    story_id: str | None


class SearchPage(TypedDict):
    query: str
    results: list[SearchResult]


class IngestItem(BaseModel):
    """One article sent to `POST /api/ingest`: a text, or an HTML page, with what the sender knows of it."""

    url: str | None = Field(default=None, max_length=4096)
    title: str | None = Field(default=None, max_length=4096)
    text: str | None = Field(default=None, max_length=2_000_000)
    html: str | None = Field(default=None, max_length=5_000_000)
    published: str | None = Field(default=None, max_length=64)
    outlet: str | None = Field(default=None, max_length=512)
    authors: list[str] = Field(default_factory=list, max_length=50)
