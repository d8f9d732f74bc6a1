"""Average linkage (UPGMA) over nodes that may already be clusters, stopped at a threshold.

Input is the matrix of *summed* pair scores between nodes: `W[i, j]` is the sum of the pair score over every
member of node i times every member of node j, and `sizes[i]` the member count. The link of two nodes is
`W[i, j] / (sizes[i] * sizes[j])`, the mean pair score, exactly as if every member had been a singleton. The
closest pair is merged while its link is at least `threshold`; each row caches its best partner so one run
costs about O(n^2) instead of O(n^3).

Two groups that each hold at least `group_size` members (two stories, each formed by its own reports) merge only
at a link of at least `group_threshold` (>= `threshold`): joining a report to a story needs the usual link,
joining two stories a stronger one. ECB+ holds two events of one kind per topic (two coaches fired, two IE
patches); their reports form two tight groups that average linkage then joined at mean links of 0.09-0.18, the
"same subject, same story" error. docs/languages.md ("Same subject != same story") has the measurements.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["GroupRule", "Merge", "average_linkage"]


@dataclass(frozen=True, slots=True)
class Merge:
    """Node `absorbed` joined node `kept` at mean pair score `link` (node ids are input row numbers)."""

    kept: int
    absorbed: int
    link: float


@dataclass(frozen=True, slots=True)
class GroupRule:
    """Two nodes that both hold at least `size` members merge only at a link of at least `threshold`."""

    size: float
    threshold: float

    def apply(self, links: npt.NDArray[np.float64], row_size: float, sizes: npt.NDArray[np.float64]) -> None:
        """Set to -inf, in place, the links of a node of `row_size` members that fall under the rule."""
        if row_size >= self.size:
            links[(sizes >= self.size) & (links < self.threshold)] = -np.inf


def _row_links(
    weights: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    alive: npt.NDArray[np.bool_],
    row: int,
    rule: GroupRule | None,
) -> npt.NDArray[np.float64]:
    links: npt.NDArray[np.float64] = weights[row] / (sizes[row] * sizes)
    if rule is not None:
        rule.apply(links, float(sizes[row]), sizes)
    links[~alive] = -np.inf
    links[row] = -np.inf
    return links


def average_linkage(
    weights: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    threshold: float,
    group_size: float = float("inf"),
    group_threshold: float | None = None,
) -> tuple[npt.NDArray[np.int64], list[Merge]]:
    """Merge nodes by mean pair score while the best link is >= threshold.

    Args:
        weights: symmetric (n, n) summed pair scores; the diagonal is ignored.
        sizes: (n,) member counts of the nodes.
        threshold: the smallest mean pair score at which two nodes merge.
        group_size, group_threshold: two nodes that both hold at least `group_size` members merge only at a
            link of at least `group_threshold` (None: `threshold`).

    Returns:
        labels (n,) with the surviving node id of each input node, and the merges in the order they happened.
    """
    n = len(sizes)
    weights = np.array(weights, dtype=np.float64, copy=True)
    sizes = np.array(sizes, dtype=np.float64, copy=True)
    alive = np.ones(n, bool)
    labels = np.arange(n)
    rule = None
    if group_threshold is not None and group_threshold > threshold and group_size < float("inf"):
        rule = GroupRule(group_size, group_threshold)
    best_partner = np.zeros(n, np.int64)
    best_link = np.full(n, -np.inf)
    for row in range(n):
        links = _row_links(weights, sizes, alive, row, rule)
        if n > 1:
            best_partner[row] = int(np.argmax(links))
            best_link[row] = links[best_partner[row]]
    merges: list[Merge] = []
    while n > 1:
        kept = int(np.argmax(np.where(alive, best_link, -np.inf)))
        link = float(best_link[kept])
        if link < threshold:
            break
        absorbed = int(best_partner[kept])
        kept, absorbed = min(kept, absorbed), max(kept, absorbed)
        merges.append(Merge(kept, absorbed, link))
        weights[kept] += weights[absorbed]
        weights[:, kept] += weights[:, absorbed]
        sizes[kept] += sizes[absorbed]
        alive[absorbed] = False
        best_link[absorbed] = -np.inf
        labels[labels == absorbed] = kept
        stale = np.flatnonzero(alive & ((best_partner == kept) | (best_partner == absorbed)))
        kept_links = _row_links(weights, sizes, alive, kept, rule)
        for row in {kept, *stale.tolist()}:
            links = kept_links if row == kept else _row_links(weights, sizes, alive, row, rule)
            best_partner[row] = int(np.argmax(links))
            best_link[row] = links[best_partner[row]]
        improved = alive & (kept_links > best_link)
        improved[kept] = False
        best_partner[improved] = kept
        best_link[improved] = kept_links[improved]
    return labels, merges
