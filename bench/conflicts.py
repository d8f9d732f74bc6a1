"""Conflicts between sources: recall of planted disagreements, and what the detector says about harmless edits.

The evaluation set is generated at bench time from real multi-source stories (nothing is stored): NeuS val (3
outlets' headline + lead per story) and ECB+ train/dev (articles grouped by sub-topic, at most `MAX_ARTICLES`
per story). Stories are split into two halves by a hash of the story id, "dev" and "heldout"; the detector is
tuned on dev only, and both halves are always reported.

Every article is extracted and analysed once (title as the first line). A *shared fact* of a story is a value
that two or more of its articles state: a number (same normalized value and unit; bare years and 0/1 left out),
a person (a PERSON whose surname is a PERSON in another article), a date (a weekday or month-day expression with
the same normalized value) or a place (a GPE/LOC written the same way in another article).

Every story is evaluated untouched, and once more for every edit it can take (each planted kind, each control),
one edit at a time. (With `--limit N` the set is a sample instead: each story serves at most one purpose, a
seeded assignment of `UNTOUCHED` stories first, drawn at random, then the scarcest categories first. The
sample's figures swing with the draw: the detector of 2026-12-06 made 0.75 false conflicts per 10 untouched
stories on the 40-story dev sample and 2.42 on all 190 dev stories.) The edits:

* planted conflict: one shared fact is changed in ONE article that states it (never the story's earliest
  article stating it), consistently for every mention of that fact in that article, as a different outlet
  would have it: a number scaled by 1.3-2.5 or cut by 30-60 % in the same writing style (digits, commas,
  decimals, trailing zeros, number words); a person replaced by a different person named in another story
  (full name, surname and first-name mentions); a date moved by one to three days (weekday and day of the
  month); a place replaced by a place of the same label (GPE/LOC) named in another story. Replacement names
  are names that two articles of their own story tag alike. The sentence is also reworded near the value as a
  copy editor would (a synonym for one or two nearby words, e.g. said -> stated, or "reportedly" after an
  auxiliary), never inside a direct quote and never the word that names what a number counts;
* control (meaning kept): paraphrase (one synonym swap in a sentence stating a shared fact; its span is the
  whole sentence), rounding of a precise figure to within 5 % ("1,234" -> "about 1,200", "39" -> "nearly
  40"), format ("40 percent" <-> "40%", "$3 billion" <-> "3 billion dollars", "1.2 million" <-> "1,200,000",
  "three" <-> "3"), shortened name (a later full-name mention cut to the surname, or a surname-only mention
  after the full name written in full);
* untouched: no edit.

Numbers that read as labels, clock times or names ("AK - 47", "2 : 38", "8 Block") are not facts; rounding
leaves ages, round figures and hyphenated compounds alone. A category short of stories leaves its places to
the others of its group (the counts per kind are reported).

Scoring, with `find_conflicts` run in-process on each story (only the edited article is analysed again): a
planted conflict is found when one conflict has a value whose evidence overlaps the new value in the edited
article and another value with evidence in a different article (right kind: `Conflict.kind` is the planted
kind); a control is flagged when any conflict's evidence overlaps its edit span; false conflicts are all
conflicts reported on untouched stories, per 10 stories. Examples of misses and false alarms are printed.

Run: `.venv/bin/python bench/conflicts.py [--seed 0] [--limit N] [--no-write]` (about three minutes on one core;
`--limit N` samples N stories per group per split: planted, control, untouched). Writes
bench/results/conflicts.{json,md}; only ids, kinds and offsets go to the JSON, never text of the
research-licensed data.
"""

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from threadpoolctl import threadpool_limits

from common import eval_dir, require, table, write_results
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.analyze.quantities import find_quantities
from storyline.errors import ExtractError
from storyline.extract.article import Extractor
from storyline.records import Analysis, Article, Conflict, Document, Quantity, StoryMember
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.conflicts import find_conflicts

KINDS = ("number", "person", "date", "place")
CONTROLS = ("paraphrase", "rounding", "format", "short_name")
PLANTED, CONTROLLED, UNTOUCHED = 80, 40, 40  # stories per split
MAX_ARTICLES = 6
BATCH = 24  # stories analysed between two assignment rounds
TARGET_RECALL, TARGET_FLAGGED, TARGET_FALSE_PER_10 = 0.85, 0.10, 1.0
EXAMPLES = 4

Span = tuple[int, int]

# --- words a copy editor changes -------------------------------------------------------------------------------

SYNONYMS = dict(
    pair.split(":")
    for pair in """
    said:stated says:states stated:said told:informed announced:unveiled confirmed:verified added:noted
    explained:noted began:started started:began died:perished arrested:detained warned:cautioned claimed:asserted
    revealed:disclosed disclosed:revealed hit:struck struck:hit rose:climbed climbed:rose fell:dropped won:secured
    received:got showed:indicated shows:indicates sent:dispatched expected:anticipated nearly:almost almost:nearly
    approximately:about officials:authorities earlier:previously later:subsequently
    """.split()
)
SYNONYMS["more than"] = "over"
_PARTICLE = r"\s+(?:up|off|out|down|away|back|over|on|in)\b"  # "showed up" is not "indicated up"
_SYNONYM = re.compile(
    r"(?<![\w'’])(?:" + "|".join(sorted(SYNONYMS, key=len, reverse=True)) + rf")(?![\w'’])(?!{_PARTICLE})",
    re.IGNORECASE,
)
_AUXILIARY = re.compile(r"\b(?:was|were|is|are|has|have|had|will)\b(?! (?:not|reportedly)\b)")

# --- numbers, dates and names as written ---------------------------------------------------------------------

SMALL_WORDS = """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen""".split()
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TENS, _DIGIT_WORDS = "|".join(TENS_WORDS), "|".join(SMALL_WORDS[:9])
_NUMBER_WORD = (
    rf"\b(?:{_TENS})(?:-(?:{_DIGIT_WORDS}))?\b|\b(?:{'|'.join(sorted(SMALL_WORDS, key=len, reverse=True))})\b"
)
_CORE = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])|" + _NUMBER_WORD, re.IGNORECASE)
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
_MONTH = "|".join(MONTHS) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b")
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\b"
)
_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?$")
_PLACE = re.compile(r"^[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}$")
_NAMED_THINGS = frozenset("ORG PERSON FAC WORK_OF_ART PRODUCT LAW".split())


# --- data -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawStory:
    id: str
    texts: tuple[str, ...]  # title line, blank line, body


