"""Embedders: the static table path (fast, no model), MiniLM on onnxruntime (slow: loads the model), its fast build."""

import importlib.util
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storyline.cluster import embed
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


def test_unreadable_minilm_model_is_a_cluster_error(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not an onnx file")
    with pytest.raises(ClusterError):
        Embedder.minilm(model_path=tmp_path / "model.onnx")


@pytest.mark.slow
def test_without_the_fast_build_minilm_falls_back_to_the_packaged_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    texts = ["Parliament voted to remove the president after a budget dispute.", "The recipe needs two eggs."]
    default = Embedder.minilm()
    monkeypatch.setattr(embed, "FAST_MINILM_PATH", tmp_path / "absent.onnx")
    with caplog.at_level(logging.WARNING, logger="storyline.cluster.embed"):
        fallback = Embedder.minilm()
    assert "fast MiniLM build not found" in caplog.text
    assert fallback.model_id == default.model_id  # the same network: states stay compatible
    agreement = (fallback.embed(texts) * default.embed(texts)).sum(axis=1)
    assert agreement.min() > 0.98, agreement


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("onnx") is None, reason="the onnx package (build time only) is absent")
def test_build_script_writes_a_model_that_matches_the_packaged_one(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_minilm_int8.py"
    target = tmp_path / "fast.onnx"
    subprocess.run([sys.executable, str(script), "--output", str(target)], check=True, capture_output=True)
    texts = ["Lakers beat the Celtics 112-104.", "Storm floods the coast.", "Storm floods the coast, 3 dead."]
    built = Embedder.minilm(model_path=target).embed(texts)
    packaged = Embedder.minilm(model_path=embed.find_minilm_onnx()).embed(texts)
    assert (built * packaged).sum(axis=1).min() > 0.98
    assert built[1] @ built[2] > built[0] @ built[1]
