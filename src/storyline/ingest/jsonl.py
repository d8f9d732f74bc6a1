"""JSON and JSONL inputs: objects of the form {url, title, text, html, published, outlet, authors}.

Choices:
* JSONL lines end at "\\n" only (a trailing "\\r" is dropped): U+2028, U+0085, form feeds and the other
  characters `str.splitlines` breaks at are legal inside JSON strings. A bare "\\r" stays inside its line
  (and, raw inside a string, makes that line invalid JSON), so line numbers are the file's own.
* JSONL (a file, standard input, or a URL with no declared text type and a UTF-8 or no charset) is split
  into lines as bytes and each line is decoded on its own as UTF-8 (a few bad bytes
  repaired in place, flag "decode-repaired"): one line of binary garbage skips that line, not the file.
  UTF-16 and UTF-32 files (a BOM, or NUL bytes in every other position) are decoded whole first.
* Each line stands alone: a NUL byte, invalid JSON, nesting deeper than `MAX_DEPTH` or a number longer than
  `MAX_DIGITS` digits skips that line only, with a reason naming its line number.
* Lone surrogates (`"\\ud800"`) in any string become U+FFFD and the Document is flagged "surrogates-replaced".
* When an object has both `html` and `text`, the longer one wins: the html's visible text (tags removed,
  whitespace collapsed) against the text (whitespace collapsed); a tie goes to the html, which keeps the
  structure. So `{"html": "<p>teaser</p>", "text": "<the whole article>"}` reads the text.
"""

import re
from collections.abc import Iterator
from typing import Any

from storyline.errors import IngestError
from storyline.ingest.decode import check_size, decode_bytes, decode_line, is_wide_text
from storyline.ingest.jsonsafe import MAX_DEPTH, MAX_DIGITS, load_json_limited, scrub_surrogates
from storyline.records import Document, Hint, Skip

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "json_documents",
    "jsonl_bytes_documents",
    "jsonl_documents",
    "load_json_limited",
]

_HINT_FIELDS = ("title", "published", "outlet", "url", "language")
_TAG = re.compile(r"<[^<>]*+>")  # stops at the next "<", so a stray "<" costs no rescanning


def jsonl_documents(text: str, source: str, location: str, flags: tuple[str, ...] = ()) -> Iterator[Document | Skip]:
    """One Document per line; a bad line becomes a Skip naming its line number. `flags` come from decoding."""
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield from _line(line, source, f"{location}:{number}", flags)


def _line(line: str, source: str, where: str, flags: tuple[str, ...]) -> Iterator[Document | Skip]:
    if "\x00" in line:
        yield Skip(where, "ingest", "binary content (NUL byte) in this line")
        return
    try:
        yield _document(load_json_limited(line), source, where, flags)
    except IngestError as error:
        yield Skip(where, "ingest", str(error))


def jsonl_bytes_documents(data: bytes, source: str, location: str, limit: int) -> Iterator[Document | Skip]:
    """One Document per line of raw JSONL bytes, each line decoded on its own (see the module notes).

    Raises IngestError for a file that is empty or over `limit` bytes (a whole-file problem)."""
    if is_wide_text(data):
        decoded = decode_bytes(data, None, limit, allow_nul=True)
        yield from jsonl_documents(decoded.text, source, location, decoded.flags)
        return
    check_size(data, limit)
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"{location}:{number}"
        try:
            line = decode_line(raw.removesuffix(b"\r"))
        except IngestError as error:
            yield Skip(where, "ingest", str(error))
            continue
        yield from _line(line.text, source, where, line.flags)


def json_documents(text: str, source: str, location: str, flags: tuple[str, ...] = ()) -> Iterator[Document | Skip]:
    """A JSON file holding one article object or a list of them."""
    try:
        data = load_json_limited(text)
    except IngestError as error:
        yield Skip(location, "ingest", str(error))
        return
    if data == []:
        yield Skip(location, "ingest", "an empty JSON list: no articles")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"{location}#{index}" if isinstance(data, list) else location
        try:
            yield _document(item, source, where, flags)
        except IngestError as error:
            yield Skip(where, "ingest", str(error))


def _document(item: Any, source: str, location: str, flags: tuple[str, ...]) -> Document:
    if not isinstance(item, dict):
        raise IngestError(f"expected a JSON object, got {type(item).__name__}")
    item, scrubbed = scrub_surrogates(item)
    if scrubbed:
        flags = (*flags, "surrogates-replaced")
    content, media_type = _content(item.get("html"), item.get("text"))
    url = item.get("url") if isinstance(item.get("url"), str) else None
    return Document(source, url or location, content, media_type, _hints(item), url, flags)


def _content(html: Any, text: Any) -> tuple[str, str]:
    """The html or the text, whichever holds more visible text (a tie goes to the html)."""
    html_length = _visible_length(html) if isinstance(html, str) else 0
    text_length = len(" ".join(text.split())) if isinstance(text, str) else 0
    if html_length == 0 and text_length == 0:
        raise IngestError("no 'text' or 'html' field with content")
    if html_length >= text_length:
        return html, "html"
    return text, "text"


def _visible_length(html: str) -> int:
    return len(" ".join(_TAG.sub(" ", html).split()))


def _hints(item: dict[str, Any]) -> tuple[Hint, ...]:
    hints = [Hint(f, str(item[f]), "jsonl") for f in _HINT_FIELDS if isinstance(item.get(f), str | int)]
    authors = item.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list) and authors:
        hints.append(Hint("authors", "; ".join(str(a) for a in authors), "jsonl"))
    return tuple(hints)
