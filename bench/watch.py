"""The feed watcher against 200 loopback feeds: a cycle with nothing new, new items per second, duplicates, and
requests per host.

Setup (all generated, nothing stored): 200 HTTP servers, one per loopback address 127.0.1.1 ... 127.0.1.200 (so
every feed is on its own host, as real feeds are), each serving an RSS feed of 50 items with full text (120-word
made-up articles, distinct per item) and answering conditional GETs with 304. robots.txt answers 404 (allowed);
the watcher runs in-process (`storyline.watch.Watcher`) with a simulated clock, `host_delay` 1 s, robots.txt
read, private addresses allowed (loopback).

Cycles, on one store:
1. first read: 200 feeds x 50 items fetched, extracted and stored (no analysis: `refresher=None`);
2. nothing new: every feed due again and answering 304 (target: the cycle under 2 s for 200 sources);
3. growth: 10 % of the feeds (20) gain 2 items each; 5 % (10) of them also carry an item another feed already
   has, under a link with tracking parameters (utm_source, fbclid); 2.5 % (5) gain 2 summary-only entries whose
   pages are fetched from the feed's host (one host asked several times: the per-host delay shows). Duplicates
   stored must be 0.
Then end to end on a fresh store: 20 feeds x 5 items through extract, store, analyse, cluster and briefs
(`pipeline.Refresher`), items per second, with `host_delay` 0 (the processing, not the politeness).

Every request counts against `host_delay`, robots.txt included, so a first cycle on new hosts asks each host
twice (robots.txt, then the feed) one `host_delay` apart: on 200 hosts that is about 200 s of waiting, the
cost of one request at a time.

Anchor measured in the same run: a bare loop of conditional GETs (httpx, one client, no parsing or storing) to
the same 200 feeds, all answering 304 -- the floor of a nothing-new cycle.
Requests per host: the shortest gap between two requests to one host across all cycles (limit: `host_delay`).

Run: .venv/bin/python bench/watch.py [--feeds 200] [--items 50] [--no-write]
"""

import argparse
import datetime as dt
import hashlib
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from common import table, write_results
from storyline.extract.article import Extractor
from storyline.ingest.fetch import FetchSettings
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Feed
from storyline.store import SQLiteStore
from storyline.watch import Watcher, WatchSettings

WORDS = (
    "council harbour bridge budget vote mayor residents river tram station plan school funding court ruling "
    "election turnout hospital nurses strike wages airport runway flights storm flood rescue teams minister "
    "parliament bill tax reform police arrest market prices energy wind solar farm factory jobs union deal"
).split()
HOST_DELAY = 1.0
TARGET_IDLE_SECONDS = 2.0


def article(seed: str, words: int = 120) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choices(WORDS, k=rng.randint(10, 16))).capitalize() + ".")
    return " ".join(sentences)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><description>{d}</description></item>"
        for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{entries}</channel></rss>'.encode()


class Host:
    """One loopback host: its feed (items, ETag), its pages, and the times it was asked."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.items: list[tuple[str, str, str]] = []
        self.pages: dict[str, bytes] = {}
        self.hits: list[float] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    port = 0

    def feed(self) -> tuple[bytes, str]:
        body = rss(self.items)
        return body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def handler_for(host: Host) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with host.lock:
                host.hits.append(time.monotonic())
            status, kind, body, headers = 404, "text/plain", b"not found", {}
            if self.path == "/feed.xml":
                content, etag = host.feed()
                if self.headers.get("If-None-Match") == etag:
                    status, body, headers = 304, b"", {"ETag": etag}
                else:
                    status, kind, body, headers = 200, "application/rss+xml", content, {"ETag": etag}
            elif self.path in host.pages:
                status, kind, body = 200, "text/html; charset=utf-8", host.pages[self.path]
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", kind)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients closing early are fine."""


@contextmanager
def hosts(count: int) -> Iterator[list[Host]]:
    servers, made = [], []
    try:
        for i in range(count):
            host = Host(f"127.0.1.{i + 1}")
            server = QuietServer((host.address, 0), handler_for(host))
            host.port = server.server_address[1]
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            servers.append(server)
            made.append(host)
        yield made
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def fill(host: Host, n: int, items: int, prefix: str = "") -> None:
    for j in range(items):
        link = f"{host.base}/a/{prefix}{j}"
        host.items.append((f"Report {n}-{prefix}{j}", link, article(f"{n}:{prefix}{j}")))


