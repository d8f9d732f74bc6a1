"""Where the pipeline's time goes (issue 16, item 1's first step): cProfile over the in-process pipeline.

The corpus is bench/pipeline.py's (the Zyte pages, copies varied so each has its own text hash), cut to
`--pages` (300). Two passes over it, each into a fresh SQLite database in a temporary folder:

1. plain: the stages of `src/storyline/pipeline/` one after the other (ingest, analyze with one process so
   all of it runs here, cluster, briefs + rendering the three brief files), wall seconds of each, no profiler;
2. profiled: the same under cProfile; each stage's time is split by the cumulative time of the functions that
   do each part (listed in PARTS below; "rest of the stage" is what they do not cover). cProfile sees only
   this thread: the MiniLM embedding runs in a worker thread during clustering, so it is timed by a wrapper
   around `Embedder.embed_articles` instead (it overlaps the lexical features; the main thread's wait for it
   is in "features: waiting for the embedding").

Model loading (spaCy, the claim ranker, the topic model, MiniLM) is timed apart and is in no stage.
cProfile slows Python code more than C code (lxml, spaCy's Cython, onnxruntime), so the profiled seconds are
larger than the plain ones and Python-heavy parts weigh more in them; shares are of the profiled stage.

Run: .venv/bin/python bench/profile_pipeline.py [--pages 300] [--top 40]
Writes bench/results/pipeline.profile.{json,md} (not run by `make bench`: about 10 minutes on 2 cores).
"""

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from common import RESULTS, machine, table
from pipeline import build_corpus

# An entry: (file suffix, function, caller function or "" for any caller).
Entry = tuple[str, str, str]
# stage -> [(part, entries added, entries subtracted)]: a part's seconds = the cumulative time of the first
# (only the calls from that caller, when one is named) minus that of the second (the parts nested inside it).
PARTS: dict[str, list[tuple[str, list[Entry], list[Entry]]]] = {
    "ingest": [
        ("read + decode files", [("ingest/sources.py", "_file", "")], []),
        ("SQLite: already stored? (document hash)", [("store/sqlite.py", "document_outcome", "")], []),
        (
            "HTML parse (lxml) + attribute cap",
            [("extract/html.py", "_parse", ""), ("extract/html.py", "cap_attributes", "")],
            [],
        ),
        ("metadata candidates (JSON-LD, meta tags, title)", [("extract/html.py", "_page_candidates", "")], []),
        ("main text: trafilatura bare_extraction (with its metadata)", [("extract/html.py", "_main_text", "")], []),
        ("line rules (furniture, bylines, dates)", [("extract/text.py", "clean_lines", "")], []),
        ("language ID", [("extract/language.py", "__call__", "")], []),
        ("metadata voting", [("extract/metadata.py", "vote", ""), ("extract/article.py", "_title_vote", "")], []),
        ("SQLite: write document + article", [("store/sqlite.py", "add_article", "")], []),
    ],
    "analyze": [
        ("SQLite: read articles", [("store/sqlite.py", "articles_to_analyse", "")], []),
        ("spaCy NER (entities, names merged)", [("analyze/entities.py", "pipe", "")], []),
        ("sentences", [("analyze/sentences.py", "split_sentences", "_analyse")], []),
        (
            "quotes + speakers",
            [("analyze/quotes.py", "find_quotes", ""), ("analyze/quotes.py", "listed_quotes", "")],
            [],
        ),
        ("claims (ranker, holders)", [("analyze/claims.py", "find_claims", "")], []),
        (
            "timex + dated events",
            [("analyze/times.py", "find_times", ""), ("analyze/times.py", "find_events", "")],
            [],
        ),
        ("topics (keyphrases)", [("analyze/topics.py", "__call__", "")], []),
        ("quantities", [("analyze/quantities.py", "find_quantities", "_analyse")], []),
        ("summary sentence", [("analyze/topics.py", "summary_sentence", "_analyse")], []),
        ("SQLite: write analyses", [("store/sqlite.py", "put_analyses", "")], []),
    ],
    "cluster": [
        (
            "SQLite: read state, articles, analyses",
            [
                ("store/sqlite.py", "cluster_state_version", ""),
                ("store/sqlite.py", "unclustered_articles", ""),
                ("store/sqlite.py", "get_analysis", "<listcomp>"),
                ("store/sqlite.py", "received_times", ""),
            ],
            [],
        ),
        ("state: decode + encode", [("cluster/state.py", "from_bytes", ""), ("cluster/state.py", "to_bytes", "")], []),
        ("features: lexical (terms, TF-IDF, MinHash, hashes)", [("cluster/stories.py", "_lexical_features", "")], []),
        (
            "features: waiting for the embedding",
            [("cluster/stories.py", "_featurize", "")],
            [("cluster/stories.py", "_lexical_features", "")],
        ),
        (
            "similarity, assignment, merges, splits",
            [("cluster/stories.py", "_run_chunk", "")],
            [("cluster/stories.py", "_featurize", "")],
        ),
        (
            "lineage, coverage, consolidation (rest of cluster_articles)",
            [("cluster/stories.py", "cluster_articles", "")],
            [("cluster/stories.py", "_run_chunk", "")],
        ),
        ("SQLite: write stories, log, state", [("store/sqlite.py", "put_stories", "")], []),
    ],
    "briefs": [
        (
            "stale briefs + story input (SQLite reads)",
            [("store/sqlite.py", "stale_briefs", ""), ("pipeline/stories.py", "story_input", "")],
            [],
        ),
        ("brief sections (candidates, similarity, ranking)", [("synthesize/brief.py", "write_brief", "")], []),
        ("grounding check", [("synthesize/grounding.py", "check_grounding", "")], []),
        ("SQLite: write brief + version", [("store/sqlite.py", "put_brief", "")], []),
        ("story context (links)", [("pipeline/stories.py", "story_context", "")], []),
        ("rendering: JSON, Markdown, HTML files", [("cli.py", "write_brief_files", "")], []),
    ],
}


