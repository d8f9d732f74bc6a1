"""The `Store` every caller uses: the stages' driver (pipeline.py), the CLI, the server, watch.py, updates.py and
store/check.py. Two implementations: `SQLiteStore` (store/sqlite.py, the default) and `PostgresStore`
(store/postgres.py, `--db postgresql://...`). Both give the same ids, orderings and return values.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, Self

from storyline.errors import StoreError
from storyline.records import Analysis, Article, Brief, Document, Feed, Skip, Story, StoryEvent

__all__ = ["ConcurrentUpdate", "Store", "StoreContents", "StoryRow"]

StoryRow = tuple[dict[str, Any], int, str]  # a story's stored record, article_count, status


class ConcurrentUpdate(StoreError):
    """Another process saved the clustering state after this one read it: read it again and redo the work."""


@dataclass(frozen=True, slots=True)
class StoreContents:
    """The rows `storyline check --store` compares, read from the tables as they are (not through records)."""

    stories: dict[str, StoryRow]  # story id -> its row
    links: dict[str, str]  # article id -> story id (the article -> story table)
    articles: set[str]  # every article id
    analysed: set[str]  # the article id of every analysis row (even one naming a missing article)
    located: set[str]  # the article id of every location row (even one naming a missing article)
    cluster_skips: set[str]  # sources of skips recorded by the cluster stage
    briefs: dict[str, str | None]  # story id of every brief row -> the id its record carries
    skips: int  # skip rows


class Store(Protocol):
    """What the pipeline, the CLI, the server and the checks need of a store."""

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied."""
        ...

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        ...

    def data_version(self) -> str:
        """An opaque token that changes whenever committed content changes: two equal tokens from the same store
        object mean nothing was committed in between (it may also change without a change of content). Cheap
        enough to ask on every request: the web server keys its caches and ETags by it."""
        ...

    # documents and articles
    def add_article(self, document: Document, article: Article) -> bool:
        """Store a document and its article in one transaction. Returns False when the article was known."""
        ...

    def add_skip(self, skip: Skip, document: Document | None = None) -> None: ...

    def document_outcome(self, document: Document) -> str | None:
        """'ingested' or 'skipped' when this exact document was stored before, else None."""
        ...

    def get_article(self, article_id: str) -> Article:
        """The article with this id, or the only one whose id starts with it. Raises StoreError otherwise."""
        ...

    def articles(self, limit: int | None = None) -> Iterator[Article]:
        """Articles in ingest order."""
        ...

    def count_articles(self) -> int: ...

    def skips(self) -> list[Skip]: ...

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search: (article, snippet with the matches in [brackets]) pairs, best first."""
        ...

    def has_location(self, location: str) -> bool: ...

    def received_times(self, article_ids: list[str]) -> dict[str, str]: ...

    # analyses
    def put_analyses(self, analyses: list[Analysis]) -> None: ...

    def get_analysis(self, article_id: str) -> Analysis | None: ...

    def articles_to_analyse(self, version: str, limit: int | None = None) -> list[Article]: ...

    # stories
    def put_stories(
        self,
        stories: list[Story],
        events: list[StoryEvent],
        state: bytes | None = None,
        removed: list[str] | tuple[str, ...] = (),
        expected_version: int | None = None,
    ) -> None:
        """Upsert stories, append log lines, save the clustering state in one transaction; with
        `expected_version`, raise ConcurrentUpdate when the state was saved by someone else since."""
        ...

    def cluster_state(self) -> bytes | None: ...

    def cluster_state_version(self) -> tuple[bytes | None, int]: ...

    def stories(
        self, limit: int | None = None, offset: int = 0, status: str | None = None, language: str | None = None
    ) -> list[Story]: ...

    def count_stories(self, status: str | None = None, language: str | None = None) -> int: ...

    def story_languages(self) -> list[tuple[str, int]]:
        """Each language of the stories' coverage with its story count, most stories first."""
        ...

    def get_story(self, story_id: str) -> Story: ...

    def story_of(self, article_id: str) -> str | None: ...

    def story_events(self, story_id: str) -> list[StoryEvent]: ...

    def unclustered_articles(self) -> list[Article]: ...

    # briefs
    def put_brief(self, brief: Brief, problems: list[str], story_updated_at: str) -> None: ...

    def get_brief(self, story_id: str) -> tuple[Brief, list[str]] | None: ...

    def stale_briefs(self, story_id: str | None = None) -> list[str]: ...

    def brief_versions(self, story_id: str) -> list[tuple[int, str]]: ...

    def get_brief_version(self, story_id: str, version: int) -> Brief | None: ...

    def recent_brief_versions(self, limit: int) -> list[tuple[str, int, str]]: ...

    def briefs_changed_since(self, since: str) -> list[str]: ...

    # followed feeds
    def put_feed(self, feed: Feed, replaces: str | None = None) -> None: ...

    def feeds(self) -> list[Feed]: ...

    def get_feed(self, url: str) -> Feed | None: ...

    def remove_feed(self, url: str) -> bool: ...

    def due_feeds(self, now: str) -> list[Feed]: ...

    # checks
    def contents(self) -> StoreContents:
        """The rows `check --store` compares."""
        ...

    def integrity_problems(self, article_count: int) -> list[str]:
        """The backend's own checks (SQLite: integrity, foreign keys, FTS5; Postgres: the search index)."""
        ...