def watcher(store: SQLiteStore, clock: Clock, refresher: Any = None, delay: float = HOST_DELAY) -> Watcher:
    fetch = FetchSettings(allow_private=True, host_delay=delay, timeout=5.0)
    settings = WatchSettings(host_delay=delay)
    return Watcher(store, Ingestor(IngestSettings(fetch=fetch)), Extractor(), refresher, settings, clock)


def anchor(feeds: list[Host]) -> float:
    """Seconds for one conditional GET per feed, all 304, with one bare httpx client."""
    started = time.perf_counter()
    with httpx.Client(timeout=5.0) as client:
        for host in feeds:
            _, etag = host.feed()
            answer = client.get(host.base + "/feed.xml", headers={"If-None-Match": etag})
            assert answer.status_code == 304
    return time.perf_counter() - started


def shortest_gap(feeds: list[Host]) -> float:
    gaps = [b - a for host in feeds for a, b in zip(host.hits, host.hits[1:], strict=False)]
    return min(gaps) if gaps else float("inf")


def measure(feeds_count: int, items: int) -> dict[str, Any]:
    out: dict[str, Any] = {"feeds": feeds_count, "items_per_feed": items, "host_delay": HOST_DELAY}
    with hosts(feeds_count) as feeds, tempfile.TemporaryDirectory() as folder:
        for n, host in enumerate(feeds):
            fill(host, n, items)
        clock = Clock()
        with SQLiteStore(Path(folder) / "watch.db") as store:
            for host in feeds:
                store.put_feed(Feed(host.base + "/feed.xml", host.base + "/feed.xml"))
            w = watcher(store, clock)
            started = time.perf_counter()
            first = w.cycle()
            out["first"] = {"seconds": time.perf_counter() - started, "new": first.new_articles, "errors": first.errors}
            out["first"]["items_per_second"] = first.new_articles / out["first"]["seconds"]
            clock.now += dt.timedelta(minutes=16)
            started = time.perf_counter()
            idle = w.cycle()
            out["idle"] = {
                "seconds": time.perf_counter() - started,
                "polled": idle.polled,
                "not_modified": idle.not_modified,
            }
            polite = [list(h.hits) for h in feeds]
            out["anchor_seconds"] = anchor(feeds)
            for host, hits in zip(feeds, polite, strict=True):  # the anchor's requests are not the watcher's
                host.hits = hits
            # growth: new items, duplicates under tracking links, summary-only entries with pages
            expected = store.count_articles()
            grow, dups, teasers = max(1, feeds_count // 10), max(1, feeds_count // 20), max(1, feeds_count // 40)
            for n, host in enumerate(feeds[:grow]):
                fill(host, n, 2, prefix="g")
                expected += 2
            for n, host in enumerate(feeds[:dups]):
                source = feeds[grow + n]
                title, link, text = (f"Shared {n}", f"{source.base}/a/shared{n}", article(f"shared{n}"))
                source.items.append((title, link, text))
                host.items.append((title, link + "?utm_source=rss&fbclid=abc", text))
                expected += 1
            for n, host in enumerate(feeds[grow + dups : grow + dups + teasers]):
                for j in range(2):
                    path = f"/p/{j}"
                    text = article(f"page{n}{j}", 160)
                    page = f"<html><body><article><h1>Page {n}-{j}</h1><p>{text}</p></article></body></html>"
                    host.pages[path] = page.encode()
                    host.items.append((f"Page {n}-{j}", host.base + path, "A short teaser."))
                    expected += 1
            clock.now += dt.timedelta(minutes=16)
            started = time.perf_counter()
            grown = w.cycle()
            stored = store.count_articles()
            out["growth"] = {
                "seconds": time.perf_counter() - started,
                "new": grown.new_articles,
                "expected_articles": expected,
                "stored_articles": stored,
                "duplicates": stored - expected,
                "errors": grown.errors,
            }
        out["shortest_gap_per_host"] = shortest_gap(feeds)
        out["requests"] = sum(len(h.hits) for h in feeds)
    out["end_to_end"] = end_to_end()
    return out


def end_to_end(feeds_count: int = 20, items: int = 5) -> dict[str, Any]:
    from storyline.analyze.article import Analyzer, AnalyzeSettings
    from storyline.cluster import ClusterSettings, Embedder
    from storyline.pipeline import Refresher
    from storyline.synthesize.brief import BriefSettings

    with hosts(feeds_count) as feeds, tempfile.TemporaryDirectory() as folder:
        for n, host in enumerate(feeds):
            fill(host, 1000 + n, items)
        with SQLiteStore(Path(folder) / "e2e.db") as store:
            for host in feeds:
                store.put_feed(Feed(host.base + "/feed.xml", host.base + "/feed.xml"))
            loaded = time.perf_counter()
            refresher = Refresher(
                Analyzer(AnalyzeSettings()), Embedder.default(ClusterSettings()), ClusterSettings(), BriefSettings()
            )
            load = time.perf_counter() - loaded
            started = time.perf_counter()
            report = watcher(store, Clock(), refresher, delay=0.0).cycle()
            seconds = time.perf_counter() - started
            return {
                "feeds": feeds_count,
                "items": report.new_articles,
                "seconds": seconds,
                "model_load_seconds": load,
                "items_per_second": report.new_articles / seconds,
                "stories": report.stories_new,
                "briefs": report.refreshed.get("briefs", 0),
            }


def markdown(data: dict[str, Any]) -> str:
    first, idle, growth, e2e = data["first"], data["idle"], data["growth"], data["end_to_end"]
    rows = [
        [
            "first read (fetch, extract, store)",
            f"{first['seconds']:.1f} s",
            f"{first['new']} articles, {first['items_per_second']:.0f}/s",
            "",
        ],
        [
            "nothing new (all 304)",
            f"{idle['seconds']:.2f} s",
            f"{idle['not_modified']}/{idle['polled']} not modified",
            f"anchor {data['anchor_seconds']:.2f} s (bare conditional GETs)",
        ],
        [
            "growth (new, duplicates, teasers)",
            f"{growth['seconds']:.1f} s",
            f"{growth['new']} new, duplicates stored {growth['duplicates']}",
            "",
        ],
        [
            "end to end (to briefs)",
            f"{e2e['seconds']:.1f} s",
            f"{e2e['items']} articles, {e2e['items_per_second']:.1f}/s, {e2e['briefs']} briefs",
            f"models loaded in {e2e['model_load_seconds']:.1f} s (not counted)",
        ],
    ]
    idle_ok = idle["seconds"] < TARGET_IDLE_SECONDS
    gap_ok = data["shortest_gap_per_host"] >= HOST_DELAY * 0.99
    return (
        "## Feed watcher (`bench/watch.py`)\n\n"
        f"{data['feeds']} loopback feeds on {data['feeds']} hosts, {data['items_per_feed']} full-text items each; "
        f"`host_delay` {HOST_DELAY:g} s; robots.txt read; simulated clock between cycles. "
        + table(["cycle", "time", "result", "anchor"], rows).join(["\n\n", "\n\n"])
        + f"Targets: nothing-new cycle under {TARGET_IDLE_SECONDS:g} s for {data['feeds']} sources: "
        f"{'met' if idle_ok else 'not met'}; duplicates stored 0: {'met' if growth['duplicates'] == 0 else 'not met'}; "
        f"shortest gap between two requests to one host {data['shortest_gap_per_host']:.2f} s against the "
        f"{HOST_DELAY:g} s limit: {'met' if gap_ok else 'not met'} ({data['requests']} requests in all). "
        "The first read is mostly waiting: each new host is asked for robots.txt, then for its feed one "
        "`host_delay` later, one request at a time. The end-to-end items are made from one shared vocabulary, so "
        "they cluster into few stories: that row measures throughput, not clustering.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    data = measure(args.feeds, args.items)
    text = markdown(data)
    print(text)
    if not args.no_write:
        print(f"wrote {write_results('watch', data, text)}")


if __name__ == "__main__":
    main()
