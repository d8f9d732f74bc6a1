"""Conflicts: the same slot given different values by different sources. Each value keeps its own spans.

These slots are compared across the story's sources:

* who made the argument: statements a source presents as someone's argument or writing (cue verbs in
  `ARGUMENT_CUES`: argue, warn, write, contend, claim ...; credit lines naming a person; bylines) are compared
  by content; when sources attribute statements that agree in content (`ATTRIBUTION_OVERLAP` of content words,
  each compared with the first statement of the group, not chained) to different people, and no source naming
  one of them mentions the other, the sources disagree on who made it. Ordinary comment ("said", "told") is
  left out: different people commenting on one event is coverage, not disagreement;
* (one person's name spelt differently by different sources, "Zelensky" / "Zelenskiy", is not a conflict: it
  is one person, and the fact comparison treats the two spellings as one name);
* outlet names: an outlet written differently by different sources (an article's byline outlet, an outlet a
  text credits) with string similarity of at least `NAME_SIMILARITY` but not equal;
* numbers: quantities with the same unit and the same counted thing (the word after the number: "killed",
  "injured"), stated in agreeing sentences, whose ranges exclude each other ("at least 10" and "14" agree;
  "over 90%" and "more than 90%" agree; "10 killed" and "6 killed" do not);
* dates: events in different sources whose sentences agree in content but whose dates differ.
"""

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from storyline.records import BriefItem, Conflict, ConflictValue, Evidence
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.facts import (
    Match,
    Slot,
    Statement,
    aligned_matches,
    counted,
    is_age,
    near,
    published_at,
    same_value,
    states,
)
from storyline.synthesize.similarity import word_terms
from storyline.synthesize.words import content_words, overlap

__all__ = ["ARGUMENT_CUES", "ATTRIBUTION_OVERLAP", "NAME_SIMILARITY", "conflicts_and_updates", "find_conflicts"]

ARGUMENT_CUES = frozenset(
    """
    argue argues argued warn warns warned write writes wrote contend contends contended claim claims claimed
    assert asserts asserted insist insists insisted caution cautions cautioned maintain maintains maintained
    """.split()
)
ATTRIBUTION_OVERLAP = 0.3
QUOTE_OVERLAP = 0.6  # two direct quotes sharing this share of content words are one quote
QUOTE_WORDS = 4
NAME_SIMILARITY = 0.85
CONTEXT_OVERLAP = 0.5
EVENT_OVERLAP = 0.5
_PERSON_NAME = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|bin|al))+$")


@dataclass
class _Claim:
    """One source's statement attributed to one person."""

    source: SourceArticle
    person: str
    words: set[str]
    spans: list[Evidence] = field(default_factory=list)


def find_conflicts(story: StoryInput) -> list[Conflict]:
    """Every slot on which the story's sources disagree."""
    return conflicts_and_updates(story)[0]


def conflicts_and_updates(story: StoryInput) -> tuple[list[Conflict], list[BriefItem]]:
    """The disagreements, and the developing figures (timeline items) that only looked like disagreements."""
    named = [
        *_attribution_conflicts(story),
        *_speaker_conflicts(story),
        *_outlet_conflicts(story),
    ]
    spans = [e for conflict in named for value in conflict.values for e in value.evidence]
    facts, updates = [], []
    for found in _fact_conflicts(story):
        if isinstance(found, BriefItem):
            updates.append(found)
        elif found.kind != "person" or not any(_overlaps(e, spans) for v in found.values for e in v.evidence):
            facts.append(found)  # a person already disputed by name is one disagreement; a date beside it another
    return named + facts, updates


def _overlaps(span: Evidence, others: list[Evidence]) -> bool:
    """Whether a span shares characters with any of `others` (the same disagreement found twice)."""
    return any(o.article_id == span.article_id and o.start < span.end and span.start < o.end for o in others)


# --- who said or wrote it ---------------------------------------------------------------------------------


