"""JSON and JSONL inputs: objects of the form {url, title, text, html, published, outlet, authors}."""

import json
from collections.abc import Iterator
from typing import Any

from storyline.errors import IngestError
from storyline.records import Document, Hint, Skip

__all__ = ["json_documents", "jsonl_documents"]

_HINT_FIELDS = ("title", "published", "outlet", "url", "language")


def jsonl_documents(text: str, source: str, location: str) -> Iterator[Document | Skip]:
    """One Document per line; a bad line becomes a Skip naming its line number."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{location}:{number}"
        try:
            yield _document(json.loads(line), source, where)
        except json.JSONDecodeError as error:
            yield Skip(where, "ingest", f"invalid JSON: {error.msg} at column {error.colno}")
        except IngestError as error:
            yield Skip(where, "ingest", str(error))


def json_documents(text: str, source: str, location: str) -> Iterator[Document | Skip]:
    """A JSON file holding one article object or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Skip(location, "ingest", f"invalid JSON: {error.msg} at line {error.lineno}")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"{location}#{index}" if isinstance(data, list) else location
        try:
            yield _document(item, source, where)
        except IngestError as error:
            yield Skip(where, "ingest", str(error))


def _document(item: Any, source: str, location: str) -> Document:
    if not isinstance(item, dict):
        raise IngestError(f"expected a JSON object, got {type(item).__name__}")
    html, text = item.get("html"), item.get("text")
    content = html if isinstance(html, str) and html.strip() else text
    if not isinstance(content, str) or not content.strip():
        raise IngestError("no 'text' or 'html' field with content")
    hints = [Hint(f, str(item[f]), "jsonl") for f in _HINT_FIELDS if isinstance(item.get(f), str | int)]
    authors = item.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list) and authors:
        hints.append(Hint("authors", "; ".join(str(a) for a in authors), "jsonl"))
    url = item.get("url") if isinstance(item.get("url"), str) else None
    media_type = "html" if content is html else "text"
    return Document(source, url or location, content, media_type, tuple(hints), url)
