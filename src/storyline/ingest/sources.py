"""Sources named by the user -> Documents (or Skips): files, folders, feeds, JSON/JSONL, page URLs, stdin.

A source never stops the batch: whatever goes wrong with it becomes a Skip with a reason, and the next source
is read.
"""

import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from storyline.errors import FetchError, IngestError
from storyline.ingest.decode import MAX_BYTES, decode_bytes, describe_size, sniff_kind
from storyline.ingest.feeds import FeedEntry, parse_feed
from storyline.ingest.fetch import FEED_TYPES, Fetcher, FetchSettings
from storyline.ingest.jsonl import json_documents, jsonl_documents
from storyline.records import Document, Skip

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
}


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
                yield from self._source(source)
            except IngestError as error:
                yield Skip(error.source or source, "ingest", str(error))

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
            data = self._stdin.read(self.settings.max_bytes + 1)
            text = decode_bytes(data, limit=self.settings.max_bytes)
            yield from self._content(text, sniff_kind(text), "-", "stdin", None, False)
        elif source.startswith(("http://", "https://")):
            yield from self._url(source)
        else:
            path = Path(source)
            if path.is_dir():
                yield from self._folder(path)
            elif path.is_file():
                yield from self._file(path, source)
            else:
                raise IngestError("no such file, folder or URL", source=source)

    def _folder(self, folder: Path) -> Iterator[Document | Skip]:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(root) / name
                if _PROJECT_FILE.match(name):
                    yield Skip(str(path), "ingest", "a project file (README, LICENSE ...), not an article")
                    continue
                try:
                    yield from self._file(path, str(folder))
                except IngestError as error:
                    yield Skip(str(path), "ingest", str(error))

    def _file(self, path: Path, source: str) -> Iterator[Document | Skip]:
        suffixes = [s.lower() for s in path.suffixes]
        suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else (suffixes[-1:] or [""])[0]
        kind = SUFFIX_KINDS.get(suffix)
        if kind is None:
            raise IngestError(f"unsupported file type {suffix or '(no suffix)'!r}", source=str(path))
        size = path.stat().st_size
        if size > self.settings.max_bytes and suffixes[-1:] != [".gz"]:
            cap = describe_size(self.settings.max_bytes)
            raise IngestError(f"{size:,} bytes is over the {cap} cap", source=str(path))
        try:
            data = path.read_bytes()
        except OSError as error:
            raise IngestError(f"cannot read: {error.strerror}", source=str(path)) from error
        if kind == "feed":
            yield from self._feed(data, source, str(path), from_url=False)
            return
        text = _decode(data, str(path), self.settings.max_bytes)
        yield from self._content(text, kind, source, str(path), None, False)

    def _url(self, url: str) -> Iterator[Document | Skip]:
        fetched = self.fetcher.fetch(url)
        if fetched.media_type in FEED_TYPES and fetched.media_type != "application/json":
            yield from self._feed(fetched.content, url, fetched.final_url, from_url=True)
            return
        text = _decode(fetched.content, url, self.settings.max_bytes, fetched.charset)
        kind = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}.get(
            fetched.media_type, sniff_kind(text)
        )
        yield from self._content(text, kind, url, fetched.final_url, fetched.final_url, True)

    def _content(
        self, text: str, kind: str, source: str, location: str, url: str | None, from_url: bool
    ) -> Iterator[Document | Skip]:
        if kind == "jsonl":
            yield from jsonl_documents(text, source, location)
        elif kind == "json":
            yield from json_documents(text, source, location)
        elif kind == "feed":
            yield from self._feed(text.encode("utf-8"), source, location, from_url)
        elif kind == "xml":
            raise IngestError("XML that is not an RSS or Atom feed", source=location)
        else:
            yield Document(source, location, text, "html" if kind == "html" else "text", (), url)

    def _feed(self, data: bytes, source: str, location: str, from_url: bool) -> Iterator[Document | Skip]:
        entries = parse_feed(data)
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
        if teaser and fetch_links and entry.link and entry.link.startswith(("http://", "https://")):
            try:
                fetched = self.fetcher.fetch(entry.link)
                page = _decode(fetched.content, entry.link, self.settings.max_bytes, fetched.charset)
                return Document(source, fetched.final_url, page, "html", entry.hints, fetched.final_url)
            except FetchError as error:
                if not entry.text:
                    raise
                logger.info("using the feed's summary for %s: %s", entry.link, error)
        if not entry.text:
            raise IngestError("feed entry without content and no link to fetch", source=location)
        return Document(source, location, entry.text, "text", entry.hints, entry.link)


def _decode(data: bytes, where: str, limit: int, charset: str | None = None) -> str:
    try:
        return decode_bytes(data, charset, limit)
    except IngestError as error:
        raise IngestError(str(error), source=where) from error
