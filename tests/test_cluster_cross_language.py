"""The cross-language weight of the multilingual embedder: a bilinear form that adds g * cos(USE) to English-other
pairs only (cluster/multilingual.py; measured in docs/languages.md)."""

import zlib

import numpy as np
import numpy.typing as npt
import pytest

from storyline.cluster import Embedder
from storyline.cluster.multilingual import (
    USE_DIM,
    MultilingualEmbedder,
    cross_weight_of,
    crosslingual_vectors,
    language_form,
)
from storyline.errors import ClusterError


class FakeUse:
    """Unit vectors that depend on the text only (stands in for USE)."""

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=USE_DIM) for t in texts]
        out = np.array([r / np.linalg.norm(r) for r in rows], np.float32)
        return out


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    return Embedder.minilm(threads=1)


TEXTS = ["Ship sinks off the coast", "Schiff sinkt vor der Küste", "Un navire coule", "Ship sinks near the port"]
LANGUAGES: list[str | None] = ["en", "de", "fr", None]


def test_no_cross_weight_leaves_vectors_and_ids_as_they_were(minilm: Embedder) -> None:
    plain = MultilingualEmbedder(minilm, FakeUse())
    assert plain.model_id.endswith("/600") and plain.dim == minilm.dim + USE_DIM
    assert cross_weight_of(plain.model_id) == 0.0
    vectors = plain.embed_articles(TEXTS, LANGUAGES)
    assert language_form(plain.model_id)(vectors) is vectors


def test_english_other_pairs_get_g_times_the_use_cosine_and_no_other_pair_changes(minilm: Embedder) -> None:
    g = 1.5
    plain = MultilingualEmbedder(minilm, FakeUse())
    crossed = MultilingualEmbedder(minilm, FakeUse(), cross_weight=g)
    assert crossed.model_id == plain.model_id + "/x1.5" and crossed.dim == plain.dim + 2 * USE_DIM
    assert cross_weight_of(crossed.model_id) == g
    before = plain.embed_articles(TEXTS, LANGUAGES).astype(np.float64)
    after = crossed.embed_articles(TEXTS, LANGUAGES)
    np.testing.assert_array_equal(after[:, : plain.dim], before)  # the usual blocks are untouched
    form = language_form(crossed.model_id)
    use = FakeUse().encode([t[:600] for t in TEXTS]).astype(np.float64)
    english = [language in ("en", None) for language in LANGUAGES]
    for i in range(len(TEXTS)):
        for j in range(len(TEXTS)):
            extra = g * float(use[i] @ use[j]) if english[i] != english[j] else 0.0
            assert float(after[i] @ form(after[j])) == pytest.approx(float(before[i] @ before[j]) + extra, abs=1e-5)
            assert float(after[i] @ form(after[j])) == pytest.approx(float(after[j] @ form(after[i])), abs=1e-6)


def test_the_form_is_linear_so_story_sums_hold(minilm: Embedder) -> None:
    crossed = MultilingualEmbedder(minilm, FakeUse(), cross_weight=0.75)
    vectors = crossed.embed_articles(TEXTS, LANGUAGES).astype(np.float64)
    form = language_form(crossed.model_id)
    story = vectors[1:].sum(axis=0)
    assert float(vectors[0] @ form(story)) == pytest.approx(sum(float(vectors[0] @ form(v)) for v in vectors[1:]))
    np.testing.assert_allclose(vectors @ form(vectors).T, (vectors @ form(vectors).T).T, atol=1e-9)


def test_translation_vectors_are_the_main_use_block(minilm: Embedder) -> None:
    plain = MultilingualEmbedder(minilm, FakeUse())
    crossed = MultilingualEmbedder(minilm, FakeUse(), cross_weight=1.0)
    expected = crosslingual_vectors(plain.model_id, plain.embed_articles(TEXTS, LANGUAGES))
    found = crosslingual_vectors(crossed.model_id, crossed.embed_articles(TEXTS, LANGUAGES))
    assert expected is not None and found is not None
    np.testing.assert_allclose(found, expected, atol=1e-6)


def test_a_negative_cross_weight_is_refused(minilm: Embedder) -> None:
    with pytest.raises(ClusterError):
        MultilingualEmbedder(minilm, FakeUse(), cross_weight=-0.1)
    assert cross_weight_of("minilm-l6-int8/128") == 0.0


def test_a_sibling_with_the_weight_a_store_names_shares_the_models(minilm: Embedder) -> None:
    plain = MultilingualEmbedder(minilm, FakeUse())
    crossed = plain.with_cross_weight(1.5)
    assert crossed.model_id == plain.model_id + "/x1.5" and crossed.encoder is plain.encoder
    assert crossed.with_cross_weight(cross_weight_of(plain.model_id)).model_id == plain.model_id