@dataclass(frozen=True)
class Piece:
    """One analysed article of a story."""

    article: Article
    analysis: Analysis
    quantities: tuple[Quantity, ...]


@dataclass(frozen=True)
class Story:
    id: str
    split: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Mention:
    article: int  # index in the story
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    kind: str  # number | person | date | place
    key: str  # what is equal across articles
    mentions: tuple[Mention, ...]

    def articles(self) -> list[int]:
        return sorted({m.article for m in self.mentions})

    def editable_articles(self) -> list[int]:
        """Articles that state the fact, except the earliest one: the edit never touches the first report."""
        return self.articles()[1:]


@dataclass(frozen=True)
class Change:
    start: int
    end: int
    new: str
    value: bool  # the changed value itself (its new span is recorded), not the rewording around it


@dataclass(frozen=True)
class Edit:
    story_id: str
    group: str  # planted | control | untouched
    kind: str  # a planted kind, a control type, or "" (untouched)
    article: int = -1  # the edited article
    text: str = ""  # its new text
    spans: tuple[Span, ...] = ()  # planted: the new values; control: the edit span
    original: str = ""
    new: str = ""
    others: tuple[Mention, ...] = ()  # the same fact in the other articles
    reworded: tuple[str, ...] = ()  # "said -> stated"


@dataclass
class Pools:
    """People and places of the stories analysed so far, for replacements taken from another story. Only names
    that two articles of their story give the same label count: one article's tagging slip is not a name."""

    people: dict[str, str] = field(default_factory=dict)  # name -> story id
    places: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, name) -> story id

    def add(self, story: Story) -> None:
        people: dict[str, set[int]] = {}
        places: dict[tuple[str, str], set[int]] = {}
        for i, piece in enumerate(story.pieces):
            for entity in piece.analysis.entities:
                words = entity.canonical.split()
                if entity.label == "PERSON" and len(words) == 2 and all(_NAME_WORD.match(w) for w in words):
                    people.setdefault(entity.canonical, set()).add(i)
                elif entity.label in ("GPE", "LOC") and _PLACE.match(entity.text):
                    places.setdefault((entity.label, entity.text), set()).add(i)
        for name in (n for n, seen in people.items() if len(seen) >= 2):
            self.people.setdefault(name, story.id)
        for place in (p for p, seen in places.items() if len(seen) >= 2):
            self.places.setdefault(place, story.id)


# --- loading and analysis ---------------------------------------------------------------------------------------


def load_stories() -> list[RawStory]:
    base = eval_dir()
    neus = require(base / "neus" / "neus_val.jsonl", "NeuS val (neus/neus_val.jsonl)")
    ecb = require(base / "ecbplus" / "ecbplus_train_dev.jsonl", "ECB+ train/dev (ecbplus/ecbplus_train_dev.jsonl)")
    stories = []
    for line in neus.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        texts = tuple(f"{a['title']}\n\n{a['text']}" for a in item["articles"])
        stories.append(RawStory(f"neus-{item['id']}", texts[:MAX_ARTICLES]))
    groups: dict[str, list[str]] = {}
    for line in ecb.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        groups.setdefault(doc["subtopic"], []).append(f"{doc['title']}\n\n{doc['text']}")
    stories += [RawStory(f"ecb-{name}", tuple(texts[:MAX_ARTICLES])) for name, texts in groups.items()]
    return [s for s in stories if len(s.texts) >= 2]


def split_of(story_id: str) -> str:
    return "dev" if hashlib.sha256(story_id.encode()).digest()[0] % 2 == 0 else "heldout"


class Reader:
    """Extracts and analyses articles (in this process, one BLAS thread)."""

    def __init__(self) -> None:
        self.extractor = Extractor()
        self.analyzer = Analyzer(AnalyzeSettings(processes=1))

    def article(self, name: str, text: str) -> Article | None:
        try:
            return self.extractor(Document(name, name, text, "text"))
        except ExtractError:
            return None

    def pieces(self, articles: Sequence[Article]) -> list[Piece]:
        with threadpool_limits(limits=1):
            analyses = self.analyzer.batch(articles)
        return [Piece(a, r, tuple(find_quantities(a.text))) for a, r in zip(articles, analyses, strict=True)]

    def story(self, raw: RawStory) -> Story | None:
        articles: dict[str, Article] = {}
        for n, text in enumerate(raw.texts):
            article = self.article(f"{raw.id}#{n}", text)
            if article is not None:
                articles.setdefault(article.id, article)  # the same text twice is one source
        if len(articles) < 2:
            return None
        return Story(raw.id, split_of(raw.id), tuple(self.pieces(list(articles.values()))))


# --- shared facts -----------------------------------------------------------------------------------------------


def _shared(kind: str, found: dict[str, list[Mention]]) -> list[Fact]:
    return [Fact(kind, key, tuple(m)) for key, m in sorted(found.items()) if len({x.article for x in m}) >= 2]


def editable_core(quantity: Quantity) -> re.Match[str] | None:
    """The one number written in a quantity ("12" of "at least 12 people"); None for ranges and vague plurals."""
    cores = list(_CORE.finditer(quantity.text))
    return cores[0] if len(cores) == 1 else None


_LABEL_BEFORE = re.compile(r"(?:[A-Za-z]\s?-|:)\s?$")  # AK - 47, COVID - 19, 2 : 38 (spaced tokens of ECB+)
_LABEL_AFTER = re.compile(r"\s?:\s?\d")


def countable(quantity: Quantity, text: str) -> bool:
    """A count or measure: not a year, not 0 or 1, one written number, not part of a label, a clock or a name."""
    value = quantity.value
    year = quantity.unit is None and value.is_integer() and 1900 <= value <= 2100
    before, after = text[max(0, quantity.start - 4) : quantity.start], text[quantity.end : quantity.end + 4]
    label = _LABEL_BEFORE.search(before) or _LABEL_AFTER.match(after)
    named = quantity.unit is None and re.match(r" [A-Z]", after)  # "8 Block gang", "Apollo 11"
    return not (year or label or named) and value not in (0.0, 1.0) and editable_core(quantity) is not None


def number_facts(story: Story) -> list[Fact]:
    found: dict[str, list[Mention]] = {}
    for i, piece in enumerate(story.pieces):
        for q in piece.quantities:
            if countable(q, piece.article.text):
                found.setdefault(f"{q.value:g} {q.unit or ''}".strip(), []).append(Mention(i, q.start, q.end))
    return _shared("number", found)


