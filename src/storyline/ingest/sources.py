"""Sources named by the user -> Documents (or Skips): files, folders, feeds, JSON/JSONL, page URLs, stdin.

A source never stops the batch: whatever goes wrong with it becomes a Skip with a reason, and the next source
is read.
"""

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from storyline.errors import IngestError, unexpected_reason
from storyline.ingest.compress import decompress
from storyline.ingest.decode import MAX_BYTES, Decoded, decode_bytes, is_wide_text, sniff_kind, usable_encoding
from storyline.ingest.feeds import FeedEntry, parse_feed, parse_feed_text
from storyline.ingest.fetch import FEED_TYPES, Fetcher, FetchSettings, is_http_url
from storyline.ingest.files import read_capped_stream, read_regular_file, source_kind, walk_folder
from storyline.ingest.jsonl import json_documents, jsonl_bytes_documents, jsonl_documents
from storyline.ingest.safe import display_name, replace_surrogates
from storyline.ingest.urls import canonical_url
from storyline.records import Document, Hint, Skip

__all__ = ["SUFFIX_KINDS", "IngestSettings", "Ingestor"]

logger = logging.getLogger(__name__)

SUFFIX_KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".warc": "warc",  # streamed record by record (ingest/warc.py), never read whole
}


_COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")

# Files a folder of articles often carries beside them; named on the command line they are read like any file.
_PROJECT_FILE = re.compile(r"^(?:readme|license|licence|notice|changelog|copying|authors|source)(?:\.\w+)?$", re.I)


@dataclass(frozen=True, slots=True)
class IngestSettings:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    fetch_feed_links: bool | None = None  # None: fetch entry links for feed URLs, not for feed files
    min_entry_words: int = 80  # a feed entry shorter than this is a teaser: its link is fetched when allowed
    max_bytes: int = MAX_BYTES


