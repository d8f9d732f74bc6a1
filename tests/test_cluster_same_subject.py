"""Same subject != same story: two events of one kind about one subject (two strikes by the dockers of one port,
with the same union leader) each told by six outlets stay two stories, in one run, in two runs and in shuffled
batches, while both events share enough of their subject that average linkage alone joined them (ClusterSettings
merge_size / merge_threshold, linkage.py; docs/languages.md "Same subject != same story")."""

import dataclasses
import random

import pytest

from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.cluster.state import ClusterState
from storyline.records import Article
from streams import static_embedder

NOW = "2026-01-01T00:00:00+00:00"
SUBJECT = [
    "The Belmora Harbour Authority faces another walkout by its dock workers, union leader Petra Novak said.",
    "Petra Novak, who leads the dockers' union at the Belmora Harbour Authority, spoke to reporters at the gate.",
    "Ships queued outside Belmora harbour as the dockers of the Harbour Authority stopped work.",
    "The Harbour Authority in Belmora said cargo handling had stopped at every berth.",
]


def event(tag: str, person: str, other: str, count: str, money: str, reason: str, weekday: str) -> list[Article]:
    """Six undated reports of one strike: three of the four subject sentences and three of its own six."""
    own = [
        f"{count} dockers walked out on {weekday} over {reason}, {person} of the Harbour Authority said.",
        f"{person} said the dispute over {reason} would cost the port {money} million a week.",
        f"{other}, a port councillor, blamed {person} for the breakdown of the talks on {reason}.",
        f"Talks on {reason} between {person} and the union collapsed late on {weekday}.",
        f"The union said {count} members backed the walkout over {reason} in a ballot.",
        f"{other} urged both sides to return to talks on {reason} before {weekday}.",
    ]
    rng = random.Random(tag)
    out = []
    for number in range(6):
        sentences = rng.sample(SUBJECT, 3) + rng.sample(own, 3)
        rng.shuffle(sentences)
        title = sentences[0][:70]
        text = title + "\n" + " ".join(sentences)
        out.append(Article(id=f"{tag}{number}", title=title, text=text, language="en"))
    return out


FIRST = event("pay-", "Hugo Lindqvist", "Mina Ferreira", "1,200", "4.5", "pay", "Monday")
SECOND = event("pensions-", "Jonas Moreau", "Zofia Okafor", "3,400", "9.8", "pensions", "Thursday")
GOLD = {a.id: 0 for a in FIRST} | {a.id: 1 for a in SECOND}


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    return static_embedder(tmp_path_factory.mktemp("static") / "table.npy")


def stories(state: ClusterState) -> set[frozenset[int]]:
    """The gold events of each story's members."""
    members: dict[str, set[str]] = {}
    for article_id, story_id in state.assigned.items():
        members.setdefault(story_id, set()).add(article_id)
    return {frozenset(GOLD[a] for a in group) for group in members.values()}


def run(batches: list[list[Article]], settings: ClusterSettings, embedder: Embedder) -> ClusterState:
    state = None
    for batch in batches:
        state = cluster_articles([(a, None) for a in batch], state, settings, embedder, now=NOW).state
    assert state is not None
    assert set(state.assigned) == set(GOLD)  # every article in exactly one story
    return state


def test_average_linkage_alone_joins_the_two_events(embedder: Embedder) -> None:
    # the stream is a real test: with the rule off (a merge threshold equal to the link threshold) the two
    # events' groups link at a mean q above the link threshold and become one story
    settings = ClusterSettings()
    off = dataclasses.replace(settings, merge_threshold=settings.link_threshold)
    assert stories(run([FIRST + SECOND], off, embedder)) == {frozenset({0, 1})}
    assert stories(run([FIRST, SECOND], off, embedder)) == {frozenset({0, 1})}


def test_two_events_of_one_subject_stay_two_stories_in_one_run(embedder: Embedder) -> None:
    assert stories(run([FIRST + SECOND], ClusterSettings(), embedder)) == {frozenset({0}), frozenset({1})}


def test_a_second_event_arriving_later_founds_its_own_story(embedder: Embedder) -> None:
    # the first event is a story of six when the second event's six reports arrive together: the chunk's
    # linkage does not join them, and consolidation (grouping from singletons) does not either
    settings = ClusterSettings()
    assert stories(run([FIRST, SECOND], settings, embedder)) == {frozenset({0}), frozenset({1})}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shuffled_batches_give_the_two_stories(embedder: Embedder, seed: int) -> None:
    articles = FIRST + SECOND
    random.Random(seed).shuffle(articles)
    batches = [articles[start : start + 4] for start in range(0, len(articles), 4)]
    assert stories(run(batches, ClusterSettings(), embedder)) == {frozenset({0}), frozenset({1})}
