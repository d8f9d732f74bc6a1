"""Time expressions (TIMEX3 DATE, TIME, DURATION, SET) normalized against the publication date, and dated events.

`find_times` runs every rule of `timex_rules` over the text, drops matches that fail a context check (a year that
is a count, "may" the verb), keeps the longest of overlapping matches, then normalizes them in document order so
that "two days later" can count from the date found before it.

Weekday rule: "last Friday" is the latest Friday strictly before the anchor, "next Friday" the first strictly
after it, "this Friday" the one in the anchor's week. A bare "Friday" follows the tense of its sentence, read
from the tense marker nearest to it (see `timex_tense`): past ("was", "-ed", "said Friday") -> the latest Friday
on or before the anchor; future ("will", "is scheduled to") -> the first on or after it; no marker -> the nearest.

Other missing years: a month or month-day without a year ("in March", "June 19") takes the occurrence nearest
the anchor when it is within 45 days, else the one the tense points to (the nearest without tense). A quarter
without a year ("the third quarter") is the latest one up to the anchor's quarter, unless the sentence is in the
future tense: news reports on quarters that have ended.

Other languages (de fr es it nl pt pl ru zh ja ar) are read by `timex_locale` instead: patterns built from
dateparser's locale data, restricted to expressions that name a month, a weekday, a full numeric date or a
relative day. English, and any language without such data, keeps the rules above.
"""

import bisect
import datetime
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.analyze.languages import primary_code
from storyline.analyze.sentences import split_sentences
from storyline.analyze.timex_guards import check_match
from storyline.analyze.timex_locale import LOCAL_LANGUAGES, find_local_times, method_name
from storyline.analyze.timex_normalize import Context
from storyline.analyze.timex_relative import HANDLERS
from storyline.analyze.timex_rules import DIGITS, RULES, Rule
from storyline.analyze.timex_tense import TenseReader
from storyline.records import Event, Sentence, TimeExpression

__all__ = ["find_events", "find_times", "times_method"]

logger = logging.getLogger(__name__)

_WINDOW = 100  # characters around a trigger word that a rule's full pattern searches
_WORD = re.compile(r"\w+")
_SPECIFIC = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]


def times_method(language: str | None) -> str:
    """What reads the times of `language`, for `Analysis.analyzers`."""
    if primary_code(language) in LOCAL_LANGUAGES:
        return method_name()
    return "times:timex-rules-en"


def find_times(text: str, anchor: datetime.date | None, language: str | None = None) -> list[TimeExpression]:
    """Find and normalize the time expressions of `text` against `anchor` (the publication date).

    Relative expressions ("yesterday", "last month", "Friday") count from `anchor`; without one they get
    unanchored values such as `XXXX-06-19` or `XXXX-XX-XX`. `language` picks the rules (None: English).
    """
    if isinstance(anchor, datetime.datetime):
        anchor = anchor.date()
    if primary_code(language) in LOCAL_LANGUAGES:
        return find_local_times(text, anchor, language)
    chosen = _select(_candidates(text))
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    context = Context(anchor)
    tenses = TenseReader(text)
    current_sentence = -1
    found: list[TimeExpression] = []
    for candidate in chosen:
        index = max(bisect.bisect_right(starts, candidate.start) - 1, 0)
        if index != current_sentence:
            current_sentence = index
            context.sentence_references = []
        sentence = sentences[index] if sentences else Sentence(0, len(text))
        context.tense = tenses.tense(sentence.start, sentence.end, candidate.start, candidate.end)
        context.is_reference = True
        result = HANDLERS[candidate.rule.name](candidate.match, context)
        if result is None:
            continue
        kind, value = result
        found.append(TimeExpression(text[candidate.start : candidate.end], candidate.start, candidate.end, kind, value))
        if kind in ("DATE", "TIME") and value[:1].isdigit() and context.is_reference:
            context.references.append(value)
            context.sentence_references.append(value)
    return found


def _candidates(text: str) -> list[_Candidate]:
    candidates = []
    windows = _rule_windows(text)
    for rule in RULES:
        for low, high in windows.get(rule.name, ()):
            for match in rule.pattern.finditer(text, low, high):
                # A match touching a window's edge could be cut short there: drop it (none is that long).
                if (match.start() == low and low > 0) or (match.end() == high and high < len(text)):
                    continue
                span = check_match(rule.name, match, text)
                if span is not None:
                    candidates.append(_Candidate(span[0], span[1], rule, match))
    return candidates


def _rule_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each rule, the stretches of text around its trigger words: its full pattern only searches there.

    One pass over the words with a dictionary lookup is much cheaper than running ~35 patterns with long
    alternations over the whole text.
    """
    positions: dict[str, list[int]] = {}
    for token in _WORD.finditer(text):
        word = token.group().lower()
        names = _TRIGGERED.get(word)
        if names is None and not word.isalpha():
            names = _TRIGGERED.get(DIGITS)
        for name in names or ():
            positions.setdefault(name, []).append(token.start())
    windows: dict[str, list[tuple[int, int]]] = {}
    for name, starts in positions.items():
        merged: list[tuple[int, int]] = []
        for start in starts:
            low, high = max(0, start - _WINDOW), min(len(text), start + _WINDOW)
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
        windows[name] = merged
    return windows


def _trigger_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for rule in RULES:
        for word in rule.triggers:
            index.setdefault(word, []).append(rule.name)
    return {word: tuple(names) for word, names in index.items()}


_TRIGGERED = _trigger_index()  # word -> names of the rules it triggers (built once, read-only)


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest of overlapping candidates (then the rule with the lower priority number)."""
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, c.rule.priority, c.start))
    taken: list[tuple[int, int]] = []
    chosen: list[_Candidate] = []
    for candidate in ordered:
        position = bisect.bisect_left(taken, (candidate.start, candidate.end))
        before = taken[position - 1] if position else None
        after = taken[position] if position < len(taken) else None
        if before is not None and before[1] > candidate.start:
            continue
        if after is not None and after[0] < candidate.end:
            continue
        taken.insert(position, (candidate.start, candidate.end))
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _event_date(time: TimeExpression) -> str | None:
    """The calendar date a time expression places on a timeline: YYYY, YYYY-MM or YYYY-MM-DD, or None."""
    if time.type not in ("DATE", "TIME"):
        return None
    date_part = time.value.partition("T")[0]
    return date_part if _SPECIFIC.fullmatch(date_part) else None


def find_events(text: str, sentences: Sequence[Sentence], times: Sequence[TimeExpression]) -> list[Event]:
    """One Event per sentence that holds a specific DATE or TIME (a year, a month or a day).

    The event's `date` is the ISO date of the most specific such expression in the sentence (the first one on a
    tie); for a TIME it is the date part. Durations, sets, PRESENT_REF/PAST_REF, weeks, quarters and unanchored
    values never date a sentence.
    """
    dated = sorted((t for t in times if _event_date(t) is not None), key=lambda t: t.start)
    starts = [t.start for t in dated]
    events = []
    for sentence in sentences:
        first = bisect.bisect_left(starts, sentence.start)
        last = bisect.bisect_left(starts, sentence.end)
        best: TimeExpression | None = None
        for time in dated[first:last]:
            if best is None or len(_event_date(time) or "") > len(_event_date(best) or ""):
                best = time
        if best is not None:
            date = _event_date(best) or ""
            events.append(Event(date, text[sentence.start : sentence.end], sentence.start, sentence.end, best))
    return events
