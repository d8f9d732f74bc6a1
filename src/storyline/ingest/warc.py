"""WARC archives (`.warc`, `.warc.gz`) -> Documents (or Skips): the pages of a web crawl, such as Common Crawl News.

A response record whose HTTP status is 200 and whose Content-Type is HTML (text/html, application/xhtml+xml)
becomes a Document located at its WARC-Target-URI, with the URI and the WARC-Date (when the page was fetched)
as hints. Everything else is skipped with a reason, and nothing stops the file:

* request, metadata, warcinfo, resource and other non-response records hold no page of their own: they are
  counted and given one Skip per kind at the end of the file ("3,000 request records: ..."), because a crawl
  writes two of them per page and one Skip each would bury the skips that matter;
* a revisit record (the page was unchanged since an earlier capture: no content here), a status other than
  200, a Content-Type that is not HTML, a record the crawler marked truncated (WARC-Truncated), a body that
  ends before its Content-Length says (the file was cut), a transfer or content encoding that does not decode,
  or a body over the size cap: one Skip each, named by the record's URI;
* corrupt data (a gzip member that does not inflate, bytes that are not a WARC record): one Skip naming the
  byte offset; what was read before it is kept, and reading resumes at the next record start found after it
  (the next gzip member in a .warc.gz written one member per record, as crawlers do; the next `WARC/1.`
  line in a plain .warc).

The file is streamed, never read whole, so the 10 MB cap applies to each page, not to the archive.

Library choice: FastWARC (`fastwarc`), over warcio, measured by bench/engines.py (docs/benchmarks.md "WARC read
speed": a generated WARC of 3,000 HTML responses of about 5.8 KB with their request and metadata records, every
response's headers and body read, best of three; 2026-12-06 on 2 shared cores): gzipped 45,730 against 8,093
responses/s (5.7 times as fast), plain 130,759 against 11,316 (11.6 times). On broken input the two behave alike:
both stop at the first corrupt gzip member, bad header or wrong Content-Length (hence the resynchronisation
above, ours), and both hand back the short body of a record cut off by the end of the file without an error
(hence our length check against the record's Content-Length). FastWARC also ships type stubs (mypy --strict),
raises one OSError type, and never prints to stderr (warcio writes "WARNING: Record not followed by newline"
there itself). Reading is in any case a small part of the cost of a page: extraction runs at 27.3 pages/s
(docs/benchmarks.md "Extraction"), 45,730 / 27.3 = 1,675 times slower than reading a gzipped record.
"""

import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from storyline.errors import IngestError
from storyline.ingest.compress import describe_size
from storyline.ingest.decode import decode_bytes
from storyline.ingest.files import open_regular_file
from storyline.records import Document, Hint, Skip

__all__ = ["HTML_TYPES", "warc_documents"]

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_START = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_SCAN_CHUNK = 1 << 20
_NOT_PAGES = {
    "request": "what the crawler sent, not a page",
    "metadata": "the crawler's notes on a capture, not a page",
    "warcinfo": "a description of the archive, not a page",
    "resource": "content captured without an HTTP response, not read",
    "conversion": "a converted copy of another record, not read",
    "continuation": "the rest of a segmented record, not read",
}


def warc_documents(path: str, source: str, where: str, max_bytes: int) -> Iterator[Document | Skip]:
    """The pages of the WARC file at `path` (shown as `where`) as Documents of `source`, and a Skip for each
    record or stretch of data that is not one. Raises IngestError only when the file cannot be opened."""
    with open_regular_file(path) as stream:
        start = stream.read(len(_GZIP_START))
        if not start:
            raise IngestError("empty WARC file", source=where)
        reader = _Reader(stream, source, where, max_bytes, _GZIP_START if start == _GZIP_START else _WARC_START)
        yield from reader.items()


