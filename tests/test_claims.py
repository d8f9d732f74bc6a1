from pathlib import Path

import numpy as np
import pytest

from storyline.analyze.claims import (
    DEFAULT_MODEL_PATH,
    HAND_FEATURES,
    ClaimScorer,
    find_claims,
    find_holder,
    hand_features,
    ngram_indices,
)
from storyline.analyze.sentences import split_sentences
from storyline.errors import AnalyzeError
from storyline.records import Entity, Quote, Sentence

STATISTIC = "Unemployment fell to 3.5 percent in 2019, the lowest rate in 50 years."
PLEASANTRY = "Thank you very much."
PARAGRAPH = (
    "Good morning, everyone. "
    "The ministry said exports to China rose 12% to $48 billion last year. "
    "I hope you enjoy the show! "
    "What do you think?"
)


@pytest.fixture(scope="module")
def scorer() -> ClaimScorer:
    return ClaimScorer()


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> ClaimScorer:
    return ClaimScorer(tmp_path_factory.mktemp("empty") / "absent.npz")


def entity(text: str, whole: str, label: str, canonical: str | None = None) -> Entity:
    start = whole.index(text)
    return Entity(text, label, start, start + len(text), canonical or text)


def test_the_shipped_model_loads() -> None:
    assert DEFAULT_MODEL_PATH.is_file()
    assert ClaimScorer().uses_model


def test_scores_are_probabilities_in_order(scorer: ClaimScorer) -> None:
    scores = scorer.score([STATISTIC, PLEASANTRY, "Why?"])
    assert len(scores) == 3
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert scorer.score([]) == []


@pytest.mark.parametrize("which", ["scorer", "rules"])
def test_a_statistic_outranks_a_pleasantry(which: str, request: pytest.FixtureRequest) -> None:
    chosen: ClaimScorer = request.getfixturevalue(which)
    statistic, pleasantry = chosen.score([STATISTIC, PLEASANTRY])
    assert statistic > pleasantry


def test_fallback_without_model_file_uses_rules(rules: ClaimScorer) -> None:
    assert not rules.uses_model
    statistic, opinion = rules.score([STATISTIC, "I really think we should all love each other, frankly."])
    assert statistic > 0.5 > opinion


def test_a_broken_model_file_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "claims.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(AnalyzeError):
        ClaimScorer(broken)


def test_a_model_for_other_features_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.npz"
    np.savez(path, ngram_weights=np.zeros(8), hand_weights=np.zeros(2), bias=np.array(0.0),
             hand_names=np.array(["digit", "length"]))  # fmt: skip
    with pytest.raises(AnalyzeError, match="retrain"):
        ClaimScorer(path)


def test_a_model_file_is_used_when_present(tmp_path: Path) -> None:
    path = tmp_path / "claims.npz"
    weights = np.zeros(4096)
    weights[sorted(set(ngram_indices("banana", 4096)) - set(ngram_indices("apple", 4096)))] = 50.0
    np.savez(path, ngram_weights=weights, hand_weights=np.zeros(len(HAND_FEATURES)), bias=np.array(-5.0),
             hand_names=np.array(HAND_FEATURES))  # fmt: skip
    model = ClaimScorer(path)
    banana, other = model.score(["banana", "apple"])
    assert model.uses_model
    assert banana > 0.99 and other < 0.5


def test_ngram_indices_are_stable_and_in_range() -> None:
    first = ngram_indices("The deficit rose by 5 percent in 2019.", 1024)
    assert first == ngram_indices("the deficit rose by 7 percent in 2020.", 1024)  # numbers and years collapse
    assert all(0 <= index < 1024 for index in first)
    assert first != ngram_indices("The deficit fell by 5 percent in 2019.", 1024)


def test_hand_features_are_bounded_and_named() -> None:
    values = hand_features("We spent $5 billion more than Russia in 2019?")
    assert values.shape == (len(HAND_FEATURES),)
    assert ((values >= 0) & (values <= 1)).all()
    named = dict(zip(HAND_FEATURES, values, strict=True))
    assert named["money"] == 1 and named["question"] == 1 and named["year"] == 1 and named["first_plural"] == 1
    assert named["opinion"] == 0


