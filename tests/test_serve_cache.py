"""The server's caches: ETag / If-None-Match -> 304, Cache-Control, identical bodies with and without the cache,
and invalidation by the store's data_version when an article, story or brief is stored."""

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from serve_data import make, store_articles, write_demo
from storyline.records import BriefItem
from storyline.serve import views
from storyline.serve.app import create_app
from storyline.serve.cache import CardCache, StoreVersion, etag_matches
from storyline.store import SQLiteStore, Store

ROUTES = [
    "/",
    "/?page=1",
    "/api/stories",
    "/api/stories?page=1&per_page=2",
    "/stories/st_tram",
    "/api/stories/st_tram",
    "/stories/st_hostile",
    "/stories/st_storm",
    "/search?q=tram",
    "/api/search?q=tram",
    "/sources",
    "/feeds/stories.atom",
    "/feeds/stories.json",
    "/feeds/updates.atom",
    "/openapi.json",
]


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, dict[str, str]]:
    path = tmp_path / "demo.db"
    with SQLiteStore(path) as store:
        ids = write_demo(store)
    return str(path), ids


@pytest.fixture
def served(database: tuple[str, dict[str, str]]) -> Iterator[TestClient]:
    with TestClient(create_app(database[0])) as client:
        yield client


def _article_routes(ids: dict[str, str]) -> list[str]:
    article = ids["hostile_article"]
    return [f"/articles/{article}", f"/api/articles/{article}", f"/fragments/articles/{article}?start=0&end=20"]


def test_pages_and_api_answers_carry_an_etag_and_no_cache(served: TestClient) -> None:
    for path in ROUTES:
        response = served.get(path)
        assert response.status_code == 200, path
        assert response.headers["etag"].startswith('"') and response.headers["cache-control"] == "no-cache", path
        assert "content-security-policy" in response.headers  # security headers on cached answers too
        again = served.get(path)
        assert again.content == response.content and again.headers["etag"] == response.headers["etag"], path


