"""RSS, Atom and JSON Feed -> entries, with untrusted XML checked by defusedxml before feedparser reads it.

Choices:
* We decode the feed ourselves (`decode_bytes`: BOM, the `<?xml encoding>` if it names a usable text
  encoding, UTF-8, a guess), drop the encoding from the XML declaration and hand the parsers UTF-8. expat
  refuses multi-byte legacy encodings (Shift-JIS, Big5) and crashes on codec names such as "undefined",
  "punycode" or "rot13"; this way those feeds are read or refused with a reason.
* Numeric character references to code points XML does not allow (surrogates such as `&#xD800;`, NUL,
  beyond U+10FFFF) become U+FFFD before parsing: feedparser would crash encoding them.
"""

import json
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
from storyline.ingest.decode import MAX_BYTES, decode_bytes
from storyline.records import Hint

__all__ = ["FeedEntry", "fragment_text", "parse_feed", "parse_feed_text", "parse_json_feed"]

_ENTITY_DECLARATION = re.compile(r"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"""^(\ufeff?\s*<\?xml\b[^>]*?)\s+encoding\s*=\s*(["'])[^"'>]*\2""")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
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
    flags: tuple[str, ...] = ()  # what decoding the feed changed: decode-repaired


def parse_feed(data: bytes, limit: int = MAX_BYTES) -> list[FeedEntry]:
    """Entries of an RSS/Atom feed. Raises IngestError for undecodable bytes, XML bombs, malformed XML and
    non-feeds."""
    decoded = decode_bytes(data, limit=limit)
    return parse_feed_text(decoded.text, decoded.flags)


def parse_feed_text(text: str, flags: tuple[str, ...] = ()) -> list[FeedEntry]:
    """Entries of an already decoded feed (its declared encoding is ignored); `flags` go on every entry."""
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return parse_json_feed(text, flags)
    if _ENTITY_DECLARATION.search(text[:65536]):
        raise IngestError("XML entity declarations refused (possible XML bomb)")
    data = _CHARACTER_REFERENCE.sub(_xml_character, _DECLARED_ENCODING.sub(r"\1", text, count=1)).encode()
    strict_error = _strict_error(data)
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except (ValueError, LookupError, UnicodeError) as error:  # feedparser on hostile input; not our bugs
        raise IngestError(f"malformed feed XML: {error}") from error
    entries = [e for e in parsed.entries if e.get("title") or e.get("link") or e.get("content") or e.get("summary")]
    if not entries:
        if strict_error:
            raise IngestError(f"malformed feed XML: {strict_error}")
        if parsed.version:
            raise IngestError("feed has no entries")
        raise IngestError("not an RSS or Atom feed")
    outlet = parsed.feed.get("title") or None
    return [_entry(entry, outlet, flags) for entry in entries]


def parse_json_feed(text: str, flags: tuple[str, ...] = ()) -> list[FeedEntry]:
    """Entries of a JSON Feed (jsonfeed.org 1.0 / 1.1): `content_html` or `content_text` (else `summary`),
    `url` (else `external_url`), title, date, authors and tags as hints. Raises IngestError when the text is
    not a JSON Feed."""
    try:
        feed = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise IngestError(f"malformed JSON Feed: {error}") from error
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")):
        raise IngestError("JSON that is not a JSON Feed (no jsonfeed.org version)")
    items = [i for i in feed.get("items") or [] if isinstance(i, dict)]
    if not items:
        raise IngestError("feed has no entries")
    outlet = feed.get("title") if isinstance(feed.get("title"), str) else None
    entries = []
    for item in items:
        html = item.get("content_html") or ""
        text_body = fragment_text(html) if isinstance(html, str) and html else str(item.get("content_text") or "")
        text_body = text_body or str(item.get("summary") or "")
        link = item.get("url") or item.get("external_url")
        link = link if isinstance(link, str) and link else None
        authors = [a.get("name", "") for a in item.get("authors") or [] if isinstance(a, dict) and a.get("name")]
        tags = [t for t in item.get("tags") or [] if isinstance(t, str)]
        hints = [
            Hint("title", str(item.get("title") or ""), "feed"),
            Hint("outlet", outlet or "", "feed"),
            Hint("published", str(item.get("date_published") or item.get("date_modified") or ""), "feed"),
            Hint("authors", "; ".join(authors), "feed"),
            Hint("tags", "; ".join(tags), "feed"),
            Hint("url", link or "", "feed"),
        ]
        if text_body or link:
            entries.append(FeedEntry(link, text_body.strip(), tuple(h for h in hints if h.value), flags))
    if not entries:
        raise IngestError("feed has no entries")
    return entries


def _strict_error(data: bytes) -> str | None:
    """Why a strict (defused) XML parser refuses `data`, or None; raises IngestError for unsafe XML."""
    try:
        defusedxml.ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as error:
        raise IngestError(f"unsafe XML refused: {type(error).__name__}") from error
    except (xml.etree.ElementTree.ParseError, ValueError, LookupError, UnicodeError) as error:
        return str(error)
    return None


def _xml_character(match: re.Match[str]) -> str:
    """A character reference as it is, or `&#xFFFD;` when XML does not allow its code point."""
    digits, base = (match.group(1), 16) if match.group(1) else (match.group(2), 10)
    code = int(digits, base) if len(digits) <= 8 else -1
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    return match.group() if allowed or 0x10000 <= code <= 0x10FFFF else "&#xFFFD;"


def _entry(entry: Any, outlet: str | None, flags: tuple[str, ...]) -> FeedEntry:
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
    return FeedEntry(link, fragment_text(html), tuple(h for h in hints if h.value), flags)


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