def _attributions(story: StoryInput) -> list[_Claim]:
    """Each source's statements presented as a named person's argument or writing, one claim per person."""
    claims: list[_Claim] = []
    for source in story.sources:
        people = _people(source)
        found: dict[str, _Claim] = {}
        for quote in source.analysis.quotes:
            person = _person(quote.speaker, people)
            if person is None or quote.speaker_span is None or (quote.cue or "").casefold() not in ARGUMENT_CUES:
                continue
            sentence = _sentence_around(source, quote.start)
            spans = [
                *_name_spans(source, person, quote.speaker_span),
                Evidence(source.article.id, quote.start, quote.end),
            ]
            words = content_words(source.article.text[sentence[0] : sentence[1]]) - _name_words(people | {person})
            key = next((k for k in found if _same_person(k, person)), person)
            if key in found:
                found[key].spans.extend(spans)
            else:
                found[key] = _Claim(source, person, words, spans)
        for claim in _credited_authors(story, source, people):
            known = next((k for k in found if _same_person(k, claim.person)), None)
            if known is not None:
                found[known].spans.extend(claim.spans)
            else:
                found[claim.person] = claim
        claims += found.values()
    return claims


def _name_spans(source: SourceArticle, person: str, mention: tuple[int, int]) -> list[Evidence]:
    """The mention, plus the nearest earlier place the text writes the full name when the mention is shorter."""
    text = source.article.text
    spans = [Evidence(source.article.id, *mention)]
    if person not in text[mention[0] : mention[1]]:
        position = text.rfind(person, 0, mention[0])
        position = position if position >= 0 else text.find(person)
        if position >= 0:
            spans.append(Evidence(source.article.id, position, position + len(person)))
    return spans


def _credited_authors(story: StoryInput, source: SourceArticle, people: set[str]) -> Iterator[_Claim]:
    """Credit lines naming a person ("first reported by Kevin Xu in ...") and bylines: who wrote the piece."""
    summary = source.analysis.summary
    central = content_words(source.article.text[summary.start : summary.end]) if summary else set()
    for credit in story.credits:
        if credit.kind == "person" and credit.evidence.article_id == source.article.id:
            yield _Claim(source, credit.name, central, [credit.evidence])
    for provenance in source.article.provenance:
        if provenance.field == "authors" and provenance.evidence is not None:
            for author in source.article.authors:
                yield _Claim(source, author, central, [provenance.evidence])


def _name_words(names: set[str]) -> set[str]:
    """Words of people's names: who says it is not part of what is said."""
    return {word for name in names for word in content_words(name)}


def _people(source: SourceArticle) -> set[str]:
    return {e.canonical for e in source.analysis.entities if e.label == "PERSON"} | set(source.article.authors)


def _person(speaker: str | None, people: set[str]) -> str | None:
    """The speaker when it is a named person (not "the authors", not a pronoun, not an organisation)."""
    if not speaker:
        return None
    if speaker in people or _PERSON_NAME.match(speaker) and speaker.split()[0].casefold() not in ("the", "a"):
        return speaker
    return None


def _sentence_around(source: SourceArticle, position: int) -> tuple[int, int]:
    for sentence in source.analysis.sentences:
        if sentence.start <= position < sentence.end:
            return sentence.start, sentence.end
    return position, position


def _same_person(one: str, other: str) -> bool:
    a, b = one.casefold().split(), other.casefold().split()
    return a == b or (a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0][0] == b[0][0]))


def _mentions(source: SourceArticle, person: str) -> bool:
    surname = person.split()[-1]
    return re.search(rf"\b{re.escape(surname)}\b", source.article.text) is not None


def _attribution_conflicts(story: StoryInput) -> Iterator[Conflict]:
    """Groups of agreeing statements from different sources, each group around its first statement."""
    return _disputed_groups(_attributions(story), ATTRIBUTION_OVERLAP, "who made the argument", "author")


