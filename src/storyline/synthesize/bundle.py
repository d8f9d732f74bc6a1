"""What the synthesize stage reads for one story: each member article with its analysis and its role."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from storyline.records import Analysis, Article, Coverage, Credit, Evidence, Sentence, StoryMember

__all__ = ["SourceArticle", "StoryInput", "derived", "sentence_evidence"]


@dataclass(frozen=True, slots=True)
class SourceArticle:
    """One member article of a story, with what the analyze and cluster stages found about it."""

    article: Article
    analysis: Analysis
    member: StoryMember  # role (original | syndicated_copy | derivative | independent) and derived_from

    def sentence_text(self, sentence: Sentence) -> str:
        return self.article.text[sentence.start : sentence.end]


@dataclass(frozen=True, slots=True)
class StoryInput:
    """Everything a brief is written from. `sources` are in publication order (unknown dates last)."""

    story_id: str
    sources: Sequence[SourceArticle]
    credits: Sequence[Credit] = ()  # sources the articles credit ("first reported by X in Y"), from clustering
    coverage: Coverage | None = None


def sentence_evidence(source: SourceArticle, sentence: Sentence) -> Evidence:
    return Evidence(source.article.id, sentence.start, sentence.end)


_Owner = TypeVar("_Owner", SourceArticle, StoryInput)
_Value = TypeVar("_Value")
DERIVED_HELD = 256  # values kept at most (the memo is emptied when full)
_DERIVED: dict[tuple[str, int], tuple[object, object]] = {}


def derived(kind: str, owner: _Owner, build: Callable[[_Owner], _Value]) -> _Value:
    """`build(owner)` for a story or one of its sources, computed once while several sections of one brief ask
    for it (where the report ends, the story's stray lines). Keyed by `kind` and the owner's identity; the owner is
    held beside its value, so an id is never taken for another object's."""
    key = (kind, id(owner))
    held = _DERIVED.get(key)
    if held is not None and held[0] is owner:
        return held[1]  # type: ignore[return-value]  # stored by this function under this kind
    if len(_DERIVED) >= DERIVED_HELD:
        _DERIVED.clear()
    value = build(owner)
    _DERIVED[key] = (owner, value)
    return value
