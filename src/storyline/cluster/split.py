"""Splits: a changed story whose members no longer hold together is cut in two or more.

The members are re-clustered from singletons with the same pair score q and average linkage, at the lower
threshold `link_threshold - split_margin` (hysteresis, so a story does not flip between one and two). The
group holding the story's earliest member keeps the id; every other group becomes a new story whose id comes
from its earliest article. Members' local densities (mu) rise as close neighbours arrive (copies and rewrites
excepted: assign.DUPLICATE_SIMILARITY, assign.versions), which is what can make a story that was one group at
join time fall apart later.
"""

import numpy as np

from storyline.records import StoryEvent

from .assign import sparse_dots
from .linkage import average_linkage
from .settings import ClusterSettings
from .state import ClusterState, StoryRecord

__all__ = ["check_split"]


def _member_scores(state: ClusterState, story: StoryRecord, settings: ClusterSettings) -> np.ndarray:
    records = [state.articles[s] for s in story.members]
    rows = [(r.columns, r.values) for r in records]
    embeddings = state.embeddings(np.array(story.members, np.int64))
    raw = sparse_dots(rows, rows) + settings.embedding_weight * (embeddings @ embeddings.T)
    mu = np.array([state.mu(r) for r in records])
    scores: np.ndarray = raw - settings.local_scaling * (mu[:, None] + mu[None, :]) / 2
    return scores


def check_split(state: ClusterState, story: StoryRecord, settings: ClusterSettings, now: str) -> list[StoryEvent]:
    """Split `story` in place when its members fall apart; returns one `split` event per new story."""
    if not 2 <= len(story.members) <= settings.max_split_check:
        return []
    scores = _member_scores(state, story, settings)
    threshold = settings.link_threshold - settings.split_margin
    merge_threshold = settings.merge_threshold - settings.split_margin
    labels, _ = average_linkage(scores, np.ones(len(story.members)), threshold, settings.merge_size, merge_threshold)
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(position)
    if len(groups) < 2:
        return []
    keeper = min(groups.values(), key=lambda g: min(state.articles[story.members[p]].seq for p in g))
    events = []
    for group in groups.values():
        if group is keeper:
            continue
        link = float(scores[np.ix_(keeper, group)].mean())
        slots = [story.members[p] for p in group]
        founder = min(
            slots,
            key=lambda s: (state.articles[s].time is None, state.articles[s].time or 0.0, state.articles[s].article_id),
        )
        new_id = state.new_story_id(state.articles[founder].article_id)
        state.stories[new_id] = StoryRecord(new_id, state.next_story_seq, now, now, slots)
        state.next_story_seq += 1
        for slot in slots:
            state.articles[slot].story_id = new_id
            state.assigned[state.articles[slot].article_id] = new_id
        reason = (
            f"{len(slots)} member(s) moved out: mean link {link:.3f} to the rest < "
            f"{threshold:.3f} (link_threshold - split_margin)"
        )
        events.append(StoryEvent(story.story_id, "split", reason, now, None, new_id))
    story.members = [story.members[p] for p in keeper]
    story.cache.clear()
    story.updated_at = now
    return events