class Ingestor:
    """Reads sources into Documents. Holds the Fetcher (created on the first URL) so connections are reused."""

    def __init__(
        self,
        settings: IngestSettings = IngestSettings(),
        fetcher: Fetcher | None = None,
        stdin: BinaryIO | None = None,
    ) -> None:
        self.settings = settings
        self._fetcher = fetcher
        self._stdin = stdin

    def __call__(self, sources: Iterable[str]) -> Iterator[Document | Skip]:
        for source in sources:
            try:
                yield from map(_leaving, self._source(source))
            except IngestError as error:
                yield _leaving(Skip(error.source or source, "ingest", str(error)))
            except Exception as error:  # noqa: BLE001 - one source's bug never stops the batch
                logger.debug("reading %s failed", source, exc_info=True)
                yield _leaving(Skip(source, "ingest", unexpected_reason(error)))

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings.fetch)
        return self._fetcher

    def _source(self, source: str) -> Iterator[Document | Skip]:
        if source == "-":
            if self._stdin is None:
                raise IngestError("no standard input available", source="-")
            data = decompress(read_capped_stream(self._stdin, self.settings.max_bytes), self.settings.max_bytes)
            if _sniffed_jsonl(data):
                yield from self._jsonl(data, "-", "stdin")
                return
            decoded = _decode(data, "-", self.settings.max_bytes, allow_nul=_looks_json(data))
            kind = sniff_kind(decoded.text)
            yield from self._content(decoded, kind, "-", "stdin", None, False)
        elif is_http_url(source):
            yield from self._url(source)
        else:
            try:
                kind = source_kind(source)
            except IngestError as error:
                raise IngestError(str(error), source=display_name(source)) from error
            if kind == "folder":
                yield from self._folder(source)
            else:
                yield from self._file(source, display_name(source))

    def _folder(self, folder: str) -> Iterator[Document | Skip]:
        source = display_name(folder)
        for entry in walk_folder(folder):
            where = display_name(entry.path)
            if entry.problem is not None:
                yield Skip(where, "ingest", entry.problem)
            elif _PROJECT_FILE.match(os.path.basename(entry.path)):
                yield Skip(where, "ingest", "a project file (README, LICENSE ...), not an article")
            else:
                try:
                    yield from self._file(entry.path, source)
                except IngestError as error:
                    yield Skip(where, "ingest", str(error))
                except Exception as error:  # noqa: BLE001 - one file's bug never stops the folder
                    logger.debug("reading %s failed", where, exc_info=True)
                    yield Skip(where, "ingest", unexpected_reason(error))

    def _file(self, path: str, source: str) -> Iterator[Document | Skip]:
        """Read one file: `path` opens it, its display name is the location."""
        where = display_name(path)
        suffixes = [s.lower() for s in Path(path).suffixes]
        compressed = len(suffixes) > 1 and suffixes[-1] in _COMPRESSED_SUFFIXES
        suffix = suffixes[-2] if compressed else (suffixes[-1:] or [""])[0]
        kind = SUFFIX_KINDS.get(suffix)
        if kind is None:
            shown = f"'{display_name(suffix)}'" if suffix else "'(no suffix)'"
            raise IngestError(f"unsupported file type {shown}", source=where)
        if kind == "warc":
            yield from _warc(path, source, where, self.settings.max_bytes)
            return
        raw = read_regular_file(path, self.settings.max_bytes)
        try:
            data = decompress(raw, self.settings.max_bytes)
        except IngestError as error:
            if kind != "jsonl" or compressed:
                raise IngestError(str(error), source=where) from error
            # a .jsonl whose first line happens to start with a compression magic ("\x1f\x8b") is lines, not a
            # corrupt archive: read it as it is, so that line is skipped with its reason and the others are kept
            data = raw
        if kind == "feed":
            yield from self._feed(data, source, where, from_url=False)
            return
        if kind == "jsonl":
            yield from self._jsonl(data, source, where)
            return
        allow_nul = kind == "json" or _looks_json(data)
        decoded = _decode(data, where, self.settings.max_bytes, allow_nul=allow_nul)
        yield from self._content(decoded, kind, source, where, None, False)

    def _jsonl(self, data: bytes, source: str, where: str) -> Iterator[Document | Skip]:
        try:
            yield from jsonl_bytes_documents(data, source, where, self.settings.max_bytes)
        except IngestError as error:
            raise IngestError(str(error), source=where) from error

    def _url(self, url: str) -> Iterator[Document | Skip]:
        fetched = self.fetcher.fetch(url)
        if fetched.media_type in FEED_TYPES and fetched.media_type != "application/json":
            yield from self._feed(fetched.content, url, fetched.final_url, from_url=True)
            return
        declared = _URL_KINDS.get(fetched.media_type)
        if (
            declared is None
            and usable_encoding(fetched.charset or "utf-8") == "utf-8"
            and _sniffed_jsonl(fetched.content)
        ):
            yield from self._jsonl(fetched.content, url, fetched.final_url)
            return
        allow_nul = _looks_json(fetched.content)
        decoded = _decode(fetched.content, url, self.settings.max_bytes, fetched.charset, allow_nul=allow_nul)
        kind = declared or sniff_kind(decoded.text)
        yield from self._content(decoded, kind, url, fetched.final_url, fetched.final_url, True)

    def _content(
        self, decoded: Decoded, kind: str, source: str, location: str, url: str | None, from_url: bool
    ) -> Iterator[Document | Skip]:
        text, flags = decoded.text, decoded.flags
        if kind == "jsonl":
            yield from jsonl_documents(text, source, location, flags)
        elif kind == "json":
            yield from json_documents(text, source, location, flags)
        elif kind == "feed":
            yield from self._feed_entries(parse_feed_text(text, flags), source, location, from_url)
        elif kind == "xml":
            raise IngestError("XML that is not an RSS or Atom feed", source=location)
        else:
            yield Document(source, location, text, "html" if kind == "html" else "text", (), url, flags)

    def feed_documents(
        self, data: bytes, source: str, location: str, known: Callable[[str], bool]
    ) -> tuple[int, Iterator[Document | Skip]]:
        """The entries of a fetched feed body (the watcher's path): how many there are, and a Document or Skip
        for each entry whose canonical link `known` does not already hold, with that link as its location.
        Raises IngestError when the body is not a feed."""
        try:
            entries = parse_feed(data, self.settings.max_bytes)
        except IngestError as error:
            raise IngestError(str(error), source=location) from error
        fresh = []
        for entry in entries:
            link = canonical_url(entry.link) if entry.link else None
            if link is not None and (known(link) or known(entry.link or "")):
                continue
            fresh.append(replace(entry, link=link))
        return len(entries), self._feed_entries(fresh, source, location, from_url=True)

    def _feed(self, data: bytes, source: str, location: str, from_url: bool) -> Iterator[Document | Skip]:
        try:
            entries = parse_feed(data, self.settings.max_bytes)
        except IngestError as error:
            raise IngestError(str(error), source=location) from error
        yield from self._feed_entries(entries, source, location, from_url)

    def _feed_entries(
        self, entries: list[FeedEntry], source: str, location: str, from_url: bool
    ) -> Iterator[Document | Skip]:
        fetch_links = self.settings.fetch_feed_links
        if fetch_links is None:
            fetch_links = from_url
        for number, entry in enumerate(entries, start=1):
            where = entry.link or f"{location}#{number}"
            try:
                yield self._entry(entry, source, where, fetch_links)
            except IngestError as error:
                yield Skip(where, "ingest", str(error))

    def _entry(self, entry: FeedEntry, source: str, location: str, fetch_links: bool) -> Document:
        teaser = len(entry.text.split()) < self.settings.min_entry_words
        flags = entry.flags
        if teaser and fetch_links and entry.link and is_http_url(entry.link):
            flags = (*flags, "feed-summary-fallback")  # kept only when the page cannot be fetched: says so
            try:
                fetched = self.fetcher.fetch(entry.link)
                page = _decode(fetched.content, entry.link, self.settings.max_bytes, fetched.charset)
                url = fetched.final_url
                return Document(source, url, page.text, "html", entry.hints, url, page.flags)
            except IngestError as error:  # a FetchError, or a page that does not decode
                if not entry.text:
                    raise
                logger.info("using the feed's summary for %s: %s", entry.link, error)
        if not entry.text:
            raise IngestError("feed entry without content and no link to fetch", source=location)
        return Document(source, location, entry.text, "text", entry.hints, entry.link, flags)


