"""StoryInput -> Brief: every section chosen from the sources, every item citing its spans (extractive.v1)."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.records import Article, Brief, BriefItem
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.candidates import preferred_sources
from storyline.synthesize.conflicts import conflicts_and_updates
from storyline.synthesize.grounding import GroundingProblem, check_grounding
from storyline.synthesize.sides import find_sides
from storyline.synthesize.sources import brief_sources, story_coverage, story_tags, story_topics
from storyline.synthesize.summary import (
    SummarySettings,
    digest_story,
    explainer,
    key_points,
    summarize,
    why_it_matters,
)
from storyline.synthesize.timeline import TimelineSettings, build_timeline
from storyline.synthesize.voices import VoiceSettings, forecasts, headline, story_quotes
from storyline.synthesize.writer import WriterSettings

if TYPE_CHECKING:
    from storyline.synthesize.writer import ModelWriter

__all__ = ["GENERATED_BY", "BriefSettings", "write_brief", "write_checked_brief"]

logger = logging.getLogger(__name__)

GENERATED_BY = "extractive.v1"
MAX_SIDE_ITEMS = 6


@dataclass(frozen=True, slots=True)
class BriefSettings:
    summary: SummarySettings = field(default_factory=SummarySettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)
    voices: VoiceSettings = field(default_factory=VoiceSettings)
    writer: WriterSettings = field(default_factory=WriterSettings)  # [llm]: the optional model writer


def write_brief(story: StoryInput, settings: BriefSettings = BriefSettings()) -> Brief:
    """The brief of one story. Raises nothing for thin stories: sections are simply empty."""
    topics = story_topics(story)
    prefer = preferred_sources(story, settings.writer.language)  # `--language`: empty when it changes nothing
    digest = digest_story(story, settings.summary)  # candidates and similarities, shared by four sections
    summary = tuple(summarize(digest, prefer=prefer))
    preferred_ids = {story.sources[i].article.id for i in prefer}
    sides = [
        type(side)(side.label, side.actors, side.stance, _preferring(side.items, preferred_ids)[:MAX_SIDE_ITEMS])
        for side in find_sides(story, topics[0] if topics else None)
    ]
    conflicts, updates = conflicts_and_updates(story)
    return Brief(
        id=story.story_id,
        headline=headline(story, prefer, summary[0] if summary else None),
        summary=summary,
        key_points=tuple(key_points(digest, prefer=prefer)),
        why_it_matters=_not_in(why_it_matters(digest, prefer=prefer), summary),
        explainer=tuple(explainer(digest, prefer=prefer)),
        sides=tuple(sides),
        timeline=_with_updates(build_timeline(story, settings.timeline, prefer), updates),
        forecast=tuple(forecasts(story, settings.voices, prefer)),
        quotes=tuple(story_quotes(story, settings.voices, prefer)),
        topics=topics,
        tags=story_tags(story),
        sources=tuple(brief_sources(story)),
        conflicts=tuple(conflicts),
        coverage=story_coverage(story),
        generated_by=GENERATED_BY,
    )


def _preferring(items: Sequence[BriefItem], article_ids: set[str]) -> tuple[BriefItem, ...]:
    """`items` with those citing one of `article_ids` first (`--language`), the order kept otherwise."""
    if not article_ids:
        return tuple(items)
    return tuple(sorted(items, key=lambda item: item.evidence[0].article_id not in article_ids))


def _with_updates(timeline: list[BriefItem], updates: list[BriefItem]) -> tuple[BriefItem, ...]:
    """The timeline with the developing figures (a toll that rose between reports) in date order."""
    if not updates:
        return tuple(timeline)
    return tuple(sorted([*timeline, *updates], key=lambda item: (item.date is None, item.date or "")))


def _not_in(items: list[BriefItem], shown: tuple[BriefItem, ...]) -> tuple[BriefItem, ...]:
    """`items` without those whose own sentence an earlier section already shows."""
    cited = {item.evidence[0] for item in shown}
    return tuple(item for item in items if item.evidence[0] not in cited)


def write_checked_brief(
    story: StoryInput, settings: BriefSettings = BriefSettings(), writer: "ModelWriter | None" = None
) -> tuple[Brief, list[GroundingProblem]]:
    """Write the brief (reworded by `writer`'s model, item by item verified, when given) and check it."""
    brief = write_brief(story, settings)
    if writer is not None:
        brief = writer.reword(brief, story)
    articles: Mapping[str, Article] = {s.article.id: s.article for s in story.sources}
    problems = check_grounding(brief, articles)
    for problem in problems:
        logger.warning("story %s: grounding problem: %s", story.story_id, problem)
    return brief, problems


def item_count(brief: Brief) -> int:
    sections: tuple[tuple[BriefItem, ...], ...] = (
        brief.summary,
        brief.key_points,
        brief.why_it_matters,
        brief.explainer,
        brief.timeline,
        brief.forecast,
        brief.quotes,
    )
    return 1 + sum(len(s) for s in sections) + sum(len(side.items) for side in brief.sides)