class _Reader:
    """One pass over a WARC file, restarting the parser after corrupt data."""

    def __init__(self, stream: BinaryIO, source: str, where: str, max_bytes: int, record_start: bytes) -> None:
        self.stream = stream
        self.source = source
        self.where = where
        self.max_bytes = max_bytes
        self.record_start = record_start
        self.not_pages: Counter[str] = Counter()

    def items(self) -> Iterator[Document | Skip]:
        offset: int | None = 0
        broken: tuple[int, str] | None = None  # a corrupt stretch not yet reported: where it began, the error
        while offset is not None:
            self.stream.seek(offset)
            last = None  # where the last record that parsed began
            try:
                for record in ArchiveIterator(self.stream, parse_http=False, auto_decode="none"):
                    last = record.stream_pos
                    if broken is not None:
                        yield self._corrupt(*broken, resumed=offset)
                        broken = None
                    yield from self._record(record)
            except OSError as error:  # fastwarc's one error type: corrupt gzip, bad header, short read
                failed_at = offset if last is None else last
                broken = broken or (failed_at, str(error))
                offset = self._next_start(failed_at + 1)
                continue
            offset = None
        if broken is not None:
            yield self._corrupt(*broken, resumed=None)
        yield from self._counts()

    def _record(self, record: WarcRecord) -> Iterator[Document | Skip]:
        kind = record.record_type
        if kind == WarcRecordType.response:
            yield self._response(record)
        elif kind == WarcRecordType.revisit:
            uri = _uri(record) or f"{self.where}@{record.stream_pos}"
            yield Skip(uri, "ingest", "WARC revisit record: the page was unchanged since an earlier capture")
        else:
            self.not_pages[str(kind)] += 1

    def _response(self, record: WarcRecord) -> Document | Skip:
        uri = _uri(record)
        name = uri or f"{self.where}@{record.stream_pos}"
        try:
            return self._page(record, uri, name)
        except IngestError as error:
            return Skip(name, "ingest", str(error))

    def _page(self, record: WarcRecord, uri: str | None, name: str) -> Document:
        if uri is None:
            raise IngestError("WARC response record without a WARC-Target-URI")
        truncated = record.headers.get("WARC-Truncated")
        if truncated:
            raise IngestError(f"the crawler truncated this record (WARC-Truncated: {truncated})")
        record.parse_http(auto_decode="none")
        http = record.http_headers
        if http.status_code is None:
            raise IngestError(f"not an HTTP response: {(http.status_line or '')[:80]!r}")
        if http.status_code != 200:
            raise IngestError(f"HTTP status {http.status_code}, not 200")
        media_type = (http.get("Content-Type") or "").split(";")[0].strip().lower()
        if media_type not in HTML_TYPES:
            raise IngestError(f"not HTML: Content-Type {media_type or '(none)'}")
        body = _decoded_body(_body(record, self.max_bytes), http.get("Transfer-Encoding"), http.get("Content-Encoding"))
        decoded = decode_bytes(body, record.http_charset, self.max_bytes)
        hints = (Hint("url", uri, "warc"), Hint("fetched", record.headers.get("WARC-Date") or "", "warc"))
        return Document(self.source, uri, decoded.text, "html", hints, uri, decoded.flags)

    def _next_start(self, after: int) -> int | None:
        """The offset of the first possible record start at or after `after`, or None at the end of the file."""
        self.stream.seek(after)
        position, tail = after, b""
        while chunk := self.stream.read(_SCAN_CHUNK):
            found = (tail + chunk).find(self.record_start)
            if found >= 0:
                return position - len(tail) + found
            tail = chunk[-(len(self.record_start) - 1) :]
            position += len(chunk)
        return None

    def _corrupt(self, offset: int, error: str, resumed: int | None) -> Skip:
        """A Skip for corrupt data met while reading the record at `offset` or the one after it."""
        then = f"reading resumed at byte {resumed:,}" if resumed is not None else "nothing readable after it"
        where = "at the start" if offset == 0 else f"after the record at byte {offset:,}"
        return Skip(f"{self.where}@{offset}", "ingest", f"corrupt WARC data {where} ({error}); {then}")

    def _counts(self) -> Iterator[Skip]:
        for kind, count in sorted(self.not_pages.items()):
            plural = "" if count == 1 else "s"
            reason = _NOT_PAGES.get(kind, "not a response")
            yield Skip(f"{self.where} ({kind} records)", "ingest", f"{count:,} {kind} record{plural}: {reason}")


def _uri(record: WarcRecord) -> str | None:
    uri = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")
    return uri or None


def _body(record: WarcRecord, max_bytes: int) -> bytes:
    """The HTTP payload as stored; IngestError when it is over the cap or shorter than the record says."""
    expected = record.content_length
    if expected > max_bytes:
        raise IngestError(f"{expected:,} bytes is over the {describe_size(max_bytes)} cap")
    body = record.reader.read(expected)
    if len(body) < expected:
        raise IngestError(f"truncated record: {len(body):,} of {expected:,} bytes (the file ends inside it)")
    return body


def _decoded_body(body: bytes, transfer: str | None, content: str | None) -> bytes:
    """The body without its transfer and content encodings (gzip is left to decode_bytes, which sniffs it)."""
    if transfer and "chunked" in transfer.lower():
        body = _unchunked(body)
    encoding = (content or "identity").strip().lower()
    if encoding in ("identity", "gzip", "x-gzip", ""):
        return body
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            try:
                return zlib.decompress(body, -zlib.MAX_WBITS)
            except zlib.error as error:
                raise IngestError(f"Content-Encoding deflate does not inflate: {error}") from error
    raise IngestError(f"unsupported Content-Encoding {encoding!r}")


def _unchunked(body: bytes) -> bytes:
    """The payload of an HTTP/1.1 chunked body; IngestError when it ends before its last chunk."""
    parts: list[bytes] = []
    position = 0
    while True:
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            raise IngestError("chunked body ends before its last chunk")
        try:
            size = int(body[position:line_end].split(b";")[0].strip() or b"x", 16)
        except ValueError as error:
            raise IngestError("chunked body with a bad chunk size") from error
        if size == 0:
            return b"".join(parts)
        start = line_end + 2
        if start + size > len(body):
            raise IngestError("chunked body ends before its last chunk")
        parts.append(body[start : start + size])
        position = start + size + 2