def surname(name: str) -> str:
    return re.sub(r"[’']s?$", "", name.split()[-1]).casefold() if name.split() else ""


def person_facts(story: Story) -> list[Fact]:
    found: dict[str, list[Mention]] = {}
    for i, piece in enumerate(story.pieces):
        for e in piece.analysis.entities:
            words = e.canonical.split()
            if e.label == "PERSON" and len(words) >= 2 and all(_NAME_WORD.match(w) or len(w) <= 2 for w in words):
                found.setdefault(surname(e.canonical), []).append(Mention(i, e.start, e.end))
    return _shared("person", {k: v for k, v in found.items() if len(k) > 1})


def is_calendar_date(text: str) -> bool:
    return bool(_WEEKDAY.search(text) or _MONTH_DAY.search(text))


def date_facts(story: Story) -> list[Fact]:
    found: dict[str, list[Mention]] = {}
    for i, piece in enumerate(story.pieces):
        for t in piece.analysis.times:
            if t.type == "DATE" and is_calendar_date(t.text):
                found.setdefault(t.value, []).append(Mention(i, t.start, t.end))
    return _shared("date", found)


def place_facts(story: Story) -> list[Fact]:
    found: dict[str, list[Mention]] = {}
    for i, piece in enumerate(story.pieces):
        for e in piece.analysis.entities:
            if e.label in ("GPE", "LOC") and _PLACE.match(e.text):
                found.setdefault(f"{e.label}:{e.text}", []).append(Mention(i, e.start, e.end))
    return _shared("place", found)


FACT_FINDERS: dict[str, Callable[[Story], list[Fact]]] = {
    "number": number_facts,
    "person": person_facts,
    "date": date_facts,
    "place": place_facts,
}


def story_facts(story: Story) -> dict[str, list[Fact]]:
    return {kind: finder(story) for kind, finder in FACT_FINDERS.items()}


# --- text surgery -----------------------------------------------------------------------------------------------


def apply(text: str, changes: Sequence[Change]) -> tuple[str, list[Span]]:
    """The text with the changes made (they must not overlap), and the new spans of the value changes."""
    parts, spans, cursor, shift = [], [], 0, 0
    for change in sorted(changes, key=lambda c: c.start):
        if change.start < cursor:
            raise ValueError("overlapping changes")
        parts += [text[cursor : change.start], change.new]
        start = change.start + shift
        if change.value:
            spans.append((start, start + len(change.new)))
        shift += len(change.new) - (change.end - change.start)
        cursor = change.end
    return "".join(parts) + text[cursor:], spans


def sentence_of(piece: Piece, position: int) -> Span:
    for s in piece.analysis.sentences:
        if s.start <= position < s.end:
            return s.start, s.end
    return position, position


def in_quote(piece: Piece, start: int, end: int) -> bool:
    return any(q.kind == "direct" and q.start < end and start < q.end for q in piece.analysis.quotes)


def overlaps(start: int, end: int, changes: Sequence[Change]) -> bool:
    return any(c.start < end and start < c.end for c in changes)


def counted_word(text: str, start: int, changes: Sequence[Change]) -> bool:
    """True when the word at `start` directly follows a changed value: it names what the number counts."""
    return any(c.value and c.end <= start and not text[c.end : start].strip(" -") for c in changes)


def keep_case(old: str, new: str) -> str:
    return new[0].upper() + new[1:] if old[0].isupper() else new


def synonym_swaps(piece: Piece, sentence: Span, changes: Sequence[Change]) -> list[Change]:
    """Synonym swaps possible in the sentence, nearest to the first change first."""
    text, anchor = piece.article.text, changes[0].start if changes else sentence[0]
    swaps = [
        Change(m.start(), m.end(), keep_case(m.group(), SYNONYMS[m.group().casefold()]), value=False)
        for m in _SYNONYM.finditer(text, *sentence)
        if not overlaps(m.start(), m.end(), changes)
        and not in_quote(piece, m.start(), m.end())
        and not counted_word(text, m.start(), changes)
    ]
    return sorted(swaps, key=lambda c: abs(c.start - anchor))


def reword(piece: Piece, changes: Sequence[Change], rng: random.Random) -> list[Change]:
    """One or two synonym swaps near the changed value in its sentence; else "reportedly" after an auxiliary."""
    sentence = sentence_of(piece, changes[0].start)
    swaps = synonym_swaps(piece, sentence, changes)
    if swaps:
        return swaps[: rng.choice((1, 2))]
    text = piece.article.text
    for m in _AUXILIARY.finditer(text, *sentence):
        if not overlaps(m.start(), m.end(), changes) and not in_quote(piece, m.start(), m.end()):
            return [Change(m.end(), m.end(), " reportedly", value=False)]
    return []


def describe(text: str, changes: Sequence[Change]) -> tuple[str, ...]:
    return tuple(f"{text[c.start : c.end] or '^'} -> {c.new.strip()}" for c in changes if not c.value)


def make_edit(story: Story, group: str, kind: str, article: int, changes: list[Change], fact: Fact) -> Edit:
    """Apply the changes to one article; the spans recorded are the new text of the value changes."""
    text = story.pieces[article].article.text
    new_text, spans = apply(text, changes)
    values = [c for c in changes if c.value]
    others = tuple(m for m in fact.mentions if m.article != article)
    return Edit(
        story.id,
        group,
        kind,
        article,
        new_text,
        tuple(spans),
        " | ".join(dict.fromkeys(text[c.start : c.end] for c in values)),
        " | ".join(dict.fromkeys(c.new for c in values)),
        others,
        describe(text, changes),
    )


# --- numbers ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """How a number is written: its value and its style."""

    value: float
    decimals: int
    commas: bool
    word: bool
    capital: bool


def read_number(raw: str) -> Written:
    if raw[0].isdigit():
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        return Written(float(raw.replace(",", "")), decimals, "," in raw, False, False)
    lower = raw.casefold()
    if lower in SMALL_WORDS:
        value = SMALL_WORDS.index(lower) + 1
    else:
        tens, _, unit = lower.partition("-")
        value = 10 * (TENS_WORDS.index(tens) + 2) + (SMALL_WORDS.index(unit) + 1 if unit else 0)
    return Written(float(value), 0, False, True, raw[0].isupper())


def number_words(value: int) -> str:
    if value < 20:
        return SMALL_WORDS[value - 1]
    tens, unit = divmod(value, 10)
    return TENS_WORDS[tens - 2] + (f"-{SMALL_WORDS[unit - 1]}" if unit else "")


