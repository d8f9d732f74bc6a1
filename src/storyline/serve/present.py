"""Presentation helpers for the templates: evidence markers, dates, languages, roles. Pure functions of view data."""

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from storyline.render.citations import unrepeated
from storyline.serve.views import evidence_key

__all__ = [
    "ROLE_LABELS",
    "Marker",
    "by_source",
    "distinct_points",
    "format_day",
    "language_name",
    "markers",
    "source_nodes",
    "split_tail",
]

ROLE_LABELS = {
    "original": "original",
    "independent": "independent",
    "derivative": "derivative",
    "syndicated_copy": "syndicated copy",
    "credited_upstream": "credited, not ingested",
}
_LANGUAGES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian", "fr": "French",
    "he": "Hebrew", "hi": "Hindi", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
    "zh": "Chinese",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbered evidence marker: opens `article_id` with `[start, end)` highlighted."""

    label: str  # "3", or "3a", "3b" when one item cites one source twice
    article_id: str
    start: int
    end: int
    href: str | None  # the article page with the span highlighted; None when the article is not stored
    title: str  # outlet and quoted span, shown on hover


def markers(
    evidence: Sequence[Mapping[str, Any]], cards: Mapping[str, Mapping[str, Any]], excerpts: Mapping[str, str]
) -> list[Marker]:
    """Markers for one item's evidence, numbered by source (see `views._source_numbers`)."""
    evidence = sorted(evidence, key=lambda e: (_number(cards.get(e["article_id"])), e["start"], e["end"]))
    counts = Counter(e["article_id"] for e in evidence)
    seen: Counter[str] = Counter()
    result = []
    for item in evidence:
        article_id, start, end = item["article_id"], int(item["start"]), int(item["end"])
        card = cards.get(article_id)
        number = str(card["number"]) if card and card.get("number") else "?"
        seen[article_id] += 1
        label = number + (
            chr(ord("a") + seen[article_id] - 1) if counts[article_id] > 1 and seen[article_id] <= 26 else ""
        )
        excerpt = excerpts.get(evidence_key(item), "")
        outlet = (card.get("outlet") or card.get("title") or article_id) if card else f"missing article {article_id}"
        title = f"{outlet}: “{_clip(excerpt, 220)}”" if excerpt else outlet
        href = f"/articles/{article_id}?{urlencode({'start': start, 'end': end})}#evidence" if card else None
        result.append(Marker(label, article_id, start, end, href, title))
    return result


def _number(card: Mapping[str, Any] | None) -> int:
    return int(card["number"]) if card and card.get("number") else 1 << 30


def by_source(evidence: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Evidence grouped by article, in first-seen order: one heading per source in a comparison column."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for item in evidence:
        groups.setdefault(item["article_id"], []).append(item)
    return list(groups.items())


def split_tail(text: str) -> tuple[str, str]:
    """`text` cut before its last word, so the last word and the markers after it can wrap together."""
    head, space, tail = text.rstrip().rpartition(" ")
    return (head + space, tail) if space else ("", text.rstrip())


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def distinct_points(brief: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A brief's key points (as JSON) less those whose own sentence its summary already shows, by the rule the
    brief files use (render.citations.unrepeated)."""
    return unrepeated(brief["key_points"], brief["summary"], _own_sentence)


def _own_sentence(item: Mapping[str, Any]) -> tuple[str, int, int]:
    evidence = item["evidence"][0]
    return evidence["article_id"], evidence["start"], evidence["end"]


def format_day(value: str | None, with_year: bool = True) -> str:
    """ "19 Jun 2026" for an ISO date or datetime; partial dates stay as written ("2026-06" -> "Jun 2026")."""
    if not value:
        return ""
    text = str(value)
    try:
        if len(text) == 4 and text.isdigit():
            return text
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01").strftime("%b %Y")
        day = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return day.strftime("%-d %b %Y" if with_year else "%-d %b")


def language_name(code: str | None) -> str:
    """English name of an ISO 639-1 code, or the code itself."""
    if not code:
        return "unknown"
    return _LANGUAGES.get(code.lower(), code)


def source_nodes(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sources to draw as a lineage graph: the brief's, or the story members' when there is no brief."""
    if data.get("brief"):
        return list(data["brief"]["sources"])
    cards = data["articles"]
    nodes = []
    for member in data["story"]["members"]:
        card = cards.get(member["article_id"], {})
        nodes.append(
            {
                "article_id": member["article_id"],
                "outlet": card.get("outlet"),
                "title": card.get("title"),
                "published": card.get("published"),
                "role": member["role"],
                "derived_from": member["derived_from"],
                "evidence": [],
            }
        )
    return nodes