def test_if_none_match_with_the_etag_gets_304_without_a_body(served: TestClient) -> None:
    for path in ["/stories/st_tram", "/api/stories/st_tram", "/", "/api/stories"]:
        etag = served.get(path).headers["etag"]
        unchanged = served.get(path, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
        listed = served.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
        assert listed.status_code == 304
        assert served.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        assert "content-security-policy" in unchanged.headers and "content-length" not in unchanged.headers
    get = served.get("/stories/st_tram")
    head = served.head("/stories/st_tram")  # from the kept GET answer
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    cold = served.head("/stories/st_storm")  # nothing kept yet: answered by the app, and not kept without a body
    assert cold.status_code == 200 and cold.content == b""
    assert served.get("/stories/st_storm").content != b""


def test_errors_are_not_cached_and_carry_no_etag(served: TestClient) -> None:
    missing = served.get("/api/stories/st_nothing")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_cached_bodies_are_the_bodies_without_the_cache(database: tuple[str, dict[str, str]]) -> None:
    routes = ROUTES + _article_routes(database[1])
    with TestClient(create_app(database[0], cache_bytes=0, inline=False)) as plain:
        expected = {path: plain.get(path).content for path in routes}
    with TestClient(create_app(database[0], prerender_stories=10)) as cached:
        for _ in range(2):
            for path in routes:
                assert cached.get(path).content == expected[path], path


def test_a_new_article_shows_at_once(served: TestClient, database: tuple[str, dict[str, str]]) -> None:
    before = served.get("/api/search?q=zeppelin")
    assert before.json()["results"] == []
    article = make("Zeppelin lands in Lindenhof\n\nA zeppelin landed in Lindenhof on Sunday.", outlet="Metro Daily")
    assert served.get(f"/api/articles/{article.id}").status_code == 404
    with SQLiteStore(database[0]) as writer:
        store_articles(writer, [article])
    after = served.get("/api/search?q=zeppelin")
    assert [r["article"]["id"] for r in after.json()["results"]] == [article.id]
    assert after.headers["etag"] != before.headers["etag"]
    assert served.get(f"/api/articles/{article.id}").status_code == 200


def test_a_rewritten_brief_shows_at_once_on_the_page_the_api_and_the_list(
    served: TestClient, database: tuple[str, dict[str, str]]
) -> None:
    page, api, listed = served.get("/stories/st_tram"), served.get("/api/stories/st_tram"), served.get("/api/stories")
    old_etag = page.headers["etag"]
    with SQLiteStore(database[0]) as writer:
        found = writer.get_brief("st_tram")
        assert found is not None
        brief, problems = found
        headline = BriefItem("Tram extension to Lindenhof approved after a night vote", brief.headline.evidence)
        story = writer.get_story("st_tram")
        writer.put_brief(dataclasses.replace(brief, headline=headline), problems, story.updated_at)
    new_page = served.get("/stories/st_tram", headers={"If-None-Match": old_etag})
    assert new_page.status_code == 200 and "after a night vote" in new_page.text
    assert new_page.headers["etag"] != old_etag
    assert served.get("/api/stories/st_tram").json()["brief"]["headline"]["text"] == headline.text
    assert api.json()["brief"]["headline"]["text"] != headline.text
    cards = {s["id"]: s for s in served.get("/api/stories").json()["stories"]}
    assert cards["st_tram"]["headline"] == headline.text  # the story card too (the list no longer waits 30 s)
    assert listed.json()["stories"][0]["headline"] != headline.text


def test_prerendered_stories_are_answered_without_running_the_view(
    database: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = views.story_data

    def counted(store: Store, story_id: str) -> dict[str, object]:
        calls.append(story_id)
        return real(store, story_id)

    counted.__name__ = "story_data"
    monkeypatch.setattr(views, "story_data", counted)
    with TestClient(create_app(database[0], prerender_stories=2)) as client:
        rendered = list(calls)
        assert len(rendered) == 2  # the two newest stories, once each for the page and its /api twin
        for story_id in rendered:
            assert client.get(f"/stories/{story_id}").status_code == 200
            assert client.get(f"/api/stories/{story_id}").status_code == 200
        assert calls == rendered


def test_the_store_version_moves_when_another_connection_commits(any_store: Store, tmp_path: Path) -> None:
    first = any_store.data_version()
    assert any_store.data_version() == first
    article = make("A version test\n\nThe store version moves when something is stored.")
    location = getattr(any_store, "url", None)
    if isinstance(any_store, SQLiteStore):
        with SQLiteStore(any_store.path) as other:
            store_articles(other, [article])
    else:
        assert location is not None
        from storyline.store import open_store

        with open_store(str(location)) as other:
            store_articles(other, [article])  # type: ignore[arg-type]
    assert any_store.data_version() != first


def test_the_version_clock_asks_at_most_every_interval_and_empties_the_caches() -> None:
    tokens, now = ["a"], [0.0]

    class Fake:
        def data_version(self) -> str:
            return tokens[0]

    fake = Fake()
    clock = StoreVersion(lambda: fake, interval=1.0, clock=lambda: now[0])
    cards = CardCache(ttl=None)
    clock.register(cards)
    start = clock.current()
    cards.get("k", lambda: {"v": 1})
    tokens[0] = "b"
    assert clock.current() == start  # asked less than a second ago
    assert cards.get("k", lambda: {"v": 2}) == {"v": 1}
    now[0] = 1.5
    assert clock.current() == start + 1
    assert cards.get("k", lambda: {"v": 2}) == {"v": 2}


def test_a_value_built_while_the_store_changed_is_not_kept() -> None:
    cards = CardCache(ttl=None)

    def build() -> dict[str, int]:
        cards.advance()  # the store changed while the value was being built
        return {"v": 1}

    assert cards.get("k", build) == {"v": 1}
    assert cards.get("k", lambda: {"v": 2}) == {"v": 2}


def test_etag_matching_follows_rfc_9110() -> None:
    assert etag_matches('"abc"', '"abc"') and etag_matches('W/"abc"', '"abc"') and etag_matches("*", '"abc"')
    assert etag_matches('"x", "abc"', '"abc"') and not etag_matches('"abcd"', '"abc"') and not etag_matches(None, '"a"')


def test_a_postgres_store_is_served_from_the_cache_and_invalidated(postgres_url: str) -> None:
    """Postgres: views run in threads, the version (the current snapshot) is asked at most every 0.25 s."""
    import time

    from storyline.store import open_store

    first = make("Harbour reopens\n\nThe harbour reopened on Monday after the storm.", outlet="Coast News")
    with open_store(postgres_url) as writer:
        store_articles(writer, [first])  # type: ignore[arg-type]  # any Store will do
    with TestClient(create_app(postgres_url)) as client:
        found = client.get("/api/search?q=harbour")
        assert [r["article"]["id"] for r in found.json()["results"]] == [first.id]
        etag = found.headers["etag"]
        assert client.get("/api/search?q=harbour", headers={"If-None-Match": etag}).status_code == 304
        second = make("Harbour fees rise\n\nThe harbour raised its fees on Tuesday.", outlet="Coast News")
        with open_store(postgres_url) as writer:
            store_articles(writer, [second])  # type: ignore[arg-type]
        time.sleep(0.3)
        again = client.get("/api/search?q=harbour", headers={"If-None-Match": etag})
        assert again.status_code == 200 and {r["article"]["id"] for r in again.json()["results"]} == {
            first.id,
            second.id,
        }
