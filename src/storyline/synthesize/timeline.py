"""The brief's timeline: dated events across a story's sources, deduplicated, ranked, sorted by date.

Where items come from:

* dated sentences (`Analysis.events`): each is a candidate on its ISO date ("1983", "2026-06", "2026-06-19"),
  unless it is a dateline or a generic present on its article's publication date (see `date_ranking`);
* a source's own timeline section (a heading such as "Timeline", "Chronology", "Key dates", "How we got here"):
  each entry, either an entry heading with the paragraph under it or a single line, is a candidate. Its date is
  the most specific calendar date among the time expressions inside it, and None when there is none: a date is
  never invented. Dated sentences inside such an entry are not counted a second time.

Deduplication: candidates on the same date whose content words overlap (shared words over the smaller set) by
`dedup_threshold` or more are one item. An undated entry joins a dated item (or an earlier undated one) when
its overlap reaches `undated_threshold`, and then counts for that date as a dated entry would. An item's evidence
lists one span per source, its representative (the heaviest mention) first, and `support` is the number of
distinct source articles. The item's text is the representative's span exactly as written (for an entry with a
heading: the heading, the paragraph break, and the paragraph).

Selection: dates are ranked by `rank_dates` (the scores of `date_ranking`, the same code bench/timeline.py
measures); the best `per_date` items of each date are taken in rank order until `max_items`. Order: dated items
by date, where a coarser date sorts before the finer dates inside it ("2026" < "2026-06" < "2026-06-19"), then up
to `max_undated` undated items in their sources' order (sources in story order, entries in text order).
"""

import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile

from storyline.records import BriefItem, Evidence, TimeExpression
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.candidates import is_noise, report_end
from storyline.synthesize.date_ranking import (
    CentralTerms,
    DateMention,
    RankingSettings,
    content_words,
    day_lag,
    event_mention,
    mention_weight,
    rank_dates,
    story_words,
)
from storyline.synthesize.page_marks import leading_marks
from storyline.synthesize.ties import settled

__all__ = ["TimelineSettings", "build_timeline", "find_chronology"]

logger = logging.getLogger(__name__)

_LINE = re.compile(r"[^\n]+")
_SPECIFIC = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")
_CHRONOLOGY_HEADING = re.compile(
    r"(?:(?:a|the)\s+)?(?:brief\s+|short\s+|full\s+)?"
    r"(?:(?:[\w'’-]+\s+){0,4}(?:timeline|chronology)(?:\s+of\s+.{1,60}|\s*[:—–-]\s*.{1,60})?"
    r"|key\s+(?:dates|events|moments)|how\s+we\s+got\s+here|how\s+it\s+(?:unfolded|happened)"
    r"|what\s+happened\s+when|the\s+story\s+so\s+far|milestones)\s*:?",
    re.IGNORECASE,
)
# Headings of the sections that commonly follow a timeline: they end it even when they look like an entry.
_SECTION_END = re.compile(
    r"(?:why\s+(?:it|this)\s+matters|what(?:'s|’s|\s+is|\s+comes|\s+happens)\s+next|key\s+(?:points|takeaways)"
    r"|related(?:\s+\w+)?|read\s+more|more\s+(?:on|about)\s+.{1,40}|analysis|background|context|sources?"
    r"|forecast|outlook|the\s+bottom\s+line|bottom\s+line|comments?|discussion|join\s+the\s+discussion)\s*:?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"\s*(?:[-–—•*·▪●◦]|\d{1,2}[.)])\s+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LED = re.compile(
    rf"\s*(?:[-–—•*·▪●◦]\s*)?(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}\b|{_MONTH}\s+\d{{4}}|\d{{4}}\b|\d{{1,2}}/\d{{1,2}}\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", "’", "…")
_HEADING_WORDS = 12
_HEADING_CHARS = 90


