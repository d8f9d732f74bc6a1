"""The Postgres store against SQLite (issue 13, item 6): the same corpus through both, the store's write cost per
article, and the incremental cost of new articles when 10k and 100k are already stored.

1. Corpus: examples/ plus the first --extra documents of the shared ECB+ set (skipped with a message when the
   evaluation data is absent), through ingest, analyze, cluster and briefs in this process, once per backend:
   seconds and articles/s per stage, and whether both give the same story partition.
2. Store writes: the corpus extracted once (its extraction time per article is the anchor), then only
   `add_article` and `put_analyses` into a fresh store of each backend: milliseconds per article.
3. Incremental: a store filled with N synthetic articles (each analysed, in a story of 12, every story with a
   brief; filled through the store's own methods), then --new real articles through the whole pipeline, per
   stage and per new article, and the store queries each stage makes that grow with N, timed alone.

The Postgres server is started by this script as the tests start theirs (tests/postgres.py: initdb and pg_ctl
as an unprivileged user, fsync off, loopback TCP); SQLite files use the store's defaults (WAL, synchronous
NORMAL). Both on this machine's disk.

Run: .venv/bin/python bench/scale.py [--extra 300] [--sizes 10000,100000] [--new 20]
"""

import argparse
import dataclasses
import json
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import ROOT, eval_dir, table, write_results

sys.path.insert(0, str(ROOT / "tests"))
from postgres import PostgresServer, start_server  # noqa: E402
from storyline import pipeline  # noqa: E402
from storyline.analyze.article import ANALYSIS_VERSION, Analyzer  # noqa: E402
from storyline.cluster import Embedder  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.errors import StorylineError  # noqa: E402
from storyline.extract.article import Extractor, article_id  # noqa: E402
from storyline.ingest.sources import Ingestor  # noqa: E402
from storyline.records import (  # noqa: E402
    Analysis,
    Article,
    Brief,
    BriefItem,
    Coverage,
    Document,
    Evidence,
    Story,
    StoryMember,
)
from storyline.store import SQLiteStore, Store, open_store  # noqa: E402
from storyline.store.postgres import PostgresStore  # noqa: E402

STAGES = ("ingest", "analyze", "cluster", "briefs")
STORY_SIZE = 12
WORDS = "council harbour bridge budget vote mayor residents river tram station plan school funding port".split()


