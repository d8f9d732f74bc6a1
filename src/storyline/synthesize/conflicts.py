"""Conflicts: the same slot given different values by different sources. Each value keeps its own spans.

Four slots are compared across the story's sources:

* who said or wrote it: statements attributed to a named person (quotes, indirect attributions, credit lines
  naming a person, bylines) are grouped by content (`ATTRIBUTION_OVERLAP` of content words); a group whose
  sources name different people is a conflict when the sources are mutually unaware: a source naming one person
  never mentions the other (several people making the same point inside one article is not a disagreement);
* outlet names: an outlet written differently by different sources (an article's byline outlet, an outlet a text
  credits) with string similarity of at least `NAME_SIMILARITY` but not equal;
* numbers: quantities with the same unit whose context words agree, but whose values differ by more than 1 %
  (comparators are kept: "over 90%" and "more than 90%" agree);
* dates: events in different sources whose sentences agree in content but whose dates differ.
"""

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from storyline.records import Conflict, ConflictValue, Evidence, Quantity
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.words import content_words, overlap

__all__ = ["ATTRIBUTION_OVERLAP", "NAME_SIMILARITY", "find_conflicts"]

ATTRIBUTION_OVERLAP = 0.3
NAME_SIMILARITY = 0.8
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
    return [
        *_attribution_conflicts(story),
        *_outlet_conflicts(story),
        *_number_conflicts(story),
        *_date_conflicts(story),
    ]


# --- who said or wrote it ---------------------------------------------------------------------------------


def _attributions(story: StoryInput) -> list[_Claim]:
    claims: list[_Claim] = []
    for source in story.sources:
        people = _people(source)
        for quote in source.analysis.quotes:
            person = _person(quote.speaker, people)
            if person is None or quote.speaker_span is None:
                continue
            sentence = _sentence_around(source, quote.start)
            spans = [
                Evidence(source.article.id, *quote.speaker_span),
                Evidence(source.article.id, quote.start, quote.end),
            ]
            words = content_words(source.article.text[sentence[0] : sentence[1]]) - _name_words(people | {person})
            claims.append(_Claim(source, person, words, spans))
        claims += _credited_authors(story, source, people)
    return claims


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
    claims = _attributions(story)
    parent = list(range(len(claims)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, claim in enumerate(claims):
        for j in range(i):
            if _related(claim, claims[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[_Claim]] = {}
    for i, claim in enumerate(claims):
        groups.setdefault(root(i), []).append(claim)
    for group in groups.values():
        values = _disputed_people(group)
        if len(values) >= 2:
            yield Conflict("who wrote or said it", tuple(values))


def _related(claim: _Claim, other: _Claim) -> bool:
    """One person in one source is one voice; across sources, statements that agree in content are linked."""
    if _same_person(claim.person, other.person):
        return claim.source is other.source or overlap(claim.words, other.words) >= ATTRIBUTION_OVERLAP
    return claim.source is not other.source and overlap(claim.words, other.words) >= ATTRIBUTION_OVERLAP


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
    done: set[str] = set()
    for name in names:
        if name in done:
            continue
        variants = [
            other
            for other in names
            if other != name
            and difflib.SequenceMatcher(None, name.casefold(), other.casefold()).ratio() >= NAME_SIMILARITY
        ]
        if variants:
            done.update([name, *variants])
            values = [ConflictValue(n, tuple(_unique(iter(names[n])))) for n in (name, *variants)]
            yield Conflict("name of the outlet", tuple(values))


# --- numbers and dates ------------------------------------------------------------------------------------


def _context(source: SourceArticle, quantity: Quantity) -> set[str]:
    after = source.article.text[quantity.end : quantity.end + 60]
    return set(list(content_words(after))[:4]) | content_words(re.sub(r"[\d.,$€£%]+", " ", quantity.text))


def _number_conflicts(story: StoryInput) -> Iterator[Conflict]:
    readings: list[tuple[SourceArticle, Quantity, set[str]]] = []
    for source in story.sources:
        for claim in source.analysis.claims:
            readings += [(source, q, _context(source, q)) for q in claim.quantities if q.unit]
    seen: set[int] = set()
    for index, (source, quantity, context) in enumerate(readings):
        if index in seen:
            continue
        rivals = [
            j
            for j, (other_source, other, other_context) in enumerate(readings)
            if j > index
            and other_source is not source
            and other.unit == quantity.unit
            and overlap(context, other_context) >= CONTEXT_OVERLAP
            and abs(other.value - quantity.value) > 0.01 * max(abs(quantity.value), abs(other.value))
        ]
        if rivals:
            seen.update(rivals)
            members = [readings[index], *(readings[j] for j in rivals)]
            values: dict[str, list[Evidence]] = {}
            for member_source, member, _ in members:
                values.setdefault(member.text, []).append(Evidence(member_source.article.id, member.start, member.end))
            subject = " ".join(sorted(context)[:4])
            yield Conflict(f"number: {subject}", tuple(ConflictValue(v, tuple(s)) for v, s in values.items()))


def _date_conflicts(story: StoryInput) -> Iterator[Conflict]:
    events = [(s, e, content_words(e.text)) for s in story.sources for e in s.analysis.events]
    seen: set[int] = set()
    for index, (source, event, words) in enumerate(events):
        if index in seen:
            continue
        rivals = [
            j
            for j, (other_source, other, other_words) in enumerate(events)
            if j > index
            and other_source is not source
            and len(other.date) == len(event.date)
            and other.date != event.date
            and overlap(words, other_words) >= EVENT_OVERLAP
        ]
        if rivals:
            seen.update(rivals)
            values: dict[str, list[Evidence]] = {}
            for member_source, member, _ in [events[index], *(events[j] for j in rivals)]:
                span = Evidence(member_source.article.id, member.time.start, member.time.end)
                values.setdefault(member.time.text, []).append(span)
            yield Conflict(f"date of: {event.text[:60]}", tuple(ConflictValue(v, tuple(s)) for v, s in values.items()))


def conflict_subjects(conflicts: Sequence[Conflict]) -> list[str]:
    return [c.subject for c in conflicts]
