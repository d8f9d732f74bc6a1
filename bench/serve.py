"""Load test of the web UI and JSON API: 200 concurrent keep-alive clients on loopback against uvicorn.

Builds a synthetic database (default 10,200 articles in 850 stories of 12, every story with a brief, every
article with an analysis) in a temporary folder, starts `uvicorn storyline.serve.app:app_from_env --factory`
with 2 worker processes (2 cores) on 127.0.0.1 (every story prerendered at start unless --prerender says
fewer; the load starts once every worker has started), and runs a bounded number of requests from a small asyncio
HTTP/1.1 client: story pages, the story list, article pages, search, and the /api twins. Anchor measured in
the same run: a static file (/static/style.css), i.e. what the server stack costs without our code.

Run: .venv/bin/python bench/serve.py [--articles N] [--clients 200] [--requests 15000] [--seconds 300]
     [--workers 2] [--http auto|h11|httptools] [--loop auto|asyncio|uvloop] [--prerender N] [--no-write]
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from common import ROOT, table, write_results
from storyline.extract.article import article_id
from storyline.records import (
    Analysis,
    Article,
    Brief,
    BriefItem,
    Claim,
    Conflict,
    ConflictValue,
    Coverage,
    Document,
    Entity,
    Evidence,
    Quote,
    Side,
    Source,
    Story,
    StoryMember,
)
from storyline.store import SQLiteStore

STORY_SIZE = 12
OUTLETS = [
    "Metro Daily",
    "The Ledger",
    "Regional Wire",
    "Stadtanzeiger",
    "Coast News",
    "Le Quotidien",
    "El Diario",
    "Northern Post",
    "Capital Times",
    "Valley Herald",
    "Global Desk",
    "Harbour Chronicle",
]
PEOPLE = ["Anna Roth", "Jonas Brandt", "Maria Keller", "Priya Nair", "Tomás Ruiz", "Lea Martin", "Omar Haddad"]
PLACES = ["Lindenhof", "Northbridge", "Eastport", "Westfield", "Riverside", "Old Town", "Harbourside"]
TOPICS = ["tram", "budget", "housing", "flood defences", "schools", "hospital", "port", "energy", "water"]
VERBS = ["approved", "rejected", "delayed", "announced", "questioned", "expanded", "cut", "reviewed"]
MIX = [  # (kind, share of requests)
    ("story page", 0.35),
    ("api story", 0.20),
    ("story list", 0.10),
    ("api story list", 0.10),
    ("article page", 0.10),
    ("api article", 0.05),
    ("search", 0.05),
    ("static (anchor)", 0.05),
]


def sentence(rng: random.Random, topic: str, place: str, n: int) -> str:
    person, verb = rng.choice(PEOPLE), rng.choice(VERBS)
    forms = [
        f"The council {verb} the {topic} plan for {place} on Tuesday after a {n}-minute debate.",
        f"“We cannot wait another decade for {place},” said {person}, who has followed the {topic} file for years.",
        f"Officials put the cost at {n * 7} million euros, about {n % 40 + 5}% more than the estimate in 2024.",
        f"Residents of {place} told reporters that the {topic} question had divided neighbours since spring.",
        f"According to the transport department, {n * 3} households in {place} would be affected by the change.",
        f"Critics, among them {person}, argued that the figures were {verb} without a public consultation.",
    ]
    return rng.choice(forms)


def make_article(rng: random.Random, story: int, index: int) -> Article:
    topic, place = TOPICS[story % len(TOPICS)], PLACES[story % len(PLACES)]
    title = f"{place} {topic} plan {rng.choice(VERBS)} after long debate ({story}-{index})"
    paragraphs = [" ".join(sentence(rng, topic, place, rng.randint(10, 90)) for _ in range(4)) for _ in range(6)]
    text = title + "\n\n" + "\n\n".join(paragraphs)
    day = 1 + (story * 7 + index) % 28
    return Article(
        article_id(text),
        text,
        title,
        url=f"https://news.example/{story}/{index}",
        outlet=OUTLETS[(story + index) % len(OUTLETS)],
        authors=(rng.choice(PEOPLE),),
        published=f"2026-{1 + story % 12:02d}-{day:02d}",
        language="en",
    )


def evidence(article: Article, rng: random.Random) -> Evidence:
    starts = [i + 2 for i in range(len(article.title), len(article.text) - 2) if article.text[i] in ".\n"]
    start = rng.choice(starts[:-1])
    end = article.text.find(".", start) + 1 or len(article.text)
    return Evidence(article.id, start, end)


def make_analysis(article: Article) -> Analysis:
    text = article.text
    entities = tuple(Entity(p, "PERSON", i, i + len(p), p) for p in PEOPLE if (i := text.find(p)) >= 0)
    quote_start = text.find("“") + 1
    quotes = (
        (Quote(text[quote_start : text.find("”", quote_start)], quote_start, text.find("”", quote_start), "Anna Roth"),)
        if quote_start > 0
        else ()
    )
    claims, position = [], len(article.title) + 2
    for _ in range(8):
        end = text.find(".", position) + 1
        if end <= 0:
            break
        claims.append(Claim(text[position:end], position, end, None, score=0.6))
        position = end + 1
    return Analysis(article.id, "analysis.bench", entities=entities, quotes=quotes, claims=tuple(claims))


def item(articles: list[Article], rng: random.Random, **extra: Any) -> BriefItem:
    chosen = rng.sample(articles, k=min(len(articles), rng.randint(1, 3)))
    spans = tuple(evidence(a, rng) for a in chosen)
    text = articles[0].text[spans[0].start : spans[0].end] if spans[0].article_id == articles[0].id else None
    return BriefItem(text or "A statement several sources support.", spans, support=len(chosen), **extra)


def make_brief(story: Story, articles: list[Article], rng: random.Random) -> Brief:
    sources = tuple(
        Source(a.id, a.outlet, a.title, a.authors, a.published, a.url, m.role, m.derived_from)
        for a, m in zip(articles, story.members, strict=True)
    )
    conflict = Conflict(
        "cost of the project",
        tuple(
            ConflictValue(f"{v} million euros", (evidence(a, rng),)) for v, a in zip((480, 700), articles, strict=False)
        ),
    )
    assert story.coverage is not None  # the generator always sets it
    return Brief(
        story.id,
        item(articles, rng),
        tuple(item(articles, rng) for _ in range(3)),
        tuple(item(articles, rng) for _ in range(5)),
        tuple(item(articles, rng) for _ in range(2)),
        tuple(item(articles, rng) for _ in range(2)),
        tuple(
            Side(label, (rng.choice(PEOPLE),), "A position.", (item(articles, rng),)) for label in ("For", "Against")
        ),
        tuple(item(articles, rng, date=f"2026-{m:02d}-10") for m in (1, 3, 6, 9)),
        (item(articles, rng, speaker="Anna Roth", horizon="2031"),),
        tuple(item(articles, rng, speaker=rng.choice(PEOPLE)) for _ in range(3)),
        ("tram", "budget"),
        (),
        sources,
        (conflict,),
        story.coverage,
        "bench.synthetic",
    )


def build_database(path: Path, articles: int, seed: int = 7) -> dict[str, list[str]]:
    """Write the synthetic corpus; returns story ids and article ids for the load mix."""
    rng = random.Random(seed)
    ids: dict[str, list[str]] = {"stories": [], "articles": []}
    with SQLiteStore(path) as store:
        for number in range(max(1, articles // STORY_SIZE)):
            members = [make_article(rng, number, i) for i in range(STORY_SIZE)]
            for article in members:
                store.add_article(Document(article.url or "", article.url or "", article.text, "text"), article)
            store.put_analyses([make_analysis(a) for a in members])
            story = make_story(number, members)
            store.put_stories([story], [])
            store.put_brief(make_brief(story, members, rng), [], story.updated_at)
            ids["stories"].append(story.id)
            ids["articles"] += [a.id for a in members]
    return ids


def make_story(number: int, members: list[Article]) -> Story:
    roles = [StoryMember(members[0].id, "original")]
    roles += [
        StoryMember(a.id, "syndicated_copy" if i % 4 == 0 else "independent", (members[0].id,) if i % 4 == 0 else ())
        for i, a in enumerate(members[1:], 1)
    ]
    dates = sorted(a.published or "" for a in members)
    outlets = tuple(dict.fromkeys(a.outlet or "" for a in members))
    coverage = Coverage(len(members), outlets, ("en",), dates[0], dates[-1], 2.0, 0.25, "share of copies")
    return Story(f"st_{number:05d}", tuple(roles), (), coverage, dates[0], dates[-1] + "T12:00:00+00:00")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    db: Path, port: int, workers: int, threads: int, http: str = "auto", loop: str = "auto", prerender: int = 0
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "storyline.serve.app:app_from_env",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "info",
        "--no-access-log",
        "--ws",
        "none",
        "--http",
        http,
        "--loop",
        loop,
    ]
    env = {
        **os.environ,
        "STORYLINE_DB": str(db),
        "STORYLINE_SERVE_THREADS": str(threads),
        "STORYLINE_SERVE_PRERENDER": str(prerender),
    }
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    started = threading.Semaphore(0)

    def watch(stream: IO[str]) -> None:  # counts the workers that finished starting (prerendering included)
        for line in stream:
            if "Application startup complete" in line:
                started.release()
            elif not line.startswith("INFO"):
                print(line, end="", file=sys.stderr)

    assert server.stderr is not None
    threading.Thread(target=watch, args=(server.stderr,), daemon=True).start()
    deadline = time.monotonic() + 300
    for _ in range(workers):
        if not started.acquire(timeout=max(0.0, deadline - time.monotonic())):
            server.kill()
            raise RuntimeError("the server did not start within 300 s")
    while time.monotonic() < deadline:  # one worker logs "startup complete" before it binds the port
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?per_page=1", timeout=10):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not answer within 300 s")


def request_paths(ids: dict[str, list[str]], count: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    pages = max(1, len(ids["stories"]) // 20)
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        story, article = rng.choice(ids["stories"]), rng.choice(ids["articles"])
        yield (
            kind,
            {
                "story page": f"/stories/{story}",
                "api story": f"/api/stories/{story}",
                "story list": f"/?page={rng.randint(1, pages)}",
                "api story list": f"/api/stories?page={rng.randint(1, pages)}",
                "article page": f"/articles/{article}",
                "api article": f"/api/articles/{article}",
                "search": f"/search?q={rng.choice(TOPICS).split()[0]}+{rng.choice(PLACES).split()[0]}",
                "static (anchor)": "/static/style.css",
            }[kind],
        )


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; returns (status, keep the connection)."""
    status = int((await reader.readline()).split()[1])
    length, chunked, keep = 0, False, True
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        length = int(value) if name == "content-length" else length
        chunked = chunked or (name == "transfer-encoding" and "chunked" in value)
        keep = keep and not (name == "connection" and value == "close")
    if chunked:
        while size := int((await reader.readline()).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    return status, keep


async def client(
    port: int, work: Iterator[tuple[str, str]], results: list[tuple[str, int, float]], deadline: float
) -> None:
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    for kind, path in work:
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        try:
            connection = connection or await asyncio.open_connection("127.0.0.1", port)
            reader, writer = connection
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(read_response(reader), timeout=60)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            status, keep = 0, False
        results.append((kind, status, time.perf_counter() - started))
        if not keep and connection:
            connection[1].close()
            connection = None
    if connection:
        connection[1].close()


async def load(
    port: int, ids: dict[str, list[str]], clients: int, requests: int, seconds: float
) -> tuple[list[Any], float]:
    work = request_paths(ids, requests)
    results: list[tuple[str, int, float]] = []
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(port, work, results, deadline) for _ in range(clients)))
    return results, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def summarize(results: list[tuple[str, int, float]], elapsed: float) -> dict[str, Any]:
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, seconds in results:
        by_kind[kind].append((status, seconds))

    def stats(rows: list[tuple[int, float]]) -> dict[str, Any]:
        times = [s for _, s in rows]
        errors = sum(1 for status, _ in rows if status != 200)
        return {
            "requests": len(rows),
            "errors": errors,
            "p50_ms": 1000 * percentile(times, 0.50),
            "p99_ms": 1000 * percentile(times, 0.99),
            "mean_ms": 1000 * statistics.fmean(times),
        }

    total = stats([(status, seconds) for _, status, seconds in results])
    statuses = sorted({status for _, status, _ in results})
    return {
        "total": {**total, "seconds": elapsed, "requests_per_second": len(results) / elapsed, "statuses": statuses},
        "by_kind": {k: stats(v) for k, v in sorted(by_kind.items())},
    }


