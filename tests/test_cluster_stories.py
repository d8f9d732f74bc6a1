"""cluster_articles: stories, stable ids, re-runs, merges, splits, lineage roles and state round trips."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from storyline.cluster import ClusterSettings, ClusterState, Embedder, cluster_articles
from storyline.records import Article, Story

NOW = "2026-03-05T00:00:00+00:00"

ORIGINAL = """Freedonia parliament votes to recall President Rufus Firefly
FREEDONIA (Reuters) - Freedonia's parliament voted 412 to 37 on Tuesday to recall President Rufus Firefly after
a three-week budget standoff over the $2.4 billion defence package, the speaker of the chamber said.
Firefly, who took office in 2024, has 14 days to appeal the recall before the constitutional court in Sylvania Road.
Opposition leader Chicolini Ravelli called the recall vote a victory for the people of Freedonia."""

COPY = ORIGINAL.replace("the speaker of the chamber said", "the chamber's speaker said") + "\nRead more on Yahoo News."

REWRITE = """Firefly ousted: what the Freedonia recall means
Freedonia's lawmakers have voted to remove President Rufus Firefly, a dramatic end to a budget fight over a
$2.4 billion defence package. The recall passed 412 to 37, and Firefly now has 14 days to appeal to the
constitutional court. Chicolini Ravelli's opposition hailed the vote.
The recall was first reported by Reuters. Source reporting: Freedonia Radio."""

INDEPENDENT = """Crowds gather outside Freedonia parliament as Firefly recall passes
Thousands of people gathered outside the Freedonia parliament on Tuesday evening as lawmakers recalled President
Rufus Firefly. Many waved flags; some wept. Firefly's office said he would appeal within the 14 days the
constitution allows. Teachers and nurses said the $2.4 billion defence package would have cut their wages."""

QUAKE = """Magnitude 6.1 earthquake strikes Sylvania coast, 12 dead
A magnitude 6.1 earthquake struck the Sylvania coast near the port of Marlowe early on Sunday, killing at least 12
people and collapsing a school, the Sylvania geological survey said. Rescue teams searched the rubble overnight."""

QUAKE_2 = """Sylvania earthquake death toll rises to 12 as rescuers search rubble in Marlowe
Rescuers in Marlowe dug through collapsed buildings after the magnitude 6.1 earthquake on the Sylvania coast. At
least 12 people died, the geological survey of Sylvania said, and a school collapsed near the port."""


def article(text: str, outlet: str, published: str | None) -> Article:
    return Article(
        id=f"{outlet.lower().replace(' ', '-')}-{len(text)}",
        text=text,
        title=text.split("\n")[0],
        outlet=outlet,
        published=published,
        language="en",
    )


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """A static embedder over a random (seeded) token table: deterministic and fast, no model needed."""
    path: Path = tmp_path_factory.mktemp("static") / "table.npy"
    np.save(path, np.random.default_rng(0).normal(size=(30522, 32)).astype(np.float16))
    return Embedder.static(path)


@pytest.fixture
def freedonia() -> list[Article]:
    return [
        article(ORIGINAL, "Reuters", "2026-03-03T08:00:00+00:00"),
        article(COPY, "Yahoo News", "2026-03-03T10:00:00+00:00"),
        article(REWRITE, "Daily Blog", "2026-03-04T09:00:00+00:00"),
        article(INDEPENDENT, "Freedonia Times", "2026-03-03T20:00:00+00:00"),
    ]


@pytest.fixture
def quake() -> list[Article]:
    return [article(QUAKE, "Sylvania Post", "2026-03-01"), article(QUAKE_2, "Marlowe Daily", "2026-03-01")]


def pairs(articles: list[Article]) -> list[tuple[Article, None]]:
    return [(a, None) for a in articles]


def story_of(stories: list[Story], article_id: str) -> Story:
    return next(s for s in stories if any(m.article_id == article_id for m in s.members))


def test_related_articles_form_one_story_and_unrelated_ones_another(
    embedder: Embedder, freedonia: list[Article], quake: list[Article]
) -> None:
    result = cluster_articles(pairs(freedonia + quake), None, ClusterSettings(), embedder, now=NOW)
    assert sorted(len(s.members) for s in result.stories) == [2, 4]
    assert {result.state.assigned[a.id] for a in freedonia} != {result.state.assigned[a.id] for a in quake}
    assert sorted(e.kind for e in result.events) == ["create", "create"] + ["join"] * 6


def test_roles_derived_from_and_credited_upstream(embedder: Embedder, freedonia: list[Article]) -> None:
    story = cluster_articles(pairs(freedonia), None, ClusterSettings(), embedder, now=NOW).stories[0]
    original, copy, rewrite, independent = (a.id for a in freedonia)
    roles = {m.article_id: (m.role, m.derived_from) for m in story.members}
    assert roles[original] == ("original", ())
    assert roles[copy] == ("syndicated_copy", (original,))
    assert roles[rewrite][0] == "derivative" and original in roles[rewrite][1]
    assert roles[independent] == ("independent", ())
    assert [m.article_id for m in story.members] == [original, copy, independent, rewrite]  # by publication time
    # Reuters is an ingested member (a derived_from edge); Freedonia Radio was never ingested: a credit
    assert [(c.name, c.kind) for c in story.credits] == [("Freedonia Radio", "outlet")]
    evidence = story.credits[0].evidence
    assert evidence.article_id == rewrite
    assert REWRITE[evidence.start : evidence.end] == "Source reporting: Freedonia Radio"
    assert story.coverage is not None
    assert story.coverage.noise == pytest.approx((1 + 0.5) / 4)
    assert story.coverage.first_seen == "2026-03-03T08:00:00+00:00"


def test_story_ids_are_stable_across_runs_and_input_order(
    embedder: Embedder, freedonia: list[Article], quake: list[Article]
) -> None:
    first = cluster_articles(pairs(freedonia + quake), None, ClusterSettings(), embedder, now=NOW)
    second = cluster_articles(pairs(list(reversed(quake + freedonia))), None, ClusterSettings(), embedder, now=NOW)
    assert first.state.assigned == second.state.assigned
    # the id comes from the earliest article
    assert first.state.assigned[freedonia[0].id] == f"st_{freedonia[0].id[:16]}"


def test_a_joining_article_keeps_the_story_id(embedder: Embedder, freedonia: list[Article]) -> None:
    result = cluster_articles(pairs(freedonia[:3]), None, ClusterSettings(), embedder, now=NOW)
    story_id = result.stories[0].id
    later = cluster_articles(pairs(freedonia[3:]), result.state, ClusterSettings(), embedder, now=NOW)
    assert [s.id for s in later.stories] == [story_id]
    assert [(e.kind, e.article_id) for e in later.events] == [("join", freedonia[3].id)]
    assert len(later.stories[0].members) == 4


def test_a_rerun_is_a_no_op(embedder: Embedder, freedonia: list[Article], quake: list[Article]) -> None:
    result = cluster_articles(pairs(freedonia + quake), None, ClusterSettings(), embedder, now=NOW)
    before = result.state.to_bytes()
    again = cluster_articles(pairs(freedonia + quake), result.state, ClusterSettings(), embedder, now=NOW)
    assert again.stories == [] and again.events == []
    assert again.state.to_bytes() == before


def test_merge_keeps_the_older_id_and_logs_the_other(embedder: Embedder, freedonia: list[Article]) -> None:
    strict = ClusterSettings(link_threshold=5.0)  # nothing can join: every article founds a story
    apart = cluster_articles(pairs(freedonia[:2]), None, strict, embedder, now=NOW)
    older, newer = (apart.state.assigned[a.id] for a in freedonia[:2])
    assert older != newer
    merged = cluster_articles(pairs(freedonia[2:3]), apart.state, ClusterSettings(), embedder, now=NOW)
    merges = [e for e in merged.events if e.kind == "merge"]
    assert [(e.story_id, e.other_story_id) for e in merges] == [(older, newer)]
    assert "average link" in merges[0].reason
    assert [s.id for s in merged.stories] == [older]
    assert {merged.state.assigned[a.id] for a in freedonia[:3]} == {older}


def test_articles_outside_the_window_start_a_new_story(embedder: Embedder, freedonia: list[Article]) -> None:
    late = dataclasses.replace(freedonia[1], id="late-copy", published="2026-05-01T00:00:00+00:00")
    result = cluster_articles(pairs([freedonia[0], late]), None, ClusterSettings(), embedder, now=NOW)
    assert result.state.assigned[freedonia[0].id] != result.state.assigned["late-copy"]


def test_undated_articles_are_not_dropped_by_the_window(embedder: Embedder, freedonia: list[Article]) -> None:
    undated = dataclasses.replace(freedonia[1], id="undated-copy", published=None)
    result = cluster_articles(pairs([freedonia[0], undated]), None, ClusterSettings(), embedder, now=NOW)
    assert result.state.assigned[freedonia[0].id] == result.state.assigned["undated-copy"]
    story = result.stories[0]
    assert story.coverage is not None and story.coverage.articles == 2


def test_old_stories_retire_but_their_articles_stay_assigned(embedder: Embedder, freedonia: list[Article]) -> None:
    result = cluster_articles(pairs(freedonia[:1]), None, ClusterSettings(), embedder, now=NOW)
    later = dataclasses.replace(freedonia[3], id="much-later", published="2026-06-01T00:00:00+00:00")
    result = cluster_articles(pairs([later]), result.state, ClusterSettings(), embedder, now=NOW)
    assert freedonia[0].id in result.state.assigned
    assert result.state.assigned[freedonia[0].id] not in result.state.stories
    again = cluster_articles(pairs(freedonia[:1]), result.state, ClusterSettings(), embedder, now=NOW)
    assert again.events == []


def test_state_round_trip_continues_identically(
    embedder: Embedder, freedonia: list[Article], quake: list[Article]
) -> None:
    first = cluster_articles(pairs(freedonia[:2] + quake[:1]), None, ClusterSettings(), embedder, now=NOW)
    restored = ClusterState.from_bytes(first.state.to_bytes())
    assert restored.to_bytes() == first.state.to_bytes()
    fingerprints = {r.article_id: r.sentences for r in first.state.articles.values()}
    for record in restored.articles.values():  # lineage's sentence fingerprints survive the round trip
        assert record.sentences is not None and len(record.sentences) > 0
        assert record.sentences.tolist() == fingerprints[record.article_id].tolist()  # type: ignore[union-attr]
    rest = pairs(freedonia[2:] + quake[1:])
    via_bytes = cluster_articles(rest, restored, ClusterSettings(), embedder, now=NOW)
    direct = cluster_articles(rest, first.state, ClusterSettings(), embedder, now=NOW)
    assert via_bytes.stories == direct.stories
    assert via_bytes.events == direct.events


def test_a_state_from_another_model_is_refused(embedder: Embedder, freedonia: list[Article]) -> None:
    state = ClusterState("another-model", embedder.dim)
    with pytest.raises(Exception, match="another-model"):
        cluster_articles(pairs(freedonia), state, ClusterSettings(), embedder, now=NOW)


def test_a_story_that_no_longer_holds_together_splits(
    embedder: Embedder, freedonia: list[Article], quake: list[Article]
) -> None:
    loose = ClusterSettings(link_threshold=-5.0)  # everything joins one story
    first = cluster_articles(pairs(freedonia[:2] + quake), None, loose, embedder, now=NOW)
    [story] = first.stories
    assert len(story.members) == 4
    later = cluster_articles(pairs(freedonia[2:3]), first.state, ClusterSettings(), embedder, now=NOW)
    splits = [e for e in later.events if e.kind == "split"]
    assert len(splits) == 1 and splits[0].story_id == story.id
    assert "mean link" in splits[0].reason
    new_id = splits[0].other_story_id
    # the quake articles are dated earlier, so they founded the story and keep its id
    assert story.id == f"st_{quake[0].id[:16]}" or story.id == f"st_{quake[1].id[:16]}"
    assert {later.state.assigned[a.id] for a in quake} == {story.id}
    assert {later.state.assigned[a.id] for a in freedonia[:3]} == {new_id}
    assert sorted(s.id for s in later.stories) == sorted([story.id, new_id])