def _disputed_groups(claims: list[_Claim], threshold: float, subject: str, kind: str) -> Iterator[Conflict]:
    """Claims of different sources that agree in content (`threshold` overlap of their words), grouped around
    each group's first claim; a group naming two or more people no other source of it names is a conflict."""
    grouped: set[int] = set()
    for i, seed in enumerate(claims):
        if i in grouped:
            continue
        members = [i] + [
            j
            for j in range(i + 1, len(claims))
            if j not in grouped
            and claims[j].source is not seed.source
            and overlap(seed.words, claims[j].words) >= threshold
        ]
        values = _disputed_people([claims[j] for j in members])
        if len(values) >= 2:
            grouped.update(members)
            yield Conflict(subject, tuple(values), kind)


def _speaker_conflicts(story: StoryInput) -> Iterator[Conflict]:
    """One quote given to two people by two sources that never name the other: "'We will rebuild,' Mayor Anna
    Berg said" / "'We will rebuild,' said Carla Moss". The quotes must agree in content (`QUOTE_OVERLAP` of at
    least `QUOTE_WORDS` content words); quotes with argument cues are the author rule's. A quote whose speaker
    the source gives only as a pronoun ('"...," he said') is left out: two sources that both wrote "he" do not
    disagree, however the analysis resolved it."""
    quotes: list[_Claim] = []
    for source in story.sources:
        people = _people(source)
        for quote in source.analysis.quotes:
            person = _person(quote.speaker, people)
            if person is None or quote.speaker_span is None or quote.kind != "direct":
                continue
            if (quote.cue or "").casefold() in ARGUMENT_CUES:
                continue
            if _pronoun(source, quote.speaker_span):
                continue  # '"...," he said': whom "he" means is the analysis' reading, not the source's word
            words = content_words(quote.text)
            if len(words) >= QUOTE_WORDS:
                spans = [
                    *_name_spans(source, person, quote.speaker_span),
                    Evidence(source.article.id, quote.start, quote.end),
                ]
                quotes.append(_Claim(source, person, words, spans))
    return _disputed_groups(quotes, QUOTE_OVERLAP, "who said it", "person")


_PRONOUNS = frozenset("he she they him her them i we".split())


def _pronoun(source: SourceArticle, span: tuple[int, int]) -> bool:
    """Whether the speaker's mention at a quote is a pronoun: the source does not name the speaker there."""
    return source.article.text[span[0] : span[1]].strip().casefold() in _PRONOUNS


def _disputed_people(group: list[_Claim]) -> list[ConflictValue]:
    people: list[tuple[str, list[_Claim]]] = []
    for claim in group:
        entry = next((p for p in people if _same_person(p[0], claim.person)), None)
        if entry is None:
            people.append((claim.person, [claim]))
        else:
            entry[1].append(claim)
    unaware = [
        (name, claims)
        for name, claims in people
        if any(
            not any(_mentions(c.source, other) for c in claims)
            and not any(_mentions(c.source, name) for c in other_claims)
            for other, other_claims in people
            if other != name
        )
    ]
    return [
        ConflictValue(max((c.person for c in claims), key=len), tuple(_unique(s for c in claims for s in c.spans)))
        for _, claims in unaware
    ]


def _unique(spans: Iterator[Evidence]) -> list[Evidence]:
    return list(dict.fromkeys(spans))


# --- outlet names -----------------------------------------------------------------------------------------


def _variant_conflicts(
    subject: str, names: dict[str, list[Evidence]], similar: Callable[[str, str], bool], kind: str
) -> Iterator[Conflict]:
    """Each name with the later names `similar` to it that no earlier group took: one conflict per group."""
    done: set[str] = set()
    for name in names:
        if name in done:
            continue
        variants = [other for other in names if other != name and other not in done and similar(name, other)]
        if variants:
            done.update([name, *variants])
            values = [ConflictValue(n, tuple(dict.fromkeys(names[n]))) for n in (name, *variants)]
            yield Conflict(subject, tuple(values), kind)


def _outlet_mentions(story: StoryInput) -> Iterator[tuple[str, Evidence]]:
    for source in story.sources:
        for provenance in source.article.provenance:
            if provenance.field == "outlet" and provenance.evidence is not None and source.article.outlet:
                yield source.article.outlet, provenance.evidence
    for credit in story.credits:
        if credit.kind == "outlet":
            yield credit.name, credit.evidence


