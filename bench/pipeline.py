"""The whole pipeline against the extraction floor (issue 16, item 4).

Corpus: the Zyte article-extraction benchmark pages (181 real news and blog pages), repeated up to `--pages`
(1,000) in a temporary folder as plain `.html` files. storyline's article id is a hash of the extracted text,
so an unchanged copy would be stored once, as a second location of the same article, and the run would look
faster than it is. Each copy after the first is therefore varied minimally and visibly: the text " (copy b)"
(c, d, ...) is appended inside the page's longest `<p>` whose text the benchmark's ground-truth article body
contains (else after the first body line found verbatim in the HTML, else the longest `<p>`), and every occurrence
of the page's URL (canonical link, og:url, JSON-LD) gets `?copy=b` (or `&copy=b`). The first copy of each page
is the unchanged page. Whether each marker reached the extracted text is counted from the anchor's output, and
storyline's own duplicate count is read from its stderr. The copies of one page remain near-identical texts,
so they cluster as one story of about 5-6 copies: fewer stories (and briefs) than 1,000 distinct pages would
give, which is said beside the figures.

Measured in one run, in this order:

1. The anchor: `trafilatura.bare_extraction(html, with_metadata=True)` on every page in this process (read
   from disk and decoded by trafilatura; the import is not counted).
2. `storyline run FOLDER --db DB --out DIR` (default local engine) as a subprocess with a fresh database,
   under `/usr/bin/time -v` (peak RSS of the largest single process) while the proportional set size (PSS) of
   the whole process tree is sampled every 0.25 s from /proc (the analysis workers are forked and share pages,
   so PSS is the honest sum). Its stderr lines are time-stamped as they arrive: "ingested ..." ends the ingest
   stage (read, extract, store), "analysed ... clustered ..." ends analysis + clustering, the exit ends brief
   writing and the brief files. Stories from its stdout, brief files counted in --out.
3. The same command again on the unchanged folder into the same database (the re-run).
4. The stages one at a time (a fresh database): `ingest`, `analyze`, `cluster` sub-commands, then `run` on the
   same folder, which finds every document unchanged and writes the briefs (its time after its "analysed 0"
   line). Each sub-command pays its own start-up and model loading.
5. `storyline --help` and `run` on one short document (examples/seeds/003, 2.1 KB, a fresh database each):
   median of 9, with the CPU seconds (user + system) of each `run`, less bound to other jobs' load; these
   runs are not sampled for memory (reading /proc every 0.25 s costs CPU a 2 s run feels).

The load average is read at the start and the end: the machine is shared, and figures taken under load are
not final.

Run: .venv/bin/python bench/pipeline.py [--pages 1000] [--no-staged] [--keep DIR] [--no-write]
"""

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from html import unescape
from pathlib import Path
from typing import Any

from common import ROOT, eval_dir, machine, require, table, write_results

STORYLINE = ROOT / ".venv" / "bin" / "storyline"
TIME = Path("/usr/bin/time")
SHORT_DOCUMENT = ROOT / "examples" / "seeds" / "003_b937b23e001e148f.txt"
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
LETTERS = "abcdefghijklmnopqrstuvwxyz"

TARGET_RATIO = 1.5  # storyline run / anchor
TARGET_RERUN = 0.10  # re-run / first run ("within 10 % of the first run")
TARGET_MEMORY_GB = 1.5  # for a thousand pages
TARGET_HELP = 0.3
TARGET_ONE = 2.0


# ---------------------------------------------------------------- corpus


def marker(copy: int) -> str:
    return f" (copy {LETTERS[copy]})"


def plain(fragment: str) -> str:
    return " ".join(unescape(TAG.sub(" ", fragment)).split())


def vary(html: str, url: str | None, body: str | None, copy: int) -> tuple[str, bool, bool]:
    """Copy number `copy` of a page: the marker appended to its longest paragraph that the ground truth's article
    body contains (else its longest paragraph), its URL given a query. Copy 0 is the page unchanged."""
    if copy == 0:
        return html, True, True
    paragraphs = list(PARAGRAPH.finditer(html))
    in_body: list[re.Match[str]] = []
    if body:
        flat = " ".join(body.split())
        in_body = [m for m in paragraphs if len(plain(m.group(1))) >= 40 and plain(m.group(1))[:60] in flat]
        paragraphs = in_body or paragraphs
    marked = False
    verbatim = _verbatim_line(html, body) if body and not in_body else None
    if verbatim is not None:
        html = html[:verbatim] + marker(copy) + html[verbatim:]
        marked = True
    elif paragraphs:
        longest = max(paragraphs, key=lambda m: len(plain(m.group(1))))
        html = html[: longest.end(1)] + marker(copy) + html[longest.end(1) :]
        marked = True
    moved = False
    if url and url in html:
        html = html.replace(url, url + ("&" if "?" in url else "?") + f"copy={LETTERS[copy]}")
        moved = True
    return html, marked, moved