@dataclass(frozen=True, slots=True)
class TimelineSettings:
    """How many timeline items, and when two sentences are the same item."""

    max_items: int = 12  # dated items kept (the best-ranked dates)
    per_date: int = 2  # distinct items kept for one date
    max_undated: int = 8  # undated timeline-section entries kept after the dated items
    dedup_threshold: float = 0.5  # word overlap at which two sentences on the same date are one item
    undated_threshold: float = 0.6  # word overlap at which an undated entry joins another item (no date to agree)
    ranking: RankingSettings = field(default_factory=RankingSettings)


@dataclass(frozen=True, slots=True)
class _Candidate:
    source: int  # index of the source in the story
    start: int
    end: int
    date: str | None
    words: frozenset[str]
    mention: DateMention | None  # None for an undated entry
    weight: float = 0.0


@dataclass(slots=True)
class _Group:
    """Candidates that say the same thing; the first one is the representative."""

    members: list[_Candidate]

    @property
    def head(self) -> _Candidate:
        return self.members[0]

    @property
    def support(self) -> int:
        return len({m.source for m in self.members})

    def overlap(self, words: frozenset[str]) -> float:
        return max(_overlap(m.words, words) for m in self.members)


def build_timeline(
    story: StoryInput, settings: TimelineSettings = TimelineSettings(), prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """The timeline items of a story: dated items sorted by date, then undated entries in source order.

    Args:
        story: the story's sources with their analyses.
        settings: how many items and the dedup thresholds.
        prefer: indexes of the sources in the language asked for (`--language`): on each date, items one of
            them states come first, and an item is worded by such a source when one states it; their undated
            entries come before the others'. Which dates are shown does not change.

    Returns:
        BriefItems with `date` (ISO, or None for undated entries), `support` (distinct sources) and one evidence
        span per supporting source.
    """
    central = CentralTerms(
        [story_words(s.article.text) for s in story.sources], [story_words(s.article.title) for s in story.sources]
    )
    candidates = [
        _weighted(c, central, settings.ranking) for i, s in enumerate(story.sources) for c in _candidates(i, s)
    ]
    dated = _group_dated([c for c in candidates if c.date is not None], settings.dedup_threshold)
    undated = _merge_undated([c for c in candidates if c.date is None], dated, settings.undated_threshold)
    mentions = [c.mention for c in candidates if c.mention is not None] + _joined_entries(dated)
    ranked = [date for date, _ in rank_dates(mentions, central, settings.ranking)]
    chosen = [_led_by(g, prefer) for g in _select(dated, ranked, settings, prefer)]
    chosen.sort(key=lambda g: (g.head.date or "", g.head.source, g.head.start))
    if prefer:
        undated.sort(key=lambda g: not any(m.source in prefer for m in g.members))
    undated = [_led_by(g, prefer) for g in undated[: settings.max_undated]]
    items = [_item(g, story.sources) for g in chosen + undated]
    logger.debug("timeline of %s: %d candidates, %d items", story.story_id, len(candidates), len(items))
    return items


def _weighted(candidate: _Candidate, central: CentralTerms, ranking: RankingSettings) -> _Candidate:
    if candidate.mention is None:
        return candidate
    return replace(candidate, weight=mention_weight(candidate.mention, central, ranking))


def _candidates(index: int, source: SourceArticle) -> Iterator[_Candidate]:
    """The timeline-section entries of one source, then its dated sentences outside those entries."""
    article, analysis = source.article, source.analysis
    report = report_end(source)  # the comments and what follows a closing credit line date nothing of the story
    entries = [(start, end) for start, end in find_chronology(article.text) if start < report]
    for start, end in entries:
        words = story_words(article.text[start:end])
        date = _entry_date(analysis.times, start, end)
        mention = None
        if date is not None:
            mention = DateMention(date, index, words, curated=True, lag=day_lag(date, article.published))
        yield _Candidate(index, start, end, date, words, mention)
    for event in analysis.events:
        if event.start >= report or any(start <= event.start < end for start, end in entries):
            continue
        if is_noise(event.text):  # a credit line, a reader's question, a page's stamp run into a sentence
            continue
        begin = leading_marks(article.text, event.start, event.end)  # a byline or a page's stamp run into it
        if event.time.start < begin:
            continue  # dated by the page's stamp, not by an event
        found = event_mention(event, event.start, index, article.published)
        if found is not None:
            yield _Candidate(index, begin, event.end, event.date, found.words, found)


def _entry_date(times: Sequence[TimeExpression], start: int, end: int) -> str | None:
    """The most specific calendar date (YYYY, YYYY-MM, YYYY-MM-DD) written in [start, end), the first on a tie."""
    best: str | None = None
    for time in times:
        if not (start <= time.start and time.end <= end) or time.type not in ("DATE", "TIME"):
            continue
        date = time.value.partition("T")[0]
        if _SPECIFIC.fullmatch(date) and (best is None or len(date) > len(best)):
            best = date
    return best


def _group_dated(candidates: Sequence[_Candidate], threshold: float) -> list[_Group]:
    """Same date and overlapping words: one group. Heavier candidates (then earlier sources) lead their group."""
    groups: dict[str, list[_Group]] = {}
    for candidate in sorted(candidates, key=lambda c: (-settled(c.weight), c.source, c.start)):
        same_date = groups.setdefault(candidate.date or "", [])
        match = next((g for g in same_date if g.overlap(candidate.words) >= threshold), None)
        if match is None:
            same_date.append(_Group([candidate]))
        else:
            match.members.append(candidate)
    return [g for same_date in groups.values() for g in same_date]


def _merge_undated(candidates: Sequence[_Candidate], dated: Sequence[_Group], threshold: float) -> list[_Group]:
    """Undated entries join the dated group (else the earlier undated group) they overlap most; others stay."""
    undated: list[_Group] = []
    for candidate in sorted(candidates, key=lambda c: (c.source, c.start)):
        match = _best_match(dated, candidate.words, threshold) or _best_match(undated, candidate.words, threshold)
        if match is None:
            undated.append(_Group([candidate]))
        else:
            match.members.append(candidate)
    return undated


def _joined_entries(groups: Sequence[_Group]) -> list[DateMention]:
    """An undated entry that joined a dated group is its source's own (curated) mention of that date."""
    return [
        DateMention(g.head.date or "", m.source, m.words, curated=True)
        for g in groups
        for m in g.members
        if m.mention is None
    ]


def _best_match(groups: Sequence[_Group], words: frozenset[str], threshold: float) -> _Group | None:
    scored = [(g.overlap(words), i) for i, g in enumerate(groups)]
    best, index = max(scored, default=(0.0, -1))
    return groups[index] if index >= 0 and best >= threshold else None


def _select(
    groups: Sequence[_Group], ranked: Sequence[str], settings: TimelineSettings, prefer: frozenset[int] = frozenset()
) -> list[_Group]:
    """The best `per_date` groups of each date, dates in rank order, until `max_items` (on a date, groups that
    a `prefer` source states first)."""
    by_date: dict[str, list[_Group]] = {}
    for group in groups:
        by_date.setdefault(group.head.date or "", []).append(group)
    chosen: list[_Group] = []

    def later(group: _Group) -> bool:
        return bool(prefer) and not any(m.source in prefer for m in group.members)

    for date in ranked:
        best = sorted(
            by_date.get(date, ()),
            key=lambda g: (later(g), -g.support, -settled(g.head.weight), g.head.source, g.head.start),
        )
        chosen += best[: settings.per_date]
        if len(chosen) >= settings.max_items:
            return chosen[: settings.max_items]
    return chosen


def _led_by(group: _Group, prefer: frozenset[int]) -> _Group:
    """`group` with its first member from a `prefer` source (of the group's date: an undated entry that joined a
    dated item does not word it) as its representative; the group itself when there is none."""
    if not prefer or group.head.source in prefer:
        return group
    first = next((m for m in group.members if m.source in prefer and m.date == group.head.date), None)
    if first is None:
        return group
    return _Group([first, *(m for m in group.members if m is not first)])


def _item(group: _Group, sources: Sequence[SourceArticle]) -> BriefItem:
    """One item: the representative's text, then one span per source (each source's first member)."""
    head = group.head
    first_by_source: dict[int, _Candidate] = {}
    for member in group.members:
        first_by_source.setdefault(member.source, member)
    evidence = tuple(Evidence(sources[m.source].article.id, m.start, m.end) for m in first_by_source.values())
    text = sources[head.source].article.text[head.start : head.end]
    return BriefItem(text=text, evidence=evidence, support=len(first_by_source), date=head.date)


def _overlap(one: frozenset[str], other: frozenset[str]) -> float:
    if not one or not other:
        return 0.0
    return len(one & other) / min(len(one), len(other))


# --- a source's own timeline section ------------------------------------------------------------------------


def find_chronology(text: str) -> list[tuple[int, int]]:
    """The entries of the timeline sections of `text`, as (start, end) character spans.

    A timeline section starts at a heading line such as "Timeline", "Chronology", "Key dates", "How we got here"
    or "Brexit timeline". Its entries are either headed (an entry heading line, then the paragraph under it) or
    lines (a line that starts with a date, a bullet, or any sentence line). The section ends at the first line
    that breaks its pattern: a heading followed by another heading, a paragraph without an entry heading, a
    heading among line entries, a heading of a section that usually follows ("Why it matters", "What's next",
    "Related"), or page furniture: an entry without a digit that shares no content word with the rest of the text
    ("Share your view" + "Comments are open to subscribers.").
    """
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    counts = Counter(content_words(text))
    entries: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(lines):
        if _is_chronology_heading(text[start:end]):
            section = _section_entries(text, lines[index + 1 :])
            entries += list(takewhile(lambda span: _shares_words(text[span[0] : span[1]], counts), section))
    return entries


def _is_chronology_heading(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= 80 and _CHRONOLOGY_HEADING.fullmatch(stripped) is not None


def _section_entries(text: str, lines: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    entries: list[tuple[int, int]] = []
    mode: str | None = None  # "headed" or "lines", fixed by the first entry
    index = 0
    while index < len(lines):
        line = text[lines[index][0] : lines[index][1]]
        if _SECTION_END.fullmatch(line.strip()):
            break
        following = text[lines[index + 1][0] : lines[index + 1][1]] if index + 1 < len(lines) else None
        if mode != "lines" and _is_heading(line) and following is not None and _is_entry_body(following):
            entries.append(_strip(text, (lines[index][0], lines[index + 1][1])))
            mode, index = "headed", index + 2
        elif mode != "headed" and (not _is_heading(line) or _DATE_LED.match(line) or _BULLET.match(line)):
            entries.append(_strip(text, lines[index]))
            mode, index = "lines", index + 1
        else:
            break
    return entries


def _shares_words(entry: str, counts: Counter[str]) -> bool:
    """True when `entry` writes a number or date, or one of its content words occurs elsewhere in the text.

    This ends a section at page furniture that looks like an entry ("Share your view" + "Comments are open.").
    """
    if any(character.isdigit() for character in entry):
        return True
    own = Counter(content_words(entry))
    return any(counts[word] > count for word, count in own.items())


def _is_heading(line: str) -> bool:
    """A short line without closing punctuation: an entry heading, or the next section's heading."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= _HEADING_CHARS
        and len(stripped.split()) <= _HEADING_WORDS
        and not stripped.endswith(_TERMINAL)
        and _BULLET.match(stripped) is None
    )


def _is_entry_body(line: str) -> bool:
    """The paragraph under an entry heading: prose, not another heading, not a dated line of its own."""
    return not _is_heading(line) and _DATE_LED.match(line) is None and _BULLET.match(line) is None


def _strip(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without surrounding white space."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
