"""A store clustered before the multilingual default (English MiniLM alone) keeps being clustered, with the
embedder it was built with, instead of being refused."""

import logging

import pytest

from conftest import make_article, text_document
from storyline import pipeline
from storyline.analyze.settings import ANALYSIS_VERSION
from storyline.cluster import ClusterSettings, ClusterState, Embedder
from storyline.records import Analysis
from storyline.store import SQLiteStore

pytestmark = pytest.mark.slow


def add(store: SQLiteStore, number: int) -> None:
    text = f"Harbour bridge closes {number}\n\nThe harbour bridge in Rotterdam closes for repairs, report {number}."
    article = make_article(text=text, language="en", published=f"2026-02-1{number}")
    store.add_article(text_document(text, f"{number}.txt"), article)
    store.put_analyses([Analysis(article.id, ANALYSIS_VERSION)])  # articles are clustered once analysed


def test_a_store_clustered_with_minilm_alone_keeps_that_embedder(
    store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    add(store, 1)
    old = ClusterSettings(embedder="minilm")
    pipeline.cluster(store, old, Embedder.default(old))
    built_with = ClusterState.from_bytes(store.cluster_state() or b"").model_id
    add(store, 2)
    with caplog.at_level(logging.WARNING):
        outcome = pipeline.cluster(store, ClusterSettings(), Embedder.default(ClusterSettings()))
    assert outcome.articles == 1
    assert ClusterState.from_bytes(store.cluster_state() or b"").model_id == built_with
    assert "keeps that embedder" in caplog.text
    assert len(store.stories()) == 1  # the second report joined the first one's story
