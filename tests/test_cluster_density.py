"""Local density (mu) counts an article's neighbours among other reports, never its own near-verbatim copies."""

import numpy as np

from storyline.cluster.assign import DUPLICATE_SIMILARITY, update_top


def test_copies_are_not_neighbours_in_the_local_density() -> None:
    top = np.zeros(2, np.float32)
    found = update_top(top, np.array([0.95, DUPLICATE_SIMILARITY, 0.5, 0.3]), 2)
    assert found.tolist() == [0.5, np.float32(0.3)]


def test_a_copy_arriving_later_leaves_the_density_as_it_was() -> None:
    top = np.array([0.5, 0.3], np.float32)
    assert update_top(top, np.array([0.94]), 2).tolist() == top.tolist()
    assert update_top(top, np.array([0.6]), 2).tolist() == [np.float32(0.6), 0.5]
