"""Retirement is a state: dormant stories are returned whole, re-open for late reports, and are followed."""

import dataclasses
import random

import pytest

from storyline.cluster import ClusterSettings, ClusterState, Embedder, cluster_articles
from streams import NOW, Saved, bcubed_f1, make_stream, static_embedder


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    return static_embedder(tmp_path_factory.mktemp("static") / "table.npy")


def test_a_year_long_stream_keeps_every_article_in_a_returned_story(embedder: Embedder) -> None:
    stream = make_stream(120, per_story=3, span_days=365, seed=1)
    saved = Saved([s.article for s in stream])
    saved.run([s.article for s in stream], embedder)
    partition = saved.partition()
    assert len(partition) == len(stream)
    assert saved.state is not None and set(partition.items()) == set(saved.state.assigned.items())
    statuses = {s.status for s in saved.stories.values()}
    assert statuses == {"active", "dormant"}
    assert set(saved.state.dormant) == {s.id for s in saved.stories.values() if s.status == "dormant"}
    gold = {s.article.id: str(s.story) for s in stream}
    assert bcubed_f1(partition, gold) > 0.9


def test_the_same_stream_in_many_shuffled_batches_gives_the_same_stories(embedder: Embedder) -> None:
    stream = make_stream(60, per_story=3, span_days=500, seed=2)
    articles = [s.article for s in stream]
    sorted_run = Saved(articles)
    sorted_run.run(articles, embedder)
    shuffled = list(articles)
    random.Random(3).shuffle(shuffled)
    batched = Saved(articles)
    for start in range(0, len(shuffled), 17):
        batched.run(shuffled[start : start + 17], embedder)
    assert len(batched.partition()) == len(articles)
    assert bcubed_f1(batched.partition(), sorted_run.partition()) >= 0.98


def test_a_late_report_re_opens_its_dormant_story(embedder: Embedder) -> None:
    stream = make_stream(2, per_story=3, span_days=120, seed=4)
    first, second = [s.article for s in stream if s.story == 0], [s.article for s in stream if s.story == 1]
    saved = Saved(first + second)
    saved.run(first[:2], embedder)
    saved.run(second, embedder)  # 120 days later: the first story goes dormant
    story_id = next(iter(saved.partition()[a.id] for a in first[:2]))
    assert saved.stories[story_id].status == "dormant"
    result = cluster_articles([(first[2], None)], saved.state, ClusterSettings(), embedder, NOW, load=saved.load)
    assert result.state.assigned[first[2].id] == story_id
    [story] = [s for s in result.stories if s.id == story_id]
    assert len(story.members) == 3 and story.status == "dormant"  # re-opened, joined, retired again
    assert [e.kind for e in result.events if e.story_id == story_id] == ["join", "reopen"]


def test_a_follow_up_months_later_starts_a_story_that_follows_the_dormant_one(embedder: Embedder) -> None:
    stream = make_stream(1, per_story=3, span_days=10, seed=5)
    articles = [s.article for s in stream]
    later = [
        dataclasses.replace(a, id=f"later-{i}", published="2024-06-01T08:00:00+00:00", text=a.text + " A year on.")
        for i, a in enumerate(articles)
    ]
    filler = [dataclasses.replace(a.article, published="2024-05-20T08:00:00+00:00") for a in make_stream(1, seed=9)]
    saved = Saved(articles + later + filler)
    saved.run(articles, embedder)
    saved.run(filler, embedder)  # moves news time on: the first story goes dormant
    old = saved.partition()[articles[0].id]
    assert saved.stories[old].status == "dormant"
    saved.run(later, embedder)
    new = saved.partition()[later[0].id]
    assert new != old
    assert saved.stories[new].follows == (old,)


def test_undated_articles_age_from_the_time_they_were_received(embedder: Embedder) -> None:
    stream = make_stream(2, per_story=2, span_days=200, seed=6)
    undated = [dataclasses.replace(s.article, published=None) for s in stream]
    received = {a.id: ("2025-01-01" if i < 2 else "2025-09-01") for i, a in enumerate(undated)}
    result = cluster_articles([(a, None) for a in undated], None, ClusterSettings(), embedder, NOW, received)
    first = {s.id: s for s in result.stories}[result.state.assigned[undated[0].id]]
    assert first.status == "dormant"  # received eight months before the others: it aged like a dated story
    joins = [e for e in result.events if e.kind == "join"]
    assert joins and all("ages from the time it was received (derived)" in e.reason for e in joins)


