"""Numbered citations: every distinct evidence span of a brief gets one number, in reading order."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from storyline.records import Article, Brief, BriefItem, ConflictValue, Evidence

__all__ = [
    "COUNTED_SECTIONS",
    "Citation",
    "Citations",
    "SECTIONS",
    "display",
    "plural",
    "section_items",
    "unrepeated",
]

T = TypeVar("T")

# Item sections in reading order, with their titles.
SECTIONS = (
    ("summary", "Summary"),
    ("key_points", "Key points"),
    ("why_it_matters", "Why it matters"),
    ("explainer", "Explainer"),
    ("timeline", "Timeline"),
    ("forecast", "Forecast"),
    ("quotes", "Quotes"),
)


# Sections whose items show how many independent sources state them.
COUNTED_SECTIONS = ("summary", "key_points")


def section_items(brief: Brief, name: str) -> tuple[BriefItem, ...]:
    """The items a reader is shown in a section: the key points leave out those whose own sentence the summary
    already shows (a short story's few sentences rank first in both; the brief record keeps every key point)."""
    items: tuple[BriefItem, ...] = getattr(brief, name)
    if name == "key_points":
        return tuple(unrepeated(items, brief.summary, lambda item: item.evidence[0]))
    return items


def unrepeated(points: Iterable[T], summary: Iterable[T], own_sentence: Callable[[T], Hashable]) -> list[T]:
    """The key points whose own sentence (`own_sentence`: its first cited span) no summary item has: the one
    rule for the brief files (records) and the web page (the brief as JSON)."""
    shown = {own_sentence(item) for item in summary}
    return [item for item in points if own_sentence(item) not in shown]


def display(text: str) -> str:
    """An item's text on one line: paragraphs of a cited span ("Heading\n\nParagraph") joined by a dash."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return " — ".join(paragraphs)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def first_words(citation_text: str, limit: int = 90) -> str:
    text = " ".join(citation_text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def words_around(citation_text: str, value: str, limit: int = 90) -> str:
    """The cited text cut to about `limit` characters around `value` (its first words when `value` is near the
    start or not in it), so a disputed value is always shown in its sentence."""
    text = " ".join(citation_text.split())
    at = text.find(" ".join(value.split()))
    if at < 0 or at + len(value) <= limit - 1:
        return first_words(text, limit)
    start = max(0, at - (limit - len(value)) // 2)
    start = text.find(" ", start) + 1 if start > 0 and text[start - 1] != " " else start
    window = text[start : start + limit]
    if start + limit < len(text):
        window = window.rsplit(" ", 1)[0] + "…"
    return ("…" if start > 0 else "") + window


def tally(values: tuple[ConflictValue, ...]) -> str:
    """Every value with how many sources give it, most first: "2 sources: June 1999 · 1 source: June 1998"."""
    ranked = sorted(values, key=lambda v: -len({e.article_id for e in v.evidence}))
    return " · ".join(f"{source_count(v)}: {v.value}" for v in ranked)


def source_count(value: ConflictValue) -> str:
    """How many sources give a disputed value ("2 sources")."""
    return plural(len({e.article_id for e in value.evidence}), "source")


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    evidence: Evidence
    article: Article | None

    @property
    def quote(self) -> str:
        """The cited text, or a note when the article is not available."""
        if self.article is None:
            return f"(article {self.evidence.article_id} is not available)"
        return self.article.text[self.evidence.start : self.evidence.end]

    def context(self, width: int = 160) -> tuple[str, str, str]:
        """(text before, the span, text after), each cut to a readable length."""
        if self.article is None:
            return "", self.quote, ""
        text, start, end = self.article.text, self.evidence.start, self.evidence.end
        before = text[max(0, start - width) : start]
        after = text[end : end + width]
        return ("…" + before.split(" ", 1)[-1] if start > width else before), text[start:end], after

    @property
    def source_label(self) -> str:
        if self.article is None:
            return self.evidence.article_id
        outlet = self.article.outlet or "unnamed outlet"
        return f"{outlet} — {self.article.title}"


class Citations:
    """Assigns numbers to spans as the renderer meets them; the same span always gets the same number."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self.articles = articles
        self._numbers: dict[Evidence, int] = {}

    def numbers(self, spans: Iterable[Evidence]) -> list[int]:
        out = []
        for span in spans:
            if span not in self._numbers:
                self._numbers[span] = len(self._numbers) + 1
            out.append(self._numbers[span])
        return out

    def of(self, item: BriefItem) -> list[int]:
        return self.numbers(item.evidence)

    def text_of(self, span: Evidence) -> str:
        """The text a span cites ("" when its article is not available)."""
        article = self.articles.get(span.article_id)
        return article.text[span.start : span.end] if article else ""

    def all(self) -> list[Citation]:
        return [Citation(n, span, self.articles.get(span.article_id)) for span, n in self._numbers.items()]
