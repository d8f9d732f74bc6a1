"""Lexical sentence similarity: stems, numbers, entity terms, and the story's weighted cosine matrix."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from storyline.synthesize.similarity import TermMatrix, number_terms, sentence_terms, stem, word_terms


def test_stems_meet_across_inflections() -> None:
    assert stem("regulation") == stem("regulations") == stem("Regulatory") == stem("regulating")
    assert stem("companies") == stem("company")
    assert stem("Washington’s") == stem("Washington")
    assert stem("bridges") == stem("bridge") and stem("voted") == stem("voting") == stem("vote")
    assert stem("news") == "news" and stem("status") == "status"


def test_word_terms_drop_stop_words_and_short_words() -> None:
    assert word_terms("The council said it would vote on a bridge today") == ["counci", "vot", "bridg"]


def test_number_terms_normalize_separators_and_percent() -> None:
    assert number_terms("over 90% of 1,200 firms, or 90 percent") == ["#90%", "#1200", "#90%"]
    assert number_terms("$8.5 trillion in 2026.") == ["#8.5", "#2026"]


def test_sentence_terms_add_entity_names() -> None:
    terms = sentence_terms("Xu met Lambert.", entities=("Kevin Xu",))
    assert "@kevin xu" in terms and "lamber" in terms


def test_paraphrases_score_above_unrelated_sentences() -> None:
    sentences = [
        "The council voted 7 to 2 on Tuesday to build a bridge across the Green River.",
        "On Tuesday the council approved a bridge over the Green River by a vote of 7 to 2.",
        "The library will stay open until 8 p.m. on Saturdays starting in June.",
    ]
    cosines = TermMatrix([sentence_terms(s) for s in sentences]).cosines()
    assert cosines[0, 1] > 0.5 > cosines[0, 2]


def test_pairs_sharing_too_few_words_are_zero() -> None:
    terms = [sentence_terms("Anthropic raised prices."), sentence_terms("Anthropic hired staff.")]
    matrix = TermMatrix(terms)
    assert matrix.cosines()[0, 1] > 0.0
    assert matrix.cosines(min_shared=2)[0, 1] == 0.0


def test_a_term_every_sentence_has_weighs_least() -> None:
    matrix = TermMatrix([frozenset({"ai", "bridge"}), frozenset({"ai", "river"}), frozenset({"ai"})])
    assert matrix.weight("ai") < matrix.weight("bridge") and matrix.weight("missing") == 0.0


@given(st.lists(st.frozensets(st.sampled_from(["a1", "b2", "c3", "#4", "@e"]), max_size=4), max_size=6))
def test_cosines_are_symmetric_and_within_0_1(term_sets: list[frozenset[str]]) -> None:
    cosines = TermMatrix(term_sets).cosines()
    assert cosines.shape == (len(term_sets), len(term_sets))
    assert np.allclose(cosines, cosines.T, atol=1e-6)
    assert (cosines >= -1e-6).all() and (cosines <= 1 + 1e-5).all()