def test_find_claims_keeps_the_factual_sentence(scorer: ClaimScorer) -> None:
    entities = [entity("China", PARAGRAPH, "GPE"), entity("last year", PARAGRAPH, "DATE")]
    claims = find_claims(PARAGRAPH, split_sentences(PARAGRAPH), entities, [], scorer)
    assert [claim.text for claim in claims] == ["The ministry said exports to China rose 12% to $48 billion last year."]
    claim = claims[0]
    assert PARAGRAPH[claim.start : claim.end] == claim.text
    assert claim.entities == ("China",)  # the DATE is not a name
    assert [(q.text, q.unit) for q in claim.quantities] == [("12%", "ratio"), ("$48 billion", "USD")]
    assert claim.holder is None
    assert 0.5 <= claim.score <= 1.0


@pytest.mark.parametrize("which", ["scorer", "rules"])
def test_comparisons_and_causal_claims_are_kept_opinions_are_not(which: str, request: pytest.FixtureRequest) -> None:
    chosen: ClaimScorer = request.getfixturevalue(which)
    text = (
        "The new dam has caused the river's fish population to fall by half since 2015, according to state "
        "biologists. Residents say they love the view. Sweden spends less on defence than Norway, NATO figures "
        "show. We are going to make this country great again! Please share your thoughts in the comments below."
    )
    kept = [claim.text for claim in find_claims(text, split_sentences(text), [], [], chosen)]
    assert kept == [
        "The new dam has caused the river's fish population to fall by half since 2015, according to state biologists.",
        "Sweden spends less on defence than Norway, NATO figures show.",
    ]


def test_threshold_bounds(scorer: ClaimScorer) -> None:
    sentences = split_sentences(PARAGRAPH)
    everything = find_claims(PARAGRAPH, sentences, [], [], scorer, threshold=0.0)
    assert len(everything) == 3  # "Good morning, everyone." is too short to be a claim
    assert find_claims(PARAGRAPH, sentences, [], [], scorer, threshold=1.01) == []


def test_holder_comes_from_the_quote_record(scorer: ClaimScorer) -> None:
    text = (
        'Maria Lopez spoke on Monday. "Crime fell by 20 percent in the city since 2018," Lopez said. '
        "The council meets again in May."
    )
    content = "Crime fell by 20 percent in the city since 2018,"
    start = text.index(content)
    speaker_start = text.index("Lopez said")
    quote = Quote(content, start, start + len(content), "Maria Lopez", (speaker_start, speaker_start + 5), "said")
    people = [entity("Maria Lopez", text, "PERSON"), Entity("Lopez", "PERSON", speaker_start, speaker_start + 5,
                                                            "Maria Lopez")]  # fmt: skip
    claims = find_claims(text, split_sentences(text), people, [quote], scorer, threshold=0.0)
    by_text = {claim.text: claim for claim in claims}
    quoted = by_text['"Crime fell by 20 percent in the city since 2018," Lopez said.']
    assert quoted.holder == "Maria Lopez"
    assert quoted.entities == ("Maria Lopez",)
    assert by_text["Maria Lopez spoke on Monday."].holder is None


def test_holder_of_an_indirect_attribution() -> None:
    text = "The authors argue that sea levels rose 20 cm in a century."
    content_start = text.index("sea levels")
    quote = Quote(text[content_start:-1], content_start, len(text) - 1, "the authors", (0, 11), "argue", "indirect")
    assert find_holder(Sentence(0, len(text)), [quote]) == "the authors"


def test_holder_ignores_quotes_without_speaker_or_elsewhere() -> None:
    anonymous = Quote("x", 0, 10, None)
    elsewhere = Quote("y", 50, 60, "Someone")
    assert find_holder(Sentence(0, 20), [anonymous, elsewhere]) is None


def test_holder_prefers_the_largest_overlap() -> None:
    small = Quote("a", 0, 3, "Ann")
    large = Quote("b", 5, 40, "Ben")
    assert find_holder(Sentence(0, 30), [small, large]) == "Ben"
