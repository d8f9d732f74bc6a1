"""WARC input: pages become Documents with their target URI and fetch date; every other record is a Skip with a
reason, and broken data never stops the file (ingest/warc.py)."""

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Document, Skip
from warc_data import Record, article_page, http_response, news_records, warc_bytes, write_warc

DATE = "2026-11-02T10:00:00Z"


def read(path: Path) -> tuple[list[Document], list[Skip]]:
    items = list(Ingestor()([str(path)]))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Skip)]


def hint(document: Document, field: str) -> str:
    return next(h.value for h in document.hints if h.field == field)


def response(uri: str, block: bytes, **fields: object) -> Record:
    return Record("response", uri, DATE, block, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_responses_become_documents_with_their_uri_and_date(tmp_path: Path, name: str) -> None:
    records = news_records(36)
    documents, skips = read(write_warc(tmp_path / name, records))
    responses = [r for r in records if r.warc_type == "response"]
    assert [d.location for d in documents] == [r.uri for r in responses]
    assert [d.url for d in documents] == [r.uri for r in responses]
    assert [hint(d, "fetched") for d in documents] == [r.date for r in responses]
    assert {d.media_type for d in documents} == {"html"}
    assert documents[7].content == article_page(7).decode()
    assert {d.source for d in documents} == {str(tmp_path / name)}
    reasons = {s.source.rsplit(" ", 2)[-2][1:]: s.reason for s in skips}  # '... (request records)' -> 'request'
    assert reasons == {
        "request": "36 request records: what the crawler sent, not a page",
        "metadata": "36 metadata records: the crawler's notes on a capture, not a page",
        "warcinfo": "1 warcinfo record: a description of the archive, not a page",
    }


def test_each_kind_of_bad_record_is_skipped_with_its_reason(tmp_path: Path) -> None:
    page = article_page(1)
    bad = [
        response("https://x.example/missing", http_response(b"gone", "404 Not Found")),
        response("https://x.example/moved", http_response(b"", "301 Moved Permanently")),
        response("https://x.example/paper.pdf", http_response(b"%PDF-1.7", content_type="application/pdf")),
        response("https://x.example/untyped", http_response(page, content_type="")),
        response("https://x.example/cut", http_response(page), headers=(("WARC-Truncated", "length"),)),
        Record("revisit", "https://x.example/again", DATE, b"HTTP/1.1 200 OK\r\n\r\n"),
        response("https://x.example/not-http", b"this is not an HTTP response\r\n\r\n<p>hi</p>"),
        response("https://x.example/bad-chunks", http_response(page, chunked=True)[:-40] + b"\r\n"),
        response(
            "https://x.example/brotli", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\nxx"
        ),
    ]
    good = [
        response("https://x.example/chunked", http_response(article_page(2), chunked=True)),
        response(
            "https://x.example/gzipped",
            b"HTTP/1.1 200 OK\r\nContent-Type: application/xhtml+xml\r\nContent-Encoding: gzip\r\n\r\n"
            + gzip.compress(article_page(3)),
        ),
    ]
    documents, skips = read(write_warc(tmp_path / "mixed.warc.gz", [*bad, *good]))
    assert [d.location for d in documents] == ["https://x.example/chunked", "https://x.example/gzipped"]
    assert [d.content for d in documents] == [article_page(2).decode(), article_page(3).decode()]
    assert {s.source: s.reason for s in skips} == {
        "https://x.example/missing": "HTTP status 404, not 200",
        "https://x.example/moved": "HTTP status 301, not 200",
        "https://x.example/paper.pdf": "not HTML: Content-Type application/pdf",
        "https://x.example/untyped": "not HTML: Content-Type (none)",
        "https://x.example/cut": "the crawler truncated this record (WARC-Truncated: length)",
        "https://x.example/again": "WARC revisit record: the page was unchanged since an earlier capture",
        "https://x.example/not-http": "not an HTTP response: 'this is not an HTTP response'",
        "https://x.example/bad-chunks": "chunked body ends before its last chunk",
        "https://x.example/brotli": "unsupported Content-Encoding 'br'",
    }
    assert all(s.stage == "ingest" for s in skips)


def test_a_file_cut_inside_a_record_keeps_the_records_before_it(tmp_path: Path) -> None:
    records = [r for r in news_records(5) if r.warc_type == "response"]
    path = tmp_path / "cut.warc"
    path.write_bytes(warc_bytes(records, compressed=False)[:-300])
    documents, skips = read(path)
    assert [d.location for d in documents] == [r.uri for r in records[:4]]
    assert [s.source for s in skips] == [records[4].uri]
    assert skips[0].reason.startswith("truncated record: ")
    assert "(the file ends inside it)" in skips[0].reason


def test_a_corrupt_gzip_member_mid_file_keeps_what_was_read_and_resumes_after_it(tmp_path: Path) -> None:
    records = [r for r in news_records(10) if r.warc_type == "response"]
    members = [gzip.compress(r.to_bytes(), mtime=0) for r in records]
    broken = bytearray(members[4])
    broken[len(broken) // 2 : len(broken) // 2 + 16] = bytes(16)
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(b"".join([*members[:4], bytes(broken), *members[5:]]))
    documents, skips = read(path)
    assert [d.location for d in documents] == [r.uri for r in records[:4] + records[5:]]
    offset = sum(len(m) for m in members[:3])  # the last record read before the corrupt one
    resumed = sum(len(m) for m in members[:5])
    assert [(s.source, s.reason) for s in skips] == [
        (
            f"{path}@{offset}",
            f"corrupt WARC data after the record at byte {offset:,} (Gzip decompression error: data error);"
            f" reading resumed at byte {resumed:,}",
        )
    ]


def test_garbage_between_plain_records_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    records = [r for r in news_records(4) if r.warc_type == "response"]
    plain = [r.to_bytes() for r in records]
    path = tmp_path / "garbage.warc"
    path.write_bytes(b"".join([*plain[:2], b"not a record at all\r\n\r\n", *plain[2:]]))
    documents, skips = read(path)
    assert [d.location for d in documents] == [r.uri for r in records]
    assert len(skips) == 1 and "corrupt WARC data after the record at byte" in skips[0].reason


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty WARC file"), (b"<html>hi</html>", "corrupt WARC")])
def test_a_file_that_is_no_warc_is_one_skip(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "page.warc"
    path.write_bytes(content)
    documents, skips = read(path)
    assert documents == [] and len(skips) == 1 and skips[0].reason.startswith(reason)


def test_a_page_over_the_size_cap_is_skipped(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "big.warc", [response("https://x.example/big", http_response(b"<p>" * 50_000))])
    items = list(Ingestor(IngestSettings(max_bytes=10_000))([str(path)]))
    assert items == [Skip("https://x.example/big", "ingest", "150,000 bytes is over the 10,000 bytes cap")]


def test_a_folder_reads_its_warc_beside_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_warc(folder / "b.warc.gz", news_records(3))
    (folder / "a.html").write_bytes(article_page(100))
    (folder / "c.txt").write_text("A plain title\n\nA plain body of a few words.", encoding="utf-8")
    documents, _ = read(folder)
    assert [d.location for d in documents] == [
        str(folder / "a.html"),
        *[f"https://news{n}.example.com/2026/11/report-{n}.html" for n in range(3)],
        str(folder / "c.txt"),
    ]


SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed_pages() -> list[Record]:
    """The bundled seed texts as HTML pages in a crawl, with a request before each response."""
    records = []
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        title, *paragraphs = path.read_text(encoding="utf-8").splitlines()
        body = "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
        page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
        uri = f"https://outlet{number}.example.org/news/{path.stem}"
        records.append(Record("request", uri, DATE, b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request"))
        records.append(response(uri, http_response(page.encode())))
    records.append(response("https://outlet9.example.org/missing", http_response(b"no", "404 Not Found")))
    return records


def test_run_on_a_folder_with_a_warc_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "news.warc.gz", seed_pages())
    db, out = tmp_path / "run.db", tmp_path / "briefs"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "--out", str(out), "--silent"])
    assert result.exit_code == 0, result.output
    assert "skipped https://outlet9.example.org/missing: HTTP status 404, not 200" in result.stderr
    assert "1 request record" not in result.stderr and "5 request records" in result.stderr
    articles = CliRunner().invoke(cli, ["articles", "--json", "--db", str(db)])
    urls = sorted(json.loads(line)["url"] for line in articles.stdout.splitlines())
    assert urls == sorted(
        f"https://outlet{n}.example.org/news/{p.stem}" for n, p in enumerate(sorted(SEEDS.glob("*.txt")))
    )
    stories = CliRunner().invoke(cli, ["stories", "--json", "--db", str(db)]).stdout.splitlines()
    assert stories and (out / "index.md").exists()
    assert sorted(p.stem for p in out.glob("*.json")) == sorted(json.loads(s)["id"] for s in stories)
