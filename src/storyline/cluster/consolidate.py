"""Consolidation: the stories a run changed, and the stories they link to, are grouped again from scratch.

Online linkage decides near-ties by arrival order: an undated paragraph that fits two stories almost equally
joins whichever existed first, and two halves of one story that arrived in different runs stay apart when no
later article bridges them. Re-homing (rehome.py) moves single articles; this pass removes the order itself
from the result. At the end of a run, the active stories the run changed are taken with every active story
joined to one of them by a pair that links by itself (q >= `link_threshold`, inside the time window): the
pairs are the ones the run already scored, each new article with its nearest stored articles (callers without
them search the nearest neighbours of every member of the changed stories instead).
The graph "two stories are joined by such a pair" is cut into connected components; each component of at most
`consolidate_max` articles is grouped again by average linkage from singletons, with the same pair scores and
the same rule for two groups of `merge_size` articles a single run would use (linkage.average_linkage; members
in date-then-id order, not arrival order). Average linkage never merges two
groups unless some pair across them links by itself, so a component's grouping cannot depend on stories
outside it; inside it, the result no longer depends on which run each article came in.

The caller (stories.py) maps the new groups onto story ids (largest overlap keeps its id) and logs the moves.
A component larger than `consolidate_max`, or a story larger than `max_split_check`, is left as it is: its cost
would grow with its size.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from usearch.index import BatchMatches

from .assign import INCOMPATIBLE, compact_rows, pair_dots, time_compatible
from .linkage import average_linkage
from .settings import ClusterSettings
from .state import ClusterState

__all__ = ["Regroup", "consolidate"]

Floats64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Regroup:
    """One component whose grouping changed: its stories before, and its groups of slots after (with each
    member's mean raw similarity to the rest of its group)."""

    stories: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]
    similarity: dict[int, float]