def write_number(value: float, style: Written) -> str:
    if style.word and value.is_integer() and 1 <= value < 100:
        text = number_words(int(value))
        return text.capitalize() if style.capital else text
    if style.decimals:
        return f"{value:,.{style.decimals}f}" if style.commas else f"{value:.{style.decimals}f}"
    commas = style.commas or value >= 10_000 or value >= 1_000 > style.value  # "1500" stays the outlet's style
    return f"{round(value):,d}" if commas else str(round(value))


def as_precise(value: float, style: Written) -> float:
    """`value` rounded as the written number is: its decimals, or its trailing zeros (8,000 -> 6,000, not 5,533)."""
    if style.decimals or not style.value:
        return round(value, style.decimals)
    digits = str(int(style.value))
    zeros = min(len(digits) - len(digits.rstrip("0")), len(digits) - 1)
    return float(max(round(value, -zeros), 2 if style.value >= 2 else 0))


def different_number(style: Written, rng: random.Random, ceiling: float) -> float | None:
    """A value clearly different from the written one: x1.3-2.5 or -30-60 %, never within rounding of it."""
    for _ in range(20):
        factor = rng.uniform(1.3, 2.5) if rng.random() < 0.5 else 1 - rng.uniform(0.3, 0.6)
        new = as_precise(style.value * factor, style)
        if 0 < new <= ceiling and abs(new - style.value) >= 0.25 * style.value:
            return new
    return None


def number_change(piece: Piece, quantity: Quantity, ratio: float) -> Change | None:
    core = editable_core(quantity)
    if core is None:
        return None
    style = read_number(core.group())
    new = as_precise(style.value * ratio, style)
    if abs(new - style.value) < 0.25 * style.value or new <= 0:
        return None
    start = quantity.start + core.start()
    return Change(start, start + len(core.group()), write_number(new, style), value=True)


