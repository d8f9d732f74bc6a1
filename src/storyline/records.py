"""Records: the frozen, typed data every stage takes and returns.

Offsets (`start`, `end`) are always character offsets into `Article.text`, so `article.text[start:end]` is the
supporting span. Records never hold references to other records' objects by identity, only by id, so each can be
stored and reloaded alone. `to_dict` / `from_dict` turn any record into JSON-ready data and back.
"""

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from storyline.errors import InvalidRecord

__all__ = [
    "Analysis",
    "Article",
    "Brief",
    "BriefItem",
    "Claim",
    "Conflict",
    "ConflictValue",
    "Coverage",
    "Credit",
    "Document",
    "Entity",
    "Event",
    "Evidence",
    "Hint",
    "Provenance",
    "Quantity",
    "Quote",
    "Removal",
    "Section",
    "Sentence",
    "Side",
    "Skip",
    "Source",
    "Story",
    "StoryEvent",
    "StoryMember",
    "TimeExpression",
    "from_dict",
    "to_dict",
]


def _check_span(owner: str, start: int, end: int) -> None:
    if start < 0 or end < start:
        raise InvalidRecord(f"{owner}: bad span [{start}, {end})")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A supporting span: `Article.text[start:end]` of the article `article_id`."""

    article_id: str  # the Article whose text holds the span
    start: int  # first character of the span in Article.text
    end: int  # one past the last character

    def __post_init__(self) -> None:
        _check_span("Evidence", self.start, self.end)


# --- ingest -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hint:
    """A metadata value offered by the container of a document (feed entry, JSONL line, HTTP response)."""

    field: str  # title | outlet | authors | published | url | language | tags | fetched (when a crawler fetched it)
    value: str  # as the container gives it (several authors or tags joined by "; ")
    source: str  # feed | jsonl | http | warc


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded input document, before extraction."""

    source: str  # what the user named: a path, a URL, '-'
    location: str  # where this document came from: file path, URL, 'feed.xml#3', 'stdin:2'
    content: str  # decoded HTML or plain text
    media_type: str  # "html" | "text"
    hints: tuple[Hint, ...] = ()  # metadata offered by the container (feed entry, JSONL line)
    url: str | None = None  # the page's URL when known
    flags: tuple[str, ...] = ()  # what reading it changed: decode-repaired, surrogates-replaced, truncated-...


@dataclass(frozen=True, slots=True)
class Feed:
    """A followed source (RSS, Atom or JSON Feed) and the watcher's state for it."""

    url: str  # the feed URL; updated after a permanent redirect (301 / 308)
    added_as: str  # the URL as the user gave it (a site page whose feed was discovered, or the feed itself)
    title: str | None = None  # the feed's own title, when it gives one
    status: str = "active"  # active | paused (after `pause_after` failures in a row; `sources resume` clears it)
    interval: float | None = None  # minutes between fetches for this feed (None: the watcher's default)
    etag: str | None = None  # validators for the next conditional GET
    last_modified: str | None = None
    last_fetch: str | None = None  # ISO time of the last attempt
    last_success: str | None = None  # ISO time of the last 200 or 304
    last_error: str | None = None  # the last failure, in words (cleared by a success)
    failures: int = 0  # failures in a row
    next_fetch: str | None = None  # ISO time the feed is next due (None: now)
    items: int = 0  # entries in the last feed body read
    articles: int = 0  # new articles stored from this feed, in all


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that a stage could not use, and why. Skips are data: they are stored and counted."""

    source: str  # the input (path, URL, 'file.jsonl:3') or article id that was skipped
    stage: str  # ingest | extract | analyze | cluster | synthesize
    reason: str  # a sentence that reads well on its own: "binary content (NUL bytes)"


# --- extract ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one metadata field's value came from and how sure we are of it."""

    field: str  # title | outlet | authors | published | language | tags
    source: str  # json-ld | meta | byline | feed | jsonl | url | chrome | htmldate | title-line | detector | derived
    confidence: float  # 0..1: the winning value's share of the votes, scaled by the source's reliability
    evidence: Evidence | None = None  # where Article.text states the value, when it does


