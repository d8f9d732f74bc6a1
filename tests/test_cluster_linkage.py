"""Average linkage over nodes that may already be clusters."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from storyline.cluster.linkage import average_linkage


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(label, set()).add(index)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_singletons_match_scipy_average_linkage(seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(40, 5)) + np.repeat(rng.normal(scale=3, size=(8, 5)), 5, axis=0)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similarity = points @ points.T
    threshold = 0.5
    ours, merges = average_linkage(similarity, np.ones(40), threshold)
    distance = np.clip(1 - similarity, 0, 2)
    np.fill_diagonal(distance, 0)
    reference = fcluster(linkage(squareform(distance, checks=False), "average"), 1 - threshold, "distance")
    assert partition(ours) == partition(np.asarray(reference))
    assert all(m.link >= threshold for m in merges)


def test_a_node_of_two_behaves_like_two_merged_singletons() -> None:
    similarity = np.array([[1.0, 0.9, 0.5, 0.1], [0.9, 1.0, 0.4, 0.2], [0.5, 0.4, 1.0, 0.3], [0.1, 0.2, 0.3, 1.0]])
    # nodes 0 and 1 as one pre-built cluster: sums over member pairs
    summed = np.array([[0.0, 0.9, 0.3], [0.9, 1.0, 0.3], [0.3, 0.3, 1.0]])
    labels, merges = average_linkage(summed, np.array([2.0, 1.0, 1.0]), 0.45)
    assert partition(labels) == {frozenset({0, 1}), frozenset({2})}
    assert merges[0].link == pytest.approx((0.5 + 0.4) / 2)
    singles, _ = average_linkage(similarity, np.ones(4), 0.45)
    assert partition(singles) == {frozenset({0, 1, 2}), frozenset({3})}


def test_nothing_merges_below_threshold() -> None:
    labels, merges = average_linkage(np.eye(3) * 0 + 0.1, np.ones(3), 0.5)
    assert merges == [] and len(set(labels.tolist())) == 3