def _outlet_conflicts(story: StoryInput) -> Iterator[Conflict]:
    names: dict[str, list[Evidence]] = {}
    for name, span in _outlet_mentions(story):
        names.setdefault(name, []).append(span)

    def similar(one: str, other: str) -> bool:
        return difflib.SequenceMatcher(None, one.casefold(), other.casefold()).ratio() >= NAME_SIMILARITY

    return _variant_conflicts("name of the outlet", names, similar, "outlet")


# --- facts: numbers, people in a role, dates, places ----------------------------------------------------


def _fact_conflicts(story: StoryInput) -> Iterator[Conflict | BriefItem]:
    """Slots that aligned statements of different sources fill differently (facts.py), one conflict per disputed
    slot (the slots that matches join, across every source): every value with every span that states it, and
    how many sources give each. A developing figure (`_update`) is a timeline item instead. Two figures an order
    apart (`facts.near`: "25 points" / "2,290 points") are two facts, or one figure as it grew: an update or
    nothing, never a disagreement."""
    close: list[Match] = []
    apart: list[Match] = []
    for match in aligned_matches(story):
        (close if match.kind != "number" or near(match.one, match.other) else apart).append(match)
    for matches_of_slot in _disputed_slots(close):
        yield from _disputed(matches_of_slot, conflict=True, sources=story.sources)
    for matches_of_slot in _disputed_slots(apart):
        yield from _disputed(matches_of_slot, conflict=False, sources=story.sources)


def _disputed_slots(matches: list[Match]) -> list[list[Match]]:
    """The matches grouped by the slot they dispute: slots joined by matches are one disputed slot ("3 sources:
    27 · 1 source: 29")."""
    parent: dict[tuple[str, str, int], tuple[str, str, int]] = {}

    def root(key: tuple[str, str, int]) -> tuple[str, str, int]:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for match in matches:
        one, other = (
            root(_slot_key(match.one_statement, match.one)),
            root(_slot_key(match.other_statement, match.other)),
        )
        if one != other:
            parent[other] = one
    groups: dict[tuple[str, str, int], list[Match]] = {}
    for match in matches:
        groups.setdefault(root(_slot_key(match.one_statement, match.one)), []).append(match)
    return list(groups.values())


def _disputed(
    matches_of_slot: list[Match], conflict: bool, sources: Sequence[SourceArticle] = ()
) -> Iterator[Conflict | BriefItem]:
    """One disputed slot as an update, else (when `conflict`) as a conflict; nothing when its values turn out to
    be other facts (`_named_together`), a sentence pattern (`_pattern`), one name written two ways, or a figure
    that only grew over days (`_update`)."""
    first = matches_of_slot[0]
    # each value as first written (checked against its own spans, so case is kept); one person or place
    # written two ways ("Barack Obama" / "Barack Obama's") is one value
    stated = list(
        dict.fromkeys(
            pair for m in matches_of_slot for pair in ((m.one, m.one_statement), (m.other, m.other_statement))
        )
    )
    labels: dict[str, str] = {}
    values: dict[str, list[Evidence]] = {}
    for slot, statement in stated:
        label = labels.setdefault(_value_key(slot), slot.text)
        values.setdefault(label, []).append(_statement_span(statement))
    if first.kind == "date":
        values = _dates_said_alike(values)
    if len(values) < 2:
        return
    label_of = {id(slot): labels.get(_value_key(slot), slot.text) for slot, _ in stated}
    other_facts = _named_together(first.kind, stated, sources, values, label_of)
    values = {label: spans for label, spans in values.items() if label not in other_facts}
    stated = [(slot, statement) for slot, statement in stated if label_of[id(slot)] not in other_facts]
    if len(values) < 2 or _pattern(first.kind, values, stated) or _one_value(stated):
        return
    update = _update(first, stated) if first.kind == "number" else False
    if isinstance(update, BriefItem):
        yield update
    elif conflict and not update:
        agreement = max(m.agreement for m in matches_of_slot)
        yield Conflict(
            _subject(first),
            tuple(ConflictValue(v, tuple(dict.fromkeys(s))) for v, s in values.items()),
            first.kind,
            round(min(1.0, agreement), 3),
        )


