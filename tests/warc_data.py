"""WARC files written by hand for the tests and bench/engines.py: records byte by byte, so that broken ones
(a cut member, a wrong Content-Length, a corrupt gzip member) can be made exactly.

No WARC library is used here: the reader under test must not also be the writer of its test data.
"""

import gzip
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Record", "article_page", "http_response", "news_records", "warc_bytes", "write_warc"]


@dataclass(frozen=True)
class Record:
    """One WARC record: its type, target URI, date, block and extra WARC headers."""

    warc_type: str
    uri: str | None
    date: str
    block: bytes
    content_type: str = "application/http; msgtype=response"
    headers: tuple[tuple[str, str], ...] = ()
    content_length: int | None = None  # None: the true length; set it to make a record that lies

    def to_bytes(self) -> bytes:
        lines = [
            "WARC/1.0",
            f"WARC-Type: {self.warc_type}",
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.warc_type} {self.uri} {self.date}')}>",
            f"WARC-Date: {self.date}",
        ]
        if self.uri is not None:
            lines.append(f"WARC-Target-URI: {self.uri}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        lines.append(f"Content-Type: {self.content_type}")
        length = len(self.block) if self.content_length is None else self.content_length
        lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.block + b"\r\n\r\n"


def http_response(
    body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8", chunked: bool = False
) -> bytes:
    """An HTTP/1.1 response as a WARC response record's block."""
    headers = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", "Server: test"]
    if chunked:
        headers.append("Transfer-Encoding: chunked")
        half = len(body) // 2
        parts = [body[:half], body[half:]]
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts if p) + b"0\r\n\r\n"
    else:
        headers.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def article_page(number: int, paragraphs: int = 6) -> bytes:
    """A news page: title, byline, date and a body whose words differ from page to page."""
    words = ["council", "river", "budget", "harbour", "school", "vote", "bridge", "market", "court", "storm"]
    body = "".join(
        f"<p>Paragraph {p} of report {number}: the {words[(number + p) % 10]} committee met on day {number % 28 + 1}"
        f" and agreed {number * 7 + p} measures after residents of ward {number % 13} raised {words[p % 10]}"
        f" concerns about the {words[(number * 3 + p) % 10]} plan, officials said.</p>\n"
        for p in range(paragraphs)
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Report {number} on the"
        f" {words[number % 10]} plan</title><meta name='author' content='Reporter {number % 5}'></head><body>"
        f"<nav>Home | World | Sport</nav><article><h1>Report {number} on the {words[number % 10]} plan</h1>"
        f"<p class='byline'>By Reporter {number % 5}</p>{body}</article><footer>Contact us</footer></body></html>"
    ).encode()


def news_records(count: int, paragraphs: int = 6) -> list[Record]:
    """`count` pages as Common Crawl lays them out: a request, the response and a metadata record each, after
    one warcinfo record."""
    records = [Record("warcinfo", None, "2026-11-01T00:00:00Z", b"software: test\r\n", "application/warc-fields")]
    for number in range(count):
        uri = f"https://news{number % 7}.example.com/2026/11/report-{number}.html"
        date = f"2026-11-{number % 28 + 1:02d}T{number % 24:02d}:{number % 60:02d}:00Z"
        request = f"GET /2026/11/report-{number}.html HTTP/1.1\r\nHost: news{number % 7}.example.com\r\n\r\n"
        records.append(Record("request", uri, date, request.encode(), "application/http; msgtype=request"))
        records.append(Record("response", uri, date, http_response(article_page(number, paragraphs))))
        records.append(Record("metadata", uri, date, b"fetchTimeMs: 120\r\n", "application/warc-fields"))
    return records


def warc_bytes(records: Iterable[Record], compressed: bool) -> bytes:
    """The records as a WARC file: one gzip member per record when `compressed` (as crawlers write them)."""
    if compressed:
        return b"".join(gzip.compress(r.to_bytes(), mtime=0) for r in records)
    return b"".join(r.to_bytes() for r in records)


def write_warc(path: Path, records: Iterable[Record]) -> Path:
    """Write `records` to `path`, gzipped per record when the name ends in .gz."""
    path.write_bytes(warc_bytes(records, path.name.endswith(".gz")))
    return path
