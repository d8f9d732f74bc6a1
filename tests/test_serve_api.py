"""The JSON API, feeds and the ingest endpoint, through FastAPI's test client."""

import json
import sqlite3
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from serve_data import XSS
from storyline.errors import StoreError
from storyline.serve import create_app
from storyline.serve.security import CONTENT_SECURITY_POLICY
from storyline.store import SQLiteStore

ATOM = "{http://www.w3.org/2005/Atom}"


def test_stories_are_listed_by_latest_activity_with_coverage_and_conflicts(client: TestClient) -> None:
    data = client.get("/api/stories").json()
    assert [s["id"] for s in data["stories"]] == ["st_tram", "st_hostile", "st_storm", "st_tokyo"]
    tram = data["stories"][0]
    assert tram["headline"] == "Council approves northern tram extension to Lindenhof"
    assert tram["conflicts"] == 2 and tram["articles"] == 4 and tram["has_brief"] is True
    assert tram["coverage"]["outlets"] == ["Metro Daily", "The Ledger", "Regional Wire", "Stadtanzeiger"]
    assert tram["coverage"]["languages"] == ["en", "de"]
    storm = data["stories"][2]
    assert storm["has_brief"] is False and storm["headline"] == "Storm Closes Harbour" and storm["summary"] is None
    assert (data["total"], data["pages"], data["page"]) == (4, 1, 1)


def test_stories_can_be_filtered_by_a_members_language(client: TestClient) -> None:
    everything = client.get("/api/stories").json()
    counts = {entry["code"]: entry["stories"] for entry in everything["languages"]}
    assert counts["de"] == 1 and counts["ja"] == 1 and counts["en"] >= 2
    german = client.get("/api/stories", params={"language": "de"}).json()
    assert [s["id"] for s in german["stories"]] == ["st_tram"] and german["total"] == 1 and german["language"] == "de"
    assert [s["id"] for s in client.get("/api/stories", params={"language": "ja"}).json()["stories"]] == ["st_tokyo"]
    assert client.get("/api/stories", params={"language": "xx"}).json()["stories"] == []
    assert client.get("/api/stories", params={"language": "German!"}).status_code == 422
    page = client.get("/", params={"language": "de"}).text
    assert "with coverage in" in page and 'href="/?language=ja"' in page and "st_tram" in page
    assert "st_tokyo" not in page


def test_story_pages_are_paged(client: TestClient) -> None:
    second = client.get("/api/stories", params={"page": 2, "per_page": 3}).json()
    assert [s["id"] for s in second["stories"]] == ["st_tokyo"]
    assert second["pages"] == 2
    assert client.get("/api/stories", params={"page": 9}).json()["stories"] == []


def test_a_story_carries_its_brief_sources_and_the_quoted_evidence(client: TestClient) -> None:
    data = client.get("/api/stories/st_tram").json()
    brief = data["brief"]
    assert brief["headline"]["text"].startswith("Council approves")
    assert [c["subject"] for c in brief["conflicts"]] == ["number of stations", "cost of the project"]
    evidence = brief["conflicts"][0]["values"][1]["evidence"][0]
    key = f"{evidence['article_id']}:{evidence['start']}-{evidence['end']}"
    assert data["excerpts"][key] == "The line will have 14 stations"
    assert data["contexts"][key] == {"before": "", "span": "The line will have 14 stations",
                                     "after": ", according to the transport department's plan."}  # fmt: skip
    numbers = sorted(card["number"] for card in data["articles"].values())
    assert numbers == [1, 2, 3, 4]
    roles = {card["outlet"]: card["role"] for card in data["articles"].values()}
    assert roles == {"Metro Daily": "original", "Regional Wire": "syndicated_copy", "The Ledger": "independent",
                     "Stadtanzeiger": "derivative"}  # fmt: skip
    assert [e["kind"] for e in data["events"]] == ["create", "join"]