def _verbatim_line(html: str, body: str) -> int | None:
    """The offset just after the first line of the article body (40+ characters) written verbatim in the HTML."""
    for line in body.splitlines():
        line = line.strip()
        if len(line) >= 40 and html.count(line[-30:]) == 1:
            return html.index(line[-30:]) + 30
    return None


def build_corpus(folder: Path, pages: int) -> dict[str, Any]:
    source = require(eval_dir() / "zyte-article-extraction-benchmark" / "html", "the Zyte benchmark pages")
    truth_path = source.parent / "ground-truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else {}
    originals = sorted(source.glob("*.html.gz"))
    folder.mkdir(parents=True, exist_ok=True)
    written, marked, moved, size = [], 0, 0, 0
    for number in range(pages):
        copy, index = divmod(number, len(originals))
        path = originals[index]
        key = path.name.split(".")[0]
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        page = truth.get(key, {})
        html, has_marker, has_url = vary(html, page.get("url"), page.get("articleBody"), copy)
        marked += has_marker and copy > 0
        moved += has_url and copy > 0
        target = folder / f"{key[:16]}-{LETTERS[copy]}.html"
        target.write_text(html, encoding="utf-8")
        size += target.stat().st_size
        written.append(target)
    copies = pages - min(pages, len(originals))
    return {
        "paths": written,
        "pages": len(written),
        "originals": len(originals),
        "copies_varied": copies,
        "markers_inserted": marked,
        "urls_varied": moved,
        "megabytes": round(size / 2**20, 1),
    }


# ---------------------------------------------------------------- anchor


def anchor(paths: list[Path]) -> dict[str, Any]:
    """trafilatura extraction + metadata alone, in this process; how many copies' markers reached the text."""
    import trafilatura

    found, empty = 0, 0
    started = time.perf_counter()
    for path in paths:
        result = trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)
        text: str = getattr(result, "text", None) or ""
        empty += not text
        copy = LETTERS.index(path.stem.rsplit("-", 1)[1])
        found += copy > 0 and marker(copy).strip() in text
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "pages_per_second": round(len(paths) / seconds, 1),
        "empty": empty,
        "markers_in_text": found,
    }


# ---------------------------------------------------------------- storyline as a subprocess


def tree_pss_kb(root: int) -> int:
    """Sum of the proportional set size (kB) of `root` and its descendants (0 for processes already gone)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def timed_run(arguments: list[str], cwd: Path, label: str, sample_memory: bool = True) -> dict[str, Any]:
    """Run storyline with `arguments`; wall time, time-stamped stderr lines, stdout, peak memory (sampled every
    0.25 s unless `sample_memory` is false: reading the process tree's smaps costs CPU a short run would feel)."""
    resources = cwd / f"{label}.time"
    command = [str(STORYLINE), *arguments]
    if TIME.exists():
        command = [str(TIME), "-v", "-o", str(resources), *command]
    lines: list[tuple[float, str]] = []
    peak = {"pss_kb": 0}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))

    def sample() -> None:
        while not done.wait(0.25):
            peak["pss_kb"] = max(peak["pss_kb"], tree_pss_kb(process.pid))

    readers = [threading.Thread(target=read_stderr)]
    if sample_memory:
        readers.append(threading.Thread(target=sample))
    for thread in readers:
        thread.start()
    assert process.stdout is not None
    stdout = process.stdout.read()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    for thread in readers:
        thread.join()
    maxrss = cpu = None
    if resources.exists():
        report = resources.read_text()
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
        maxrss = int(found.group(1)) if found else None
        times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)
        cpu = round(sum(float(t) for t in times), 2) if len(times) == 2 else None
    if code != 0:
        tail = "\n".join(line for _, line in lines[-20:])
        raise SystemExit(f"storyline {' '.join(arguments)} exited {code}:\n{tail}\n{stdout}")
    return {
        "seconds": round(seconds, 2),
        "stderr": lines,
        "stdout": stdout,
        "max_rss_mb": None if maxrss is None else round(maxrss / 1024),
        "cpu_seconds": cpu,  # user + system of the process and the children it waited for (its workers)
        "peak_tree_pss_mb": round(peak["pss_kb"] / 1024),
    }