def markdown(summary: dict[str, Any], setup: dict[str, Any]) -> str:
    total = summary["total"]
    rows = [
        [kind, s["requests"], s["errors"], round(s["p50_ms"], 1), round(s["p99_ms"], 1)]
        for kind, s in summary["by_kind"].items()
    ]
    rows.append(["**all**", total["requests"], total["errors"], round(total["p50_ms"], 1), round(total["p99_ms"], 1)])
    server = (
        f"uvicorn with {setup['workers']} worker processes (--http {setup['http']}, --loop {setup['loop']}; "
        f"views on the event loop), the {setup['prerender']:,} newest stories prerendered at start"
    )
    static = summary["by_kind"].get("static (anchor)", {}).get("p99_ms", float("nan"))
    dynamic = {k: s for k, s in summary["by_kind"].items() if k != "static (anchor)"}
    worst = max(dynamic.items(), key=lambda item: item[1]["p99_ms"]) if dynamic else ("none", {"p99_ms": 0.0})
    verdict = (
        f"Slowest dynamic route: {worst[0]}, p99 {worst[1]['p99_ms']:.0f} ms = {worst[1]['p99_ms'] / static:.1f}x the "
        f"static file's p99 ({static:.0f} ms); target p99 < 200 ms and within 3x the static file's. "
        f"Machine load average before the run: {setup.get('load_before', '?')}, after: {setup.get('load_after', '?')}."
    )
    corpus = f"{setup['articles']:,} articles in {setup['stories']:,} stories"
    outcome = (
        f"{total['requests']:,} requests in {total['seconds']:.0f} s ({total['requests_per_second']:.0f} requests/s), "
        f"**{total['errors']} errors**"
    )
    lines = [
        "## Web UI and API under load (`bench/serve.py`)",
        "",
        f"{setup['clients']} concurrent keep-alive clients on loopback against {server}, on a synthetic database of "
        f"{corpus} (every story has a brief, every article an analysis). The load client runs on the same 2 cores. "
        f"{outcome}. Latencies are per request, from sending it to reading the whole response, so they include "
        "queueing behind the other clients. Anchor: the static stylesheet, measured in the same run.",
        "",
        table(["request", "count", "errors", "p50 ms", "p99 ms"], rows),
        "",
        verdict,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=10_200)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=15_000)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="view threads per worker process")
    parser.add_argument(
        "--http", default="auto", help="uvicorn --http: auto (httptools when installed), h11, httptools"
    )
    parser.add_argument("--loop", default="auto", help="uvicorn --loop: auto (uvloop when installed), asyncio, uvloop")
    parser.add_argument("--prerender", type=int, default=None, help="newest stories rendered at start (all)")
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyline-serve-bench-") as folder:
        db = Path(folder) / "bench.db"
        started = time.perf_counter()
        ids = build_database(db, args.articles)
        print(
            f"built {len(ids['articles']):,} articles in {len(ids['stories']):,} stories "
            f"in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        port = free_port()
        prerender = len(ids["stories"]) if args.prerender is None else args.prerender
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        server = start_server(db, port, args.workers, args.threads, args.http, args.loop, prerender)
        try:
            results, elapsed = asyncio.run(load(port, ids, args.clients, args.requests, args.seconds))
            load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = summarize(results, elapsed)
    setup = {
        "articles": len(ids["articles"]),
        "stories": len(ids["stories"]),
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "http": args.http,
        "loop": args.loop,
        "prerender": prerender,
        "load_before": load_before,
        "load_after": load_after,
        "requests_planned": args.requests,
        "seconds_limit": args.seconds,
    }
    text = markdown(summary, setup)
    print(text)
    if not args.no_write:
        write_results("serve", {"setup": setup, **summary}, text)


if __name__ == "__main__":
    main()