def run_stages(folder: Path, corpus: Path, profiler: cProfile.Profile | None) -> dict[str, Any]:
    """The four stages in this process; wall seconds of each (and of model loading) and the counts."""
    from storyline import pipeline
    from storyline.analyze.article import Analyzer
    from storyline.cli import write_brief_files
    from storyline.cluster import Embedder
    from storyline.config import load_settings
    from storyline.extract.article import Extractor
    from storyline.ingest.sources import Ingestor
    from storyline.store import open_store

    settings = load_settings(None, env={})
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    analyzer = Analyzer(_one_process(settings.analyze))
    embedder = Embedder.default(settings.cluster)
    extractor = Extractor(settings.extract)
    seconds["loading models"] = time.perf_counter() - started
    embedding = _time_embedding(embedder)
    store = open_store(str(folder / "profile.db"))
    ingestor = Ingestor(settings.ingest)

    def stage(name: str, work: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            return work()
        finally:
            if profiler is not None:
                profiler.disable()
            seconds[name] = time.perf_counter() - began

    try:
        outcomes = stage("ingest", lambda: list(pipeline.ingest([str(corpus)], store, ingestor, extractor)))
        analysed = stage("analyze", lambda: sum(1 for _ in pipeline.analyze(store, analyzer)))
        clustered = stage("cluster", lambda: pipeline.cluster(store, settings.cluster, embedder))

        def briefs() -> int:
            written = list(pipeline.write_briefs(store, settings.brief))
            write_brief_files(written, folder / "briefs")
            return len(written)

        briefs_written = stage("briefs", briefs)
    finally:
        ingestor.close()
        store.close()
    statuses = [o.status for o in outcomes]
    return {
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "embedding_seconds": round(embedding["seconds"], 2),
        "embedding_texts": embedding["texts"],
        "documents": len(statuses),
        "articles": statuses.count("ingested"),
        "duplicates": statuses.count("duplicate"),
        "skipped": statuses.count("skipped"),
        "analysed": analysed,
        "stories": clustered.stories_changed,
        "briefs": briefs_written,
    }


def _one_process(settings: Any) -> Any:
    import dataclasses

    return dataclasses.replace(settings, processes=1)


def _time_embedding(embedder: Any) -> dict[str, Any]:
    """Wrap this embedder's embed_articles with a timer (it runs in a worker thread cProfile does not see)."""
    spent: dict[str, Any] = {"seconds": 0.0, "texts": 0}
    original = embedder.embed_articles

    def timed(texts: Any, languages: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(texts, languages)
        finally:
            spent["seconds"] += time.perf_counter() - began
            spent["texts"] += len(texts)

    embedder.embed_articles = timed
    return spent


def cumulative(stats: dict[Any, Any], entries: list[Entry]) -> tuple[float, int]:
    total, calls = 0.0, 0
    for suffix, name, caller in entries:
        for (filename, _line, function), (_cc, primitive, _tt, ct, callers) in stats.items():
            if function != name or not filename.endswith(suffix):
                continue
            if not caller:
                total += ct
                calls += primitive
                continue
            for (_file, _at, calling), (_c, number, _t, time_in) in callers.items():
                if calling == caller:
                    total += time_in
                    calls += number
    return total, calls


def split(stats: dict[Any, Any], seconds: dict[str, float], articles: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for stage, parts in PARTS.items():
        rows: list[dict[str, Any]] = []
        for name, plus, minus in parts:
            total, calls = cumulative(stats, plus)
            rows.append({"part": name, "seconds": round(total - cumulative(stats, minus)[0], 2), "calls": calls})
        covered = sum(r["seconds"] for r in rows)
        rows.append({"part": "rest of the stage", "seconds": round(seconds[stage] - covered, 2), "calls": None})
        for row in rows:
            row["share"] = round(row["seconds"] / seconds[stage], 3)
            row["ms_per_article"] = round(1000 * row["seconds"] / articles, 1)
        out[stage] = rows
    return out


def top_functions(stats: pstats.Stats, count: int) -> Iterator[list[Any]]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:count]
    for (filename, line, function), (_cc, calls, tt, ct, _callers) in ranked:
        where = filename.split("site-packages/")[-1].split("src/")[-1]
        yield [f"{where}:{line} {function}", calls, round(tt, 2), round(ct, 2)]


# The one-document mode: a driver run in a fresh interpreter per run. It times phases of `storyline run` by
# wrapping functions (wall seconds and the CPU seconds of the thread that runs them), whichever process or
# thread they run in (the wrappers of modules imported later are put in place by an import hook, so the driver
# itself imports nothing the run would not), and at exit prints one JSON line: the phases, the CPU of this
# process and of its children (the analysis worker), and the wall time.
ONE_DRIVER = r"""
import functools, importlib.abc, importlib.util, json, os, resource, sys, threading, time
T0 = time.perf_counter()
PID = os.getpid()
phases = []
WRAP = {
    "storyline.cli": [
        ("_writer", "brief settings (--writer) and their imports"),
        ("_ingest", "ingest (imports, read, extract, store)"),
        ("write_brief_files", "brief files"),
    ],
    "storyline.pipeline.analysing": [
        ("ready_extractor", "extractor + lingua models (thread)"),
        ("analyze", "analysis"),
        ("load_embedder", "embedder load + warm-up"),
    ],
    "storyline.pipeline.stories": [("cluster", "cluster"), ("write_briefs", "briefs")],
    "storyline.extract.article": [("Extractor.__init__", "Extractor()"), ("Extractor.__call__", "extract")],
    "storyline.analyze.article": [("Analyzer.__init__", "Analyzer() (spaCy and models)")],
    "storyline.cluster.embed": [("Embedder.default", "Embedder.default (MiniLM, USE)")],
}
def record(label, t0, c0):
    if os.getpid() == PID:
        phases.append([threading.current_thread().name, label, round(t0 - T0, 3), round(time.perf_counter() - t0, 3),
                       round(time.thread_time() - c0, 3)])
def wrapped(function, label):
    import inspect
    if inspect.isgeneratorfunction(function):
        @functools.wraps(function)
        def generator(*args, **kwargs):
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                yield from function(*args, **kwargs)
            finally:
                record(label, t0, c0)
        return generator
    @functools.wraps(function)
    def plain(*args, **kwargs):
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            record(label, t0, c0)
    return plain
def patch(module):
    for path, label in WRAP.get(module.__name__, []):
        owner, name = module, path
        if "." in path:
            owner, name = getattr(module, path.split(".")[0], None), path.split(".")[1]
        if owner is None or not hasattr(owner, name):
            continue
        function = getattr(owner, name)
        if isinstance(owner.__dict__.get(name), classmethod):
            setattr(owner, name, classmethod(wrapped(function.__func__, label)))
        else:
            setattr(owner, name, wrapped(function, label))
class Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in WRAP:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Hook())
def report():
    if os.getpid() != PID:
        return
    own, children = os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {"wall": round(time.perf_counter() - T0, 3), "cpu": round(own.user + own.system, 3), "phases": phases}
    result["children_cpu"] = round(children.ru_utime + children.ru_stime, 3)
    print(json.dumps(result), file=sys.stderr)
import atexit
atexit.register(report)
sys.argv = ["storyline", *sys.argv[1:]]
from storyline.cli import main
main()
"""


def one_document(runs: int, src: Path | None) -> dict[str, Any]:
    """`storyline run` on bench/pipeline.py's short document into a fresh database, `runs` times, under the
    phase-timing driver; `src` runs another tree's `src` instead (PYTHONPATH)."""
    from pipeline import SHORT_DOCUMENT

    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="storyline-one-") as folder:
            load = os.getloadavg()[0]
            command = [sys.executable, "-c", ONE_DRIVER, "run", str(SHORT_DOCUMENT), "--db", f"{folder}/one.db"]
            done = subprocess.run([*command, "--out", f"{folder}/briefs"], capture_output=True, text=True, env=env)
            if done.returncode != 0:
                raise SystemExit(f"run failed: {done.stderr}")
            result = json.loads(done.stderr.strip().splitlines()[-1])
            result["load"] = round(load, 2)
            results.append(result)
    return {"runs": results, "summary": summarize(results)}


def summarize(results: list[dict[str, Any]]) -> list[list[Any]]:
    """Median wall and CPU seconds of each (thread, phase), in the order of their median start."""
    keyed: dict[tuple[str, str], list[list[Any]]] = {}
    for result in results:
        for thread, label, start, wall, cpu in result["phases"]:
            keyed.setdefault(("main" if thread == "MainThread" else "thread", label), []).append([start, wall, cpu])
    rows = []
    for (thread, label), values in keyed.items():
        start, wall, cpu = (round(statistics.median(v[i] for v in values), 2) for i in range(3))
        rows.append([start, thread, label, wall, cpu])
    rows.sort()
    for name in ("wall", "cpu", "children_cpu", "load"):
        rows.append(["", "", f"whole run: {name}", round(statistics.median(r[name] for r in results), 2), ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--top", type=int, default=40, help="functions by own time listed")
    parser.add_argument("--keep", type=Path, help="keep the corpus, databases and the profile here")
    parser.add_argument("--one-document", action="store_true", help="phases of `run` on one short document")
    parser.add_argument("--runs", type=int, default=5, help="with --one-document: runs (medians are given)")
    parser.add_argument("--src", type=Path, help="with --one-document: the src folder of another tree to time")
    options = parser.parse_args()
    if options.one_document:
        data = one_document(options.runs, options.src)
        header = ["median start s", "thread", "phase", "wall s", "CPU s (this thread)"]
        print(json.dumps(data["runs"]) if options.keep else table(header, data["summary"]))
        return
    load_start = [round(v, 2) for v in os.getloadavg()]
    folder = Path(tempfile.mkdtemp(prefix="storyline-profile-")) if options.keep is None else options.keep
    try:
        info = build_corpus(folder / "pages", options.pages)
        info.pop("paths")
        (folder / "plain").mkdir(parents=True, exist_ok=True)
        (folder / "profiled").mkdir(parents=True, exist_ok=True)
        plain = run_stages(folder / "plain", folder / "pages", None)
        print(f"plain: {plain}", flush=True)
        profiler = cProfile.Profile()
        profiled = run_stages(folder / "profiled", folder / "pages", profiler)
        print(f"profiled: {profiled}", flush=True)
        profiler.dump_stats(str(folder / "pipeline.prof"))
        stats = pstats.Stats(profiler)
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    parts = split(raw, profiled["seconds"], profiled["articles"])
    top = list(top_functions(stats, options.top))
    data: dict[str, Any] = {
        "corpus": info,
        "plain": plain,
        "profiled": profiled,
        "parts": parts,
        "top_own_time": top,
        "load": {"start": load_start, "end": [round(v, 2) for v in os.getloadavg()]},
        "machine": machine(),
    }
    lines = [f"Corpus: {info}; load at start {load_start}, end {data['load']['end']}.", ""]
    stage_rows = [
        [
            stage,
            plain["seconds"][stage],
            profiled["seconds"][stage],
            round(1000 * plain["seconds"][stage] / plain["articles"], 1),
        ]
        for stage in PARTS
    ]
    lines += [table(["stage", "seconds (plain)", "seconds (cProfile)", "ms/article (plain)"], stage_rows), ""]
    for stage, rows in parts.items():
        lines += [f"### {stage}", ""]
        cells = [[r["part"], r["seconds"], r["share"], r["ms_per_article"], r["calls"]] for r in rows]
        lines += [table(["part", "seconds", "share", "ms/article", "calls"], cells), ""]
        if stage == "cluster":
            lines += [
                f"Embedding (MiniLM ONNX, in a worker thread, timed by a wrapper): {profiled['embedding_seconds']} s "
                f"for {profiled['embedding_texts']} texts (plain pass: {plain['embedding_seconds']} s).",
                "",
            ]
    lines += ["### top functions by own time", "", table(["function", "calls", "own s", "cumulative s"], top)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pipeline.profile.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "pipeline.profile.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
