"""Coverage of a story: how many articles, from whom, in which languages (and how many in each), over what time,
how fast, how noisy.

Noise is the share of the coverage that repeats other coverage instead of adding reporting:

    noise = (syndicated_copies + 0.5 * derivatives) / articles

A syndicated copy adds nothing new (weight 1); a derivative rewrite adds framing but no reporting of its own
(weight 0.5); originals and independent reports add none. 0 means every article is its own reporting, values
near 1 mean the story is mostly copies. Velocity is articles per day between the first and last dated
article, with the span floored at one day; it is 0.0 when no article has a date.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import Coverage

__all__ = ["NOISE_FORMULA", "CoverageInput", "compute_coverage", "language_counts", "noise_level", "parse_time"]

NOISE_FORMULA = "(syndicated_copies + 0.5 * derivatives) / articles"


@dataclass(frozen=True, slots=True)
class CoverageInput:
    """What coverage needs of one story member."""

    role: str
    outlet: str | None
    language: str | None
    published: str | None


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date or datetime as an aware UTC datetime (naive values are taken as UTC); None if unparsable."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def noise_level(roles: Sequence[str]) -> float:
    """The noise formula above, over member roles (0.0 for an empty story)."""
    if not roles:
        return 0.0
    copies = sum(role == "syndicated_copy" for role in roles)
    derivatives = sum(role == "derivative" for role in roles)
    return round((copies + 0.5 * derivatives) / len(roles), 4)


def compute_coverage(members: Sequence[CoverageInput]) -> Coverage:
    """Counts, outlets, languages (with articles per language), first/last seen, velocity and noise of a story's
    members."""
    dated = sorted(
        ((t, m.published) for m in members if (t := parse_time(m.published)) is not None), key=lambda x: x[0]
    )
    first = dated[0][1] if dated else None
    last = dated[-1][1] if dated else None
    velocity = 0.0
    if dated:
        span_days = (dated[-1][0] - dated[0][0]).total_seconds() / 86400.0
        velocity = round(len(dated) / max(span_days, 1.0), 4)
    return Coverage(
        articles=len(members),
        outlets=tuple(sorted({m.outlet for m in members if m.outlet})),
        languages=tuple(sorted({m.language for m in members if m.language})),
        first_seen=first,
        last_seen=last,
        velocity=velocity,
        noise=noise_level([m.role for m in members]),
        noise_formula=NOISE_FORMULA,
        language_counts=language_counts([m.language for m in members]),
    )


def language_counts(languages: Sequence[str | None]) -> tuple[tuple[str, int], ...]:
    """Articles per known language, most first (ties by code): ("en", 3), ("zh", 1)."""
    counts = Counter(language for language in languages if language)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
