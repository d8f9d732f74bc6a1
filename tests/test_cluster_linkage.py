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


def two_groups(size: int, inside: float, across: float) -> np.ndarray:
    """Pair scores of two groups of `size` singletons: `inside` within a group, `across` between them."""
    scores = np.full((2 * size, 2 * size), across)
    scores[:size, :size] = scores[size:, size:] = inside
    return scores


def test_two_groups_of_merge_size_merge_only_at_the_merge_threshold() -> None:
    # two stories of six reports each, about one subject: their mean link 0.10 passes the link threshold (0.08)
    # but not the merge threshold (0.12), so they stay two stories; at 0.13 they merge
    labels, merges = average_linkage(two_groups(6, 0.5, 0.10), np.ones(12), 0.08, 6, 0.12)
    assert partition(labels) == {frozenset(range(6)), frozenset(range(6, 12))}
    assert all(m.link >= 0.08 for m in merges)
    labels, _ = average_linkage(two_groups(6, 0.5, 0.13), np.ones(12), 0.08, 6, 0.12)
    assert len(set(labels.tolist())) == 1
    # without the rule (the old behaviour) they merge at 0.10
    labels, _ = average_linkage(two_groups(6, 0.5, 0.10), np.ones(12), 0.08)
    assert len(set(labels.tolist())) == 1


def test_a_report_or_a_small_group_joins_a_story_at_the_link_threshold() -> None:
    # one article (or a group of five) and a story of six: the usual threshold decides
    for small in (1, 5):
        scores = np.full((6 + small, 6 + small), 0.10)
        scores[:6, :6] = 0.5
        scores[6:, 6:] = 0.5
        labels, _ = average_linkage(scores, np.ones(6 + small), 0.08, 6, 0.12)
        assert len(set(labels.tolist())) == 1, small


def test_the_rule_holds_for_nodes_that_are_stories() -> None:
    # a story node (summed scores of its members) and six new articles: as for singletons
    for members, together in ((6, False), (5, True)):
        scores = np.full((members + 6, members + 6), 0.10)
        scores[:members, :members] = scores[members:, members:] = 0.5
        summed = np.zeros((7, 7))
        summed[0, 0] = scores[:members, :members].sum()
        summed[0, 1:] = summed[1:, 0] = scores[:members, members:].sum(axis=0)
        summed[1:, 1:] = scores[members:, members:]
        labels, _ = average_linkage(summed, np.array([float(members)] + [1.0] * 6), 0.08, 6, 0.12)
        expected = {frozenset(range(7))} if together else {frozenset({0}), frozenset(range(1, 7))}
        assert partition(labels) == expected, members
