"""RSS and Atom feeds -> entries, with untrusted XML checked by defusedxml before feedparser reads it."""

import re
import xml.etree.ElementTree
from dataclasses import dataclass
from typing import Any

import defusedxml
import defusedxml.ElementTree
import feedparser
import lxml.etree
import lxml.html

from storyline.errors import IngestError
from storyline.records import Hint

__all__ = ["FeedEntry", "fragment_text", "parse_feed"]

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str | None
    text: str  # the entry's content (or summary) as plain text, paragraphs on their own lines
    hints: tuple[Hint, ...]


def parse_feed(data: bytes) -> list[FeedEntry]:
    """Entries of an RSS/Atom feed. Raises IngestError for XML bombs, malformed XML and non-feeds."""
    if _ENTITY_DECLARATION.search(data[:65536]):
        raise IngestError("XML entity declarations refused (possible XML bomb)")
    try:
        defusedxml.ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as error:
        raise IngestError(f"unsafe XML refused: {type(error).__name__}") from error
    except xml.etree.ElementTree.ParseError as error:
        strict_error: str | None = str(error)
    else:
        strict_error = None
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = [e for e in parsed.entries if e.get("title") or e.get("link") or e.get("content") or e.get("summary")]
    if not entries:
        if strict_error:
            raise IngestError(f"malformed feed XML: {strict_error}")
        if parsed.version:
            raise IngestError("feed has no entries")
        raise IngestError("not an RSS or Atom feed")
    outlet = parsed.feed.get("title") or None
    return [_entry(entry, outlet) for entry in entries]


def _entry(entry: Any, outlet: str | None) -> FeedEntry:
    contents = entry.get("content") or []
    html = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
    hints = [Hint("title", entry.get("title", ""), "feed")]
    if outlet:
        hints.append(Hint("outlet", outlet, "feed"))
    published = entry.get("published") or entry.get("updated") or ""
    if published:
        hints.append(Hint("published", published, "feed"))
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    if authors:
        hints.append(Hint("authors", "; ".join(authors), "feed"))
    tags = [t.get("term", "") for t in entry.get("tags", []) if t.get("term")]
    if tags:
        hints.append(Hint("tags", "; ".join(tags), "feed"))
    link = entry.get("link") or None
    if link:
        hints.append(Hint("url", link, "feed"))
    return FeedEntry(link, fragment_text(html), tuple(h for h in hints if h.value))


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment, one line per block element."""
    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
