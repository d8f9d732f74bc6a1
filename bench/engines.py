"""The Ray engine against the local engine, and FastWARC against warcio (issue 13, items 3, 4 and 6).

Engines: `storyline run` on one WARC of generated pages (tests/test_ray_engine.py's varied cuts of the bundled
ECB+ articles), each run a fresh process and a fresh database: the local engine (the anchor), then Ray started
locally with 1 and with 2 workers. Reported: wall time, articles/s, speed-up over the local engine.

WARC: a generated WARC of 3,000 HTML responses, each with its request and metadata record (Common Crawl's
layout), gzipped per record and plain; each library reads every response's headers and body. Best of three.
"""

import argparse
import io
import json
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
    rows = []
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


def engines(folder: Path, pages: int) -> list[list[object]]:
    archive = write_warc(folder / "pages.warc.gz", varied_pages(pages))
    runs = [("local (anchor)", ()), ("ray, 1 worker", ("--engine", "ray", "--processes", "1"))]
    runs.append(("ray, 2 workers", ("--engine", "ray", "--processes", "2")))
    rows: list[list[object]] = []
    anchor = None
    for number, (label, arguments) in enumerate(runs):
        seconds, articles = engine_run(archive, folder / f"run{number}", *arguments)
        anchor = anchor or seconds
        rows.append([label, articles, round(seconds, 1), round(articles / seconds, 2), round(anchor / seconds, 2)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=240, help="pages for the engine runs")
    parser.add_argument("--warc-pages", type=int, default=3000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        warc_rows = warc_speed(folder, options.warc_pages)
        engine_rows = engines(folder, options.pages)
    markdown = "\n".join(
        [
            "## Engines: Ray against local (bench/engines.py)",
            "",
            f"`storyline run` on one WARC of {options.pages} generated pages (varied cuts of the bundled ECB+"
            " articles), a fresh process and database each; the whole run (start-up, Ray start and model loading"
            " in the workers included). The local engine is the anchor, measured in the same run.",
            "",
            table(["engine", "articles", "seconds", "articles/s", "speed-up vs local"], engine_rows),
            "",
            "## WARC read speed (bench/engines.py)",
            "",
            f"{options.warc_pages:,} HTML responses (about 5.8 KB each) with their request and metadata records;"
            " every response's headers and body read; best of three. warcio is the anchor.",
            "",
            table(["file", "library", "responses", "responses/s", "MB/s"], warc_rows),
        ]
    )
    write_results("engines", {"engines": engine_rows, "warc": warc_rows}, markdown)
    print(markdown)
    print(json.dumps({"engines": engine_rows, "warc": warc_rows}))


if __name__ == "__main__":
    main()
