"""Records: the frozen, typed data every stage takes and returns.

Offsets (`start`, `end`) are always character offsets into `Article.text`, so `article.text[start:end]` is the
supporting span. Records never hold references to other records' objects by identity, only by id, so each can be
stored and reloaded alone. `to_dict` / `from_dict` turn any record into JSON-ready data and back.
"""

import dataclasses
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

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_span("Evidence", self.start, self.end)


# --- ingest -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hint:
    """A metadata value offered by the container of a document (feed entry, JSONL line, HTTP response)."""

    field: str  # title | outlet | authors | published | url | language | tags
    value: str
    source: str  # feed | jsonl | http


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded input document, before extraction."""

    source: str  # what the user named: a path, a URL, '-'
    location: str  # where this document came from: file path, URL, 'feed.xml#3', 'stdin:2'
    content: str  # decoded HTML or plain text
    media_type: str  # "html" | "text"
    hints: tuple[Hint, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that a stage could not use, and why. Skips are data: they are stored and counted."""

    source: str
    stage: str  # ingest | extract | analyze | cluster | synthesize
    reason: str


# --- extract ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one metadata field's value came from and how sure we are of it."""

    field: str  # title | outlet | authors | published | language | tags
    source: str  # json-ld | meta | byline | feed | jsonl | url | chrome | htmldate | title-line | detector
    confidence: float  # 0..1: the winning value's share of the votes, scaled by the source's reliability
    evidence: Evidence | None = None  # where Article.text states the value, when it does


@dataclass(frozen=True, slots=True)
class Section:
    """A headed part of the text: `heading` starts at `start`; the section runs to `end`."""

    heading: str
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_span("Section", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Removal:
    """A line the extractor took out of the text, kept so nothing is silently lost."""

    text: str
    reason: str  # navigation | call-to-action | comments | ai-disclaimer | repeated | empty-section | tags | ...


@dataclass(frozen=True, slots=True)
class Article:
    """Clean text and voted metadata of one article. `id` is a hash of the normalized text."""

    id: str
    text: str  # title line first, then byline lines found in the source, then the body
    title: str
    url: str | None = None
    locations: tuple[str, ...] = ()
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None  # ISO 639-1
    tags: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    sections: tuple[Section, ...] = ()
    removed: tuple[Removal, ...] = ()

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]


# --- analyze ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_span("Sentence", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    text: str  # the surface form at [start, end)
    label: str  # PERSON | ORG | GPE | LOC | NORP | LAW | DATE | MONEY | PERCENT | EVENT | PRODUCT | ...
    start: int
    end: int
    canonical: str  # the article's fullest form of the name ("Lambert" -> "Nathan Lambert")


@dataclass(frozen=True, slots=True)
class Quote:
    text: str  # the quoted content at [start, end), without its quote marks
    start: int
    end: int
    speaker: str | None  # canonical name of who said it, when attributed
    speaker_span: tuple[int, int] | None = None  # the mention that names (or refers to) the speaker
    cue: str | None = None  # said | argued | warned | according to | ...
    kind: str = "direct"  # direct | indirect


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    value: float  # normalized: "$8 trillion" -> 8e12, "90%" -> 0.9
    unit: str | None  # USD | EUR | ratio | people | ...
    comparator: str  # = | > | < | >= | <= | ~
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    start: int
    end: int
    holder: str | None  # who asserts it; None when it is the article's own voice
    quantities: tuple[Quantity, ...] = ()
    entities: tuple[str, ...] = ()
    score: float = 0.0  # check-worthiness, 0..1


@dataclass(frozen=True, slots=True)
class TimeExpression:
    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET (TimeML)
    value: str  # TimeML value: 2026-06-19, 1983, 2026-06, 2026-W25, P3D, PRESENT_REF, XXXX-06-19


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence that dates something: `date` is the ISO value of its time expression."""

    date: str
    text: str
    start: int
    end: int
    time: TimeExpression


@dataclass(frozen=True, slots=True)
class Analysis:
    article_id: str
    version: str
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    topics: tuple[str, ...] = ()
    summary: Sentence | None = None
    skipped: tuple[str, ...] = ()  # analyses not run, with why: "entities: no offline model for 'zh'"


# --- cluster ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryMember:
    article_id: str
    role: str  # original | syndicated_copy | derivative | independent
    derived_from: tuple[str, ...] = ()
    similarity: float = 0.0  # to the story when the article joined


@dataclass(frozen=True, slots=True)
class Credit:
    """A source an article credits ("first reported by X in Y", "Source reporting: Y", "via Y")."""

    name: str  # the outlet or person credited
    kind: str  # outlet | person
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Coverage:
    articles: int
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    velocity: float  # articles per day between first and last seen
    noise: float  # 0..1, see `noise_formula`
    noise_formula: str


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    members: tuple[StoryMember, ...]
    credits: tuple[Credit, ...] = ()
    coverage: Coverage | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One line of a story's log: created, joined, merged, split, each with its reason."""

    story_id: str
    kind: str  # create | join | merge | split
    reason: str
    at: str
    article_id: str | None = None
    other_story_id: str | None = None


# --- synthesize ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BriefItem:
    text: str
    evidence: tuple[Evidence, ...]
    support: int | None = None  # distinct sources that support the item
    date: str | None = None  # timeline items
    speaker: str | None = None  # quotes, forecast items
    horizon: str | None = None  # forecast items

    def __post_init__(self) -> None:
        if not self.evidence:
            raise InvalidRecord(f"BriefItem without evidence: {self.text[:60]!r}")


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    actors: tuple[str, ...]
    stance: str
    items: tuple[BriefItem, ...]


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    subject: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True, slots=True)
class Source:
    article_id: str | None  # None for a credited upstream source that was not ingested
    outlet: str | None
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    url: str | None
    role: str  # original | derivative | independent | syndicated_copy | credited_upstream
    derived_from: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # for credited upstream sources: the spans that credit them


@dataclass(frozen=True, slots=True)
class Brief:
    id: str
    headline: BriefItem
    summary: tuple[BriefItem, ...]
    key_points: tuple[BriefItem, ...]
    why_it_matters: tuple[BriefItem, ...]
    explainer: tuple[BriefItem, ...]
    sides: tuple[Side, ...]
    timeline: tuple[BriefItem, ...]
    forecast: tuple[BriefItem, ...]
    quotes: tuple[BriefItem, ...]
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    conflicts: tuple[Conflict, ...]
    coverage: Coverage
    generated_by: str


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
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - names
    if unknown:
        raise InvalidRecord(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    kwargs = {name: _from_plain(hints[name], value, f"{cls.__name__}.{name}") for name, value in data.items()}
    try:
        return cls(**kwargs)
    except TypeError as error:  # a missing required field
        raise InvalidRecord(f"{cls.__name__}: {error}") from error


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