def test_every_quoted_span_is_the_cited_text(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    data = client.get("/api/stories/st_tram").json()
    with SQLiteStore(demo[0]) as store:
        for key, quoted in data["excerpts"].items():
            article_id, offsets = key.split(":")
            start, end = map(int, offsets.split("-"))
            assert store.get_article(article_id).text[start:end] == quoted


def test_a_story_without_a_brief_still_lists_its_articles(client: TestClient) -> None:
    data = client.get("/api/stories/st_storm").json()
    assert data["brief"] is None and data["excerpts"] == {}
    assert len(data["articles"]) == 2


def test_stories_can_be_found_by_a_unique_id_prefix(client: TestClient) -> None:
    assert client.get("/api/stories/st_tra").json()["story"]["id"] == "st_tram"


@pytest.mark.parametrize("path", ["/api/stories/st_nothing", "/api/articles/ffffffffffff"])
def test_unknown_ids_are_404_with_an_error_body(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and "no " in body["errors"][0]


def test_malformed_parameters_are_422_with_an_error_body(client: TestClient) -> None:
    response = client.get("/api/stories", params={"page": 0})
    assert response.status_code == 422
    assert response.json()["ok"] is False and "page" in response.json()["errors"][0]
    assert client.get("/api/stories/a%25b%25").status_code == 422  # ids never contain LIKE wildcards


def test_an_article_has_its_record_analysis_and_story(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    data = client.get(f"/api/articles/{demo[1]['hostile_article']}").json()
    assert data["article"]["outlet"] == f"Evil {XSS} Times"  # JSON carries the data as it is
    assert data["story_id"] == "st_hostile"
    assert data["analysis"]["entities"][0]["label"] == "ORG"


def test_search_finds_articles_and_their_stories(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Haltestellen"}).json()
    assert [r["article"]["outlet"] for r in data["results"]] == ["Stadtanzeiger"]
    assert data["results"][0]["story_id"] == "st_tram"
    assert "[Haltestellen]" in data["results"][0]["snippet"]
    assert client.get("/api/search", params={"q": '" OR ('}).json()["results"] == []
    assert client.get("/api/search").json() == {"query": "", "results": []}


def test_search_reads_non_latin_text(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Straßenbahn"}).json()
    assert data["results"] and data["results"][0]["article"]["language"] == "de"


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ["/", "/api/stories", "/static/style.css", "/api/stories/none", "/feeds/stories.atom"]:
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_the_atom_feed_has_one_entry_per_story(client: TestClient) -> None:
    response = client.get("/feeds/stories.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][0] == "Council approves northern tram extension to Lindenhof"
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/stories/st_tram"  # type: ignore[union-attr]
    assert feed.findtext(f"{ATOM}updated") == "2026-06-18T09:00:00+00:00"
    hostile = entries[1].findtext(f"{ATOM}title")
    assert hostile == f"Headline {XSS}"  # text content, escaped by the XML writer, never markup


def test_the_json_feed_follows_version_1_1(client: TestClient) -> None:
    feed = client.get("/feeds/stories.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["url"] == "http://testserver/stories/st_tram"
    assert "disagree on 2" in feed["items"][0]["content_text"]


def test_the_server_is_read_only_without_a_token(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    response = client.post("/api/ingest", json=[{"title": "x", "text": "y"}])
    assert response.status_code == 404  # the route does not exist
    assert "/api/ingest" not in client.get("/openapi.json").json()["paths"]
    with SQLiteStore(demo[0]) as store:
        before = store.count_articles()
    store = client.app.state.pool.get()  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.db.execute("DELETE FROM articles")
    with SQLiteStore(demo[0]) as check:
        assert check.count_articles() == before


def _ingest_client(db: str, calls: list[list[dict[str, Any]]], ingest: bool = True) -> TestClient:
    def fake(store: SQLiteStore, items: list[dict[str, Any]]) -> dict[str, Any]:
        calls.append(items)
        return {"ingested": len(items), "articles": store.count_articles()}

    return TestClient(create_app(db, token="s3cret", ingest=fake if ingest else None))


def test_ingest_needs_the_token(demo: tuple[str, dict[str, str]]) -> None:
    calls: list[list[dict[str, Any]]] = []
    with _ingest_client(demo[0], calls) as client:
        item = {"title": "T", "text": "Body", "url": "https://x.example/a"}
        assert client.post("/api/ingest", json=[item]).status_code == 401
        wrong = client.post("/api/ingest", json=[item], headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        assert calls == []
        ok = client.post("/api/ingest", json=[item], headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["ingested"] == 1
    assert calls[0][0]["title"] == "T" and calls[0][0]["authors"] == [] and calls[0][0]["html"] is None


def test_ingest_validates_its_body(demo: tuple[str, dict[str, str]]) -> None:
    with _ingest_client(demo[0], []) as client:
        auth = {"Authorization": "Bearer s3cret"}
        assert client.post("/api/ingest", json={"title": "not a list"}, headers=auth).status_code == 422
        assert client.post("/api/ingest", json=[{"authors": "not a list"}], headers=auth).status_code == 422


def test_ingest_without_a_function_is_501(demo: tuple[str, dict[str, str]]) -> None:
    with _ingest_client(demo[0], [], ingest=False) as client:
        response = client.post("/api/ingest", json=[], headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 501


def test_an_empty_token_is_refused(demo: tuple[str, dict[str, str]]) -> None:
    with pytest.raises(ValueError, match="empty"):
        create_app(demo[0], token=" ")


def test_a_missing_database_is_created_empty(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "new.db"))) as client:
        assert client.get("/api/stories").json()["total"] == 0
        assert "No stories yet" in client.get("/").text


def test_an_unopenable_database_fails_at_start(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "a-file" / "x.db"))


def test_json_and_html_come_from_the_same_data(client: TestClient) -> None:
    data = client.get("/api/stories/st_tram").json()
    page = client.get("/stories/st_tram").text
    for conflict in data["brief"]["conflicts"]:
        assert conflict["subject"] in page
    for card in data["articles"].values():
        assert card["title"] in page
    assert json.dumps(data["brief"]["headline"]["text"])[1:-1] in page
