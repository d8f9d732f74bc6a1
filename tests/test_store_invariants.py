"""Property: whatever the stream (years long, out of order, undated, duplicated, re-ingested, cut into random
batches), after every batch of ingest -> analyze -> cluster -> brief the store's invariants hold."""

import dataclasses
import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import raw_sql
from storyline import pipeline
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.cluster import ClusterSettings, Embedder
from storyline.extract.article import Extractor
from storyline.records import Document, Hint
from storyline.store import SQLiteStore, Store, open_store
from storyline.synthesize.brief import BriefSettings
from streams import make_stream


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    path: Path = tmp_path_factory.mktemp("static") / "table.npy"
    np.save(path, np.random.default_rng(0).normal(size=(30522, 32)).astype(np.float16))
    return Embedder.static(path)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(AnalyzeSettings(processes=1))


def documents(seed: int, stories: int, span_days: int, undated: float) -> list[Document]:
    out = []
    for number, item in enumerate(make_stream(stories, 2, span_days, seed, undated)):
        hints = (Hint("published", item.article.published, "jsonl"),) if item.article.published else ()
        location = f"stream-{seed}.jsonl:{number}"
        out.append(Document(location, location, item.article.text, "text", hints))
    return out


def process(store: Store, batch: list[Document], analyzer: Analyzer, embedder: Embedder) -> None:
    list(pipeline.store_documents(batch, store, Extractor()))
    list(pipeline.analyze(store, analyzer))
    pipeline.cluster(store, ClusterSettings(), embedder)
    list(pipeline.write_briefs(store, BriefSettings()))


def assert_invariants(store: Store) -> None:
    report = pipeline.check(store)
    assert report.ok, "\n".join(report.lines())
    assert report.counts["in_stories"] == report.counts["analysed"] == store.count_articles()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    stories=st.integers(1, 14),
    span_days=st.sampled_from([3, 90, 400, 1500]),
    undated=st.sampled_from([0.0, 0.3, 1.0]),
    cuts=st.lists(st.integers(0, 40), max_size=4),
    duplicates=st.integers(0, 4),
)
def test_invariants_hold_after_every_batch(
    tmp_path: Path,
    analyzer: Analyzer,
    embedder: Embedder,
    seed: int,
    stories: int,
    span_days: int,
    undated: float,
    cuts: list[int],
    duplicates: int,
) -> None:
    docs = documents(seed, stories, span_days, undated)
    rng = random.Random(seed)
    rng.shuffle(docs)
    docs += [dataclasses.replace(d, location=d.location + "#again") for d in docs[:duplicates]]  # same text
    bounds = sorted({min(c, len(docs)) for c in cuts} | {0, len(docs)})
    path = tmp_path / f"{seed}-{dt.datetime.now().timestamp()}.db"
    with SQLiteStore(path) as store:
        for start, end in zip(bounds, bounds[1:], strict=False):
            process(store, docs[start:end], analyzer, embedder)
            assert_invariants(store)
        process(store, docs, analyzer, embedder)  # re-ingest of everything: nothing changes
        assert_invariants(store)
        assert store.count_articles() == len({d.content for d in docs})


def test_the_check_finds_an_article_left_out_of_every_story(
    store_location: str, analyzer: Analyzer, embedder: Embedder
) -> None:
    with open_store(store_location) as store:
        process(store, documents(1, 3, 30, 0.0), analyzer, embedder)
        assert_invariants(store)
        victim = raw_sql(store, "SELECT article_id FROM story_articles LIMIT 1")[0][0]
        raw_sql(store, "DELETE FROM story_articles WHERE article_id = ?", victim)
        report = pipeline.check(store)
        assert not report.ok
        assert any("in no story" in p for p in report.problems)
        assert any("disagree" in p for p in report.problems)


def test_the_check_finds_a_story_without_a_brief_and_a_stale_one(
    store_location: str, analyzer: Analyzer, embedder: Embedder
) -> None:
    with open_store(store_location) as store:
        process(store, documents(2, 3, 30, 0.0), analyzer, embedder)
        first, second = (s.id for s in store.stories()[:2])
        raw_sql(store, "DELETE FROM briefs WHERE story_id = ?", first)
        raw_sql(store, "UPDATE briefs SET story_updated_at = 'old' WHERE story_id = ?", second)
        report = pipeline.check(store)
        assert [p for p in report.problems if "no brief" in p] and report.counts["stale_briefs"] == 1
