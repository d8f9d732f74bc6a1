"""Embedders: the static table path (fast, no model) and MiniLM on onnxruntime (slow: loads the model)."""

from pathlib import Path

import numpy as np
import pytest

from storyline.cluster.embed import Embedder, embedding_text
from storyline.errors import ClusterError


def test_embedding_text_is_title_plus_lead_without_repeating_the_title() -> None:
    assert embedding_text("Title", "Title\nBody text that goes on", lead_chars=9) == "Title\nBody text"
    assert embedding_text("Title", "Other first line\nmore") == "Title\nOther first line\nmore"


def test_static_embedder_returns_unit_rows(tmp_path: Path) -> None:
    path = tmp_path / "table.npy"
    np.save(path, np.random.default_rng(1).normal(size=(30522, 8)).astype(np.float16))
    embedder = Embedder.static(path)
    vectors = embedder.embed(["Hello world", "", "hello WORLD"])
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any()  # no tokens: a zero row
    assert vectors[0] @ vectors[2] == pytest.approx(1.0, abs=1e-5)  # the tokenizer lower-cases
    assert embedder.embed([]).shape == (0, 8)


def test_unreadable_static_table_is_a_cluster_error(tmp_path: Path) -> None:
    (tmp_path / "bad.npy").write_text("not numpy")
    with pytest.raises(ClusterError):
        Embedder.static(tmp_path / "bad.npy")


@pytest.mark.slow
def test_minilm_puts_paraphrases_closer_than_unrelated_text() -> None:
    embedder = Embedder.minilm()
    a, b, c = embedder.embed(
        [
            "Parliament voted to remove the president after a budget dispute.",
            "Lawmakers ousted the head of state following a fight over the budget.",
            "The recipe needs two eggs, flour and a pinch of salt.",
        ]
    )
    assert a @ b > a @ c + 0.3
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-4)
    # padding must not change a vector: the same text alone and in a batch with a longer one
    alone = embedder.embed(["Parliament voted to remove the president after a budget dispute."])[0]
    assert alone @ a == pytest.approx(1.0, abs=1e-4)