def _find(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _searched_pairs(state: ClusterState, seeds: list[str], settings: ClusterSettings) -> set[tuple[int, int]]:
    """(slot, slot) pairs of each seed member with its nearest active articles (an ANN search)."""
    slots = np.array([s for sid in seeds for s in state.stories[sid].members], np.int64)
    if len(slots) == 0 or len(state.index) < 2:
        return set()
    matches = state.index.search(state.embeddings(slots), min(settings.neighbours, len(state.index)))
    keys = matches.keys if isinstance(matches, BatchMatches) else matches.keys[None, :]
    counts = np.asarray(matches.counts, np.int64) if isinstance(matches, BatchMatches) else np.array([len(matches)])
    return {
        (slot, int(other)) for row, slot in enumerate(slots.tolist()) for other in keys[row, : counts[row]].tolist()
    }


def _linked_stories(
    state: ClusterState, seeds: list[str], pairs: set[tuple[int, int]], settings: ClusterSettings
) -> dict[str, str]:
    """Union-find parents over the seed stories and every active story joined to one by a pair that links by
    itself (q >= the threshold, inside the window)."""
    parent = {sid: sid for sid in seeds}
    window = settings.window_days
    kept = set()
    for one, two in pairs:
        mine, record = state.articles.get(one), state.articles.get(two)
        if mine is None or record is None or one == two or record.story_id == mine.story_id:
            continue
        if mine.story_id not in state.stories or record.story_id not in state.stories:
            continue
        if mine.time is not None and record.time is not None and abs(mine.time - record.time) > window:
            continue  # a pair outside the window never links
        kept.add((min(one, two), max(one, two)))
    if not kept:
        return parent
    ordered = sorted(kept)
    unique = sorted({s for pair in ordered for s in pair})
    position = {s: i for i, s in enumerate(unique)}
    records = [state.articles[s] for s in unique]
    rows = [(r.columns, r.values) for r in records]
    left = np.array([position[a] for a, _ in ordered], np.int64)
    right = np.array([position[b] for _, b in ordered], np.int64)
    embeddings = state.embeddings(np.array(unique, np.int64)).astype(np.float64)
    mu = np.array([state.mu(r) for r in records])
    q = pair_dots(rows, rows, left, right)
    q += settings.embedding_weight * np.einsum("ij,ij->i", embeddings[left], embeddings[right])
    q -= settings.local_scaling * (mu[left] + mu[right]) / 2
    linked = q >= settings.link_threshold
    for i, j in zip(left[linked].tolist(), right[linked].tolist(), strict=True):
        a, b = records[i].story_id, records[j].story_id
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        first, second = _find(parent, a), _find(parent, b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return parent


def _average_labels(weights: Floats64, settings: ClusterSettings) -> npt.NDArray[np.int64]:
    """Flat clusters of average linkage (UPGMA) from singletons, merging while the mean pair score is >= the
    link threshold, and two groups of at least `merge_size` articles each only at `merge_threshold`, exactly as
    the chunk's linkage and the split check decide (linkage.average_linkage)."""
    labels, _ = average_linkage(
        weights, np.ones(len(weights)), settings.link_threshold, settings.merge_size, settings.merge_threshold
    )
    return labels


def _regroup(
    state: ClusterState,
    story_ids: list[str],
    settings: ClusterSettings,
    matrix: sparse.csr_matrix,
    row_of: dict[int, int],
) -> Regroup | None:
    """Average linkage from singletons over the members of `story_ids` (their sparse rows are `matrix` rows
    `row_of[slot]`); None when the grouping is unchanged."""
    slots = [s for sid in story_ids for s in state.stories[sid].members]
    records = sorted((state.articles[s] for s in slots), key=lambda r: r.date_order)
    order = np.array([r.slot for r in records], np.int64)
    embeddings = state.embeddings(order).astype(np.float64)
    own = matrix[[row_of[r.slot] for r in records]]
    raw = np.asarray((own @ own.T).toarray(), np.float64)
    raw += settings.embedding_weight * (embeddings @ embeddings.T)
    mu = np.array([state.mu(r) for r in records])
    times = [r.time for r in records]
    together = time_compatible(times, times, settings.window_days)
    weights = np.where(together, raw - settings.local_scaling * (mu[:, None] + mu[None, :]) / 2, INCOMPATIBLE)
    labels = _average_labels(weights, settings)
    grouped: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        grouped.setdefault(label, []).append(row)
    before = {frozenset(state.stories[sid].members) for sid in story_ids}
    after = {frozenset(int(order[r]) for r in rows) for rows in grouped.values()}
    if before == after:
        return None
    similarity: dict[int, float] = {}
    for rows in grouped.values():
        for r in rows:
            others = [o for o in rows if o != r]
            similarity[int(order[r])] = float(raw[r, others].mean()) if others else 1.0
    groups = tuple(tuple(int(order[r]) for r in rows) for rows in grouped.values())
    return Regroup(tuple(story_ids), groups, similarity)


def consolidate(
    state: ClusterState, changed: set[str], settings: ClusterSettings, pairs: set[tuple[int, int]] | None = None
) -> list[Regroup]:
    """The components (see the module doc) around the `changed` active stories whose grouping from scratch
    differs from the current one, in a deterministic order. The state is not modified.

    `pairs`: the (slot, slot) neighbour pairs the run already scored (its new articles and their nearest stored
    ones); None: search the nearest neighbours of every member of the changed stories."""
    seeds = sorted(
        sid for sid in changed if sid in state.stories and len(state.stories[sid].members) <= settings.max_split_check
    )
    if pairs is None:
        pairs = _searched_pairs(state, seeds, settings)
    parent = _linked_stories(state, seeds, pairs, settings)
    components: dict[str, list[str]] = {}
    for sid in sorted(parent):
        components.setdefault(_find(parent, sid), []).append(sid)
    eligible = []
    for story_ids in components.values():
        size = sum(len(state.stories[sid].members) for sid in story_ids)
        if len(story_ids) < 2 or size > settings.consolidate_max:
            continue  # a story linked to no other is left to the split check
        if all(len(state.stories[sid].members) <= settings.max_split_check for sid in story_ids):
            eligible.append(story_ids)
    slots = [s for story_ids in eligible for sid in story_ids for s in state.stories[sid].members]
    if not slots:
        return []
    matrix = compact_rows([(state.articles[s].columns, state.articles[s].values) for s in slots])
    row_of = {s: i for i, s in enumerate(slots)}
    found = (_regroup(state, story_ids, settings, matrix, row_of) for story_ids in eligible)
    return [regroup for regroup in found if regroup is not None]
