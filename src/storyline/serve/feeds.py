"""Feeds of story updates: Atom 1.0 and JSON Feed 1.1, built from the same story cards as the front page."""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

__all__ = ["FEED_TITLE", "atom_feed", "json_feed", "updates_atom"]

FEED_TITLE = "storyline: story updates"
_ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates) from untrusted text."""
    return _NOT_XML.sub("", text)


def _timestamp(value: str | None) -> str:
    """An RFC 3339 timestamp for a stored date or datetime (dates become midnight UTC)."""
    if value:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            return parsed.isoformat(timespec="seconds")
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC).isoformat(timespec="seconds")


def _summary(card: Mapping[str, Any]) -> str:
    coverage = card.get("coverage") or {}
    counts = f"{card['articles']} articles"
    if coverage.get("outlets"):
        counts += f" from {len(coverage['outlets'])} outlets ({', '.join(coverage['outlets'][:5])})"
    if card.get("conflicts"):
        counts += f"; sources disagree on {card['conflicts']} point(s)"
    return f"{card['summary']}\n\n{counts}." if card.get("summary") else counts + "."


def atom_feed(cards: Sequence[Mapping[str, Any]], base_url: str) -> bytes:
    """An Atom document with one entry per story card (newest activity first). `base_url` ends with '/'."""
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    updated = max((_timestamp(c.get("updated_at")) for c in cards), default=_timestamp(None))
    _sub(feed, "id", base_url + "feeds/stories.atom")
    _sub(feed, "title", FEED_TITLE)
    _sub(feed, "updated", updated)
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=base_url + "feeds/stories.atom")
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=base_url)
    author = ET.SubElement(feed, f"{{{_ATOM}}}author")
    _sub(author, "name", "storyline")
    for card in cards:
        url = f"{base_url}stories/{card['id']}"
        entry = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        _sub(entry, "id", url)
        _sub(entry, "title", card["headline"])
        _sub(entry, "updated", _timestamp(card.get("updated_at")))
        ET.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=url)
        summary = _sub(entry, "summary", _summary(card))
        summary.set("type", "text")
        for topic in card.get("topics") or ():
            ET.SubElement(entry, f"{{{_ATOM}}}category", term=_xml_text(topic))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def updates_atom(updates: Sequence[tuple[str, int, str, str, list[str]]], base_url: str) -> bytes:
    """An Atom document with one entry per meaningful brief update: (story id, version, written at, headline,
    change lines), newest first. `base_url` ends with '/'."""
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    _sub(feed, "id", base_url + "feeds/updates.atom")
    _sub(feed, "title", "storyline: what changed")
    _sub(feed, "updated", max((_timestamp(u[2]) for u in updates), default=_timestamp(None)))
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=base_url + "feeds/updates.atom")
    author = ET.SubElement(feed, f"{{{_ATOM}}}author")
    _sub(author, "name", "storyline")
    for story_id, version, at, headline, lines in updates:
        url = f"{base_url}stories/{story_id}"
        entry = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        _sub(entry, "id", f"{url}#v{version}")
        _sub(entry, "title", ("New: " if version == 1 else "Updated: ") + headline)
        _sub(entry, "updated", _timestamp(at))
        ET.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=url)
        _sub(entry, "summary", "\n".join(lines)).set("type", "text")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_ATOM}}}{tag}")
    element.text = _xml_text(text)
    return element


def json_feed(cards: Sequence[Mapping[str, Any]], base_url: str) -> dict[str, Any]:
    """A JSON Feed 1.1 object with one item per story card. `base_url` ends with '/'."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": FEED_TITLE,
        "home_page_url": base_url,
        "feed_url": base_url + "feeds/stories.json",
        "items": [
            {
                "id": card["id"],
                "url": f"{base_url}stories/{card['id']}",
                "title": card["headline"],
                "content_text": _summary(card),
                "date_modified": _timestamp(card.get("updated_at")),
                "tags": list(card.get("topics") or ()),
                "_storyline": {"articles": card["articles"], "conflicts": card["conflicts"]},
            }
            for card in cards
        ],
    }
