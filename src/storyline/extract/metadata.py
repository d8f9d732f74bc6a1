"""Metadata voting: every source proposes values for a field; the best-supported value wins.

A candidate's weight is the reliability of its source (table `SOURCE_WEIGHTS`). Candidates are grouped by
normalized value; a group's score is the sum of its weights. The winner is the highest score (ties go to the
group holding the single most reliable source). Its confidence is

    confidence = (winner score / total score of all candidates for the field) * max weight in the winning group

so one reliable source alone gives its own weight, agreement adds nothing beyond the best source's weight, and
disagreement lowers confidence in proportion to the support the other values have.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SOURCE_WEIGHTS", "Candidate", "Vote", "normalize_key", "vote"]

SOURCE_WEIGHTS = {
    "jsonl": 1.0,  # the user's own record
    "feed": 0.9,
    "json-ld": 0.9,
    "byline": 0.85,
    "meta": 0.8,
    "title-line": 0.75,
    "htmldate": 0.7,
    "html-title": 0.6,
    "chrome": 0.6,
    "trafilatura": 0.5,
    "dateline": 0.5,
    "url": 0.4,
    "html-lang": 0.4,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    field: str
    value: str | tuple[str, ...]
    source: str

    @property
    def weight(self) -> float:
        return SOURCE_WEIGHTS[self.source]


@dataclass(frozen=True, slots=True)
class Vote:
    value: str | tuple[str, ...]
    source: str
    confidence: float


def normalize_key(value: str | tuple[str, ...], field: str) -> str:
    """The key under which equal values group: case- and spacing-insensitive; dates compare by day."""
    if isinstance(value, tuple):
        return "|".join(sorted(normalize_key(v, field) for v in value))
    text = unicodedata.normalize("NFKC", value).casefold()
    text = re.sub(r"\s+", " ", text).strip(" .,;:-–—|")
    if field == "published":
        return text[:10]
    if field == "outlet":
        text = re.sub(r"^the ", "", text)
        text = re.sub(r"\.(?:com|org|net|co\.uk|io|news)$", "", text)
    return text


def vote(candidates: Iterable[Candidate]) -> dict[str, Vote]:
    """Pick one value per field. Returns {field: Vote}."""
    by_field: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.value:
            by_field.setdefault(candidate.field, []).append(candidate)
    result: dict[str, Vote] = {}
    for field, options in by_field.items():
        groups: dict[str, list[Candidate]] = {}
        for candidate in options:
            groups.setdefault(normalize_key(candidate.value, field), []).append(candidate)
        total = sum(c.weight for c in options)

        def strength(group: list[Candidate]) -> tuple[float, float]:
            return (sum(c.weight for c in group), max(c.weight for c in group))

        winner = max(groups.values(), key=strength)
        best = max(winner, key=lambda c: c.weight)
        score, top = strength(winner)
        result[field] = Vote(best.value, best.source, round(score / total * top, 3))
    return result
