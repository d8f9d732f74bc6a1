"""Nothing lost on real corpora: the whole pipeline through the real CLI, then the store's own accounting.

For each corpus, in its own temporary folder, `storyline run SOURCES --db DB --out DIR --check --silent` runs
as a subprocess (exactly what a user types), then `check --store --json`, `stories --json` and
`articles --json` read the result back, and the skips table of the database gives the skipped documents by
reason. Reported per corpus: documents given, articles stored, skips by reason, analysed articles in stories,
stories (active / dormant), briefs, the store check (ok + problems) and the wall time of each run.

Order independence: the same corpus, shuffled (seeded) and split into `--batches` batches (5), each batch one
`storyline run` into one fresh database, compared with the single run of the whole corpus: B-cubed F1 between
the two article -> story partitions (bench/clustering.py's `bcubed`; symmetric, so neither is "gold"). The
B-cubed F1 of the single run against the corpus's own story labels is shown where the corpus has them.

Corpora (read from the shared evaluation data; each is skipped with a message when absent):

1. zyte: the Zyte article-extraction benchmark pages (`html/*.html.gz`, read gzipped as they are stored),
   real news and blog pages whose dates span years. No story labels.
2. stream: a synthetic multi-year stream from NeuS (val; each item is a story of 3 articles) and ECB+
   (train+dev; each sub-topic is a story). Each story starts on a seeded uniform date over 2.5 years, its
   articles come out 0-3 days after it; about 10 % of the articles carry no date; JSONL with text, title,
   published, outlet, in shuffled order (dates out of order). Whole stories are taken until the cap.
3. textonly: NeuS articles with no title field and the text collapsed to one paragraph (JSONL, dated as in
   the stream), plus a folder of title-less one-paragraph .txt files (no date) for a share of them.
4. timeline17: Timeline17's articles (timeline17-partial/per_topic/*/articles_with_pubdate.csv): full-length
   pages of the BBC, CNN, Reuters and others about eight long-running subjects (an epidemic, revolutions, a
   trial), scraped by a third party with their page chrome left in (comment sections, "Last updated at",
   transcripts), over months and years, each with its real publication date and no title. JSONL in shuffled
   order: whole topics in name order, each one that still fits under the cap. No story labels (a topic holds
   many stories).

Default size: at most `CAP` documents per corpus (printed); `--quick` about 100; `--full` everything.
Nothing from the evaluation data is written into the repository: the corpora live in temporary folders.

Run: .venv/bin/python bench/integrity.py [--quick | --full] [--batches 5] [--seed 0] [--only zyte,stream]
     [--keep DIR] [--no-write]
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clustering import bcubed
from common import ROOT, eval_dir, table, write_results

STORYLINE = ROOT / ".venv" / "bin" / "storyline"
CAP = 800  # documents per corpus at the default size
QUICK = 100
TXT_SHARE = 0.25  # share of the text-only corpus given as .txt files (the rest as title-less JSONL)
UNDATED_SHARE = 0.10
SPAN_DAYS = 2.5 * 365.25
STREAM_START = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
OUTLETS = [
    "Metro Daily",
    "The Ledger",
    "Regional Wire",
    "Coast News",
    "Northern Post",
    "Capital Times",
    "Valley Herald",
    "Evening Courier",
    "Harbour Gazette",
    "Plains Observer",
    "City Register",
    "Summit Tribune",
]


@dataclass
class Item:
    """One input document: a JSONL object, or a .txt / .html.gz file (`path` set)."""

    key: str  # stable name inside the corpus
    record: dict[str, Any] | None = None  # JSONL object
    path: Path | None = None  # an existing file to link (zyte)
    text: str | None = None  # the content of a .txt file
    story: str | None = None  # the corpus's own story label


@dataclass
class Corpus:
    name: str
    description: str
    items: list[Item]
    cap_note: str
    labelled: bool
    sources: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- corpora


def limit(requested: str) -> int | None:
    return {"quick": QUICK, "default": CAP, "full": None}[requested]


def zyte_corpus(size: str) -> Corpus | str:
    folder = eval_dir() / "zyte-article-extraction-benchmark" / "html"
    if not folder.is_dir():
        return f"Zyte benchmark pages not found at {folder}"
    paths = sorted(folder.glob("*.html.gz"))
    cap = limit(size)
    chosen = paths if cap is None else sorted(random.Random(1).sample(paths, min(cap, len(paths))))
    items = [Item(p.name, path=p) for p in chosen]
    note = f"{len(chosen)} of {len(paths)} pages" + (f" (cap {cap})" if cap is not None and cap < len(paths) else "")
    return Corpus("zyte", "Zyte benchmark HTML pages (.html.gz)", items, note, False, {"html.gz": len(items)})


def _stories() -> tuple[list[tuple[str, list[dict[str, str]]]], str | None]:
    """NeuS items and ECB+ sub-topics as (story label, [{title, text}]), in a fixed order."""
    base = eval_dir()
    neus, ecb = base / "neus" / "neus_val.jsonl", base / "ecbplus" / "ecbplus_train_dev.jsonl"
    stories: list[tuple[str, list[dict[str, str]]]] = []
    missing = [str(p) for p in (neus, ecb) if not p.exists()]
    if neus.exists():
        for line in neus.read_text(encoding="utf-8").splitlines():
            story = json.loads(line)
            stories.append(
                (f"neus-{story['id']}", [{"title": a["title"], "text": a["text"]} for a in story["articles"]])
            )
    if ecb.exists():
        grouped: dict[str, list[dict[str, str]]] = {}
        for line in ecb.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            grouped.setdefault(f"ecb-{doc['subtopic']}", []).append({"title": doc["title"], "text": doc["text"]})
        stories += sorted(grouped.items())
    return stories, ("; ".join(missing) + " not found") if missing else None


def _schedule(stories: list[tuple[str, list[dict[str, str]]]], seed: int) -> list[dict[str, Any]]:
    """Each story a start date uniform over SPAN_DAYS, its articles 0-3 days later, ~10 % undated."""
    rng = random.Random(seed)
    out = []
    for label, articles in stories:
        start = STREAM_START + dt.timedelta(days=rng.uniform(0, SPAN_DAYS))
        for number, article in enumerate(articles):
            when = start + dt.timedelta(days=rng.uniform(0, 3))
            record: dict[str, Any] = {"title": article["title"], "text": article["text"]}
            if rng.random() >= UNDATED_SHARE:
                record["published"] = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            record["outlet"] = rng.choice(OUTLETS)
            out.append({"story": label, "key": f"{label}#{number}", "record": record})
    return out


def _take_stories(stories: list[Any], cap: int | None, seed: int) -> list[Any]:
    """Whole stories in a seeded random order until `cap` articles (all of them when cap is None)."""
    order = list(stories)
    random.Random(seed).shuffle(order)
    if cap is None:
        return order
    taken, count = [], 0
    for story in order:
        if count + len(story[1]) > cap:
            continue
        taken.append(story)
        count += len(story[1])
    return taken


def stream_corpus(size: str, seed: int) -> Corpus | str:
    stories, missing = _stories()
    if not stories:
        return f"NeuS and ECB+: {missing}"
    cap = limit(size)
    taken = _take_stories(stories, cap, seed)
    rows = _schedule(taken, seed)
    random.Random(seed + 1).shuffle(rows)  # the file order is not the date order
    items = [Item(r["key"], record=r["record"], story=r["story"]) for r in rows]
    total = sum(len(s[1]) for s in stories)
    undated = sum(1 for i in items if i.record is not None and "published" not in i.record)
    note = f"{len(items)} of {total} articles in {len(taken)} of {len(stories)} stories, {undated} undated" + (
        f" (cap {cap})" if cap is not None and cap < total else ""
    )
    if missing:
        note += f"; {missing}"
    return Corpus("stream", "NeuS + ECB+ as a 2.5-year JSONL stream", items, note, True, {"jsonl": len(items)})


def one_paragraph(text: str) -> str:
    return " ".join(text.split())


def textonly_corpus(size: str, seed: int) -> Corpus | str:
    stories, missing = _stories()
    stories = [s for s in stories if s[0].startswith("neus-")]
    if not stories:
        return f"NeuS: {missing}"
    cap = limit(size)
    taken = _take_stories(stories, cap, seed)
    rows = _schedule(taken, seed)
    rng = random.Random(seed + 2)
    rng.shuffle(rows)
    as_txt = set(rng.sample(range(len(rows)), round(TXT_SHARE * len(rows))))
    items = []
    for index, row in enumerate(rows):
        text = one_paragraph(row["record"]["text"])
        if index in as_txt:
            items.append(Item(row["key"], text=text, story=row["story"]))
        else:
            record = {k: v for k, v in row["record"].items() if k != "title"}
            items.append(Item(row["key"], record={**record, "text": text}, story=row["story"]))
    total = sum(len(s[1]) for s in stories)
    note = (
        f"{len(items)} of {total} NeuS articles in {len(taken)} stories: {len(items) - len(as_txt)} JSONL lines "
        f"(no title) + {len(as_txt)} .txt files (no title, no date)"
        + (f" (cap {cap})" if cap is not None and cap < total else "")
    )
    sources = {"jsonl": len(items) - len(as_txt), "txt": len(as_txt)}
    return Corpus("textonly", "NeuS text only: title-less JSONL + .txt folder", items, note, True, sources)


def timeline17_corpus(size: str, seed: int) -> Corpus | str:
    import csv

    folder = eval_dir() / "timeline17-partial" / "per_topic"
    files = sorted(folder.glob("*/articles_with_pubdate.csv"))
    if not files:
        return f"Timeline17 articles not found under {folder}"
    csv.field_size_limit(1 << 30)
    cap = limit(size)
    items: list[Item] = []
    topics = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if cap is not None and items and len(items) + len(rows) > cap:
            continue
        topics.append(path.parent.name)
        for number, row in enumerate(rows):
            text = "\n\n".join(_detokenized(line) for line in row["text"].splitlines() if line.strip())
            record = {"text": text, "published": f"{row['date']}T12:00:00Z"}
            items.append(Item(f"{path.parent.name}-{number}", record=record))
    random.Random(seed + 3).shuffle(items)
    note = f"{len(items)} articles of {len(topics)} topics ({', '.join(topics)}), title-less JSONL with real dates"
    note += f" (cap {cap})" if cap is not None else ""
    return Corpus("timeline17", "Timeline17: full-length scraped pages over months", items, note, False)


def _detokenized(line: str) -> str:
    """Timeline17's sentences are tokenized (PTB style): put the punctuation back as a page has it."""
    line = line.strip().replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"')
    line = re.sub(r" ([.,;:!?%)])", r"\1", line)
    line = re.sub(r"\( ", "(", line)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", line)


