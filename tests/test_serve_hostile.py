"""`storyline serve` against hostile requests: bodies it must not read, JSON it must not choke on, parameters
that must give a 4xx with a reason, never a 500 and never a hang.

Most requests go straight to the ASGI app (`call` below) rather than through an HTTP client: that way a test
can send what clients refuse to build (100 KB query strings, raw NUL bytes) and can count how much of a
streamed body the app pulled before it answered.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storyline.errors import ExtractError, StorylineError
from storyline.serve import create_app
from storyline.serve.security import safe_url
from storyline.store import SQLiteStore

TOKEN = "s3cret"
AUTH = (b"authorization", f"Bearer {TOKEN}".encode())
JSON = (b"content-type", b"application/json")
MB = 1024 * 1024


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    chunks_read: int  # how many body chunks the app pulled from the client

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: FastAPI,
    method: str,
    path: str,
    query: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    body: Iterable[bytes] = (),
) -> Reply:
    """Send one request to the ASGI `app`, its body pulled chunk by chunk from `body`, within 10 seconds."""
    chunks: Iterator[bytes] = iter(body)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    read = 0
    done = False
    status, sent_headers, sent = 0, {}, bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal read, done
        if done:
            await anyio.sleep_forever()
        chunk = next(chunks, None)
        if chunk is None:
            done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, sent_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            sent_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            sent.extend(message.get("body", b""))

    async def run() -> None:
        with anyio.fail_after(10):
            await app(scope, receive, send)  # type: ignore[arg-type]

    anyio.run(run)
    return Reply(status, sent_headers, bytes(sent), read)


def megabytes(count: int) -> Iterator[bytes]:
    """`count` one-megabyte chunks of a JSON list that never closes (the same bytes object each time)."""
    chunk = b" " * MB
    yield b"["
    for _ in range(count):
        yield chunk


@pytest.fixture(scope="module")
def calls() -> list[list[dict[str, Any]]]:
    return []


@pytest.fixture(scope="module")
def ingest_app(demo: tuple[str, dict[str, str]], calls: list[list[dict[str, Any]]]) -> FastAPI:
    """An app with the ingest route, a 4 MiB body cap and an ingest function that records what it got."""

    def record(store: SQLiteStore, items: list[dict[str, Any]]) -> dict[str, Any]:
        calls.append(items)
        return {"ingested": len(items)}

    return create_app(demo[0], token=TOKEN, ingest=record, max_body=4 * MB)


@pytest.fixture(scope="module")
def app(demo: tuple[str, dict[str, str]]) -> FastAPI:
    return create_app(demo[0])


# --- POST /api/ingest: the token before the body, the body capped while it streams ---------------------------


@pytest.mark.parametrize("auth", [(), ((b"authorization", b"Bearer nope"),), ((b"authorization", b"Basic eA=="),)])
def test_a_request_without_the_token_is_refused_before_its_body_is_read(
    ingest_app: FastAPI, auth: tuple[tuple[bytes, bytes], ...]
) -> None:
    reply = call(ingest_app, "POST", "/api/ingest", headers=[JSON, *auth], body=megabytes(400))
    assert reply.status == 401 and reply.headers["www-authenticate"] == "Bearer"
    assert reply.json() == {"ok": False, "errors": ["missing or wrong bearer token"]}
    assert reply.chunks_read == 0  # not one megabyte of the 400 was pulled


def test_a_too_large_content_length_is_refused_before_the_body_is_read(ingest_app: FastAPI) -> None:
    headers = [AUTH, JSON, (b"content-length", str(399 * MB).encode())]
    reply = call(ingest_app, "POST", "/api/ingest", headers=headers, body=megabytes(399))
    assert reply.status == 413 and reply.chunks_read == 0
    assert reply.json()["ok"] is False and "limit is 4,194,304" in reply.json()["errors"][0]


def test_a_streamed_body_is_cut_off_at_the_cap(ingest_app: FastAPI, calls: list[list[dict[str, Any]]]) -> None:
    before = len(calls)
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON], body=megabytes(400))
    assert reply.status == 413 and "over the limit of 4,194,304 bytes" in reply.json()["errors"][0]
    assert reply.chunks_read <= 5  # "[" and four megabytes, then it stopped
    assert len(calls) == before


def test_a_body_under_the_cap_is_read_in_chunks_and_ingested(ingest_app: FastAPI) -> None:
    items = json.dumps([{"title": "T", "text": "x" * (MB // 2)}] * 6).encode()  # 3 MB
    pieces = [items[i : i + 65536] for i in range(0, len(items), 65536)]
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON], body=pieces)
    assert reply.status == 200 and reply.json() == {"ingested": 6}
    assert reply.chunks_read == len(pieces)


@pytest.mark.parametrize(
    ("length", "status"), [(b"abc", 400), (b"-1", 400), (b"\xb2", 400), (b"9" * 5000, 400), (b"1" * 20, 413)]
)
def test_a_malformed_content_length_is_a_400(ingest_app: FastAPI, length: bytes, status: int) -> None:
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON, (b"content-length", length)], body=[b"[]"])
    assert reply.status == status and reply.json()["ok"] is False and reply.chunks_read == 0


def test_a_body_that_is_not_json_is_a_415(ingest_app: FastAPI) -> None:
    headers = [AUTH, (b"content-type", b"text/plain")]
    reply = call(ingest_app, "POST", "/api/ingest", headers=headers, body=megabytes(3))
    assert reply.status == 415 and "application/json" in reply.json()["errors"][0]
    assert reply.chunks_read == 0
    ok = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, (b"content-type", b"application/json; charset=utf-8")],
              body=[b"[]"])  # fmt: skip
    assert ok.status == 200
    assert call(ingest_app, "POST", "/api/ingest", headers=[AUTH], body=[b"[]"]).status == 200  # no type: JSON


HOSTILE_BODIES = {
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "recursion limit"),
    "objects nested 100,000 deep": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "recursion limit"),
    "nesting inside an item": (b'[{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]", "recursion limit"),
    "a 5,000-digit integer": (b"[" + b"7" * 5000 + b"]", "number out of range"),
    "a 5,000-digit integer as a title": (b'[{"title": ' + b"7" * 5000 + b"}]", "number out of range"),
    "a float too large": (b'[{"title": 1e99999}]', "valid string"),
    "NaN": (b'[{"title": NaN}]', "valid string"),
    "invalid UTF-8": (b'[{"title": "\xff\xfe"}]', "Invalid JSON"),
    "a lone surrogate": (b'[{"title": "\\ud800"}]', "Invalid JSON"),
    "trailing garbage": (b"[] []", "trailing characters"),
    "an empty body": (b"", "EOF while parsing"),
    "an object, not a list": (b'{"title": "T"}', "valid array"),
    "1,001 items": (b"[" + b",".join([b"{}"] * 1001) + b"]", "at most 1000 items"),
    "a text over 2 M characters": (json.dumps([{"text": "x" * 2_000_001}]).encode(), "at most 2000000"),
    "authors not a list": (b'[{"authors": "me"}]', "authors: Input should be a valid array"),
}


@pytest.mark.parametrize("name", list(HOSTILE_BODIES))
def test_hostile_json_is_a_422_with_a_reason(ingest_app: FastAPI, calls: list[list[dict[str, Any]]], name: str) -> None:
    body, reason = HOSTILE_BODIES[name]
    before = len(calls)
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON], body=[body])
    assert reply.status == 422, reply.body[:300]
    errors = reply.json()["errors"]
    assert reply.json()["ok"] is False and reason in errors[0] and errors[0].startswith("body")
    assert len(calls) == before


def test_a_batch_with_thousands_of_problems_reports_a_few(ingest_app: FastAPI) -> None:
    body = json.dumps([{"title": 1, "url": 2, "outlet": 3}] * 1000).encode()
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON], body=[body])
    errors = reply.json()["errors"]
    assert reply.status == 422 and len(errors) == 21 and errors[-1] == "body: and 2980 more problems"
    assert len(reply.body) < 5000


# --- what the ingest function raises ---------------------------------------------------------------------------


def _raising_client(db: str, error: BaseException) -> TestClient:
    def fail(store: SQLiteStore, items: list[dict[str, Any]]) -> dict[str, Any]:
        raise error

    return TestClient(create_app(db, token=TOKEN, ingest=fail), raise_server_exceptions=False)


def test_a_storyline_error_from_ingest_is_a_400_with_its_message(demo: tuple[str, dict[str, str]]) -> None:
    with _raising_client(demo[0], ExtractError("no main text in the batch")) as client:
        response = client.post("/api/ingest", json=[{"text": "x"}], headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "errors": ["no main text in the batch"]}
    assert issubclass(ExtractError, StorylineError)


def test_a_bug_in_ingest_is_a_json_500_that_shows_no_internals(demo: tuple[str, dict[str, str]]) -> None:
    with _raising_client(demo[0], RecursionError("maximum recursion depth exceeded in /secret/path")) as client:
        response = client.post("/api/ingest", json=[{"text": "x"}], headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 500 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["ok"] is False and "server log" in body["errors"][0]
    assert "secret" not in response.text and "Recursion" not in response.text


@pytest.mark.slow  # builds the real pipeline (extractor, analyzer, clusterer): 2-5 s
def test_a_page_that_broke_extraction_gets_a_200_report(tmp_path: Path) -> None:
    """Deeply nested JSON-LD crashed extraction (HTTP 500): now the page is read or skipped, never a 500."""
    from storyline.cli import api_ingest
    from storyline.config import Settings

    deep = "[" * 100_000 + "]" * 100_000
    html = (f'<html><head><script type="application/ld+json">{deep}</script><title>Deep</title></head><body>'
            f"<article><p>{'Words after words make a sentence here. ' * 40}</p></article></body></html>")  # fmt: skip
    text = "A plain title\n\n" + "A plain body sentence that is long enough to count. " * 20
    app = create_app(str(tmp_path / "real.db"), token=TOKEN, ingest=api_ingest(Settings()))
    with TestClient(app, raise_server_exceptions=False) as client:
        items = [{"url": "https://x.example/deep", "html": html}, {"text": text}]
        response = client.post("/api/ingest", json=items, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text[:300]
    report = response.json()
    assert report.get("ingested", 0) + report.get("skipped", 0) == 2 and report["ingested"] >= 1
    assert [skip["location"] for skip in report["skips"]] in ([], ["https://x.example/deep"])


# --- every other route with hostile parameters -----------------------------------------------------------------

LONG = b"a" * 100_000
HOSTILE_QUERIES = [
    # (path, query string, expected status, text the reason must contain)
    ("/api/stories", b"page=-1", 422, "page"),
    ("/api/stories", b"page=0", 422, "greater than or equal to 1"),
    ("/api/stories", b"page=" + b"9" * 5000, 422, "page"),
    ("/api/stories", b"page=1e3", 422, "valid integer"),
    ("/api/stories", b"page=NaN", 422, "valid integer"),
    ("/api/stories", b"page=1%00", 422, "valid integer"),
    ("/api/stories", b"page=1\x00", 422, "valid integer"),
    ("/api/stories", b"per_page=100000000000000000000", 422, "less than or equal to 100"),
    ("/api/stories", b"per_page=-5", 422, "per_page"),
    ("/api/stories", b"per_page=" + LONG, 422, "per_page"),
    ("/api/stories", b"page=" + LONG, 422, "page"),
    ("/api/stories", b"x=" + LONG, 200, ""),
    ("/api/stories", b"&".join([b"page=1"] * 10_000), 200, ""),
    ("/api/search", b"q=" + LONG, 422, "at most 500 characters"),
    ("/api/search", b"q=%00%01%02%1b", 200, ""),
    ("/api/search", b"q=a\x00b", 200, ""),
    ("/api/search", b"q=%ff%fe%ED%A0%80", 200, ""),
    ("/api/search", b"q=%22%20OR%20NEAR(*", 200, ""),
    ("/api/search", b"q=a&limit=-1", 422, "limit"),
    ("/api/search", b"q=a&limit=1000000", 422, "limit"),
    ("/api/search", b"q=a&limit=" + b"1" * 5000, 422, "limit"),
    ("/api/search", b"q=a&limit=ten", 422, "limit"),
    ("/api/stories/st", b"", 422, "story_id"),
    ("/api/stories/s%00t_tram", b"", 422, "story_id"),
    ("/api/stories/" + "a" * 5000, b"", 422, "story_id"),
    ("/api/stories/st_t", b"", 404, "matches several"),
    ("/api/stories/zzzz", b"", 404, "no story"),
    ("/api/articles/abc", b"", 422, "article_id"),
    ("/api/articles/%25%25%25%25", b"", 422, "article_id"),
    ("/api/articles/....", b"", 404, "no article"),
    ("/api/articles/ffffffffffff", b"", 404, "no article"),
    ("/api/articles/../../etc/passwd", b"", 404, "Not Found"),
    ("/", b"page=-1", 400, "page"),
    ("/", b"page=" + LONG, 400, "page"),
    ("/search", b"q=" + LONG, 400, "at most 500 characters"),
    ("/search", b"q=%00", 200, ""),
    ("/stories/s", b"", 404, "no story"),
    ("/stories/" + "\x00" * 8, b"", 404, "no story"),
    ("/stories/zzzz", b"", 404, "no story"),
    ("/articles/zzzz", b"start=-1&end=5", 400, "start"),
    ("/articles/zzzz", b"start=" + b"9" * 5000, 400, "start"),
    ("/articles/zzzz", b"start=2&end=x", 400, "end"),
    ("/articles/zzzz", b"start=2&end=3", 404, "no article"),
    ("/fragments/articles/zz", b"start=0&end=1", 404, "no article"),
    ("/static/../app.py", b"", 404, "Not Found"),
    ("/static/..%2fapp.py", b"", 404, "no static file"),
    ("/static/%2e%2e%2fserve%2fapp.py", b"", 404, "no static file"),
    ("/static/style.css%00", b"", 404, "no static file"),
    ("/static/style.css\x00", b"", 404, "no static file"),
    ("/static/../../../../etc/passwd", b"", 404, "Not Found"),
    ("/feeds/stories.atom", b"x=" + LONG, 200, ""),
    ("/api/nothing", b"", 404, "Not Found"),
]


@pytest.mark.parametrize(("path", "query", "status", "reason"), HOSTILE_QUERIES, ids=lambda v: repr(v)[:40])
def test_hostile_parameters_get_a_4xx_with_a_reason(
    app: FastAPI, path: str, query: bytes, status: int, reason: str
) -> None:
    reply = call(app, "GET", path, query)
    assert reply.status == status, reply.body[:300]
    if status >= 400:
        text = reply.body.decode()
        if path.startswith("/api/"):
            assert reply.json()["ok"] is False
        assert reason in text, text[:300]
        assert "Traceback" not in text


@pytest.mark.parametrize(
    "accept",
    [b"application/xml", b"text/html;q=0", b"*/*;q=abc", b"\x00\x01", b"a" * 10_000, b"application/json, */*"],
)
@pytest.mark.parametrize("path", ["/", "/api/stories", "/api/stories/zzzz", "/stories/zzzz", "/feeds/stories.json"])
def test_odd_accept_headers_change_nothing(app: FastAPI, path: str, accept: bytes) -> None:
    reply = call(app, "GET", path, headers=[(b"accept", accept)])
    expected = call(app, "GET", path)
    assert (reply.status, reply.headers["content-type"]) == (expected.status, expected.headers["content-type"])


GET_PATHS = ["/", "/api/stories", "/api/stories/st_tram", "/stories/st_tram", "/static/style.css", "/api/docs"]


@pytest.mark.parametrize("path", [*GET_PATHS, "/feeds/stories.atom", "/openapi.json"])
def test_head_is_answered_like_get_without_a_body(app: FastAPI, path: str) -> None:
    get, head = call(app, "GET", path), call(app, "HEAD", path)
    assert head.status == get.status == 200
    assert head.body == b"" and head.headers["content-length"] == str(len(get.body))
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


def test_head_of_a_missing_record_is_a_404(app: FastAPI) -> None:
    reply = call(app, "HEAD", "/api/stories/zzzz")
    assert reply.status == 404 and reply.body == b""


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "BREW"])
@pytest.mark.parametrize("path", ["/api/stories", "/api/ingest", "/", "/static/style.css"])
def test_other_methods_are_405_with_allow(app: FastAPI, method: str, path: str) -> None:
    reply = call(app, method, path, body=megabytes(3))
    if path == "/api/ingest":  # a read-only server has no such route
        assert reply.status == 404 and reply.json()["ok"] is False
        return
    assert reply.status == 405 and "GET" in reply.headers["allow"]
    assert "Method Not Allowed" in reply.body.decode()
    assert reply.chunks_read == 0


def test_a_get_with_a_body_ignores_the_body(app: FastAPI) -> None:
    reply = call(app, "GET", "/api/stories", headers=[(b"content-length", str(400 * MB).encode())], body=megabytes(400))
    assert reply.status == 200 and reply.chunks_read == 0


# --- URL schemes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["HTTP://EXAMPLE.com/a", "Https://example.com/a", "hTTp://example.com/a"])
def test_a_url_scheme_is_matched_whatever_its_case(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["JAVASCRIPT:alert(1)", "Data:text/html,x", "HTTP:no-host", "FTP://example.com/a"])
def test_other_schemes_are_not_links_whatever_their_case(url: str) -> None:
    assert safe_url(url) is None


def test_an_article_url_with_an_upper_case_scheme_is_a_link(tmp_path: Path) -> None:
    from serve_data import make, store_articles

    article = make("Upper-case scheme\n\nA body long enough to be an article.", url="HTTP://Example.com/news/1")
    with SQLiteStore(tmp_path / "urls.db") as store:
        store_articles(store, [article])
    with TestClient(create_app(str(tmp_path / "urls.db"))) as client:
        page = client.get(f"/articles/{article.id}").text
    assert 'href="HTTP://Example.com/news/1"' in page


def test_an_ingested_url_with_an_upper_case_scheme_reaches_ingest_unchanged(
    ingest_app: FastAPI, calls: list[list[dict[str, Any]]]
) -> None:
    body = json.dumps([{"url": "HTTP://Example.com/news/1", "text": "Body"}]).encode()
    reply = call(ingest_app, "POST", "/api/ingest", headers=[AUTH, JSON], body=[body])
    assert reply.status == 200 and calls[-1][0]["url"] == "HTTP://Example.com/news/1"
