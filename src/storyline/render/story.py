"""What a brief shows of its story's place among the others: its status and the stories it follows or is followed by.

The pipeline reads this from the store (`pipeline.story_context`) when a brief is rendered, so a brief file always
names the current links even when the brief itself was written before a later story came to follow it. Renderers
only display it; without one (`context=None`) a brief shows no status or link lines.
"""

from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["StoryContext", "StoryLink", "link_groups", "link_label", "sibling", "status_line"]


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Another story, as a brief names it."""

    story_id: str  # the linked story's id
    headline: str | None = None  # its brief's headline (else its first article's title); None: not in the store


@dataclass(frozen=True, slots=True)
class StoryContext:
    """A story's status and links, read from the store when its brief is rendered."""

    status: str = "active"  # Story.status: active | dormant
    follows: tuple[StoryLink, ...] = ()  # earlier stories this one continues (Story.follows)
    followed_by: tuple[StoryLink, ...] = ()  # later stories that continue this one (Story.followed_by)


def status_line(context: StoryContext, last_seen: str | None) -> str | None:
    """The status line of a dormant story ("Dormant since 2025-03-02 ..."); None for an active one."""
    if context.status == "active":
        return None
    if context.status != "dormant":
        return f"Status: {context.status}"
    if last_seen:
        return f"Dormant since {last_seen.split('T', 1)[0]}: no coverage after that date"
    return "Dormant: no new coverage within the clustering window"


def link_groups(context: StoryContext) -> list[tuple[str, tuple[StoryLink, ...]]]:
    """The story's links as labelled lines, "Follows" then "Followed by", leaving out an empty one."""
    groups = (("Follows", context.follows), ("Followed by", context.followed_by))
    return [(label, links) for label, links in groups if links]


def link_label(link: StoryLink) -> str:
    """The linked story's headline, or its id when the store does not hold it."""
    return link.headline if link.headline is not None else link.story_id


def sibling(link: StoryLink, suffix: str) -> str | None:
    """The relative path of the linked story's brief file next to this one (`<story_id><suffix>`), percent-encoded
    so it is always a plain relative path; None when the store does not hold the story (no file is written)."""
    return None if link.headline is None else quote(link.story_id, safe="") + suffix