def mark(run: dict[str, Any], prefix: str) -> float | None:
    return next((at for at, line in run["stderr"] if line.startswith(prefix)), None)


def stage_split(run: dict[str, Any]) -> dict[str, float | None]:
    """Seconds of ingest, analyse + cluster, and briefs in one `storyline run`, from its stderr lines."""
    ingested, clustered = mark(run, "ingested "), mark(run, "analysed ")
    if ingested is None or clustered is None:
        return {"ingest": None, "analyse_cluster": None, "briefs": None}
    return {
        "ingest": round(ingested, 2),
        "analyse_cluster": round(clustered - ingested, 2),
        "briefs": round(run["seconds"] - clustered, 2),
    }


def counts(run: dict[str, Any]) -> dict[str, int | None]:
    line = next((text for _, text in run["stderr"] if text.startswith("ingested ")), "")
    found = {name: int(n) for name, n in re.findall(r"(\w+) (\d+)", line)}
    stories = re.search(r"(\d+) stories from (\d+) documents", run["stdout"])
    return {
        "ingested": found.get("ingested"),
        "duplicates": found.get("duplicates"),
        "unchanged": found.get("unchanged", 0),
        "skipped": found.get("skipped"),
        "stories": int(stories.group(1)) if stories else None,
    }


def staged(corpus: Path, folder: Path) -> dict[str, float | None]:
    """The stages one at a time into a fresh database; seconds of each sub-command."""
    db = str(folder / "staged.db")
    out = str(folder / "staged-briefs")
    ingest = timed_run(["ingest", str(corpus), "--db", db, "--silent"], folder, "staged-ingest")
    analyse = timed_run(["analyze", "--db", db, "--silent"], folder, "staged-analyze")
    cluster = timed_run(["cluster", "--db", db], folder, "staged-cluster")
    brief = timed_run(["run", str(corpus), "--db", db, "--out", out, "--silent"], folder, "staged-run")
    before_briefs = mark(brief, "analysed ")
    return {
        "ingest": ingest["seconds"],
        "analyze": analyse["seconds"],
        "cluster": cluster["seconds"],
        "run_unchanged_then_briefs": brief["seconds"],
        "briefs": None if before_briefs is None else round(brief["seconds"] - before_briefs, 2),
        "peak_tree_pss_mb": max(r["peak_tree_pss_mb"] for r in (ingest, analyse, cluster, brief)),
    }


def small_runs(folder: Path, repeat: int = 9) -> dict[str, Any]:
    helps, ones, cpus = [], [], []
    for number in range(repeat):
        started = time.perf_counter()
        subprocess.run([str(STORYLINE), "--help"], check=True, capture_output=True)
        helps.append(time.perf_counter() - started)
        one = folder / f"one-{number}"
        one.mkdir()
        arguments = ["run", str(SHORT_DOCUMENT), "--db", str(one / "s.db"), "--out", str(one / "b"), "--silent"]
        timed = timed_run(arguments, one, "one", sample_memory=False)
        ones.append(timed["seconds"])
        cpus.append(timed["cpu_seconds"])
    return {
        "help_seconds": [round(s, 3) for s in helps],
        "help_median": round(statistics.median(helps), 3),
        "one_document_seconds": [round(s, 2) for s in ones],
        "one_document_median": round(statistics.median(ones), 2),
        "one_document_cpu_seconds": cpus,
    }


# ---------------------------------------------------------------- report


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def tree_state() -> dict[str, Any]:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True)
    return {"commit": head.stdout.strip(), "uncommitted_src": [line[3:] for line in dirty.stdout.splitlines()]}