def test_undated_articles_may_join_a_dated_story_received_long_after_it(embedder: Embedder) -> None:
    stream = make_stream(1, per_story=4, span_days=10, seed=8)
    dated = [s.article for s in stream[:2]]
    undated = [dataclasses.replace(s.article, published=None) for s in stream[2:]]
    received = {a.id: "2026-11-30T00:00:00+00:00" for a in undated}  # read months after the dated ones
    result = cluster_articles([(a, None) for a in dated + undated], None, ClusterSettings(), embedder, NOW, received)
    [story] = result.stories
    assert len(story.members) == 4 and story.status == "active"


def test_dormant_stories_survive_a_state_round_trip(embedder: Embedder) -> None:
    stream = make_stream(30, per_story=2, span_days=300, seed=7)
    saved = Saved([s.article for s in stream])
    saved.run([s.article for s in stream], embedder)
    assert saved.state is not None and saved.state.dormant
    restored = ClusterState.from_bytes(saved.state.to_bytes())
    assert restored.to_bytes() == saved.state.to_bytes()
    assert set(restored.dormant) == set(saved.state.dormant)


def test_an_undated_article_read_later_re_opens_the_dormant_story_it_belongs_to(embedder: Embedder) -> None:
    stream = make_stream(2, per_story=3, span_days=200, seed=12)
    first, second = [s.article for s in stream if s.story == 0], [s.article for s in stream if s.story == 1]
    undated = dataclasses.replace(first[2], published=None)
    saved = Saved(first[:2] + second + [undated])
    saved.run(first[:2] + second, embedder)  # the first story goes dormant
    story_id = saved.partition()[first[0].id]
    assert saved.stories[story_id].status == "dormant"
    saved.run([undated], embedder)
    assert saved.partition()[undated.id] == story_id


def test_a_story_founded_by_an_old_report_in_a_later_run_retires_at_the_end_of_that_run(embedder: Embedder) -> None:
    stream = make_stream(2, per_story=3, span_days=200, seed=4)
    recent, old = [s.article for s in stream if s.story == 1], [s.article for s in stream if s.story == 0]
    saved = Saved(recent + old)
    saved.run(recent, embedder)
    saved.run(old, embedder)  # months older than the newest article already seen: idle from the start
    story_id = saved.partition()[old[0].id]
    assert saved.state is not None and story_id not in saved.state.stories
    assert saved.stories[story_id].status == "dormant"
    assert any(e.kind == "retire" and e.story_id == story_id for e in saved.events)
    assert saved.stories[saved.partition()[recent[0].id]].status == "active"


def test_a_late_report_finds_its_dormant_story_behind_closer_stories_of_other_weeks(embedder: Embedder) -> None:
    articles = [s.article for s in make_stream(1, per_story=3, span_days=2, seed=8)]
    late = dataclasses.replace(articles[0], id="late", text=articles[0].text + " More is expected.")
    dated = dict(published=articles[0].published)
    echoes = [  # nine stories of other weeks whose text is closer to the late report than its own story's is
        dataclasses.replace(late, id=f"echo-{week}", text=late.text + f" Week {week}.", published=when)
        for week, when in enumerate(f"2023-{month:02d}-15T08:00:00+00:00" for month in range(1, 10))
    ]
    own = [dataclasses.replace(a, **dated) for a in articles[1:]]
    filler = [dataclasses.replace(a.article, published="2024-12-01T08:00:00+00:00") for a in make_stream(1, seed=9)]
    saved = Saved([*own, *echoes, *filler, late])
    saved.run([*own, *echoes], embedder)
    saved.run(filler, embedder)  # news time moves on: every story above goes dormant
    assert saved.state is not None and len(saved.state.dormant) == 10
    saved.run([late], embedder)
    assert saved.partition()["late"] == saved.partition()[own[0].id]