def plant_number(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    mine = stated(piece, fact, article)
    first = editable_core(mine[0]) if mine else None
    if first is None:
        return None
    style = read_number(first.group())
    ceiling = 100.0 if mine[0].unit == "ratio" else float("inf")
    new = different_number(style, rng, ceiling)
    if new is None:
        return None
    changes = [number_change(piece, q, new / style.value) for q in mine]
    return [c for c in changes if c is not None] or None


# --- people and places ------------------------------------------------------------------------------------------


def story_words(story: Story) -> set[str]:
    return {w.casefold() for p in story.pieces for w in re.findall(r"\w+", p.article.text)}


def other_name(story: Story, names: Sequence[str], rng: random.Random) -> str | None:
    """A name from another story none of whose words occurs in this story."""
    words = story_words(story)
    usable = [n for n in names if not any(w.casefold() in words for w in re.findall(r"\w+", n))]
    return rng.choice(usable) if usable else None


def inside_other_name(piece: Piece, start: int, end: int, own: str) -> bool:
    """True when [start, end) is part of another name: an organisation, a building, a work, another person."""
    return any(
        e.start <= start and end <= e.end and e.label in _NAMED_THINGS and e.canonical != own
        for e in piece.analysis.entities
    )


def replace_words(piece: Piece, mapping: dict[str, str], own: str) -> list[Change]:
    """Every whole-word occurrence of the mapping's keys (longest first), outside other names."""
    text = piece.article.text
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b")
    return [
        Change(m.start(), m.end(), mapping[m.group()], value=True)
        for m in pattern.finditer(text)
        if not inside_other_name(piece, m.start(), m.end(), own)
    ]


def plant_person(story: Story, fact: Fact, article: int, rng: random.Random, pools: Pools) -> list[Change] | None:
    piece = story.pieces[article]
    people = {e.canonical for e in piece.analysis.entities if e.label == "PERSON" and surname(e.canonical) == fact.key}
    if len(people) != 1:
        return None  # two people share the surname in this article: a copy edit could not tell them apart
    old = people.pop()
    names = sorted(n for n, s in pools.people.items() if s != story.id)
    new = other_name(story, names, rng)
    if new is None:
        return None
    old_words, new_words = old.split(), new.split()
    mapping = {old: new, old_words[-1]: new_words[-1]}
    first_alone = any(e.text == old_words[0] for e in piece.analysis.entities if e.canonical == old)
    if len(old_words) > 1 and first_alone:
        mapping[old_words[0]] = new_words[0]
    return replace_words(piece, mapping, old) or None


def plant_place(story: Story, fact: Fact, article: int, rng: random.Random, pools: Pools) -> list[Change] | None:
    label, old = fact.key.split(":", 1)
    names = sorted(n for (lab, n), s in pools.places.items() if lab == label and s != story.id)
    new = other_name(story, names, rng)
    if new is None:
        return None
    return replace_words(story.pieces[article], {old: new}, old) or None


# --- dates ------------------------------------------------------------------------------------------------------


def shift_date(text: str, delta: int) -> str:
    """The expression moved by `delta` days: its weekday and its day of the month (kept inside the month)."""

    def weekday(m: re.Match[str]) -> str:
        return WEEKDAYS[(WEEKDAYS.index(m.group()) + delta) % 7]

    def day(m: re.Match[str]) -> str:
        group = "day" if m.group("day") else "day2"
        old = int(m.group(group))
        new = old + delta if 1 <= old + delta <= 28 else old - delta
        start, end = m.start(group) - m.start(), m.end(group) - m.start()
        return m.group()[:start] + str(new) + m.group()[end:]

    return _MONTH_DAY.sub(day, _WEEKDAY.sub(weekday, text))


def plant_date(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    delta = rng.choice((-3, -2, -1, 1, 2, 3))
    times = [t for t in piece.analysis.times if t.type == "DATE" and t.value == fact.key and is_calendar_date(t.text)]
    changes = [Change(t.start, t.end, shift_date(t.text, delta), value=True) for t in times]
    return [c for c in changes if c.new != piece.article.text[c.start : c.end]] or None


# --- planted conflicts ------------------------------------------------------------------------------------------


def plant(story: Story, facts: dict[str, list[Fact]], kind: str, seed: int, pools: Pools) -> Edit | None:
    rng = random.Random(f"{seed}:{story.id}:planted:{kind}")
    candidates = [(f, a) for f in facts[kind] for a in f.editable_articles()]
    rng.shuffle(candidates)
    for fact, article in candidates:
        changes: list[Change] | None
        if kind == "number":
            changes = plant_number(story, fact, article, rng)
        elif kind == "person":
            changes = plant_person(story, fact, article, rng, pools)
        elif kind == "date":
            changes = plant_date(story, fact, article, rng)
        else:
            changes = plant_place(story, fact, article, rng, pools)
        if changes:
            changes = sorted(changes, key=lambda c: c.start)
            changes += reword(story.pieces[article], changes, rng)
            return make_edit(story, "planted", kind, article, changes, fact)
    return None


# --- controls ---------------------------------------------------------------------------------------------------


def rounded(style: Written) -> float | None:
    """The coarsest round figure within 5 % of a precise value (39 -> 40, 1,234 -> 1,200, 6.6 -> 6.5); None for
    a figure that is round already (270, $1,400) or too small to round (7)."""
    value = style.value
    if value < 10 and not style.decimals or not style.decimals and str(int(value)).endswith("0"):
        return None
    exponent = len(str(int(value))) - 1
    for step in (10.0**e * k for e in range(exponent, -3, -1) for k in (5, 1)):
        guess = round(round(value / step) * step, 6)
        if guess > 0 and guess != value and abs(guess - value) <= 0.05 * value:
            return guess
    return None


def control_rounding(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    for q in stated(piece, fact, article):
        core = editable_core(q)
        if (
            q.comparator != "="
            or core is None
            or not q.unit
            or "-" in q.text
            or not hedgeable(piece.article.text, q.start)
            or sentence_of(piece, q.start)[0] == q.start
        ):
            continue  # hedged already, an age or a label, a compound ("16-year-old"), or a sentence's first word
        style = read_number(core.group())
        new = None if style.word else rounded(style)
        if new is None:
            continue
        hedge = rng.choice(("nearly", "almost", "about") if new > style.value else ("more than", "over", "about"))
        written = write_number(new, replace(style, decimals=0 if new.is_integer() else style.decimals))
        return [Change(q.start, q.start + core.end(), f"{hedge} {q.text[: core.start()]}{written}", value=True)]
    return None


def hedgeable(text: str, start: int) -> bool:
    """A hedge fits before the number: not after a determiner ("all 176 people") or in a capitalized headline."""
    before = re.search(r"(\w+)\W*$", text[max(0, start - 30) : start])
    word = before.group(1) if before else ""
    return word.casefold() not in ("all", "the", "a", "an", "its", "their", "his", "her", "these", "those") and not (
        word[:1].isupper()
    )


def stated(piece: Piece, fact: Fact, article: int) -> list[Quantity]:
    """The quantities of one article that state the fact."""
    starts = {m.start for m in fact.mentions if m.article == article}
    return [q for q in piece.quantities if q.start in starts]


_FORMATS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = []


def _format(pattern: str) -> Callable[[Callable[[re.Match[str]], str | None]], Callable[[re.Match[str]], str | None]]:
    def register(function: Callable[[re.Match[str]], str | None]) -> Callable[[re.Match[str]], str | None]:
        _FORMATS.append((re.compile(pattern, re.IGNORECASE), function))
        return function

    return register


@_format(r"(?P<n>[\d.,]+)\s*%")
def _percent_word(m: re.Match[str]) -> str:
    return f"{m.group('n')} percent"


@_format(r"(?P<n>[\d.,]+) (?:percent|per cent)\b")
def _percent_sign(m: re.Match[str]) -> str:
    return f"{m.group('n')}%"


@_format(r"\$(?P<n>[\d.,]+) (?P<scale>million|billion|trillion)\b")
def _dollars_word(m: re.Match[str]) -> str:
    return f"{m.group('n')} {m.group('scale')} dollars"


@_format(r"(?P<n>[\d.,]+) (?P<scale>million|billion|trillion) dollars\b")
def _dollars_sign(m: re.Match[str]) -> str:
    return f"${m.group('n')} {m.group('scale')}"


@_format(r"(?P<n>\d+(?:\.\d{1,2})?) million\b")
def _million_digits(m: re.Match[str]) -> str:
    return f"{round(float(m.group('n')) * 1e6):,d}"


@_format(r"(?P<n>\d{1,3}(?:,\d{3}){2,})(?![\d,])")
def _digits_million(m: re.Match[str]) -> str | None:
    value = float(m.group("n").replace(",", "")) / 1e6
    return f"{value:g} million" if round(value, 2) == value else None


@_format(r"^(?P<n>[2-9]) (?=[a-z]+$)")  # a count of things: news style spells out numbers under ten
def _digits_words(m: re.Match[str]) -> str:
    return number_words(int(m.group("n"))) + " "


@_format(rf"^(?P<n>{_NUMBER_WORD}) (?=[a-z]+$)")
def _words_digits(m: re.Match[str]) -> str | None:
    word = m.group("n")
    return None if word[0].isupper() else f"{int(read_number(word).value)} "  # no digit opens a sentence


def control_format(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    options: dict[str, list[Change]] = {}
    for q in stated(piece, fact, article):
        for pattern, rewrite in _FORMATS:
            m = pattern.search(q.text)
            new = rewrite(m) if m else None
            if m and new:
                change = Change(q.start + m.start(), q.start + m.end(), new, value=True)
                options.setdefault(rewrite.__name__, []).append(change)
    return [rng.choice(options[rng.choice(sorted(options))])] if options else None  # a rewrite, then a mention


def control_short_name(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    mentions = sorted(
        (e for e in piece.analysis.entities if e.label == "PERSON" and surname(e.canonical) == fact.key),
        key=lambda e: e.start,
    )
    full = next((e for e in mentions if e.text == e.canonical and " " in e.text), None)
    if full is None or len({e.canonical for e in mentions}) != 1:
        return None
    last = full.canonical.split()[-1]
    later = [e for e in mentions if e.start > full.start and e.text in (full.canonical, last)]
    if not later:
        return None
    e = rng.choice(later)
    return [Change(e.start, e.end, last if e.text == full.canonical else full.canonical, value=True)]


def control_paraphrase(story: Story, fact: Fact, article: int, rng: random.Random) -> list[Change] | None:
    piece = story.pieces[article]
    for mention in (m for m in fact.mentions if m.article == article):
        sentence = sentence_of(piece, mention.start)
        held = [Change(mention.start, mention.end, piece.article.text[mention.start : mention.end], value=False)]
        swaps = synonym_swaps(piece, sentence, held)
        if swaps:  # the edit span of a paraphrase is its whole sentence: one change that rewrites it
            swap = rng.choice(swaps[:2])
            text = piece.article.text
            new = text[sentence[0] : swap.start] + swap.new + text[swap.end : sentence[1]]
            return [Change(sentence[0], sentence[1], new, value=True)]
    return None


CONTROL_FACTS = {"paraphrase": KINDS, "rounding": ("number",), "format": ("number",), "short_name": ("person",)}
CONTROL_MAKERS: dict[str, Callable[[Story, Fact, int, random.Random], list[Change] | None]] = {
    "paraphrase": control_paraphrase,
    "rounding": control_rounding,
    "format": control_format,
    "short_name": control_short_name,
}


def control(story: Story, facts: dict[str, list[Fact]], kind: str, seed: int) -> Edit | None:
    rng = random.Random(f"{seed}:{story.id}:control:{kind}")
    candidates = [(f, a) for k in CONTROL_FACTS[kind] for f in facts[k] for a in f.articles()]
    rng.shuffle(candidates)
    for fact, article in candidates:
        changes = CONTROL_MAKERS[kind](story, fact, article, rng)
        if changes:
            return make_edit(story, "control", kind, article, changes, fact)
    return None


def candidate_edits(story: Story, seed: int, pools: Pools) -> dict[str, Edit]:
    facts = story_facts(story)
    edits = {f"planted:{k}": plant(story, facts, k, seed, pools) for k in KINDS}
    edits |= {f"control:{k}": control(story, facts, k, seed) for k in CONTROLS}
    return {name: edit for name, edit in edits.items() if edit is not None}


# --- assignment ---------------------------------------------------------------------------------------------------


def quotas(limit: int | None) -> dict[str, int]:
    planted, controlled, untouched = (min(limit, n) if limit else n for n in (PLANTED, CONTROLLED, UNTOUCHED))
    out = {f"planted:{k}": planted // len(KINDS) + (i < planted % len(KINDS)) for i, k in enumerate(KINDS)}
    out |= {
        f"control:{k}": controlled // len(CONTROLS) + (i < controlled % len(CONTROLS)) for i, k in enumerate(CONTROLS)
    }
    return out | {"untouched": untouched}


def assign(order: Sequence[str], edits: dict[str, dict[str, Edit]], quota: dict[str, int]) -> dict[str, str]:
    """Story -> category: untouched stories first (at random), then the scarcest categories, least flexible
    stories first; a category short of stories leaves its places to the others of its group."""
    chosen = {s: "untouched" for s in order[: quota["untouched"]]}
    categories = [c for c in quota if c != "untouched"]
    supply = Counter(c for s in order if s not in chosen for c in edits[s])
    for category in sorted(categories, key=lambda c: (supply[c] / max(quota[c], 1), c)):
        _take(category, quota[category], order, edits, chosen)
    for group in ("planted", "control"):
        members = [c for c in categories if c.startswith(group)]
        spare = sum(quota[c] for c in members) - sum(1 for v in chosen.values() if v in members)
        while spare > 0:
            counts = Counter(v for v in chosen.values() if v in members)
            took = next((c for c in sorted(members, key=lambda c: counts[c]) if _take(c, 1, order, edits, chosen)), "")
            if not took:
                break
            spare -= 1
    return chosen


def _take(
    category: str, count: int, order: Sequence[str], edits: dict[str, dict[str, Edit]], chosen: dict[str, str]
) -> int:
    position = {s: i for i, s in enumerate(order)}
    pool = sorted(
        (s for s in order if s not in chosen and category in edits[s]), key=lambda s: (len(edits[s]), position[s])
    )
    for story in pool[:count]:
        chosen[story] = category
    return len(pool[:count])


def filled(chosen: dict[str, str], quota: dict[str, int]) -> bool:
    return all(Counter(chosen.values())[c] >= n for c, n in quota.items())


# --- evaluation ---------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    edit: Edit
    split: str
    conflicts: list[Conflict]
    seconds: float
    edited_id: str  # the edited article's id in the evaluated story
    story: StoryInput
    error: str = ""


def story_input(story: Story, edit: Edit, reader: Reader) -> StoryInput | None:
    pieces = list(story.pieces)
    if edit.article >= 0:
        article = reader.article(f"{story.id}#edited", edit.text)
        if article is None or article.text != edit.text:
            return None  # the extractor changed the edited text: spans would not hold
        pieces[edit.article] = reader.pieces([article])[0]
    sources = [SourceArticle(p.article, p.analysis, StoryMember(p.article.id, "independent")) for p in pieces]
    return StoryInput(story.id, tuple(sources))


def evaluate(story: Story, edit: Edit, reader: Reader) -> Outcome | None:
    bundle = story_input(story, edit, reader)
    if bundle is None:
        print(f"  dropped {story.id}: the edited article did not extract to the edited text")
        return None
    edited_id = bundle.sources[edit.article].article.id if edit.article >= 0 else ""
    started = time.perf_counter()
    try:
        conflicts, error = find_conflicts(bundle), ""
    except Exception as exc:  # noqa: BLE001 - the detector is being edited concurrently: count, do not stop
        conflicts, error = [], f"{type(exc).__name__}: {exc}"
    return Outcome(edit, story.split, conflicts, time.perf_counter() - started, edited_id, bundle, error)


def touches(conflict: Conflict, article_id: str, spans: Sequence[Span]) -> list[int]:
    """Indexes of the conflict's values with evidence overlapping one of the spans in the article."""
    return [
        i
        for i, value in enumerate(conflict.values)
        for e in value.evidence
        if e.article_id == article_id and any(e.start < end and start < e.end for start, end in spans)
    ]


def found_by(outcome: Outcome) -> list[Conflict]:
    """Conflicts that oppose the planted value to a value from another article."""
    hits = []
    for conflict in outcome.conflicts:
        mine = set(touches(conflict, outcome.edited_id, outcome.edit.spans))
        others = {i for i, v in enumerate(conflict.values) for e in v.evidence if e.article_id != outcome.edited_id}
        if any(i != j for i in mine for j in others):
            hits.append(conflict)
    return hits


def flagged(outcome: Outcome) -> bool:
    return any(touches(c, outcome.edited_id, outcome.edit.spans) for c in outcome.conflicts)


# --- report -------------------------------------------------------------------------------------------------------


def split_report(outcomes: list[Outcome]) -> dict[str, Any]:
    planted = [o for o in outcomes if o.edit.group == "planted"]
    controls = [o for o in outcomes if o.edit.group == "control"]
    untouched = [o for o in outcomes if o.edit.group == "untouched"]
    kinds: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        mine = [o for o in planted if o.edit.kind == kind]
        right = sum(any(c.kind == kind for c in found_by(o)) for o in mine)
        anyk = sum(bool(found_by(o)) for o in mine)
        kinds[kind] = {"planted": len(mine), "found_right_kind": right, "found_any_kind": anyk}
    total: dict[str, Any] = {
        k: sum(v[k] for v in kinds.values()) for k in ("planted", "found_right_kind", "found_any_kind")
    }
    for entry in [*kinds.values(), total]:
        entry["recall"] = entry["found_right_kind"] / entry["planted"] if entry["planted"] else None
        entry["recall_any_kind"] = entry["found_any_kind"] / entry["planted"] if entry["planted"] else None
    control_rows = {}
    for kind in CONTROLS:
        mine = [o for o in controls if o.edit.kind == kind]
        hit = sum(flagged(o) for o in mine)
        control_rows[kind] = {"stories": len(mine), "flagged": hit, "share": hit / len(mine) if mine else None}
    hit = sum(flagged(o) for o in controls)
    control_rows["all"] = {"stories": len(controls), "flagged": hit, "share": hit / len(controls) if controls else None}
    false = Counter(c.kind or "unlabelled" for o in untouched for c in o.conflicts)
    seconds = [o.seconds for o in outcomes]
    return {
        "planted": kinds | {"all": total},
        "controls": control_rows,
        "untouched": {
            "stories": len(untouched),
            "conflicts": sum(false.values()),
            "per_10_stories": 10 * sum(false.values()) / len(untouched) if untouched else None,
            "per_10_by_kind": {k: 10 * n / len(untouched) for k, n in sorted(false.items())},
        },
        "conflicts_per_planted_story": statistics.mean(len(o.conflicts) for o in planted) if planted else None,
        "seconds_median": statistics.median(seconds) if seconds else None,
        "seconds_max": max(seconds) if seconds else None,
        "errors": sum(bool(o.error) for o in outcomes),
        "items": [item_record(o) for o in outcomes],
    }


def item_record(outcome: Outcome) -> dict[str, Any]:
    """What the JSON keeps of one story: ids, kinds, offsets and outcomes, no text of the data."""
    edit = outcome.edit
    record: dict[str, Any] = {"story": edit.story_id, "group": edit.group, "kind": edit.kind}
    if edit.article >= 0:
        record |= {"article": edit.article, "spans": " ".join(f"{a}-{b}" for a, b in edit.spans)}
        record["others"] = " ".join(f"{m.article}:{m.start}-{m.end}" for m in edit.others)  # article:start-end
    if edit.group == "planted":
        hits = found_by(outcome)
        record |= {"found": bool(hits), "found_right_kind": any(c.kind == edit.kind for c in hits)}
    elif edit.group == "control":
        record["flagged"] = flagged(outcome)
    record["conflicts"] = len(outcome.conflicts)
    return record


def targets(report: dict[str, Any]) -> dict[str, bool]:
    planted, controls, untouched = report["planted"], report["controls"], report["untouched"]
    met = {f"recall {k} >= {TARGET_RECALL}": (planted[k]["recall"] or 0) >= TARGET_RECALL for k in KINDS}
    met[f"controls flagged <= {TARGET_FLAGGED:.0%}"] = (controls["all"]["share"] or 0) <= TARGET_FLAGGED
    per_10 = untouched["per_10_stories"]
    met[f"false conflicts <= {TARGET_FALSE_PER_10:g} per 10 untouched"] = per_10 is not None and per_10 <= 1
    return met


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def split_markdown(name: str, report: dict[str, Any]) -> str:
    rows = [
        [k, v["planted"], v["found_right_kind"], v["found_any_kind"], fmt(v["recall"])]
        for k, v in report["planted"].items()
    ]
    controls = ", ".join(f"{k} {v['flagged']}/{v['stories']}" for k, v in report["controls"].items() if k != "all")
    every, untouched = report["controls"]["all"], report["untouched"]
    by_kind = ", ".join(f"{k} {v:.2f}" for k, v in untouched["per_10_by_kind"].items()) or "none"
    met = targets(report)
    return (
        f"### {name}\n\n"
        + table(["kind", "planted", "found (right kind)", "found (any kind)", "recall"], rows)
        + f"\n\nControls flagged: {every['flagged']}/{every['stories']} ({fmt(every['share'])}; {controls}). "
        f"False conflicts on {untouched['stories']} untouched stories: {fmt(untouched['per_10_stories'])} per 10 "
        f"stories (by kind: {by_kind}). Conflicts per planted story: {fmt(report['conflicts_per_planted_story'])}. "
        f"`find_conflicts` time per story: median {1000 * (report['seconds_median'] or 0):.1f} ms, "
        f"max {1000 * (report['seconds_max'] or 0):.1f} ms."
        + (f" Detector errors: {report['errors']}." if report["errors"] else "")
        + "\n\nTargets: "
        + "; ".join(f"{k}: {'met' if ok else 'not met'}" for k, ok in met.items())
        + ".\n"
    )


def markdown(data: dict[str, Any]) -> str:
    counts = ", ".join(
        f"{split}: " + ", ".join(f"{k} {data['splits'][split]['planted'][k]['planted']}" for k in KINDS)
        for split in data["splits"]
    )
    return (
        "## Conflicts between sources (`bench/conflicts.py`)\n\n"
        "A planted-conflict set generated at bench time (nothing stored) from NeuS val (3 outlets per story) and "
        f"ECB+ train/dev (articles of one sub-topic, at most {MAX_ARTICLES}), seed {data['seed']}; stories are "
        "split into dev and heldout by a hash of the story id, and the detector is tuned on dev only. In each "
        "planted story one article's statement of a fact that two or more articles share (a number, a person, a "
        "date, a place) is changed everywhere in that article and the sentence lightly reworded (a synonym near "
        'the value, or "reportedly"), as a differing outlet would write it; never the story\'s first report '
        f"of it. Every story is evaluated untouched and once with each edit it can take, one edit at a time (not a "
        f"sample: a 40-story sample's false-conflict rate swung from 0.75 to 2.42 per 10 stories against the whole "
        f"dev half). Planted per kind: {counts}. Controls change wording but not meaning (paraphrase, rounding, unit "
        "or number format, shortened name); untouched stories are not edited. Found: a conflict opposes a value "
        "at the new text to a value from another article; recall counts the right kind only. Flagged: any "
        "conflict's evidence overlaps the control's edit (a paraphrase's whole sentence).\n\n"
        + "\n".join(split_markdown(name, report) for name, report in data["splits"].items())
    )


# --- examples printed for debugging ------------------------------------------------------------------------------


def sentence_text(bundle: StoryInput, article_id: str, start: int) -> str:
    source = next(s for s in bundle.sources if s.article.id == article_id)
    for sentence in source.analysis.sentences:
        if sentence.start <= start < sentence.end:
            return " ".join(source.sentence_text(sentence).split())
    return source.article.text[max(0, start - 80) : start + 80].replace("\n", " ")


def print_examples(outcomes: list[Outcome]) -> None:
    misses = [o for o in outcomes if o.edit.group == "planted" and not found_by(o)]
    for o in misses[:EXAMPLES]:
        e = o.edit
        print(f"  miss {e.story_id} {e.kind}: {e.original!r} -> {e.new!r} ({', '.join(e.reworded) or 'no rewording'})")
        print(f"    edited: {sentence_text(o.story, o.edited_id, e.spans[0][0])}")
        for m in e.others[:2]:
            print(f"    other:  {sentence_text(o.story, o.story.sources[m.article].article.id, m.start)}")
    alarms = [
        (o, c)
        for o in outcomes
        for c in o.conflicts
        if o.edit.group == "untouched" or o.edit.group == "control" and touches(c, o.edited_id, o.edit.spans)
    ]
    alarms.sort(key=lambda oc: oc[0].edit.group != "control")  # controls first: there are few
    for o, c in alarms[:EXAMPLES]:
        print(f"  false alarm {o.edit.story_id} ({o.edit.group} {o.edit.kind}) kind={c.kind!r} {c.subject!r}")
        for value in c.values[:3]:
            ev = value.evidence[0]
            print(f"    {value.value!r}: {sentence_text(o.story, ev.article_id, ev.start)}")
    errors = [o for o in outcomes if o.error]
    for o in errors[:2]:
        print(f"  detector error on {o.edit.story_id}: {o.error}")


# --- main ---------------------------------------------------------------------------------------------------------


@dataclass
class SplitSet:
    """One split: its analysed stories, every story's candidate edits, and the category chosen for each."""

    stories: dict[str, Story] = field(default_factory=dict)
    edits: dict[str, dict[str, Edit]] = field(default_factory=dict)
    chosen: dict[str, str] = field(default_factory=dict)
    every: bool = False  # every story untouched and with each edit it can take, not the one-purpose sample

    def chosen_edits(self) -> Iterator[tuple[Story, Edit]]:
        if self.every:
            for story_id, story in self.stories.items():
                yield story, Edit(story_id, "untouched", "")
                for edit in self.edits[story_id].values():
                    yield story, edit
            return
        for story_id, category in self.chosen.items():
            untouched = Edit(story_id, "untouched", "")
            yield self.stories[story_id], untouched if category == "untouched" else self.edits[story_id][category]


def build(seed: int, limit: int | None, reader: Reader) -> dict[str, SplitSet]:
    """Stories are analysed in a seeded order, a batch at a time, until the split's quotas are met (or the split
    runs out); people and places for replacements come from the stories analysed so far."""
    raw = load_stories()
    quota = quotas(limit)
    sets = {}
    pools = Pools()
    for split in ("dev", "heldout"):
        order = [s for s in raw if split_of(s.id) == split]
        random.Random(f"{seed}:{split}").shuffle(order)
        current = SplitSet(every=limit is None)
        for batch_start in range(0, len(order), BATCH):
            batch = [s for s in (reader.story(r) for r in order[batch_start : batch_start + BATCH]) if s]
            for story in batch:
                pools.add(story)
            for story in batch:
                current.stories[story.id] = story
                current.edits[story.id] = candidate_edits(story, seed, pools)
            current.chosen = assign(list(current.stories), current.edits, quota)
            if not current.every and filled(current.chosen, quota):
                break
        supply = dict(sorted(Counter(c for e in current.edits.values() for c in e).items()))
        print(f"{split}: {len(current.stories)} of {len(order)} stories analysed; able to take each edit: {supply}")
        sets[split] = current
    return sets


def run(seed: int, limit: int | None) -> dict[str, Any]:
    reader = Reader()
    started = time.perf_counter()
    built = build(seed, limit, reader)
    data: dict[str, Any] = {"seed": seed, "limit": limit, "splits": {}}
    for split, chosen in built.items():
        outcomes = [o for story, edit in chosen.chosen_edits() if (o := evaluate(story, edit, reader)) is not None]
        report = split_report(outcomes)
        data["splits"][split] = report
        print_summary(split, report)
        print_examples(outcomes)
    data["seconds_total"] = time.perf_counter() - started
    return data


def print_summary(split: str, report: dict[str, Any]) -> None:
    print(f"== {split} (tune on dev only)")
    for kind, v in report["planted"].items():
        print(
            f"  {kind:7} planted {v['planted']:3}  found right kind {v['found_right_kind']:3}  "
            f"any kind {v['found_any_kind']:3}  recall {fmt(v['recall'])} (any kind {fmt(v['recall_any_kind'])})"
        )
    for kind, v in report["controls"].items():
        print(f"  control {kind:10} flagged {v['flagged']}/{v['stories']} ({fmt(v['share'])})")
    u = report["untouched"]
    print(f"  untouched {u['stories']}: {u['conflicts']} conflicts, {fmt(u['per_10_stories'])} per 10 stories")
    print(f"    per 10 by kind: {u['per_10_by_kind']}")
    print(
        f"  conflicts per planted story {fmt(report['conflicts_per_planted_story'])}; find_conflicts median "
        f"{1000 * (report['seconds_median'] or 0):.1f} ms, max {1000 * (report['seconds_max'] or 0):.1f} ms; "
        f"errors {report['errors']}"
    )
    for target, ok in targets(report).items():
        print(f"  target {target}: {'met' if ok else 'NOT met'}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--limit", type=int, default=None, help="stories per group (planted, control, untouched) per split"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    args = parser.parse_args(argv)
    data = run(args.seed, args.limit)
    print(f"total {data['seconds_total']:.0f} s")
    if not args.no_write:
        print(f"wrote {write_results('conflicts', data, markdown(data))}")


if __name__ == "__main__":
    main(sys.argv[1:])