def markdown(data: dict[str, Any]) -> str:
    corpus, base, first, rerun = data["corpus"], data["anchor"], data["first_run"], data["rerun"]
    split, small, staged_run = first["stages"], data["small"], data.get("staged")
    pages = corpus["pages"]
    ratio = first["seconds"] / base["seconds"]
    rerun_ratio = rerun["seconds"] / first["seconds"]
    memory_gb = max(first["peak_tree_pss_mb"], first["max_rss_mb"] or 0) / 1024
    load = data["load"]
    under_load = max(load["start"][0], load["end"][0]) > (os.cpu_count() or 1) * 0.75
    rows = [
        ["trafilatura extraction + metadata, one process (anchor)", base["seconds"], base["pages_per_second"], "1.00"],
        [
            "`storyline run`, fresh database",
            first["seconds"],
            round(first["counts"]["ingested"] / first["seconds"], 1),
            f"{ratio:.2f}",
        ],
        ["`storyline run` again, unchanged input", rerun["seconds"], "—", f"{rerun['seconds'] / base['seconds']:.2f}"],
    ]
    stage_rows = [
        ["ingest (read, extract, store)", split["ingest"], _share(split["ingest"], first["seconds"])],
        ["analyse + cluster", split["analyse_cluster"], _share(split["analyse_cluster"], first["seconds"])],
        ["briefs (write, check, store, render files)", split["briefs"], _share(split["briefs"], first["seconds"])],
    ]
    lines = [
        "## Pipeline against the extraction floor (`bench/pipeline.py`, issue 16)",
        "",
        f"{pages} pages: the {corpus['originals']} Zyte benchmark pages repeated; each copy after the first has "
        '" (copy b)" (c, d, ...) appended inside its longest `<p>` and its URL given `?copy=b` wherever the page '
        "names it, so every copy has its own text hash (storyline stores one article per distinct text; unchanged "
        f"copies would be merged and make the run look faster). Markers inserted: {corpus['markers_inserted']} of "
        f"{corpus['copies_varied']} copies, {base['markers_in_text']} of them in trafilatura's text; storyline "
        f"stored {first['counts']['ingested']} articles, {first['counts']['duplicates']} duplicates, "
        f"{first['counts']['skipped']} skipped. The copies of a page are near-identical, so they cluster as one "
        f"story: {first['counts']['stories']} stories, {first['brief_files']} brief files, fewer than 1,000 "
        "distinct pages would give (brief writing is per story, so it is lighter here than on a real stream).",
        "",
        "Anchor: `trafilatura.bare_extraction(html, with_metadata=True)` on every page in one process, files read "
        "from disk, import not counted. `storyline run` (local engine, default settings: 2 worker processes for "
        "extraction, since 4d95bb0, and for analysis): a subprocess with a fresh database, start-up and model "
        "loading included; articles/s = articles stored / "
        "wall seconds. The re-run: the same command into the same database.",
        "",
        table(["run", "seconds", "articles/s", "× anchor"], rows),
        "",
        'Stages of that `storyline run`, from its own stderr lines as they arrived ("ingested ..." ends ingest, '
        '"analysed ... clustered ..." ends analysis and clustering):',
        "",
        table(["stage", "seconds", "share"], stage_rows),
    ]
    if staged_run:
        lines += [
            "",
            "The stages one at a time (each sub-command a fresh process with its own start-up, a fresh database): "
            f"`ingest` {staged_run['ingest']} s, `analyze` {staged_run['analyze']} s, `cluster` "
            f"{staged_run['cluster']} s, then `run` on the same folder {staged_run['run_unchanged_then_briefs']} s, "
            f"of which {staged_run['briefs']} s after its documents were found unchanged (the briefs).",
        ]
    lines += [
        "",
        f"Peak memory of the first run: {first['peak_tree_pss_mb']} MB PSS summed over the process tree (sampled "
        f"every 0.25 s), {first['max_rss_mb']} MB RSS of the largest single process (`/usr/bin/time -v`); re-run "
        f"{rerun['peak_tree_pss_mb']} MB PSS. `storyline --help`: median {small['help_median']} s of "
        f"{small['help_seconds']}; `run` on one short document (examples/seeds/003, 2.1 KB, fresh database, "
        "no memory sampling): "
        f"median {small['one_document_median']} s of {small['one_document_seconds']}"
        + (
            f" (CPU, user + system: {small['one_document_cpu_seconds']} s)."
            if small.get("one_document_cpu_seconds") and None not in small["one_document_cpu_seconds"]
            else "."
        )
        + (f" CPU of the first run: {first['cpu_seconds']} s." if first.get("cpu_seconds") else ""),
        "",
        "Issue 16 targets:",
        "",
        table(
            ["target", "measured", "verdict"],
            [
                ["run ≤ 1.5 × anchor", f"{ratio:.2f} ×", verdict(ratio <= TARGET_RATIO)],
                [
                    're-run on unchanged input "within 10 % of the first run", read as ≤ 0.10 × its time',
                    f"{rerun_ratio:.2f} ×",
                    verdict(rerun_ratio <= TARGET_RERUN),
                ],
                [
                    "the same words read as no slower than 1.1 × the first run",
                    f"{rerun_ratio:.2f} ×",
                    verdict(rerun_ratio <= 1.1),
                ],
                [
                    f"peak memory < 1.5 GB for a thousand pages (here {pages})",
                    f"{memory_gb:.2f} GB",
                    verdict(memory_gb < TARGET_MEMORY_GB),
                ],
                ["`--help` ≤ 0.3 s", f"{small['help_median']} s", verdict(small["help_median"] <= TARGET_HELP)],
                [
                    "`run` on one document ≤ 2 s",
                    f"{small['one_document_median']} s",
                    verdict(small["one_document_median"] <= TARGET_ONE),
                ],
            ],
        ),
        "",
        'The issue\'s words for the re-run, "within 10 % of the first run", are read both ways above; its item 2 '
        "(re-runs skip stored documents before extraction) points to the first reading.",
        "",
        f"Load average (1 / 5 / 15 min) at the start: {_load(load['start'])}, at the end: {_load(load['end'])}; "
        f"{os.cpu_count()} cores shared with other work"
        + (
            ": **taken under load, not final** (the anchor and storyline compete with the same load, the ratio less "
            "than the seconds)."
            if under_load
            else "."
        )
        + f" Tree at {data['tree']['commit']}"
        + (
            f" with uncommitted changes of others in {', '.join(data['tree']['uncommitted_src'])}."
            if data["tree"]["uncommitted_src"]
            else "."
        ),
    ]
    return "\n".join(lines)


