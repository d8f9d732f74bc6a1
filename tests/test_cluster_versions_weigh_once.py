"""With assign.VERSIONS_WEIGH_ONCE, versions of one text (a copy, or a rewrite that keeps most of it) weigh one text
together in every mean over a group: an original with two rewrites does not pull its story's mean link toward its
own text three times. Off by default (docs/clustering.md: measured, it moved near ties elsewhere the wrong way)."""

import numpy as np
import pytest

from storyline.cluster import ClusterSettings, assign
from storyline.cluster.assign import TextPrint, text_weights, version_pairs, versions
from storyline.cluster.rehome import _story_link
from storyline.cluster.split import check_split
from storyline.cluster.state import ArticleRecord, ClusterState, StoryRecord

NOW = "2026-03-05T00:00:00+00:00"
DIM = 8


def _signature(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**63, 128, dtype=np.uint64)


def _record(slot: int, row: dict[int, float], minhash: np.ndarray, story_id: str) -> ArticleRecord:
    columns = np.array(sorted(row), np.int32)
    values = np.array([row[c] for c in sorted(row)], np.float32)
    return ArticleRecord(
        f"a{slot}", slot, story_id, slot, 20500.0, None, f"Outlet {slot}", "en", (), f"t{slot}",
        columns, values, np.zeros(2, np.float32), minhash, 40, (),
    )  # fmt: skip


def _story(rows: list[tuple[dict[int, float], np.ndarray]]) -> tuple[ClusterState, StoryRecord]:
    """One story whose members have the given sparse rows and MinHash signatures; embeddings orthogonal (one axis
    each), local densities zero, so a pair's score q is the dot product of its rows."""
    state = ClusterState("test", DIM, 2)
    slots = np.arange(len(rows), dtype=np.int64)
    state.index_embeddings(slots, np.eye(DIM, dtype=np.float32)[: len(rows)])
    for slot, (row, minhash) in enumerate(rows):
        state.add_article(_record(slot, row, minhash, "st_x"))
    story = StoryRecord("st_x", 0, NOW, NOW, slots.tolist())
    state.stories["st_x"] = story
    return state, story


# The original O (with two versions of its text), a second outlet's report B (q 0.3 to O) and a third outlet's
# report C (q 0.25 to B, 0 to O). Counted once, O and B are two texts and C's mean link is 0.125 >= 0.08;
# counted three times, C's mean link to {O, O', O'', B} would be 0.0625 and C would split off.
ORIGINAL = ({1: 1.0}, _signature(1))  # the same signature thrice: versions of one text
OTHER = ({1: 0.3, 2: 0.5}, _signature(2))
THIRD = ({2: 0.5}, _signature(3))


@pytest.fixture
def weigh_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assign, "VERSIONS_WEIGH_ONCE", True)


def test_by_default_every_article_is_a_text_of_its_own() -> None:
    state, story = _story([ORIGINAL, ORIGINAL, ORIGINAL, OTHER, THIRD])
    assert state.story_weights(story).tolist() == [1.0] * 5
    assert len(check_split(state, story, ClusterSettings(), NOW)) == 1  # C: mean link 0.0625 < 0.08
    assert text_weights([TextPrint(ORIGINAL[1], None)] * 2).tolist() == [1.0, 1.0]


@pytest.mark.usefixtures("weigh_once")
def test_a_story_does_not_split_off_a_report_because_its_original_has_rewrites() -> None:
    state, story = _story([ORIGINAL, ORIGINAL, ORIGINAL, OTHER, THIRD])
    assert state.story_weights(story).tolist() == [1 / 3, 1 / 3, 1 / 3, 1.0, 1.0]
    assert state.story_size(story) == 2.0 + 1.0
    assert check_split(state, story, ClusterSettings(), NOW) == []
    assert story.members == [0, 1, 2, 3, 4]


def test_without_the_versions_the_same_reports_hold_together_the_same_way() -> None:
    state, story = _story([ORIGINAL, OTHER, THIRD])
    assert check_split(state, story, ClusterSettings(), NOW) == []
    loose, _ = _story([ORIGINAL, ({1: 0.3, 2: 0.1}, _signature(2)), THIRD])
    assert len(check_split(loose, loose.stories["st_x"], ClusterSettings(), NOW)) == 1  # C: mean 0.025 < 0.08


@pytest.mark.usefixtures("weigh_once")
def test_a_story_mean_link_does_not_change_when_a_member_gains_a_copy() -> None:
    settings = ClusterSettings()
    alone, story = _story([ORIGINAL, OTHER, THIRD])
    copied, with_copies = _story([ORIGINAL, ORIGINAL, ORIGINAL, OTHER, THIRD])
    link, _ = _story_link(alone, alone.articles[2], story, settings) or (0.0, 0.0)
    assert abs(link - 0.125) < 1e-6
    again, _ = _story_link(copied, copied.articles[4], with_copies, settings) or (0.0, 0.0)
    assert abs(again - link) < 1e-6
    # an original leaving its own story: the rest still holds its text once (its two versions), and B
    rest, _ = _story_link(copied, copied.articles[0], with_copies, settings) or (0.0, 0.0)
    expected = (1.0 + 0.3 + 0.0) / 3  # O's versions (one text, q 1.0), B (0.3), C (0)
    assert abs(rest - expected) < 1e-6


@pytest.mark.usefixtures("weigh_once")
def test_text_weights_follow_the_versions_rule_pair_by_pair() -> None:
    from storyline.cluster.lineage import Shingler, sentence_hashes

    texts = [
        "The river rose three metres overnight and the town hall was flooded. Schools closed for the week. "
        "The mayor asked residents to stay home. Rail services were suspended until Friday.",
        "The river rose three metres overnight and the town hall was flooded. Schools closed for the week. "
        "The mayor asked residents to stay home. Rail services were suspended until Friday. Copyright 2026 Post.",
        "Fans cheered as the home side won the cup final four goals to one on Saturday night in the capital city.",
        "Schools closed for the week. The mayor asked residents to stay home. A council spokesman gave no figures.",
    ]
    shingler = Shingler()
    prints = [TextPrint(shingler.signature(t)[0], sentence_hashes(t)) for t in texts]
    left, right = version_pairs(prints)
    expected = [(i, j) for i in range(4) for j in range(i + 1, 4) if versions(prints[i], prints[j])]
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == expected == [(0, 1)]
    assert text_weights(prints).tolist() == [0.5, 0.5, 1.0, 1.0]