PATTERN_VALUES = 3


NAMED_TOGETHER = ("person", "place", "date")
_DAY_KEY = re.compile(r"^(?:\d{4}|XXXX)-(?:\d{2}-\d{2}|WXX-\d)")


def _named(slot: Slot) -> bool:
    """A value that names one thing of a story: a person, a place, a day. Years and months are left out: like
    figures, one year recurs for many facts of a story ("in 1957" he shot his father; the field was sold in 1967)."""
    return slot.kind != "date" or bool(_DAY_KEY.match(slot.key))


def _named_together(
    kind: str,
    stated: list[tuple[Slot, Statement]],
    sources: Sequence[SourceArticle],
    values: dict[str, list[Evidence]],
    label_of: dict[int, str],
) -> set[str]:
    """The values that are another fact, not another version of the main one (the value most sources give):
    those that a source of the story names together with the main value, the disputing sources included
    ("tribute concerts in London and in Cardiff"). People, places and days only (`_named`). Only values of
    different sources count: a value joined to the dispute from the same source as another ("Trump" beside
    "Chris Rock" in one headline) is not disputed by it."""
    if kind not in NAMED_TOGETHER:
        return set()
    main = max(values, key=lambda label: len({e.article_id for e in values[label]}))
    sayers: dict[int, set[int]] = {}  # per slot, the sources that state its value (each slot read once)

    def stating(slot: Slot) -> set[int]:
        if id(slot) not in sayers:
            sayers[id(slot)] = {index for index, source in enumerate(sources) if states(source, slot)}
        return sayers[id(slot)]

    drop: set[str] = set()
    for (a, one), (b, other) in itertools.combinations(stated, 2):
        if one.source.article.id == other.source.article.id or same_value(a, b) or not (_named(a) and _named(b)):
            continue
        pair = {label_of[id(a)], label_of[id(b)]}
        if main not in pair or len(pair) < 2 or not (pair - {main}) - drop:
            continue
        if stating(a) & stating(b):
            drop |= pair - {main}
    return drop


def _one_value(stated: list[tuple[Slot, Statement]]) -> bool:
    """Whether every value left names one person or place ("Nicola Sturgeon" / "Nicolas Sturgeon")."""
    return all(same_value(a, b) for (a, _), (b, _) in itertools.combinations(stated, 2))


def _pattern(kind: str, values: dict[str, list[Evidence]], stated: list[tuple[Slot, Statement]]) -> bool:
    """A sentence pattern many sources fill with their own person, place or day, not one fact told several
    ways: at least PATTERN_VALUES values (a name and its variants counted once) from as many sources, and
    none given by two sources ("India / Turkey / the Philippines confirms its first case", "the Senate voted
    Monday / Wednesday / Tuesday"). One fact that sources disagree on has few versions, and most are shared.
    Numbers are left out: a count reported at several stages has many values, and `_update` tells those apart."""
    if kind == "number" or len(values) < PATTERN_VALUES:
        return False
    groups: list[tuple[list[Slot], set[str]]] = []  # one value and its variants: its slots, its sources
    for slot, statement in stated:
        group = next((g for g in groups if any(same_value(slot, other) for other in g[0])), None)
        if group is None:
            groups.append(([slot], {statement.source.article.id}))
        else:
            group[0].append(slot)
            group[1].add(statement.source.article.id)
    sources = {source for _, group_sources in groups for source in group_sources}
    return len(sources) >= PATTERN_VALUES and all(len(group_sources) == 1 for _, group_sources in groups)


UPDATE_CUES = frozenset(
    word_terms("rose risen rises climbed climbs increased increases grew grown jumped updated latest toll")
)
UPDATE_GAP_HOURS = 1.0
UPDATE_DAY_HOURS = 24.0  # any figure that only grew, each step published a day or more after the one before
UPDATE_RATIO = 20.0  # a running count grows by at most this factor from one report to the next


