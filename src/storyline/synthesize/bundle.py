"""What the synthesize stage reads for one story: each member article with its analysis and its role."""

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import Analysis, Article, Coverage, Credit, Evidence, Sentence, StoryMember

__all__ = ["SourceArticle", "StoryInput", "sentence_evidence"]


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