def _share(part: float | None, whole: float) -> str:
    return "—" if part is None else f"{part / whole:.0%}"


def _load(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--no-staged", action="store_true", help="skip the stage-by-stage runs")
    parser.add_argument("--keep", type=Path, help="keep the corpus, databases and briefs in this folder")
    parser.add_argument("--no-write", action="store_true", help="print, do not write bench/results")
    options = parser.parse_args()
    require(eval_dir() / "zyte-article-extraction-benchmark" / "html", "the Zyte benchmark pages")
    load_start = list(os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="storyline-pipeline-")) if options.keep is None else options.keep
    try:
        corpus_info = build_corpus(folder / "pages", options.pages)
        paths = corpus_info.pop("paths")
        print(f"corpus: {corpus_info}", flush=True)
        base = anchor(paths)
        print(f"anchor: {base}", flush=True)
        db, out = str(folder / "storyline.db"), str(folder / "briefs")
        arguments = ["run", str(folder / "pages"), "--db", db, "--out", out]
        first = timed_run(arguments, folder, "first")
        first["stages"] = stage_split(first)
        first["counts"] = counts(first)
        first["brief_files"] = sum(1 for _ in Path(out).glob("*.json"))
        print(f"first run: {first['seconds']} s {first['stages']} {first['counts']}", flush=True)
        rerun = timed_run(arguments, folder, "rerun")
        rerun["counts"] = counts(rerun)
        rerun["stages"] = stage_split(rerun)
        print(f"re-run: {rerun['seconds']} s {rerun['stages']} {rerun['counts']}", flush=True)
        staged_run = None if options.no_staged else staged(folder / "pages", folder)
        print(f"staged: {staged_run}", flush=True)
        small = small_runs(folder)
        print(f"small: {small}", flush=True)
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    for run in (first, rerun):
        run["stderr_tail"] = [f"{at:.1f} s {line}" for at, line in run.pop("stderr")[-8:]]
        run["stdout"] = run["stdout"].strip()[-300:]
    data = {
        "corpus": corpus_info,
        "anchor": base,
        "first_run": first,
        "rerun": rerun,
        "staged": staged_run,
        "small": small,
        "load": {"start": [round(v, 2) for v in load_start], "end": [round(v, 2) for v in os.getloadavg()]},
        "tree": tree_state(),
        "machine_at_start": machine(),
    }
    text = markdown(data)
    print(text)
    if not options.no_write:
        write_results("pipeline", data, text)


if __name__ == "__main__":
    main()
