"""Credit lines: the sources an article says it took its reporting from.

Recognized forms (case-insensitive cues, capitalized names):
- "first reported by X in Y", "originally published in Y", "as first reported by Y" (X a person, Y an outlet);
- "Source reporting: Y", "Source: Y", "Sources: Y, Z";
- "via Y" closing a sentence, a line or a parenthesis ("(via The Verge)");
- wire datelines: "WASHINGTON (Reuters) -";
- "This article originally appeared on Y", "Republished from Y", "Reprinted with permission from Y";
- a byline near the top that names an outlet other than the article's own: "Interconnects · Nathan Lambert ·
  2026-06-19", "By Jane Doe | Reuters".

Each credit carries the span of the phrase that makes it (`Evidence` into `Article.text`).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline.records import Article, Credit, Evidence

__all__ = ["find_credits"]

NAME_WORD = r"[A-Z0-9](?:[\w&'’\-]|\.(?=\w))*"
NAME = rf"(?:[Tt]he\s+)?{NAME_WORD}(?:[ \t]+(?:of|and|&|for|de|du|la|der|[Tt]he|on)?[ \t]*{NAME_WORD}){{0,5}}"
SEP = r"\s*(?:,|;|\band\b|&)\s*"

# "on the Russian page of the 'Caucasian Knot'": the outlet follows the part of it that ran the text.
PART_OF = (
    r"(?P<part>(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:page|pages|site|website|edition|section|service|blog|desk|channel)"
    r"\s+(?:of|at|on)\s+)?(?:the\s+)?[\"'“‘«]?"
)
_TRAILING_DATE = re.compile(
    r"\s+(?:on|in|at)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|May|June|July|August|September|October|November|December)\b.*$"
)

FIRST_REPORTED = re.compile(
    rf"\b(?i:first|originally|initially)\s+(?i:reported|published|appeared|posted|broke)\s+(?i:by|in|on|at)\s+"
    rf"{PART_OF}(?P<a>{NAME})(?:\s+(?:in|on|at|for)\s+(?P<b>{NAME}))?"
)
ORIGINALLY_APPEARED = re.compile(
    rf"\b(?i:(?:this\s+(?:article|story|piece|post)\s+(?:was\s+)?)?(?:originally|first)\s+"
    rf"(?:appeared|published|ran)\s+(?:in|on|at)|republished\s+(?:from|with\s+permission\s+from)"
    rf"|reprinted\s+(?:with\s+permission\s+)?from)\s+{PART_OF}(?P<a>{NAME})"
)
# The names must close the line (or the sentence): "Sources: Sox May Not Be Out Of Teixeira Chase" is a headline.
SOURCE_LINE = re.compile(
    rf"\b(?i:source(?:s|\s+reporting)?)\s*:[ \t]*(?P<a>{NAME}(?:{SEP}{NAME})*)(?=[ \t]*(?:[.)\]][ \t]*)?$)",
    re.MULTILINE,
)
VIA = re.compile(rf"\b(?i:via)\s+(?P<a>{NAME})(?=\s*(?:[.)\]]|$))", re.MULTILINE)
DATELINE = re.compile(rf"\((?P<a>{NAME})\)\s*[-–—]\s")
BYLINE_SPLIT = re.compile(r"\s+[·•|]\s+|\s+[–—]\s+")
BY_PREFIX = re.compile(rf"^\s*[Bb]y\s+(?P<p>{NAME})\s*(?:,|\||/|[–—]|\bfor\b)\s*(?P<a>{NAME})\s*$")
DATE_PART = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\b(?:19|20)\d\d\b|\b\d{1,2}\s*(?:h|min)\b")
_OUTLET_WORDS_TEXT = """
    news times post press journal herald tribune guardian gazette daily weekly wire watch media network
    magazine review report reuters bloomberg associated agency afp ap bbc cnn npr radio tv television
    interconnects interconnected substack newsletter blog monitor observer telegraph independent economist
    insider verge wired axios politico"""
OUTLET_WORDS = frozenset(_OUTLET_WORDS_TEXT.split())
CAPITALIZED = re.compile(r"^[A-Z][a-z’'\-]+$")


@dataclass(frozen=True, slots=True)
class _Found:
    name: str
    kind: str
    start: int
    end: int
    cue: str = ""


def _clean(name: str) -> str:
    """The name with spacing collapsed, quotes and punctuation trimmed, a trailing "on Monday" dropped."""
    return _TRAILING_DATE.sub("", re.sub(r"\s+", " ", name)).strip(" .,;:'’\"”“")


def _looks_like_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 3 or any(w.lower().strip(".") in OUTLET_WORDS for w in words):
        return False
    return all(CAPITALIZED.match(w) for w in words)


def _kind(name: str) -> str:
    return "person" if _looks_like_person(name) else "outlet"


def _phrase_credits(text: str) -> Iterator[_Found]:
    for match in FIRST_REPORTED.finditer(text):
        first, second = match.group("a"), match.group("b")
        kind = "outlet" if match.group("part") else _kind(_clean(first))  # "the website of X": X is an outlet
        yield _Found(_clean(first), kind, match.start(), match.end(), "reported")
        if second:
            yield _Found(_clean(second), "outlet", match.start(), match.end(), "reported")
    for pattern, cue in ((ORIGINALLY_APPEARED, "appeared"), (VIA, "via"), (DATELINE, "dateline")):
        for match in pattern.finditer(text):
            yield _Found(_clean(match.group("a")), "outlet", match.start(), match.end(), cue)
    for match in SOURCE_LINE.finditer(text):
        for name in re.split(SEP, match.group("a")):
            if _clean(name):
                yield _Found(_clean(name), _kind(_clean(name)), match.start(), match.end(), "source")


def _byline_credits(article: Article, lines_to_read: int = 4) -> Iterator[_Found]:
    offset = 0
    own = (article.outlet or "").strip().lower()
    for index, line in enumerate(article.text.split("\n")[: lines_to_read + 1]):
        start, offset = offset, offset + len(line) + 1
        if index == 0 or len(line) > 120 or not line.strip():
            continue
        match = BY_PREFIX.match(line)
        if match:
            name = _clean(match.group("a"))
            if name.lower() != own and not _looks_like_person(name):
                yield _Found(name, "outlet", start, start + len(line), "byline")
            continue
        parts = [p.strip() for p in BYLINE_SPLIT.split(line.strip())]
        if len(parts) < 2 or not any(DATE_PART.search(p) or _looks_like_person(p) for p in parts):
            continue
        outlets = [
            _clean(p)
            for p in parts
            if not DATE_PART.search(p)
            and not _looks_like_person(p)
            and re.fullmatch(NAME, p)
            and len(p.split()) <= 4
            and _clean(p).lower() != own
        ]
        people = [p for p in parts if _looks_like_person(p)] if outlets else []
        for name in outlets:
            yield _Found(name, "outlet", start, start + len(line), "byline")
        for name in people:
            yield _Found(name, "person", start, start + len(line), "byline")


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n.,;:-–—":
        end -= 1
    return end


def find_credits(article: Article) -> tuple[Credit, ...]:
    """Every source the article credits, with the span of the crediting phrase, in text order."""
    kept: list[_Found] = []
    found = sorted([*_phrase_credits(article.text), *_byline_credits(article)], key=lambda f: (f.start, -f.end))
    own = (article.outlet or "").strip().lower()
    for item in found:
        if not item.name or item.name.lower() == own:
            continue
        if any(k.name.lower() == item.name.lower() and k.start < item.end and item.start < k.end for k in kept):
            continue
        kept.append(item)
    out = [
        Credit(k.name, k.kind, Evidence(article.id, k.start, _trim(article.text, k.start, k.end)), k.cue) for k in kept
    ]
    return tuple(out)
