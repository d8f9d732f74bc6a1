"""`storyline run examples/` on SQLite and on Postgres gives the same articles, the same story partition and the
same briefs; every reading command, `check --store` and the web server read the Postgres store.

Undated articles are placed in time by when they were stored, so two runs that store the same articles at
different seconds may legitimately write different lineage (and so different briefs) on either backend. The
runs here happen in this process with the stores' clock fixed, so any difference left is the backend's.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from postgres import PostgresServer
from storyline.cli import cli
from storyline.serve.app import create_app
from storyline.store import postgres as postgres_store
from storyline.store import sqlite as sqlite_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def storyline(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer) -> Iterator[dict[str, str]]:
    """The examples run into a SQLite file and into a new Postgres database: {"sqlite": path, "postgres": URL}."""
    folder = tmp_path_factory.mktemp("both")
    locations = {"sqlite": str(folder / "examples.db"), "postgres": postgres_server.create_database()}
    with pytest.MonkeyPatch.context() as patch:
        for module in (sqlite_store, postgres_store):
            patch.setattr(module, "_now", lambda: "2026-12-01T09:00:00+00:00")
        for name, db in locations.items():
            out = str(folder / f"briefs-{name}")
            args = ["run", str(EXAMPLES), "--db", db, "--out", out, "--silent", "--processes", "1"]
            result = CliRunner().invoke(cli, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
    yield locations


def partition(db: str) -> set[frozenset[str]]:
    stories = [json.loads(line) for line in storyline("stories", "--json", "--db", db).splitlines()]
    return {frozenset(m["article_id"] for m in story["members"]) for story in stories}


@pytest.mark.slow
def test_run_on_postgres_gives_the_same_stories_articles_and_briefs(both: dict[str, str]) -> None:
    sqlite, postgres = both["sqlite"], both["postgres"]
    assert partition(postgres) == partition(sqlite)
    assert len(partition(sqlite)) >= 5
    assert storyline("articles", "--json", "--db", postgres) == storyline("articles", "--json", "--db", sqlite)
    ids = [line.split()[0] for line in storyline("stories", "--db", sqlite).splitlines()]
    assert ids == [line.split()[0] for line in storyline("stories", "--db", postgres).splitlines()]  # same order
    for story_id in ids:
        from_sqlite = json.loads(storyline("brief", story_id, "--format", "json", "--db", sqlite))
        assert json.loads(storyline("brief", story_id, "--format", "json", "--db", postgres)) == from_sqlite


@pytest.mark.slow
def test_check_store_passes_on_postgres_with_the_same_counts(both: dict[str, str]) -> None:
    reports = {name: json.loads(storyline("check", "--store", "--json", "--db", db)) for name, db in both.items()}
    assert reports["postgres"]["ok"], reports["postgres"]["problems"]
    assert reports["postgres"]["counts"] == reports["sqlite"]["counts"]


def without_clock(data: Any) -> Any:
    """`data` without the times the clustering stage stamps from its own clock (they differ between two runs)."""
    if isinstance(data, dict):
        return {k: without_clock(v) for k, v in data.items() if k not in ("created_at", "updated_at", "at")}
    if isinstance(data, list):
        return [without_clock(v) for v in data]
    return data


@pytest.mark.slow
def test_the_web_server_reads_postgres_as_it_reads_sqlite(both: dict[str, str]) -> None:
    pages = {}
    for name, db in both.items():
        with TestClient(create_app(db)) as client:
            listing = client.get("/api/stories").json()
            first = listing["stories"][0]["id"]
            story = client.get(f"/api/stories/{first}").json()
            found = client.get("/api/search", params={"q": "rehab"}).json()
            pages[name] = (listing, story, {(r["article"]["id"], r["story_id"]) for r in found["results"]})
            assert client.get("/").status_code == 200
    assert without_clock(pages["postgres"][0]) == without_clock(pages["sqlite"][0])
    assert without_clock(pages["postgres"][1]) == without_clock(pages["sqlite"][1])
    assert pages["postgres"][2] == pages["sqlite"][2] and len(pages["sqlite"][2]) >= 2  # ranked differently