@contextmanager
def timed(into: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[name] = time.perf_counter() - started


def write_corpus(folder: Path, extra: int, skip: int = 0) -> tuple[Path, int]:
    """A JSONL of ECB+ documents [skip, skip + extra) from the shared evaluation data; (path, count)."""
    source = eval_dir() / "ecbplus" / "ecbplus_train_dev.jsonl"
    path = folder / f"ecbplus-{skip}-{extra}.jsonl"
    if not source.exists():
        print(f"skipped the ECB+ documents: {source} not found (the corpus is examples/ alone)")
        path.write_text("", encoding="utf-8")
        return path, 0
    lines = source.read_text(encoding="utf-8").splitlines()[skip : skip + extra]
    records = [{"title": json.loads(line)["title"], "text": json.loads(line)["text"]} for line in lines]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path, len(records)


class Pipeline:
    """The stages with their models loaded once (and warmed), so the timings are the stages' own."""

    def __init__(self) -> None:
        # Analysis in this process: a forked worker pool hung once here after the embedder's threads had run
        # (100k step, worker asleep at 0 s CPU); one process keeps the per-stage figures comparable anyway.
        settings = Settings()
        self.settings = dataclasses.replace(settings, analyze=dataclasses.replace(settings.analyze, processes=1))
        self.extractor = Extractor(self.settings.extract)
        self.analyzer = Analyzer(self.settings.analyze)
        self.embedder = Embedder.default(self.settings.cluster)
        warm = self.extractor(Document("warm", "warm", "A title\n\nThe council voted on the tram plan today.", "text"))
        self.analyzer(warm)

    def run(self, store: Store, sources: list[str]) -> dict[str, float]:
        seconds: dict[str, float] = {}
        ingestor = Ingestor(self.settings.ingest)
        with timed(seconds, "ingest"):
            for _ in pipeline.ingest(sources, store, ingestor, self.extractor):
                pass
        ingestor.close()
        with timed(seconds, "analyze"):
            for _ in pipeline.analyze(store, self.analyzer):
                pass
        with timed(seconds, "cluster"):
            pipeline.cluster(store, self.settings.cluster, self.embedder)
        with timed(seconds, "briefs"):
            for _ in pipeline.write_briefs(store, self.settings.brief):
                pass
        return seconds


def partition(store: Store) -> set[frozenset[str]]:
    return {frozenset(m.article_id for m in story.members) for story in store.stories()}


def corpus_runs(stages: Pipeline, locations: dict[str, str], sources: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, location in locations.items():
        with open_store(location) as store:
            seconds = stages.run(store, sources)
            out[name] = {"seconds": seconds, "articles": store.count_articles(), "partition": partition(store)}
            out[name]["bytes"] = table_bytes(store)
    return out


def table_bytes(store: Store) -> dict[str, int]:
    """Bytes on disk per table with its indexes (Postgres; TOAST included), or of the whole file (SQLite)."""
    if isinstance(store, SQLiteStore):
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {"all tables": Path(store.path).stat().st_size}
    assert isinstance(store, PostgresStore)
    with store.connection() as db:
        rows = db.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC"
        ).fetchall()
    return {str(name): int(size) for name, size in rows}


def write_costs(stages: Pipeline, locations: dict[str, str], sources: list[str]) -> dict[str, Any]:
    """Extraction per article (the anchor), then add_article and put_analyses alone per backend (ms/article)."""
    ingestor = Ingestor(stages.settings.ingest)
    documents = [d for d in ingestor(sources) if isinstance(d, Document)]
    ingestor.close()
    started = time.perf_counter()
    pairs = []
    for document in documents:
        try:
            pairs.append((document, stages.extractor(document)))
        except StorylineError:
            continue  # a skip: the pipeline records it; here it is no article to write
    extract_ms = (time.perf_counter() - started) * 1000 / len(pairs)
    analyses = [Analysis(a.id, ANALYSIS_VERSION, topics=("bench",)) for _, a in pairs]
    out: dict[str, Any] = {"extract_ms": extract_ms, "documents": len(pairs)}
    for name, location in locations.items():
        with open_store(location) as store:
            started = time.perf_counter()
            new = sum(store.add_article(d, a) for d, a in pairs)
            add_ms = (time.perf_counter() - started) * 1000 / len(pairs)
            started = time.perf_counter()
            for start in range(0, len(analyses), 64):
                store.put_analyses(analyses[start : start + 64])
            analyses_ms = (time.perf_counter() - started) * 1000 / len(analyses)
        out[name] = {"add_article_ms": add_ms, "put_analyses_ms": analyses_ms, "new": new}
    return out


def synthetic(number: int) -> tuple[Document, Article]:
    words = [WORDS[(number * 7 + k * 3) % len(WORDS)] for k in range(40)]
    text = f"Synthetic report {number}\n\n" + " ".join(words) + f". Item {number} of the fill."
    location = f"fill/{number}.txt"
    article = Article(article_id(text), text, f"Synthetic report {number}", locations=(location,), language="en")
    return Document(location, location, text, "text"), article


def fill(store: Store, count: int) -> dict[str, float]:
    """`count` synthetic articles, each analysed, in stories of 12, every story with a brief; seconds per part."""
    seconds: dict[str, float] = {}
    ids: list[str] = []
    with timed(seconds, "articles"):
        for number in range(count):
            document, article = synthetic(number)
            store.add_article(document, article)
            ids.append(article.id)
    with timed(seconds, "analyses"):
        for start in range(0, count, 1000):
            store.put_analyses([Analysis(i, ANALYSIS_VERSION) for i in ids[start : start + 1000]])
    stories = []
    for start in range(0, count, STORY_SIZE):
        members = tuple(StoryMember(i, "independent") for i in ids[start : start + STORY_SIZE])
        day = f"2026-{1 + start // STORY_SIZE % 12:02d}-{1 + start % 28:02d}"
        coverage = Coverage(len(members), (), ("en",), day, day, 0.0, 0.0, "n/a")
        stories.append(Story(f"st_{members[0].article_id}", members, (), coverage, day, day))
    with timed(seconds, "stories"):
        for start in range(0, len(stories), 200):
            store.put_stories(stories[start : start + 200], [])
    with timed(seconds, "briefs"):
        for story in stories:
            item = BriefItem("Synthetic", (Evidence(story.members[0].article_id, 0, 9),))
            coverage = story.coverage
            assert coverage is not None
            brief = Brief(story.id, item, (item,), (), (), (), (), (), (), (), (), (), (), (), coverage, "bench")
            store.put_brief(brief, [], story.updated_at or "")
    return seconds


QUERIES: dict[str, Callable[[Store], object]] = {
    "document_outcome (per document)": lambda s: s.document_outcome(synthetic(7)[0]),
    "articles_to_analyse": lambda s: s.articles_to_analyse(ANALYSIS_VERSION),
    "unclustered_articles": lambda s: s.unclustered_articles(),
    "stale_briefs": lambda s: s.stale_briefs(),
    "stories (first page of 20)": lambda s: s.stories(limit=20),
    "count_articles": lambda s: s.count_articles(),
    "search (a word in every article)": lambda s: s.search("harbour", 20),
    "search (two rare words)": lambda s: s.search("synthetic 4242", 20),
    "get_article (by id prefix)": lambda s: s.get_article(synthetic(3)[1].id[:8]),
}


def time_queries(store: Store) -> dict[str, float]:
    """Milliseconds per call, best of five (after one warm-up call)."""
    out = {}
    for name, query in QUERIES.items():
        query(store)
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            query(store)
            runs.append(time.perf_counter() - started)
        out[name] = min(runs) * 1000
    return out


def incremental(stages: Pipeline, location: str, size: int, new_source: str, new: int) -> dict[str, Any]:
    with open_store(location) as store:
        filled = fill(store, size)
        queries = time_queries(store)
        seconds = stages.run(store, [new_source])
        added = store.count_articles() - size
    return {"fill_seconds": filled, "queries_ms": queries, "seconds": seconds, "new": added}


def databases(server: PostgresServer, folder: Path, name: str) -> dict[str, str]:
    return {"sqlite": str(folder / f"{name}.db"), "postgres": server.create_database()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extra", type=int, default=300, help="ECB+ documents added to examples/")
    parser.add_argument("--sizes", default="10000,100000", help="stored articles before the incremental run")
    parser.add_argument("--new", type=int, default=20, help="new articles in the incremental run")
    args = parser.parse_args()
    server, why = start_server()
    if server is None:
        print(f"skipped: {why}")
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the server is stopped below
    try:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            results = measure(server, folder, args.extra, [int(s) for s in args.sizes.split(",")], args.new)
    finally:
        server.stop()
    write_results("scale", results, markdown(results))
    print(markdown(results))


def measure(server: PostgresServer, folder: Path, extra: int, sizes: list[int], new: int) -> dict[str, Any]:
    extra_path, extra_count = write_corpus(folder, extra)
    new_path, new_count = write_corpus(folder, new, skip=extra)
    sources = [str(ROOT / "examples"), str(extra_path)]
    stages = Pipeline()
    runs = corpus_runs(stages, databases(server, folder, "corpus"), sources)
    same = runs["sqlite"]["partition"] == runs["postgres"]["partition"]
    stories = len(runs["sqlite"]["partition"])
    for run in runs.values():
        del run["partition"]
    writes = write_costs(stages, databases(server, folder, "writes"), sources)
    steps = {}
    for size in sizes:
        steps[str(size)] = {
            name: incremental(stages, location, size, str(new_path if new_count else ROOT / "examples"), new)
            for name, location in databases(server, folder, f"fill{size}").items()
        }
    return {
        "extra_documents": extra_count,
        "corpus": runs,
        "same_partition": same,
        "stories": stories,
        "writes": writes,
        "incremental": steps,
    }


def markdown(results: dict[str, Any]) -> str:
    runs, writes = results["corpus"], results["writes"]
    articles = runs["sqlite"]["articles"]
    rows = []
    for stage in STAGES:
        lite, post = runs["sqlite"]["seconds"][stage], runs["postgres"]["seconds"][stage]
        rows.append([stage, f"{lite:.1f}", f"{articles / lite:.1f}", f"{post:.1f}", f"{articles / post:.1f}"])
    lite_total = sum(runs["sqlite"]["seconds"].values())
    post_total = sum(runs["postgres"]["seconds"].values())
    rows.append(["all", f"{lite_total:.1f}", f"{articles / lite_total:.1f}", f"{post_total:.1f}", ""])
    rows[-1][-1] = f"{articles / post_total:.1f}"
    lines = [
        "## scale: the Postgres store against SQLite",
        "",
        "`bench/scale.py`. Postgres 15 started by the script on loopback (fsync off, as the tests run it); SQLite"
        " with the store's defaults (WAL, synchronous NORMAL); both on this machine's disk, the pipeline in one"
        " process (analysis too, in 1 process).",
        "",
        f"Corpus: examples/ plus {results['extra_documents']} ECB+ documents: {articles} articles,"
        f" {results['stories']} stories; same story partition on both stores: {results['same_partition']}.",
        "",
        table(["stage", "SQLite s", "SQLite articles/s", "Postgres s", "Postgres articles/s"], rows),
        "",
        f"Store writes alone, the same {writes['documents']} documents (anchor: extracting one takes"
        f" {writes['extract_ms']:.1f} ms in the same run):",
        "",
        table(
            ["store", "add_article ms/article", "put_analyses ms/article (batches of 64)"],
            [
                [name, f"{writes[name]['add_article_ms']:.2f}", f"{writes[name]['put_analyses_ms']:.3f}"]
                for name in ("sqlite", "postgres")
            ],
        ),
        "",
    ]
    sizes = {name: runs[name]["bytes"] for name in ("sqlite", "postgres")}
    biggest = ", ".join(f"{t} {b / articles / 1024:.1f}" for t, b in list(sizes["postgres"].items())[:5])
    lines += [
        f"On disk after the corpus run, per article (all its tables and indexes; KiB): SQLite"
        f" {sum(sizes['sqlite'].values()) / articles / 1024:.1f}, Postgres"
        f" {sum(sizes['postgres'].values()) / articles / 1024:.1f} (largest tables: {biggest}).",
        "",
    ]
    lines += incremental_markdown(results["incremental"])
    return "\n".join(lines)


def incremental_markdown(steps: dict[str, Any]) -> list[str]:
    sizes = list(steps)
    lines = [
        "Incremental: the store filled with N synthetic articles (analysed, in stories of 12, all briefed), then"
        " new ECB+ articles through the whole pipeline. Per new article, ms:",
        "",
    ]
    rows = []
    for stage in STAGES:
        row = [stage]
        for size in sizes:
            for name in ("sqlite", "postgres"):
                step = steps[size][name]
                row.append(f"{step['seconds'][stage] * 1000 / max(step['new'], 1):.0f}")
        rows.append(row)
    columns = ["stage"] + [f"{name} N={int(size):,}" for size in sizes for name in ("SQLite", "Postgres")]
    lines += [table(columns, rows), "", "The store queries that grow with N, one call each (ms, best of 5):", ""]
    names = list(next(iter(steps.values()))["sqlite"]["queries_ms"])
    query_rows = [
        [q] + [f"{steps[size][name]['queries_ms'][q]:.1f}" for size in sizes for name in ("sqlite", "postgres")]
        for q in names
    ]
    lines += [table(["query"] + columns[1:], query_rows), ""]
    fill_rows = [
        [f"{name} N={int(size):,}"]
        + [f"{steps[size][name]['fill_seconds'][part]:.1f}" for part in ("articles", "analyses", "stories", "briefs")]
        for size in sizes
        for name in ("sqlite", "postgres")
    ]
    lines += [
        "Filling the store through its own methods (seconds):",
        "",
        table(["store", "articles", "analyses", "stories", "briefs"], fill_rows),
    ]
    return lines


if __name__ == "__main__":
    main()