# ---------------------------------------------------------------- writing inputs and running the CLI


def write_sources(items: list[Item], folder: Path) -> tuple[list[str], dict[str, Item]]:
    """Write `items` under `folder`: JSONL objects into one file, text into .txt files, pages linked into a
    folder. Returns the sources to give `storyline run` and the item at each location the store will record."""
    folder.mkdir(parents=True)
    sources, located = [], {}
    records = [i for i in items if i.record is not None]
    if records:
        path = folder / "articles.jsonl"
        path.write_text("".join(json.dumps(i.record, ensure_ascii=False) + "\n" for i in records), encoding="utf-8")
        sources.append(str(path))
        located.update({f"{path}:{number}": item for number, item in enumerate(records, start=1)})
    texts = [i for i in items if i.text is not None]
    pages = [i for i in items if i.path is not None]
    if texts or pages:
        files = folder / "files"
        files.mkdir()
        for number, item in enumerate(texts):
            target = files / f"{number:05d}.txt"
            target.write_text(item.text or "", encoding="utf-8")
            located[str(target)] = item
        for item in pages:
            assert item.path is not None
            os.symlink(item.path, files / item.path.name)
            located[str(files / item.path.name)] = item
        sources.append(str(files))
    return sources, located


@dataclass
class RunResult:
    seconds: float
    code: int
    ingest_line: str
    summary_line: str
    grounding_failures: int
    stderr_tail: list[str]