_URL_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}  # by media type


def _warc(path: str, source: str, where: str, max_bytes: int) -> Iterator[Document | Skip]:
    from storyline.ingest.warc import warc_documents  # fastwarc is loaded only when a WARC file is read

    try:
        yield from warc_documents(path, source, where, max_bytes)
    except IngestError as error:
        raise IngestError(str(error), source=where) from error


def _sniffed_jsonl(data: bytes) -> bool:
    """Whether undeclared bytes are JSONL that can be split into lines as bytes (not UTF-16/32), so that each line
    is decoded on its own (jsonl.py) rather than the whole input at once."""
    return not is_wide_text(data) and sniff_kind(data[:4096].decode("utf-8", "replace")) == "jsonl"


def _looks_json(data: bytes) -> bool:
    """Whether bytes start like JSON: such inputs may hold a NUL in one line without being binary."""
    return data.lstrip()[:1] in (b"{", b"[")


def _decode(data: bytes, where: str, limit: int, charset: str | None = None, *, allow_nul: bool = False) -> Decoded:
    try:
        return decode_bytes(data, charset, limit, allow_nul=allow_nul)
    except IngestError as error:
        raise IngestError(str(error), source=where) from error


def _leaving(item: Document | Skip) -> Document | Skip:
    """The item with every string UTF-8-encodable: names escaped, lone surrogates in text replaced."""
    if isinstance(item, Skip):
        return Skip(display_name(item.source), item.stage, display_name(item.reason))
    content = replace_surrogates(item.content)
    hints = tuple(Hint(h.field, replace_surrogates(h.value), h.source) for h in item.hints)
    flags = item.flags
    if (content != item.content or hints != item.hints) and "surrogates-replaced" not in flags:
        flags = (*flags, "surrogates-replaced")
    url = display_name(item.url) if item.url is not None else None
    source, location = display_name(item.source), display_name(item.location)
    return replace(item, source=source, location=location, content=content, hints=hints, url=url, flags=flags)
