"""Following feeds: a polite watcher tested against loopback servers that misbehave on purpose."""

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from http_fixtures import serve_handler
from storyline.errors import IngestError
from storyline.extract.article import Extractor
from storyline.ingest.fetch import Fetcher, FetchSettings
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.ingest.urls import canonical_url
from storyline.records import Article, Document, Feed
from storyline.store import SQLiteStore, open_store
from storyline.watch import CycleReport, Watcher, WatchSettings, discover, export_opml, parse_opml

WORDS = "council harbour bridge budget vote mayor residents river tram station plan school funding".split()


def body(seed: int, words: int = 110) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choices(WORDS, k=12)).capitalize() + f" {seed}.")
    return " ".join(sentences)


def rss(items: list[tuple[str, str, str]], title: str = "Test Feed") -> bytes:
    """An RSS 2.0 feed of (title, link, description) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><description>{d}</description>"
        f"<pubDate>Mon, 01 Jun 2026 0{i % 9}:00:00 GMT</pubDate></item>"
        for i, (t, link, d) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'.encode()


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/rss+xml"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Server:
    """Routes answer by path; each may be a callable of the request headers. Every request is logged."""

    routes: dict[str, Answer | Callable[[dict[str, str]], Answer]] = field(default_factory=dict)
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def requests(self, path: str) -> list[dict[str, str]]:
        return [headers for _, p, headers in self.log if p == path]


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.log.append((time.monotonic(), self.path, headers))
            route = state.routes.get(self.path, Answer(404, b"not found", "text/plain"))
            answer = route(headers) if callable(route) else route
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            if answer.content_type:
                self.send_header("Content-Type", answer.content_type)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    with serve_handler(Handler) as base:
        state.base = base
        yield state


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


QUICK = WatchSettings(host_delay=0.0)
LOOPBACK = FetchSettings(allow_private=True, timeout=2.0, respect_robots=False)


def make_watcher(
    store: SQLiteStore,
    clock: Clock,
    settings: WatchSettings = QUICK,
    fetch: FetchSettings = LOOPBACK,
    extractor: Callable[[Document], Article] | None = None,
) -> Watcher:
    ingestor = Ingestor(IngestSettings(fetch=fetch))
    return Watcher(store, ingestor, extractor or Extractor(), None, settings, clock, random.Random(0))  # type: ignore[arg-type]


def follow(store: SQLiteStore, url: str) -> None:
    store.put_feed(Feed(url, url))


def etag_feed(content: bytes, etag: str = '"v1"') -> Callable[[dict[str, str]], Answer]:
    def answer(headers: dict[str, str]) -> Answer:
        if headers.get("if-none-match") == etag:
            return Answer(304, b"", None, {"ETag": etag})
        return Answer(200, content, headers={"ETag": etag, "Last-Modified": "Mon, 01 Jun 2026 10:00:00 GMT"})

    return answer


def test_a_feed_is_read_then_a_304_costs_no_work(store: SQLiteStore, server: Server, clock: Clock) -> None:
    items = [(f"Story {i}", f"{server.base}/a/{i}", body(i)) for i in range(3)]
    server.routes["/feed"] = etag_feed(rss(items))
    follow(store, server.base + "/feed")
    watcher = make_watcher(store, clock)
    first = watcher.cycle()
    assert (first.polled, first.new_articles, first.errors) == (1, 3, 0)
    feed = store.get_feed(server.base + "/feed")
    assert feed is not None and (feed.etag, feed.items, feed.articles, feed.failures) == ('"v1"', 3, 3, 0)
    assert feed.last_success == "2026-06-01T12:00:00+00:00" and feed.next_fetch == "2026-06-01T12:15:00+00:00"
    assert watcher.cycle().polled == 0  # not due for 15 minutes
    clock.advance(minutes=15)
    second = watcher.cycle()
    assert (second.polled, second.not_modified, second.new_articles) == (1, 1, 0)
    sent = server.requests("/feed")[-1]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Mon, 01 Jun 2026 10:00:00 GMT"
    assert "storyline" in sent["user-agent"]
    assert store.count_articles() == 3


def test_a_growing_feed_adds_only_its_new_entries(store: SQLiteStore, server: Server, clock: Clock) -> None:
    items = [(f"Story {i}", f"{server.base}/a/{i}", body(i)) for i in range(2)]
    server.routes["/feed"] = Answer(body=rss(items))
    follow(store, server.base + "/feed")
    watcher = make_watcher(store, clock)
    assert watcher.cycle().new_articles == 2
    items.append(("Story 2", f"{server.base}/a/2", body(2)))
    server.routes["/feed"] = Answer(body=rss(items))
    clock.advance(minutes=16)
    assert watcher.cycle().new_articles == 1
    assert store.count_articles() == 3


def test_the_same_article_under_two_urls_and_two_feeds_is_stored_once(
    store: SQLiteStore, server: Server, clock: Clock
) -> None:
    link = f"{server.base}/a/1"
    server.routes["/one"] = Answer(body=rss([("Story", link + "?utm_source=feed#top", body(1))]))
    server.routes["/two"] = Answer(body=rss([("Story", link + "?utm_medium=rss&fbclid=x", body(1))]))
    follow(store, server.base + "/one")
    follow(store, server.base + "/two")
    report = make_watcher(store, clock).cycle()
    assert (report.polled, report.new_articles) == (2, 1)
    assert store.count_articles() == 1
    assert canonical_url(link + "?b=2&utm_x=1&a=1#f") == link + "?b=2&a=1"


def test_a_summary_only_entry_has_its_page_fetched_and_extracted(
    store: SQLiteStore, server: Server, clock: Clock
) -> None:
    page = (
        "<html><head><title>Bridge vote</title></head><body><article><h1>Bridge vote</h1>"
        f"<p>{body(7, 160)}</p></article></body></html>"
    )
    server.routes["/a/7"] = Answer(body=page.encode(), content_type="text/html; charset=utf-8")
    server.routes["/feed"] = Answer(body=rss([("Bridge vote", f"{server.base}/a/7", "A short teaser.")]))
    follow(store, server.base + "/feed")
    assert make_watcher(store, clock).cycle().new_articles == 1
    [article] = list(store.articles())
    assert len(article.text.split()) > 100  # the page, not the teaser
    assert server.requests("/a/7")


def test_429_with_retry_after_is_honoured(store: SQLiteStore, server: Server, clock: Clock) -> None:
    server.routes["/feed"] = Answer(429, b"slow down", "text/plain", {"Retry-After": "7200"})
    follow(store, server.base + "/feed")
    watcher = make_watcher(store, clock)
    report = watcher.cycle()
    feed = store.get_feed(server.base + "/feed")
    assert report.errors == 1 and feed is not None and feed.failures == 1
    assert "429" in (feed.last_error or "") and feed.next_fetch == "2026-06-01T14:00:00+00:00"
    clock.advance(minutes=119)
    assert watcher.cycle().polled == 0


def test_errors_back_off_exponentially_then_pause_the_feed(store: SQLiteStore, server: Server, clock: Clock) -> None:
    server.routes["/feed"] = Answer(500, b"broken", "text/plain")
    follow(store, server.base + "/feed")
    watcher = make_watcher(store, clock, WatchSettings(host_delay=0.0, backoff_base=60, pause_after=4))
    waits = []
    for _ in range(4):
        watcher.cycle()
        feed = store.get_feed(server.base + "/feed")
        assert feed is not None and feed.next_fetch is not None
        waits.append((dt.datetime.fromisoformat(feed.next_fetch) - clock.now).total_seconds())
        clock.now = dt.datetime.fromisoformat(feed.next_fetch)
    assert [30 <= w <= 90 for w in waits[:1]] == [True]  # 60 s +- 50 %
    assert all(60 * 2**i * 0.5 <= w <= 60 * 2**i * 1.5 for i, w in enumerate(waits))
    assert feed.status == "paused" and feed.failures == 4 and "HTTP 500" in (feed.last_error or "")
    clock.advance(days=30)
    assert watcher.cycle().polled == 0  # a paused feed is not polled
    assert len(server.requests("/feed")) == 4


def test_a_timeout_and_malformed_xml_are_errors_not_crashes(store: SQLiteStore, server: Server, clock: Clock) -> None:
    server.routes["/slow"] = Answer(body=rss([]), delay=1.5)
    server.routes["/bad"] = Answer(body=b"<rss><channel><item><title>broken")
    server.routes["/good"] = Answer(body=rss([("Story", f"{server.base}/a/1", body(1))]))
    for path in ("/slow", "/bad", "/good"):
        follow(store, server.base + path)
    fetch = FetchSettings(allow_private=True, timeout=0.5, respect_robots=False)
    report = make_watcher(store, clock, fetch=fetch).cycle()
    assert (report.polled, report.errors, report.new_articles) == (3, 2, 1)
    slow, bad = store.get_feed(server.base + "/slow"), store.get_feed(server.base + "/bad")
    assert slow is not None and "timed out" in (slow.last_error or "")
    assert bad is not None and bad.failures == 1 and bad.last_error


def test_a_permanent_redirect_moves_the_feed_a_temporary_one_does_not(
    store: SQLiteStore, server: Server, clock: Clock
) -> None:
    server.routes["/old"] = Answer(301, b"", None, {"Location": "/new"})
    server.routes["/new"] = Answer(body=rss([("Story", f"{server.base}/a/1", body(1))]))
    server.routes["/temp"] = Answer(302, b"", None, {"Location": "/new"})
    follow(store, server.base + "/old")
    follow(store, server.base + "/temp")
    report = make_watcher(store, clock).cycle()
    assert report.moved == 1
    urls = [f.url for f in store.feeds()]
    assert urls == [server.base + "/new", server.base + "/temp"]
    assert store.get_feed(server.base + "/new").added_as == server.base + "/old"  # type: ignore[union-attr]


def test_private_addresses_are_refused_unless_allowed(store: SQLiteStore, server: Server, clock: Clock) -> None:
    server.routes["/feed"] = Answer(body=rss([("Story", f"{server.base}/a/1", body(1))]))
    follow(store, server.base + "/feed")
    report = make_watcher(store, clock, fetch=FetchSettings(respect_robots=False)).cycle()
    feed = store.get_feed(server.base + "/feed")
    assert report.errors == 1 and feed is not None and "private address" in (feed.last_error or "")
    assert server.requests("/feed") == []


def test_one_host_is_asked_at_most_once_per_host_delay(store: SQLiteStore, server: Server, clock: Clock) -> None:
    teaser = [(f"Story {i}", f"{server.base}/a/{i}", "Teaser.") for i in range(3)]
    for i in range(3):
        html = f"<html><body><article><h1>Story {i}</h1><p>{body(i, 150)}</p></article></body></html>"
        server.routes[f"/a/{i}"] = Answer(body=html.encode(), content_type="text/html")
    server.routes["/feed"] = Answer(body=rss(teaser))
    follow(store, server.base + "/feed")
    fetch = FetchSettings(allow_private=True, respect_robots=False, host_delay=0.25)
    assert make_watcher(store, clock, fetch=fetch).cycle().new_articles == 3
    times = [t for t, _, _ in server.log]
    assert len(times) == 4 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.24


def test_a_stop_request_finishes_the_current_article_and_a_restart_resumes(
    store: SQLiteStore, server: Server, clock: Clock
) -> None:
    items = [(f"Story {i}", f"{server.base}/a/{i}", body(i)) for i in range(4)]
    server.routes["/feed"] = Answer(body=rss(items))
    follow(store, server.base + "/feed")
    extractor = Extractor()
    holder: list[Watcher] = []

    def stop_after_first(document: Document) -> Article:
        article = extractor(document)
        holder[0].stop()  # as SIGTERM would, while the first article is being stored
        return article

    watcher = make_watcher(store, clock, extractor=stop_after_first)
    holder.append(watcher)
    report = watcher.cycle()
    assert report.stopped and report.new_articles == 1 and store.count_articles() == 1
    restarted = make_watcher(store, clock)
    clock.advance(minutes=16)
    assert restarted.cycle().new_articles == 3
    assert store.count_articles() == 4


def test_discovery_finds_the_feed_a_page_names(server: Server) -> None:
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>Hi</body></html>'
    server.routes["/"] = Answer(body=page, content_type="text/html")
    server.routes["/rss.xml"] = Answer(body=rss([], title="City News"))
    server.routes["/plain"] = Answer(body=b"<html><body>No feed here</body></html>", content_type="text/html")
    with Fetcher(FetchSettings(allow_private=True, respect_robots=False)) as fetcher:
        found = discover(server.base + "/", fetcher)
        assert (found.url, found.added_as, found.title) == (server.base + "/rss.xml", server.base + "/", "City News")
        assert discover(server.base + "/rss.xml", fetcher).url == server.base + "/rss.xml"
        with pytest.raises(IngestError, match="names no feed"):
            discover(server.base + "/plain", fetcher)


def test_opml_round_trip_and_hostile_opml() -> None:
    feeds = [Feed("https://a.example/rss", "https://a.example/", 'A & "B"'), Feed("https://b.example/atom", "x")]
    listed = parse_opml(export_opml(feeds).encode())
    assert listed == [("https://a.example/rss", 'A & "B"'), ("https://b.example/atom", "https://b.example/atom")]
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><opml><body>&b;</body></opml>'
    with pytest.raises(IngestError, match="not an OPML file"):
        parse_opml(bomb)


def test_cycle_report_line_names_every_count() -> None:
    line = CycleReport(polled=3, not_modified=1, new_articles=2, errors=1, stories_new=1).line()
    assert line == "polled 3 · not modified 1 · new articles 2 · new stories 1 · updated stories 0 · errors 1"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI; a run that hangs is stopped with SIGABRT so its threads' stacks (faulthandler) are shown."""
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    command = [sys.executable, "-m", "storyline", *args]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        out, err = process.communicate()
        pytest.fail(f"storyline {' '.join(args)} hung for 300 s:\n{err[-6000:]}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests (and the CLI runs, which inherit the environment) must not go through a proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_sources_add_then_watch_once_follows_a_site_end_to_end(
    server: Server, tmp_path: Path, store_location: str
) -> None:
    """`sources add` (discovered from the site's page), `watch --once`, the feed grows, `watch --once` again:
    the right articles and stories, no duplicates, and `sources list --json` shows the last success. On SQLite and
    on Postgres."""
    page = b'<html><head><link rel="alternate" type="application/atom+xml" href="/feed"></head></html>'
    server.routes["/"] = Answer(body=page, content_type="text/html")
    items = [(f"Tram plan {i}", f"{server.base}/a/{i}", body(i)) for i in range(3)]
    server.routes["/feed"] = Answer(body=rss(items))
    db = store_location
    added = run_cli("sources", "add", server.base + "/", "--db", db, "--allow-private", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"following {server.base}/feed" in added.stderr
    once = run_cli("watch", "--once", "--db", db, "--allow-private", "--ignore-robots", cwd=tmp_path)
    assert once.returncode == 0, once.stderr
    assert "new articles 3" in once.stderr
    digest = run_cli("digest", "--since", "24h", "--format", "md", "--db", db, cwd=tmp_path)
    assert digest.returncode == 0 and "## New: " in digest.stdout, digest.stdout + digest.stderr
    items.append(("Tram plan 3", f"{server.base}/a/3", body(3)))
    server.routes["/feed"] = Answer(body=rss(items))
    with open_store(db) as store:  # due again now
        feed = store.get_feed(server.base + "/feed")
        assert feed is not None
        store.put_feed(replace(feed, next_fetch=None))
    again = run_cli("watch", "--once", "--db", db, "--allow-private", "--ignore-robots", cwd=tmp_path)
    assert again.returncode == 0 and "new articles 1" in again.stderr, again.stderr
    with open_store(db) as store:
        grown = store.story_of(next(a.id for a in store.articles() if a.title == "Tram plan 3"))
    assert grown is not None
    changes = run_cli("brief", grown, "--changes", "--db", db, cwd=tmp_path)
    assert changes.returncode == 0, changes.stderr
    assert "new source:" in changes.stdout or "new story:" in changes.stdout, changes.stdout
    listed = [
        json.loads(line) for line in run_cli("sources", "list", "--json", "--db", db, cwd=tmp_path).stdout.splitlines()
    ]
    assert len(listed) == 1 and listed[0]["last_success"] and listed[0]["articles"] == 4
    checked = run_cli("check", "--store", "--json", "--db", db, cwd=tmp_path)
    report = json.loads(checked.stdout)
    assert report["ok"] and report["counts"]["articles"] == report["counts"]["in_stories"] == 4


def test_sigterm_stops_the_watcher_cleanly_and_a_restart_adds_no_duplicates(server: Server, tmp_path: Path) -> None:
    """A real SIGTERM to `storyline watch` (not --once): it ends the cycle after the article being stored and exits
    0; a second run stores what was left and nothing twice."""
    items = [(f"Harbour plan {i}", f"{server.base}/a/{i}", body(i)) for i in range(6)]
    server.routes["/feed"] = Answer(body=rss(items), delay=0.0)
    db = str(tmp_path / "w.db")
    with SQLiteStore(db) as store:
        follow(store, server.base + "/feed")
    command = [sys.executable, "-m", "storyline", "watch", "--db", db, "--allow-private", "--ignore-robots"]
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    process = subprocess.Popen([*command, "--interval", "60"], cwd=tmp_path, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not server.requests("/feed"):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler: the stacks of a watcher that did not stop
        err = process.communicate()[1]
        pytest.fail(f"watch did not stop within 300 s of SIGTERM:\n{err[-6000:]}")
    assert process.returncode == 0, err
    with SQLiteStore(db) as store:
        stored = store.count_articles()
        feed = store.get_feed(server.base + "/feed")
        assert feed is not None
        store.put_feed(replace(feed, next_fetch=None))
    again = run_cli("watch", "--once", "--db", db, "--allow-private", "--ignore-robots", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    with SQLiteStore(db) as store:
        assert store.count_articles() == 6 >= stored
        assert len({a.id for a in store.articles()}) == 6


def test_the_next_cycle_comes_when_the_first_feed_is_due(store: SQLiteStore, clock: Clock) -> None:
    watcher = make_watcher(store, clock)
    assert watcher.wait(900) == 900  # nothing followed
    store.put_feed(Feed("https://a.example/rss", "x", next_fetch="2026-06-01T12:05:00+00:00"))
    store.put_feed(Feed("https://b.example/rss", "x", next_fetch="2026-06-01T12:02:00+00:00", interval=2))
    store.put_feed(Feed("https://c.example/rss", "x", status="paused", next_fetch="2026-06-01T12:00:30+00:00"))
    assert watcher.wait(900) == 120  # b, with its own 2-minute interval, not the paused c
    assert watcher.wait(60) == 60
    store.put_feed(Feed("https://d.example/rss", "x"))  # never fetched: due now
    assert watcher.wait(900) == 1.0


def test_a_redirect_to_a_private_address_is_refused(store: SQLiteStore, clock: Clock) -> None:
    """A public feed host that redirects to a loopback address: refused, recorded, the stored URL unchanged."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://127.0.0.1:9/internal/feed.xml"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    fetcher = Fetcher(FetchSettings(respect_robots=False), client=client, resolve=lambda host: ["93.184.216.34"])
    store.put_feed(Feed("http://news.example/feed.xml", "http://news.example/feed.xml"))
    ingestor = Ingestor(IngestSettings(fetch=FetchSettings(respect_robots=False)), fetcher=fetcher)
    report = Watcher(store, ingestor, Extractor(), None, QUICK, clock, random.Random(0)).cycle()
    feed = store.get_feed("http://news.example/feed.xml")
    assert report.errors == 1 and report.moved == 0
    assert feed is not None and "refused private address 127.0.0.1" in (feed.last_error or "")
    client.close()


def test_a_summary_is_kept_as_the_fallback_when_the_page_cannot_be_read(
    store: SQLiteStore, server: Server, clock: Clock
) -> None:
    teaser = "The council approved the harbour bridge on Monday after a long debate about its cost and route."
    server.routes["/feed"] = Answer(body=rss([("Bridge vote", f"{server.base}/gone", teaser)]))
    follow(store, server.base + "/feed")
    assert make_watcher(store, clock).cycle().new_articles == 1
    [article] = list(store.articles())
    assert "harbour bridge" in article.text and "feed-summary-fallback" in article.flags


def test_a_json_feed_is_followed_like_rss(store: SQLiteStore, server: Server, clock: Clock) -> None:
    items = [
        {"id": str(i), "url": f"{server.base}/j/{i}", "title": f"Story {i}", "content_text": body(i),
         "date_published": "2026-06-01T10:00:00Z", "authors": [{"name": "Ann Lee"}]}
        for i in range(2)
    ]  # fmt: skip
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "Json News", "items": items}
    server.routes["/feed.json"] = Answer(body=json.dumps(document).encode(), content_type="application/feed+json")
    with Fetcher(LOOPBACK) as fetcher:
        assert discover(server.base + "/feed.json", fetcher).title == "Json News"
    follow(store, server.base + "/feed.json")
    assert make_watcher(store, clock).cycle().new_articles == 2
    assert sorted(a.title for a in store.articles()) == ["Story 0", "Story 1"]
    assert {a.outlet for a in store.articles()} == {"Json News"}