def storyline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # cwd: a temporary folder, so no storyline.toml of the caller's is read
    return subprocess.run([str(STORYLINE), *args], cwd=cwd, capture_output=True, text=True, check=False)


def run_pipeline(sources: list[str], db: Path, out: Path, cwd: Path) -> RunResult:
    started = time.perf_counter()
    done = storyline("run", *sources, "--db", str(db), "--out", str(out), "--check", "--silent", cwd=cwd)
    seconds = time.perf_counter() - started
    lines = done.stderr.splitlines()
    ingest = next((line for line in lines if line.startswith("ingested ")), "")
    failed = re.search(r"(\d+) brief\(s\) failed the grounding check", done.stderr)
    summary = next((line for line in done.stdout.splitlines() if " stories from " in line), "")
    tail = [line for line in lines if not line.startswith("skipped ")][-12:]
    return RunResult(seconds, done.returncode, ingest, summary, int(failed.group(1)) if failed else 0, tail)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def inspect(db: Path, out: Path, cwd: Path) -> dict[str, Any]:
    """What the store says after the runs: check --store, stories, articles -> story, skips by reason."""
    check = storyline("check", "--store", "--json", "--db", str(db), cwd=cwd)
    try:
        report = json.loads(check.stdout)
    except json.JSONDecodeError:
        report = {"ok": False, "counts": {}, "problems": [f"check --store printed no JSON: {check.stderr[-500:]}"]}
    stories = json_lines(storyline("stories", "--json", "--db", str(db), cwd=cwd).stdout)
    articles = json_lines(storyline("articles", "--json", "--db", str(db), cwd=cwd).stdout)
    with sqlite3.connect(db) as connection:
        skips = connection.execute("SELECT stage, reason, source FROM skips ORDER BY id").fetchall()
        documents = int(connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    by_reason = Counter(f"{stage}: {reason_kind(reason)}" for stage, reason, _ in skips)
    brief_files = len([p for p in out.glob("*.json")]) if out.is_dir() else 0
    return {
        "check": {"ok": report.get("ok"), "problems": report.get("problems", []), "exit": check.returncode},
        "counts": report.get("counts", {}),
        "stored_documents": documents,
        "articles": len(articles),
        "analysed": sum(1 for a in articles if "analysis_skipped" in a),
        "in_stories": sum(1 for a in articles if a.get("story_id")),
        "stories": len(stories),
        "active": sum(1 for s in stories if s.get("status") == "active"),
        "dormant": sum(1 for s in stories if s.get("status") == "dormant"),
        "stories_with_headline": sum(1 for s in stories if s.get("headline")),
        "brief_files": brief_files,
        "skips": dict(by_reason.most_common()),
        "skipped_sources": [[relative(source, cwd), stage, reason] for stage, reason, source in skips][:20],
        "partition": {a["id"]: a.get("story_id") for a in articles},
        "located": {a["id"]: (a.get("locations") or [""])[0] for a in articles},
        "dated": {a["id"] for a in articles if a.get("published")},
        "unclustered": [a["id"] for a in articles if not a.get("story_id")],
    }


def relative(location: str, folder: Path) -> str:
    return location.removeprefix(f"{folder}/")


def reason_kind(reason: str) -> str:
    """A skip reason without its numbers and quoted details, so equal causes count together."""
    return re.sub(r"\d+(\.\d+)?", "N", reason.split(" (")[0])[:120]


def bcubed_f1(left: dict[str, Any], right: dict[str, Any]) -> tuple[float | None, int, int]:
    """B-cubed F1 between two partitions over the articles both hold (unassigned articles are singletons);
    returns (F1, articles compared, articles in only one)."""
    common = sorted(set(left) & set(right))
    if not common:
        return None, 0, len(set(left) ^ set(right))
    a = [left[i] or f"none:{i}" for i in common]
    b = [right[i] or f"none:{i}" for i in common]
    return bcubed(a, b)["f1"], len(common), len(set(left) ^ set(right))


def gold_f1(partition: dict[str, Any], located: dict[str, str], labels: dict[str, Item]) -> float | None:
    """B-cubed F1 of a partition against the corpus's story labels (each article's first location names it)."""
    gold = {a: labels[where].story for a, where in located.items() if where in labels and labels[where].story}
    common = [i for i in partition if i in gold]
    if not common:
        return None
    return bcubed([partition[i] or f"none:{i}" for i in common], [gold[i] for i in common])["f1"]


def batches(items: list[Item], count: int, seed: int) -> list[list[Item]]:
    order = list(items)
    random.Random(seed).shuffle(order)
    size = -(-len(order) // count)
    return [order[start : start + size] for start in range(0, len(order), size)]


def run_batches(
    corpus: Corpus, folder: Path, count: int, seed: int, labels: dict[str, Item]
) -> tuple[list[RunResult], list[list[Item]], Path]:
    """The corpus shuffled with `seed` and cut into `count` batches, each one `storyline run` into one database."""
    runs = []
    split = batches(corpus.items, count, seed)
    out = folder / "briefs"
    for number, batch in enumerate(split, start=1):
        sources, located = write_sources(batch, folder / f"input{number}")
        labels.update(located)
        out = folder / f"briefs{number}"  # the last run writes every story's brief
        result = run_pipeline(sources, folder / "db.sqlite", out, folder.parent)
        print(
            f"[{corpus.name}] seed {seed}, batch {number}: {len(batch)} documents, {result.seconds:.1f} s, "
            f"exit {result.code}; {result.ingest_line}",
            flush=True,
        )
        runs.append(result)
    return runs, split, out


def measure(corpus: Corpus, work: Path, count: int, seed: int, extra_seeds: list[int]) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    print(f"[{corpus.name}] {corpus.cap_note}", flush=True)
    whole_sources, labels = write_sources(corpus.items, work / "whole" / "input")
    whole = run_pipeline(whole_sources, work / "whole" / "db.sqlite", work / "whole" / "briefs", work)
    print(f"[{corpus.name}] one run: {whole.seconds:.1f} s, exit {whole.code}; {whole.ingest_line}", flush=True)
    found = inspect(work / "whole" / "db.sqlite", work / "whole" / "briefs", work)
    runs, split, out = run_batches(corpus, work / "batched", count, seed, labels)
    batched = inspect(work / "batched" / "db.sqlite", out, work)
    f1, compared, differing = bcubed_f1(found["partition"], batched["partition"])
    hidden = ("partition", "located", "dated")
    outcome: dict[str, Any] = {
        "corpus": corpus.description,
        "size": corpus.cap_note,
        "documents": len(corpus.items),
        "sources": corpus.sources,
        "one_run": {
            **{k: v for k, v in found.items() if k not in hidden},
            "seconds": whole.seconds,
            "articles_per_second": found["articles"] / whole.seconds if whole.seconds else None,
            "exit": whole.code,
            "ingest": whole.ingest_line,
            "summary": whole.summary_line,
            "grounding_failures": whole.grounding_failures,
            "stderr_tail": whole.stderr_tail if whole.code else [],
            "bcubed_f1_vs_labels": gold_f1(found["partition"], found["located"], labels) if corpus.labelled else None,
        },
        "batched": {
            **{k: v for k, v in batched.items() if k not in hidden},
            "batches": [len(b) for b in split],
            "seconds": [r.seconds for r in runs],
            "exits": [r.code for r in runs],
            "ingest": [r.ingest_line for r in runs],
            "grounding_failures": sum(r.grounding_failures for r in runs),
            "stderr_tail": [r.stderr_tail for r in runs if r.code],
            "bcubed_f1_vs_labels": gold_f1(batched["partition"], batched["located"], labels)
            if corpus.labelled
            else None,
        },
        "order_independence": {
            "bcubed_f1": f1,
            "articles_compared": compared,
            "articles_in_one_partition_only": differing,
            "moved": moved_articles(found["partition"], batched["partition"]),
            **by_date(found["partition"], batched["partition"], found["dated"]),
            "other_seeds": {},
        },
    }
    for other in extra_seeds:  # the same comparison for other shuffles: one seed can be lucky or unlucky
        _, _, other_out = run_batches(corpus, work / f"batched-seed{other}", count, other, labels)
        other_found = inspect(work / f"batched-seed{other}" / "db.sqlite", other_out, work)
        outcome["order_independence"]["other_seeds"][str(other)] = {
            "bcubed_f1": bcubed_f1(found["partition"], other_found["partition"])[0],
            "check_ok": other_found["check"]["ok"],
            "in_stories": [other_found["in_stories"], other_found["analysed"]],
        }
    report(corpus.name, outcome)
    return outcome


def moved_articles(left: dict[str, Any], right: dict[str, Any], shown: int = 10) -> dict[str, Any]:
    """Stories of the one run whose articles the batched run did not keep together (a few, for the report)."""
    groups: dict[Any, set[str]] = {}
    for article, story in left.items():
        groups.setdefault(story, set()).add(article)
    split = []
    for story, members in groups.items():
        other = Counter(right.get(a) for a in members)
        if len(other) > 1:
            split.append({"one_run_story": story, "batched_stories": dict(other)})
    reverse: dict[Any, set[str]] = {}
    for article, story in right.items():
        reverse.setdefault(story, set()).add(article)
    merged = sum(1 for members in reverse.values() if len({left.get(a) for a in members}) > 1)
    return {"one_run_stories_split": len(split), "batched_stories_mixed": merged, "examples": split[:shown]}


def by_date(left: dict[str, Any], right: dict[str, Any], dated: set[str]) -> dict[str, Any]:
    """Which articles changed story-mates between the two partitions, dated vs undated (undated articles age
    from the time they were received but are not limited by the window), and the B-cubed F1 over the dated
    articles alone."""
    common = set(left) & set(right)

    def mates(partition: dict[str, Any], ids: set[str]) -> dict[str, frozenset[str]]:
        groups: dict[Any, set[str]] = {}
        for i in ids:
            groups.setdefault(partition[i] or f"none:{i}", set()).add(i)
        return {i: frozenset(groups[partition[i] or f"none:{i}"]) for i in ids}

    a, b = mates(left, common), mates(right, common)
    changed = {i for i in common if a[i] != b[i]}
    on_dated = dated & common
    f1, _, _ = bcubed_f1({i: left[i] for i in on_dated}, {i: right[i] for i in on_dated})
    return {
        "changed_mates_dated": [len(changed & on_dated), len(on_dated)],
        "changed_mates_undated": [len(changed - on_dated), len(common - on_dated)],
        "bcubed_f1_dated_only": f1,
    }


def report(name: str, outcome: dict[str, Any]) -> None:
    one, many, order = outcome["one_run"], outcome["batched"], outcome["order_independence"]
    print(
        f"[{name}] one run: {one['articles']} articles, {one['in_stories']}/{one['analysed']} analysed in stories, "
        f"{one['stories']} stories ({one['active']} active / {one['dormant']} dormant), {one['brief_files']} briefs, "
        f"check {'ok' if one['check']['ok'] else 'FAILED'}, skips {one['skips'] or 'none'}",
        flush=True,
    )
    for problem in one["check"]["problems"]:
        print(f"[{name}]   one run check: {problem}", flush=True)
    print(
        f"[{name}] batched: {many['articles']} articles, {many['in_stories']}/{many['analysed']} in stories, "
        f"{many['stories']} stories, check {'ok' if many['check']['ok'] else 'FAILED'}; "
        f"B3 F1 vs one run {fmt(order['bcubed_f1'])} over {order['articles_compared']} articles",
        flush=True,
    )
    for problem in many["check"]["problems"]:
        print(f"[{name}]   batched check: {problem}", flush=True)


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


# ---------------------------------------------------------------- table


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else f"{part}/0"


def share(part: int, whole: int) -> str:
    return f"{part} of {whole}"


def check_cell(check: dict[str, Any]) -> str:
    if check.get("ok"):
        return "ok"
    return f"FAILED ({len(check.get('problems', []))} problem(s))"


def skips_cell(skips: dict[str, int]) -> str:
    if not skips:
        return "0"
    return f"{sum(skips.values())}: " + "; ".join(f"{n} {reason}" for reason, n in skips.items()).replace("|", "/")


def rows_of(results: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for name, r in results.items():
        one, many, order = r["one_run"], r["batched"], r["order_independence"]
        rows.append(
            [
                name,
                r["documents"],
                one["articles"],
                skips_cell(one["skips"]),
                percent(one["in_stories"], one["analysed"]),
                f"{one['stories']} ({one['active']} / {one['dormant']})",
                one["brief_files"],
                check_cell(one["check"])
                + ("" if many["check"].get("ok") else "; batched: " + check_cell(many["check"])),
                fmt(order["bcubed_f1"]),
                ", ".join(fmt(o["bcubed_f1"]) for o in order.get("other_seeds", {}).values()) or "—",
                fmt(order["bcubed_f1_dated_only"]),
                "{} / {}".format(*(share(*order[k]) for k in ("changed_mates_dated", "changed_mates_undated"))),
                fmt(one["bcubed_f1_vs_labels"]),
                f"{one['seconds']:.0f}",
                " + ".join(f"{s:.0f}" for s in many["seconds"]),
            ]
        )
    return rows


COLUMNS = [
    "corpus",
    "documents",
    "articles",
    "skipped (by reason)",
    "analysed articles in stories",
    "stories (active / dormant)",
    "briefs",
    "check --store",
    "B3 F1 batches vs one run",
    "same, other shuffles",
    "B3 F1, dated only",
    "changed story-mates: dated / undated",
    "B3 F1 vs labels",
    "one run s",
    "batch runs s",
]


def verdict(results: dict[str, Any]) -> str:
    """Which targets each corpus met, read off the figures (so a re-run cannot keep an old claim)."""
    parts = []
    for name, r in results.items():
        one, many, order = r["one_run"], r["batched"], r["order_independence"]
        lost = one["in_stories"] != one["analysed"] or many["in_stories"] != many["analysed"]
        checks = [one["check"]["ok"], many["check"]["ok"], *(o["check_ok"] for o in order["other_seeds"].values())]
        scores = [order["bcubed_f1"], *(o["bcubed_f1"] for o in order["other_seeds"].values())]
        missed = [
            label
            for label, failed in (
                ("articles outside stories", lost),
                ("briefs != stories", one["brief_files"] != one["stories"]),
                ("check --store failed", not all(checks)),
                (f"order independence {min(scores):.3f} < 0.98", min(scores) < 0.98),
            )
            if failed
        ]
        parts.append(f"{name}: " + ("every target met" if not missed else "**not met: " + "; ".join(missed) + "**"))
    return "Targets (lowest B3 F1 over all shuffles): " + "; ".join(parts) + "."


def markdown(results: dict[str, Any], skipped: dict[str, str], settings: dict[str, Any]) -> str:
    lines = [
        "## Nothing lost on real corpora (`bench/integrity.py`)",
        "",
        "The whole pipeline through the real CLI (`storyline run SOURCES --db DB --out DIR --check --silent`, one "
        "subprocess per run, each corpus in its own temporary folder), then the store's accounting: documents "
        "given, articles stored, skips by reason (the store's skips table), analysed articles in stories, stories "
        "(active / dormant), brief files written, and `check --store`. Order independence: the corpus shuffled "
        f"(seed {settings['seed']}) and split into {settings['batches']} batches, each one `storyline run` into the "
        "same database, against one run of the whole corpus: B-cubed F1 between the two article -> story "
        "partitions (from `articles --json`). B3 F1 vs labels: the one run against the corpus's own stories "
        "(NeuS items, ECB+ sub-topics). Changed story-mates: articles whose set of fellow members differs between "
        "the two partitions, dated and undated apart (undated articles age from the time they were "
        "received but are not limited by the window); "
        "B3 F1, dated only: the same comparison over the dated articles alone. Targets: 100 % of "
        "analysed articles in stories, briefs = stories, check clean, B3 F1 batches vs one run >= 0.98. Same, "
        f"other shuffles: the batched comparison repeated with seeds {settings['extra_seeds']} (every batched "
        "database is also checked; a failed check is listed below).",
        "",
        table(COLUMNS, rows_of(results)),
        "",
    ]
    for name, r in results.items():
        lines.append(f"- {name}: {r['corpus']}; {r['size']}.")
    for name, r in results.items():
        for label, key in (("one run", "one_run"), ("batched", "batched")):
            for problem in r[key]["check"]["problems"]:
                lines.append(f"- {name}, {label}, check --store: {problem}".replace("|", "/"))
            if r[key]["grounding_failures"]:
                lines.append(f"- {name}, {label}: {r[key]['grounding_failures']} brief(s) failed the grounding check.")
        for seed, other in r["order_independence"].get("other_seeds", {}).items():
            if not other["check_ok"]:
                lines.append(f"- {name}, batched with seed {seed}: check --store failed.")
    for name, reason in skipped.items():
        lines.append(f"- {name}: not measured ({reason}).")
    lines += ["", verdict(results)]
    lines += [
        "",
        f"Size: {settings['size']} (at most {settings['cap']} documents per corpus; `--full` for everything, "
        "`--quick` for about 100). Wall times in seconds, model loading included in every run.",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help=f"about {QUICK} documents per corpus")
    sizes.add_argument("--full", action="store_true", help="every document of every corpus")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--extra-seeds", default="1,2", help="more shuffles for order independence ('' for none)")
    parser.add_argument("--only", default="", help="comma-separated corpora: zyte, stream, textonly, timeline17")
    parser.add_argument("--keep", type=Path, help="build the corpora and databases here and keep them")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/integrity.*")
    args = parser.parse_args()
    if not STORYLINE.exists():
        print(f"skipped: no storyline command at {STORYLINE}")
        return
    size = "quick" if args.quick else "full" if args.full else "default"
    builders = {
        "zyte": lambda: zyte_corpus(size),
        "stream": lambda: stream_corpus(size, args.seed),
        "textonly": lambda: textonly_corpus(size, args.seed),
        "timeline17": lambda: timeline17_corpus(size, args.seed),
    }
    wanted = [n for n in args.only.split(",") if n] or list(builders)
    extra = [int(n) for n in args.extra_seeds.split(",") if n]
    print(f"size {size}: at most {limit(size) or 'all'} documents per corpus; {args.batches} batches", flush=True)
    results: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    base = args.keep or Path(tempfile.mkdtemp(prefix="storyline-integrity-"))
    try:
        for name in wanted:
            corpus = builders[name]()
            if isinstance(corpus, str):
                print(f"skipped {name}: {corpus}")
                skipped[name] = corpus
                continue
            work = base / name
            if work.exists():
                shutil.rmtree(work)
            results[name] = measure(corpus, work, args.batches, args.seed, extra)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept the corpora and databases in {base}")
    settings = {
        "size": size,
        "cap": limit(size) or "all",
        "batches": args.batches,
        "seed": args.seed,
        "extra_seeds": extra,
    }
    section = markdown(results, skipped, settings)
    print()
    print(table(COLUMNS, rows_of(results)))
    if not results:
        print("skipped: no corpus found")
        return
    if not args.no_write:
        path = write_results("integrity", {"settings": settings, "results": results, "skipped": skipped}, section)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