def _update(first: Match, stated: list[tuple[Slot, Statement]]) -> BriefItem | bool:
    """A developing figure, not a disagreement: each larger value was first published at least
    `UPDATE_GAP_HOURS` after every source of each smaller one ("46 countries", then "64 countries" a week
    later), and the figure is a running count (dead, injured, missing, arrested, displaced, cases) or a later
    sentence says it moved (`UPDATE_CUES`: "rose", "toll" ...): a timeline item. A figure that only grew, each
    value published a day or more after the one before (`UPDATE_DAY_HOURS`), but is neither, and no age, is
    True: whether it is one figure that grew or two figures is not known, so it is neither a disagreement nor an
    update. Else False."""
    by_value: dict[float, list[tuple[Slot, Statement]]] = {}
    for slot, statement in stated:
        by_value.setdefault(slot.quantity.value if slot.quantity else 0.0, []).append((slot, statement))
    if len(by_value) < 2:
        return False
    values = sorted(by_value)
    if any(later > UPDATE_RATIO * max(earlier, 1.0) for earlier, later in zip(values, values[1:], strict=False)):
        return False  # "up to 68 people" and "40 million people" are two figures, not one that grew
    steps = [by_value[value] for value in values]
    times: list[list[dt.datetime]] = []
    for step in steps:
        dated = [published_at(s.source) for _, s in step]
        if any(t is None for t in dated):
            return False
        times.append([t for t in dated if t is not None])
    gaps = [
        (min(later) - max(earlier)).total_seconds() / 3600 for earlier, later in zip(times, times[1:], strict=False)
    ]
    if min(gaps) < UPDATE_GAP_HOURS:
        return False
    later_words = {w for step in steps[1:] for _, s in step for w in s.frame}
    if not (counted(first.one) or later_words & UPDATE_CUES):
        return min(gaps) >= UPDATE_DAY_HOURS and not any(is_age(slot, statement) for slot, statement in stated)
    evidence = tuple(dict.fromkeys(_statement_span(s) for step in steps for _, s in step))
    text = "updated figure: " + ", then ".join(step[0][0].text for step in steps)
    sources = len({e.article_id for e in evidence})
    return BriefItem(text=text, evidence=evidence, support=sources, date=max(times[-1]).date().isoformat())


def _dates_said_alike(values: dict[str, list[Evidence]]) -> dict[str, list[Evidence]]:
    """One date said more or less fully is one value, under its shortest writing, which every one of its spans
    holds: "Sunday" for "early Sunday" and "Sunday, February 1, 2009" (a match pairs each with another day,
    and the disputed slot joins them)."""
    merged: dict[str, list[Evidence]] = {}
    for label in sorted(values, key=len):
        shorter = next((kept for kept in merged if kept.casefold() in label.casefold()), None)
        merged.setdefault(shorter or label, []).extend(values[label])
    return {label: merged[label] for label in values if label in merged}


def _slot_key(statement: Statement, slot: Slot) -> tuple[str, str, int]:
    """One slot of one article; the kind is part of it, so that a date the entity model also read as a person
    ("Thu Apr" in "Thu Apr 30, 2009") does not join a dispute about people to one about dates."""
    return statement.source.article.id, slot.kind, slot.start


def _value_key(slot: Slot) -> str:
    """What makes two values one: a name's words for people and places, the text for numbers and dates."""
    return slot.key if slot.kind in ("person", "place") else slot.text


def _statement_span(statement: Statement) -> Evidence:
    """A value's evidence is its whole statement: the value is read in its sentence (and checked there)."""
    return Evidence(statement.source.article.id, statement.start, statement.end)


def _subject(match: Match) -> str:
    """What is disputed, in the first source's own words around the value: 'date: "convicted in … of aggravated"'."""
    text = match.one_statement.source.article.text
    before = text[match.one_statement.start : match.one.start].split()[-3:]
    after = text[match.one.end : match.one_statement.end].split()[:3]
    words = " ".join([*before, "…", *after]).strip(" …,.;:")
    return f'{match.kind}: "{words}"' if words else match.kind
