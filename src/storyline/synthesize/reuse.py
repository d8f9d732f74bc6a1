"""What a copy or a rewrite took from its origin, and what it added: the evidence behind a lineage edge.

For a member that clustering typed `syndicated_copy` or `derivative` of an article of the same story (the first
id of `derived_from` that is a member), each of its sentences is aligned to the origin's sentences:
- *same*: the two sentences have the same words (lower-cased, punctuation ignored);
- *edited*: they share >= `EDITED_OVERLAP` of their distinct words (Jaccard), the best such origin sentence,
  each origin sentence used once (a reworded or extended sentence, "stated" for "said", a credit prefixed).
Aligned pairs become `Reused(copy, origin)` spans, in the member's order.

A member sentence that aligns to nothing is *added* when it carries a fact its origin does not: a number whose
value the origin never states, a name (person, organisation, place) whose canonical form the origin never
mentions, a direct quote, or a date the origin never gives. Newsroom filler ("did not immediately respond")
names nothing new and is never listed. Those spans are the source's `added`: what that outlet brought.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline.records import Evidence, Reused, Sentence
from storyline.synthesize.bundle import SourceArticle, StoryInput, sentence_evidence

__all__ = ["EDITED_OVERLAP", "SourceReuse", "story_reuse"]

EDITED_OVERLAP = 0.5
MAX_PAIRS = 60  # spans listed per source (a long copy lists its first 60 aligned sentences)
WORD = re.compile(r"\w+")
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})


@dataclass(frozen=True, slots=True)
class SourceReuse:
    reused: tuple[Reused, ...]  # at most MAX_PAIRS
    added: tuple[Evidence, ...]


def story_reuse(story: StoryInput) -> dict[str, SourceReuse]:
    """Per derived member (article id): its aligned spans and its added sentences against its origin."""
    by_id = {s.article.id: s for s in story.sources}
    bylines = frozenset(n.casefold() for s in story.sources for n in (s.article.outlet, *s.article.authors) if n)
    out = {}
    for source in story.sources:
        if source.member.role not in ("syndicated_copy", "derivative"):
            continue
        origin = next((by_id[i] for i in source.member.derived_from if i in by_id and i != source.article.id), None)
        if origin is not None:
            out[source.article.id] = align(source, origin, bylines)
    return out


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


def align(member: SourceArticle, origin: SourceArticle, bylines: frozenset[str] = frozenset()) -> SourceReuse:
    """Sentence alignment of `member` against `origin`, and the member's sentences with new facts (the story's
    outlets and authors, `bylines`, are not facts: "first reported by Outlet A" adds nothing)."""
    theirs = [(s, _words(origin.sentence_text(s))) for s in origin.analysis.sentences]
    exact: dict[tuple[str, ...], list[int]] = {}
    for index, (_, words) in enumerate(theirs):
        exact.setdefault(words, []).append(index)
    sets = [set(words) for _, words in theirs]
    used: set[int] = set()
    pairs: list[Reused] = []
    unaligned: list[Sentence] = []
    for sentence in member.analysis.sentences:
        words = _words(member.sentence_text(sentence))
        match = _same(exact.get(words, []), used) if words else None
        if match is None and len(set(words)) >= 3:
            match = _edited(set(words), sets, used)
        if match is None:
            unaligned.append(sentence)
            continue
        used.add(match)
        other = theirs[match][0]
        pairs.append(Reused(sentence_evidence(member, sentence), sentence_evidence(origin, other)))
    found = _with_new_facts(member, origin, unaligned, bylines)
    return SourceReuse(tuple(pairs[:MAX_PAIRS]), tuple(sentence_evidence(member, s) for s in found))


def _same(candidates: list[int], used: set[int]) -> int | None:
    return next((c for c in candidates if c not in used), None)


def _edited(words: set[str], sets: list[set[str]], used: set[int]) -> int | None:
    best, best_score = None, EDITED_OVERLAP
    for index, other in enumerate(sets):
        if index in used or not other:
            continue
        score = len(words & other) / len(words | other)
        if score >= best_score:
            best, best_score = index, score
    return best


def _with_new_facts(
    member: SourceArticle, origin: SourceArticle, sentences: list[Sentence], bylines: frozenset[str]
) -> Iterator[Sentence]:
    values = {round(q.value, 6) for q in origin.analysis.quantities}
    names = {e.canonical.casefold() for e in origin.analysis.entities if e.label in NAME_LABELS} | bylines
    origin_text = origin.article.text.casefold()
    dates = {t.value for t in origin.analysis.times if t.type == "DATE"}
    analysis = member.analysis
    title_end = len(member.article.title) if member.article.text.startswith(member.article.title) else 0
    for sentence in sentences:
        if sentence.start < title_end:  # a headline is not reporting
            continue

        def inside(start: int, end: int, s: Sentence = sentence) -> bool:
            return s.start <= start and end <= s.end

        numbers = [q for q in analysis.quantities if inside(q.start, q.end) and round(q.value, 6) not in values]
        people = [
            e
            for e in analysis.entities
            if e.label in NAME_LABELS
            and inside(e.start, e.end)
            and e.canonical.casefold() not in names
            and e.text.casefold() not in origin_text
        ]
        quotes = [q for q in analysis.quotes if q.kind == "direct" and inside(q.start, q.end)]
        times = [t for t in analysis.times if t.type == "DATE" and inside(t.start, t.end) and t.value not in dates]
        if numbers or people or quotes or times:
            yield sentence