@dataclass(frozen=True, slots=True)
class Section:
    """A headed part of the text: `heading` starts at `start`; the section runs to `end`."""

    heading: str  # the heading line, e.g. "Why It Matters"
    start: int  # where the heading starts
    end: int  # end of the section's last paragraph

    def __post_init__(self) -> None:
        _check_span("Section", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Removal:
    """A line the extractor took out of the text, kept so nothing is silently lost."""

    text: str  # the removed line as it was
    reason: str  # navigation | call-to-action | comments | ai-disclaimer | repeated | empty-section | tags | ...


@dataclass(frozen=True, slots=True)
class Appearance:
    """One place an article's text was read from, with the metadata that place gives it: an outlet that ran the
    same text (a syndicated copy) keeps its own name, URL, date and byline."""

    location: str  # file path, URL, 'feed.xml#3', 'stdin:2'
    outlet: str | None = None  # the publication at this location
    url: str | None = None  # the page's URL when known
    published: str | None = None  # ISO 8601 date or datetime, as this location gives it
    authors: tuple[str, ...] = ()  # the byline at this location
    title: str | None = None  # the headline at this location


@dataclass(frozen=True, slots=True)
class Article:
    """Clean text and voted metadata of one article. `id` is a hash of the normalized text."""

    id: str  # sha256 of the normalized text (NFKC, case-folded, whitespace collapsed), 16 hex digits
    text: str  # title line first, then byline lines found in the source, then the body; paragraphs split by \n\n
    title: str  # the headline, as it stands at the start of `text`
    url: str | None = None  # canonical URL when known
    locations: tuple[str, ...] = ()  # every place this same text was read from (paths, URLs)
    outlet: str | None = None  # publication name
    authors: tuple[str, ...] = ()  # person names
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None  # ISO 639-1 code of the body
    tags: tuple[str, ...] = ()  # the source's own tags, any language
    flags: tuple[str, ...] = ()  # ai_generated_disclosure, boilerplate_removed, repeated_paragraphs_removed, ...
    provenance: tuple[Provenance, ...] = ()  # per metadata field: source, confidence, evidence
    sections: tuple[Section, ...] = ()  # headed parts of the text
    removed: tuple[Removal, ...] = ()  # lines taken out of the text, with reasons
    appearances: tuple[Appearance, ...] = ()  # per location, its own metadata (filled by the store)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]


# --- analyze ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: `Article.text[start:end]`."""

    start: int  # first character
    end: int  # one past the last character

    def __post_init__(self) -> None:
        _check_span("Sentence", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity mention."""

    text: str  # the surface form at [start, end)
    label: str  # PERSON | ORG | GPE | LOC | NORP | LAW | DATE | MONEY | PERCENT | EVENT | PRODUCT | ...
    start: int  # mention start
    end: int  # mention end
    canonical: str  # the article's fullest form of the name ("Lambert" -> "Nathan Lambert")


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or indirect quote with its speaker."""

    text: str  # the quoted content at [start, end), without its quote marks
    start: int  # content start
    end: int  # content end
    speaker: str | None  # canonical name of who said it, when attributed
    speaker_span: tuple[int, int] | None = None  # the mention that names (or refers to) the speaker
    cue: str | None = None  # said | argued | warned | according to | ...
    kind: str = "direct"  # direct | indirect


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, normalized."""

    text: str  # as written: "over 90%"
    value: float  # normalized: "$8 trillion" -> 8e12, "90%" -> 0.9
    unit: str | None  # USD | EUR | ratio | people | ...
    comparator: str  # = | > | < | >= | <= | ~
    start: int  # start of the written quantity
    end: int  # end of the written quantity


@dataclass(frozen=True, slots=True)
class Claim:
    """A check-worthy factual sentence."""

    text: str  # the sentence
    start: int  # sentence start
    end: int  # sentence end
    holder: str | None  # who asserts it; None when it is the article's own voice
    quantities: tuple[Quantity, ...] = ()  # numbers in the sentence
    entities: tuple[str, ...] = ()  # canonical names in the sentence
    score: float = 0.0  # check-worthiness, 0..1


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression normalized against the publication date (TimeML TIMEX3)."""

    text: str  # as written: "last month"
    start: int  # expression start
    end: int  # expression end
    type: str  # DATE | TIME | DURATION | SET (TimeML)
    value: str  # TimeML value: 2026-06-19, 1983, 2026-06, 2026-W25, P3D, PRESENT_REF, XXXX-06-19


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence that dates something: `date` is the ISO value of its time expression."""

    date: str  # ISO value: 1983, 2026-06, 2026-06-19
    text: str  # the sentence
    start: int  # sentence start
    end: int  # sentence end
    time: TimeExpression  # the expression that dates it


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analyze stage found in one article."""

    article_id: str  # the analysed Article
    version: str  # analysis version, e.g. "analysis.v1": a new version re-runs the stage
    sentences: tuple[Sentence, ...] = ()  # sentence spans
    entities: tuple[Entity, ...] = ()  # named entities, names merged within the article
    quotes: tuple[Quote, ...] = ()  # direct and indirect quotes
    claims: tuple[Claim, ...] = ()  # check-worthy factual sentences
    times: tuple[TimeExpression, ...] = ()  # normalized time expressions
    events: tuple[Event, ...] = ()  # sentences placed on a date
    topics: tuple[str, ...] = ()  # keywords
    quantities: tuple[Quantity, ...] = ()  # every number in the text (claims hold only their own sentence's)
    summary: Sentence | None = None  # one-line extractive summary
    skipped: tuple[str, ...] = ()  # analyses not run, with why: "entities: no offline model for 'zh'"
    analyzers: tuple[str, ...] = ()  # what analysed it, per step: "sentences:rules-cjk", "entities:rules-cjk"


# --- cluster ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story and its place in the story's lineage."""

    article_id: str  # the member Article
    role: str  # original | syndicated_copy | derivative | independent
    derived_from: tuple[str, ...] = ()  # article ids this one copies or rewrites, the likeliest first
    similarity: float = 0.0  # to the story when the article joined
    confidence: float = 0.0  # 0..1: how sure the lineage is (copies and derivatives; 0 for roots)
    basis: str = ""  # the lineage evidence in words: "credits Wire; 9 of 12 sentences from a1b2 (reordered)"


@dataclass(frozen=True, slots=True)
class Credit:
    """A source an article credits ("first reported by X in Y", "Source reporting: Y", "via Y")."""

    name: str  # the outlet or person credited
    kind: str  # outlet | person
    evidence: Evidence  # the span that gives the credit
    cue: str = ""  # reported (first/originally reported by) | appeared | source | via | dateline | byline


@dataclass(frozen=True, slots=True)
class Coverage:
    """How widely a story is covered."""

    articles: int  # member count
    outlets: tuple[str, ...]  # distinct outlets
    languages: tuple[str, ...]  # distinct languages
    first_seen: str | None  # earliest publication date
    last_seen: str | None  # latest publication date
    velocity: float  # articles per day between first and last seen
    noise: float  # 0..1, see `noise_formula`
    noise_formula: str  # how `noise` was computed, in words
    language_counts: tuple[tuple[str, int], ...] = ()  # articles per language, most first: (("en", 3), ("zh", 1))


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one event. The id is stable as articles join."""

    id: str  # stable story id
    members: tuple[StoryMember, ...]  # the articles, with roles
    credits: tuple[Credit, ...] = ()  # sources the members credit (may not be ingested)
    coverage: Coverage | None = None  # counts, outlets, languages, dates, noise
    created_at: str = ""  # ISO timestamp
    updated_at: str = ""  # ISO timestamp of the last change
    status: str = "active"  # active (in the clustering window) | dormant (retired from it, kept whole)
    follows: tuple[str, ...] = ()  # earlier (dormant) stories this one continues
    followed_by: tuple[str, ...] = ()  # later stories that continue this one


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One line of a story's log: created, joined, merged, split, each with its reason."""

    story_id: str  # the story the line is about
    kind: str  # create | join | merge | split | retire | reopen | follow | move
    reason: str  # why, in words with the figures that decided it
    at: str  # ISO timestamp
    article_id: str | None = None  # the article that joined, if any
    other_story_id: str | None = None  # the story merged into or split from


# --- synthesize ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BriefItem:
    """One statement of a brief, with the spans that support it (at least one)."""

    text: str  # the statement shown to the reader
    evidence: tuple[Evidence, ...]  # supporting spans
    support: int | None = None  # distinct sources that support the item
    date: str | None = None  # timeline items
    speaker: str | None = None  # quotes, forecast items
    horizon: str | None = None  # forecast items
    generated_by: str = "extractive"  # who worded the text: "extractive" (a source sentence) or the model's name
    verified: bool = True  # a model-worded item passed every check against its spans (never False in a brief)

    def __post_init__(self) -> None:
        if not self.evidence:
            raise InvalidRecord(f"BriefItem without evidence: {self.text[:60]!r}")


@dataclass(frozen=True, slots=True)
class Side:
    """A position on the story's central question."""

    label: str  # a name for the side, from the content
    actors: tuple[str, ...]  # who holds it
    stance: str  # the position in one line
    items: tuple[BriefItem, ...]  # claims and quotes that state it


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One of the competing values, with where each source gives it."""

    value: str  # the value as normalized for comparison display
    evidence: tuple[Evidence, ...]  # spans stating this value


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources disagree on one slot: who wrote it, an outlet's name, a number, a person in a role, a date, a place."""

    subject: str  # what is disputed, e.g. "author of the op-ed"
    values: tuple[ConflictValue, ...]  # two or more competing values
    kind: str = ""  # author | name | outlet | number | person | date | place
    confidence: float = 1.0  # 0..1: how sure the method is that the values are about the same fact


@dataclass(frozen=True, slots=True)
class Reused:
    """A sentence a copy or a rewrite took from its origin: the span in each."""

    copy: Evidence  # in the copy or rewrite
    origin: Evidence  # in the article it took it from


@dataclass(frozen=True, slots=True)
class Source:
    article_id: str | None  # None for a credited upstream source that was not ingested
    outlet: str | None  # publication name
    title: str | None  # headline
    authors: tuple[str, ...]  # person names
    published: str | None  # ISO date
    url: str | None  # where it was read
    role: str  # original | derivative | independent | syndicated_copy | credited_upstream
    derived_from: tuple[str, ...] = ()  # article ids it copies or rewrites
    evidence: tuple[Evidence, ...] = ()  # for credited upstream sources: the spans that credit them
    confidence: float = 0.0  # 0..1: how sure the lineage is (copies and derivatives)
    basis: str = ""  # the lineage evidence in words
    reused: tuple[Reused, ...] = ()  # sentences taken from its origin (derived_from[0]), span pairs
    added: tuple[Evidence, ...] = ()  # its sentences with facts its origin does not state
    language: str | None = None  # ISO 639-1 code of its text (None for a credited upstream source)


@dataclass(frozen=True, slots=True)
class Brief:
    """A story brief in which every item cites its source spans."""

    id: str  # the story id
    headline: BriefItem  # one line
    summary: tuple[BriefItem, ...]  # multi-source summary sentences
    key_points: tuple[BriefItem, ...]  # with support counts
    why_it_matters: tuple[BriefItem, ...]  # consequence and stakes
    explainer: tuple[BriefItem, ...]  # plain-language background
    sides: tuple[Side, ...]  # who argues what
    timeline: tuple[BriefItem, ...]  # dated events, sorted
    forecast: tuple[BriefItem, ...]  # forward-looking statements with speaker and horizon
    quotes: tuple[BriefItem, ...]  # distinct quotes with speakers
    topics: tuple[str, ...]  # keywords
    tags: tuple[str, ...]  # the sources' own tags, any language
    sources: tuple[Source, ...]  # articles and credited upstream sources
    conflicts: tuple[Conflict, ...]  # disagreements between sources
    coverage: Coverage  # how widely the story is covered
    generated_by: str  # method and version, e.g. "extractive.v1"; "extractive.v1+llm:MODEL" when a model worded items
    language: str | None = None  # the language model-worded items were asked in (`--language`); None: the sources'


# --- serialization ------------------------------------------------------------------------------------------

R = TypeVar("R")


def to_dict(record: Any) -> dict[str, Any]:
    """Turn a record into JSON-ready data (tuples become lists)."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise InvalidRecord(f"not a record: {type(record).__name__}")
    return {f.name: _to_plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if isinstance(value, tuple | list):
        return [_to_plain(v) for v in value]
    return value


def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
    """Rebuild a record of type `cls` from `to_dict` output. Unknown keys are an error."""
    if not isinstance(data, Mapping):
        raise InvalidRecord(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    hints, names = _fields(cls)  # type: ignore[arg-type]  # record classes are hashable
    unknown = set(data) - names
    if unknown:
        raise InvalidRecord(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    kwargs = {name: _from_plain(hints[name], value, f"{cls.__name__}.{name}") for name, value in data.items()}
    try:
        return cls(**kwargs)
    except TypeError as error:  # a missing required field
        raise InvalidRecord(f"{cls.__name__}: {error}") from error


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """Type hints and field names of a record class. Cached: a pure function of the class, bounded by the
    number of record classes (resolving hints on every nested record made reading a story 2x slower)."""
    return typing.get_type_hints(cls), frozenset(f.name for f in dataclasses.fields(cls))


def _from_plain(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _from_plain(inner[0], value, where)
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            raise InvalidRecord(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_plain(args[0], v, where) for v in value)
        return tuple(_from_plain(a, v, where) for a, v in zip(args, value, strict=True))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_dict(hint, value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, float, bool) and not isinstance(value, hint):
        raise InvalidRecord(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
    return value
