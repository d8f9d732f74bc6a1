"""The Ray engine against the local engine, and FastWARC against warcio (issue 13, items 3, 4 and 6).

Engines: `storyline run` on one WARC of generated pages (tests/test_ray_engine.py's varied cuts of the bundled
ECB+ articles), each run a fresh process and a fresh database: the local engine (the anchor), then Ray started
locally with 1 and with 2 workers, each on all pages and on a few: wall time, articles/s, and the marginal cost
per article (start-up excluded), its speed-up over the local engine's, and the fixed cost of a run.

WARC: a generated WARC of 3,000 HTML responses, each with its request and metadata record (Common Crawl's
layout), gzipped per record and plain; each library reads every response's headers and body. Best of three.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, table, write_results

sys.path.insert(0, str(ROOT / "tests"))
from test_ray_engine import varied_pages  # noqa: E402
from warc_data import news_records, write_warc  # noqa: E402


def read_fastwarc(data: bytes) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    for record in ArchiveIterator(io.BytesIO(data), record_types=WarcRecordType.response):
        record.http_headers.get("Content-Type")
        record.headers.get("WARC-Target-URI")
        count += len(record.reader.read()) > 0
    return count


def read_warcio(data: bytes) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        record.http_headers.get_header("Content-Type")
        record.rec_headers.get_header("WARC-Target-URI")
        count += len(record.content_stream().read()) > 0
    return count


def warc_speed(folder: Path, pages: int) -> list[list[object]]:
    rows: list[list[object]] = []
    records = news_records(pages, paragraphs=30)
    for name in ("crawl.warc.gz", "crawl.warc"):
        data = write_warc(folder / name, records).read_bytes()
        for library, read in (("fastwarc", read_fastwarc), ("warcio", read_warcio)):
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                count = read(data)
                best = min(best, time.perf_counter() - started)
            assert count == pages, (library, count)
            rows.append([name, library, count, round(count / best), round(len(data) / 2**20 / best, 1)])
    return rows


def engine_run(archive: Path, folder: Path, *engine: str) -> tuple[float, int]:
    db, out = folder / "storyline.db", folder / "briefs"
    command = [sys.executable, "-m", "storyline", "run", str(archive), "--db", str(db), "--out", str(out), "--silent"]
    started = time.perf_counter()
    subprocess.run([*command, *engine], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    listed = subprocess.run(
        [sys.executable, "-m", "storyline", "articles", "--json", "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return seconds, len(listed.stdout.splitlines())


def engines(folder: Path, pages: int, small: int, repeat: int) -> list[list[object]]:
    """Each engine on `small` pages and on `pages` pages (best of `repeat` runs each): wall time, and the marginal
    cost per article (the time the extra articles took, start-up and model loading excluded) with the fixed cost
    it leaves."""
    archives = {n: write_warc(folder / f"pages{n}.warc.gz", varied_pages(n)) for n in (small, pages)}
    runs = [("local (anchor)", ()), ("ray, 1 worker", ("--engine", "ray", "--processes", "1"))]
    runs.append(("ray, 2 workers", ("--engine", "ray", "--processes", "2")))
    rows: list[list[object]] = []
    anchor = None
    for number, (label, arguments) in enumerate(runs):
        (few_s, few), (many_s, many) = (
            min(engine_run(archives[n], folder / f"run{number}-{n}-{r}", *arguments) for r in range(repeat))
            for n in (small, pages)
        )
        marginal = (many_s - few_s) / (many - few)
        anchor = anchor or marginal
        rows.append(
            [
                label,
                many,
                round(many_s, 1),
                round(many / many_s, 2),
                round(1000 * marginal, 1),
                round(few_s - few * marginal, 1),
                round(anchor / marginal, 2),
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=240, help="pages for the engine runs")
    parser.add_argument("--small", type=int, default=24, help="pages for the runs that measure the fixed cost")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each engine and size; the fastest counts")
    parser.add_argument("--warc-pages", type=int, default=3000)
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        warc_rows = warc_speed(folder, options.warc_pages)
        engine_rows = engines(folder, options.pages, options.small, options.repeat)
    load = f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    markdown = "\n".join(
        [
            "## Engines: Ray against local (bench/engines.py)",
            "",
            f"`storyline run` on one WARC of {options.pages} generated pages (varied cuts of the bundled ECB+"
            f" articles), a fresh process and database each, best of {options.repeat} runs; the whole run (start-up,"
            " Ray start and model loading"
            f" in the workers included). Each engine also ran on the first {options.small} pages: *marginal* is"
            " (seconds on all pages - seconds on those) / (articles - their articles), the cost of one more article"
            " once started; *fixed* is what the small run took beyond that (start-up, Ray, loading models). Speed-up"
            " is of the marginal cost, against the local engine measured in the same run. Load average (1 min)"
            f" before / after: {load}; {os.cpu_count()} cores.",
            "",
            table(
                ["engine", "articles", "seconds", "articles/s", "marginal ms/article", "fixed s", "speed-up vs local"],
                engine_rows,
            ),
            "",
            "## WARC read speed (bench/engines.py)",
            "",
            f"{options.warc_pages:,} HTML responses (about 5.8 KB each) with their request and metadata records;"
            " every response's headers and body read; best of three. warcio is the anchor.",
            "",
            table(["file", "library", "responses", "responses/s", "MB/s"], warc_rows),
        ]
    )
    results = {"engines": engine_rows, "warc": warc_rows, "load": load, "cores": os.cpu_count()}
    write_results("engines", results, markdown)
    print(markdown)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
