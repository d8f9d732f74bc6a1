"""Re-homing: an article placed by an earlier chunk moves to a story of a later chunk that fits it better.

Inside one chunk, average linkage sees every candidate at once; across chunks and runs it does not: an
article joins the best story among those that existed when it arrived, and the story that would have been its
home may only come later. Undated articles suffer most (the window never holds them, so any later story may be
theirs). After each chunk, the articles of earlier chunks that are among the nearest neighbours of the chunk's
new articles (undated, or dated within the window of the story in question) are scored against the stories
those new articles joined. One moves when its mean pair score q to that story is >= `link_threshold` and
beats its mean q to the rest of its own story by `rehome_margin` (for a singleton the rest counts as
`link_threshold`: it moves exactly when it would have joined). Stories larger than `max_split_check` are
neither left nor joined this way (their cost would grow with their size). A story left empty is removed.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .settings import ClusterSettings
from .state import ArticleRecord, ClusterState, StoryRecord, within_window

Floats = npt.NDArray[np.float32]
Floats64 = npt.NDArray[np.float64]

__all__ = ["Move", "rehome"]


@dataclass(frozen=True, slots=True)
class Move:
    """Article `article_id` left `from_story` for `to_story`, with mean q `link` (`before` to the rest)."""

    article_id: str
    slot: int
    from_story: str
    to_story: str
    link: float
    before: float
    similarity: float  # mean raw similarity to its new story's members


def _in_window(record: ArticleRecord, span: tuple[float | None, float | None], settings: ClusterSettings) -> bool:
    """Whether the article may join a story of this dated span: undated (or an undated story), or dated within
    the span +- the window."""
    first, last = span
    if record.time is None or first is None:
        return True
    return within_window(record.time, first, last, settings.window_days)


def _dots(row: tuple[npt.NDArray[np.int32], Floats], others: list[tuple[npt.NDArray[np.int32], Floats]]) -> Floats64:
    """Dot products of one sparse row (sorted columns) with each of `others`, in one vectorized lookup."""
    if not others or len(row[0]) == 0:
        return np.zeros(len(others))
    columns = np.concatenate([c for c, _ in others])
    values = np.concatenate([v for _, v in others]).astype(np.float64)
    owner = np.repeat(np.arange(len(others)), [len(c) for c, _ in others])
    position = np.minimum(np.searchsorted(row[0], columns), len(row[0]) - 1)
    hit = row[0][position] == columns
    products = values[hit] * row[1][position[hit]].astype(np.float64)
    found: Floats64 = np.bincount(owner[hit], products, minlength=len(others)).astype(np.float64)
    return found


def _story_link(
    state: ClusterState, record: ArticleRecord, story: StoryRecord, settings: ClusterSettings
) -> tuple[float, float] | None:
    """Mean q and mean raw similarity of one article to the members of `story` other than itself, from the
    story's cached sums (O(1) vectors whatever the story's size); None when it has no other member."""
    rows, embedding_sum, mu_sum = state.story_sums(story)
    row = (record.columns, record.values)
    embedding = state.embeddings(np.array([record.slot], np.int64))[0].astype(np.float64)
    raw = float(_dots(row, [rows])[0]) + settings.embedding_weight * float(embedding @ embedding_sum)
    size = len(story.members)
    if record.slot in story.members:  # take its own pair out of the sums
        raw -= float(record.values.astype(np.float64) @ record.values) + settings.embedding_weight * float(
            embedding @ embedding
        )
        mu_sum -= state.mu(record)
        size -= 1
    if size == 0:
        return None
    q = raw - settings.local_scaling / 2 * (size * state.mu(record) + mu_sum)
    return q / size, raw / size


def rehome(
    state: ClusterState,
    new_slots: list[int],
    neighbours: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Floats64],
    settings: ClusterSettings,
) -> list[Move]:
    """Move articles of earlier chunks to the stories of this chunk's new articles where they fit better.

    `new_slots` are the chunk's articles, already in their stories; `neighbours` the (new article row, stored
    slot, raw similarity) pairs the chunk's plan scored (ChunkPlan.neighbours). The state is updated (members,
    story ids, caches); a story left empty is removed from it. Returns the moves in order.
    """
    wanted: dict[int, set[str]] = {}
    spans: dict[str, tuple[float | None, float | None]] = {}
    for row, other, similarity in zip(*(part.tolist() for part in neighbours), strict=True):
        new, record = state.articles[new_slots[row]], state.articles.get(other)
        if record is None or record.story_id == new.story_id or not np.isfinite(similarity):
            continue
        q = similarity - settings.local_scaling * (state.mu(new) + state.mu(record)) / 2
        if q < settings.link_threshold:  # only a pair that links by itself can start a move
            continue
        if new.story_id not in spans:
            spans[new.story_id] = state.story_times(state.stories[new.story_id])
        if _in_window(record, spans[new.story_id], settings):
            wanted.setdefault(other, set()).add(new.story_id)
    moves = []
    for slot in sorted(wanted, key=lambda s: state.articles[s].seq):
        move = _best_move(state, state.articles[slot], sorted(wanted[slot]), settings)
        if move is not None:
            _apply(state, move)
            moves.append(move)
    return moves


def _best_move(
    state: ClusterState, record: ArticleRecord, targets: list[str], settings: ClusterSettings
) -> Move | None:
    home = state.stories.get(record.story_id)
    if home is None or len(home.members) > settings.max_split_check:
        return None
    at_home = _story_link(state, record, home, settings)
    before = settings.link_threshold if at_home is None else at_home[0]
    best: Move | None = None
    for story_id in targets:
        story = state.stories.get(story_id)
        if story is None or story_id == record.story_id or len(story.members) >= settings.max_split_check:
            continue
        there = _story_link(state, record, story, settings)
        if there is None:
            continue
        link, similarity = there
        better = link >= settings.link_threshold and link >= before + settings.rehome_margin
        if better and (best is None or link > best.link):
            best = Move(record.article_id, record.slot, record.story_id, story_id, link, before, similarity)
    return best


def _apply(state: ClusterState, move: Move) -> None:
    home = state.move_article(move.slot, move.to_story)
    state.articles[move.slot].similarity = move.similarity
    if not home.members:
        del state.stories[move.from_story]
