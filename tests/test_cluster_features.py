"""Lexical features: words, numbers, dates, and the weighted TF-IDF blocks."""

import numpy as np
import pytest

from storyline.cluster.features import (
    HASH_BITS,
    count_features,
    extract_dates,
    extract_numbers,
    stem,
    tokenize_words,
    weigh_features,
)
from storyline.records import Analysis, Entity


def test_stem_joins_simple_inflections() -> None:
    assert stem("attacks") == stem("attack") == "attack"
    assert stem("companies") == "company"
    assert stem("attacked") == "attack" == stem("attacking")
    assert stem("press") == "press" and stem("virus") == "virus"


def test_tokenize_drops_stop_words_and_possessives() -> None:
    assert tokenize_words("The President's votes were overridden by Congress") == [
        "president",
        "vote",
        "overridden",
        "congress",
    ]


def test_numbers_are_normalized_and_years_dropped() -> None:
    text = "Colts beat Chiefs 20-13; payrolls rose 943,000 and unemployment fell to 5.4% in 2021, a $1.9 trillion bill"
    assert extract_numbers(text) == ["20-13", "943000", "5.4%", "$1.9trillion"]


def test_dates_are_month_days_years_and_weekdays() -> None:
    assert extract_dates("On Friday, June 19 2026 and on 3 March") == ["friday", "june_19", "2026", "3_march"]


def test_entity_names_from_an_analysis_add_tokens() -> None:
    analysis = Analysis(article_id="a", version="t", entities=(Entity("Lambert", "PERSON", 0, 7, "Nathan Lambert"),))
    plain = count_features("Title", "Lambert wrote.")
    enriched = count_features("Title", "Lambert wrote.", analysis)
    assert len(enriched.words) == len(plain.words) + 1


def test_weighted_blocks_dot_to_the_weight_sum_with_themselves() -> None:
    counts = [count_features("Quake kills 12", "A 6.1 quake on Sunday, June 7 killed 12 in Marlowe.")]
    frequency = np.zeros(1 << HASH_BITS, np.uint32)
    for column in counts[0].columns():
        frequency[column] += 1
    [(columns, values)] = weigh_features(counts, frequency, 1, (0.5, 0.1, 0.05))
    assert np.all(np.diff(columns) > 0)
    assert float(values @ values) == pytest.approx(0.5 + 0.1 + 0.05, rel=1e-5)
