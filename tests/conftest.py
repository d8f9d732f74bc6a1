"""Shared fixtures: a temporary database, a record factory, the bundled example seeds."""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from storyline.extract.article import Extractor, article_id
from storyline.records import Article, Document
from storyline.store import SQLiteStore, Store, open_store

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from postgres import PostgresServer
    from storyline.analyze.article import Analyzer
    from storyline.synthesize.bundle import StoryInput

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test runs in its own directory with its own default database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORYLINE_DB", str(tmp_path / "storyline.db"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "test.db") as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_server() -> Iterator["PostgresServer"]:
    """A Postgres server of the test session's own (tests/postgres.py); skips only when it cannot start."""
    from postgres import start_server

    server, why = start_server()
    if server is None:
        pytest.skip(f"no Postgres server for the Postgres store tests: {why}")
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: "PostgresServer") -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives, once per backend: a SQLite path, then a new Postgres database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def any_store(store_location: str) -> Iterator[Store]:
    """An open store, once per backend."""
    with open_store(store_location) as opened:
        yield opened


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def raw_sql(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run `sql` (with ? placeholders) on either backend, past the store's methods: for tests that break a
    store on purpose or look at its tables. Returns the rows, if any."""
    if isinstance(store, SQLiteStore):
        return [tuple(row) for row in store.db.execute(sql, params).fetchall()]
    from storyline.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    with store.connection() as db:
        cursor = db.execute(sql.replace("?", "%s"), params)
        return list(cursor.fetchall()) if cursor.description else []


def make_article(**overrides: Any) -> Article:
    text = overrides.pop("text", "A title\n\nSome body text that is long enough to count as an article body.")
    values: dict[str, Any] = {"id": article_id(text), "text": text, "title": text.split("\n", 1)[0]}
    values.update(overrides)
    return Article(**values)


def text_document(content: str, location: str = "test.txt") -> Document:
    return Document(source=location, location=location, content=content, media_type="text")


@pytest.fixture(scope="session")
def seed_articles(extractor: Extractor) -> dict[str, Article]:
    """The five bundled seed texts, extracted, keyed by their file-name prefix (000 .. 004)."""
    articles = {}
    for path in sorted(SEEDS.glob("*.txt")):
        document = Document(str(path), str(path), path.read_text(encoding="utf-8"), "text")
        articles[path.name[:3]] = extractor(document)
    return articles


@pytest.fixture(scope="session")
def analyzer() -> "Analyzer":
    from storyline.analyze.article import Analyzer, AnalyzeSettings

    return Analyzer(AnalyzeSettings(processes=1))


def story_input(articles: list[Article], analyzer: "Analyzer", roles: dict[str, str] | None = None) -> "StoryInput":
    """A StoryInput of `articles` as independent reports (or `roles` by article id), with their credit lines."""
    from storyline.cluster.credits import find_credits
    from storyline.records import StoryMember
    from storyline.synthesize.bundle import SourceArticle, StoryInput

    roles = roles or {}
    sources = [SourceArticle(a, analyzer(a), StoryMember(a.id, roles.get(a.id, "independent"))) for a in articles]
    credits = tuple(c for a in articles for c in find_credits(a))
    return StoryInput("story-test", sources, credits)


@pytest.fixture(scope="session")
def seed_story(seed_articles: dict[str, Article], analyzer: "Analyzer") -> "StoryInput":
    return story_input(list(seed_articles.values()), analyzer)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A database holding the serve tests' hand-made stories (tests/serve_data.py), and their ids."""
    from serve_data import write_demo

    path = tmp_path_factory.mktemp("serve") / "demo.db"
    with SQLiteStore(path) as store:
        ids = write_demo(store)
    return str(path), ids


@pytest.fixture(scope="module")
def client(demo: tuple[str, dict[str, str]]) -> Iterator["TestClient"]:
    """A test client of the read-only web app over the `demo` database."""
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app

    with TestClient(create_app(demo[0])) as opened:
        yield opened
