"""Tests for analyze/sentences.py on hostile lengths: one huge paragraph splits in linear time, and a sentence
longer than MAX_SENTENCE is cut into pieces."""

import subprocess
import sys

import pytest

from storyline.analyze.sentences import MAX_SENTENCE, split_sentences

# Each makes a one-line paragraph of about `n` characters (run in a child process, so a hang can be stopped).
SHAPES = {
    "words and periods": "' '.join(random.choice(WORDS) for _ in range(n // 6))",
    "dotted acronyms and abbreviations": "'U.S. The firm Inc. rose. No. 3 is Mr. Smith. ' * (n // 45)",
    "a run of periods": "'.' * n",
    "a run of question and exclamation marks": "'?!' * (n // 2)",
    "no punctuation": "' '.join(random.choice(WORDS).strip('.') for _ in range(n // 6))",
    "no whitespace": "'x' * n",
}
_SCRIPT = """
import random, sys, time
from storyline.analyze.sentences import split_sentences
random.seed(0)
WORDS = "alpha beta Gamma delta. Epsilon zeta eta theta iota kappa lambda mu".split()
n = int(sys.argv[1])
text = {shape}
started = time.perf_counter()
split_sentences(text)
print(time.perf_counter() - started)
"""


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_two_megabyte_paragraph_splits_in_seconds_not_hours(shape: str) -> None:
    """Linear splitting takes well under a second here; the old quadratic splitting needed minutes to hours
    (400,000 characters of words and periods: 9.6 s, 100,000 periods: 120 s). The bound is generous on purpose."""
    command = [sys.executable, "-c", _SCRIPT.format(shape=SHAPES[shape]), str(2_000_000)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"splitting 2 MB of {shape} took over 30 s")
    assert done.returncode == 0, done.stderr[-2000:]
    assert float(done.stdout) < 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wait.... Then he left.", ["Wait....", "Then he left."]),
        ("It fell.... the end. Now", ["It fell.... the end.", "Now"]),
        ("Go!!! Now. Stop?! “Why?!” Smith asked. Yes.", ["Go!!!", "Now.", "Stop?!", "“Why?!” Smith asked.", "Yes."]),
        ("So... The U.S. The end.", ["So...", "The U.S.", "The end."]),
        ("Hm.…. Then", ["Hm.….", "Then"]),
        ("x.y.z. The end", ["x.y.z.", "The end"]),
        ("Apple Inc. The firm grew. Apple Inc. rose.", ["Apple Inc.", "The firm grew.", "Apple Inc. rose."]),
    ],
)
def test_runs_of_punctuation_and_words_before_periods_split_as_before(text: str, expected: list[str]) -> None:
    """Cases of the rewritten steps (punctuation runs, the word before a period), as the old code split them."""
    assert spans(text) == expected


def test_a_sentence_of_exactly_max_sentence_characters_is_kept_whole() -> None:
    text = ("word " * MAX_SENTENCE)[: MAX_SENTENCE - 1] + "."
    assert spans("  " + text + "  ") == [text]


def test_a_text_without_punctuation_is_cut_at_whitespace_into_bounded_sentences() -> None:
    text = " ".join(f"word{i}" for i in range(3 * MAX_SENTENCE // 5))
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert all(s.end == len(text) or text[s.end] == " " for s in sentences)  # never inside a word
    assert " ".join(text[s.start : s.end] for s in sentences) == text


def test_a_text_without_whitespace_is_cut_at_the_limit() -> None:
    text = "x" * (2 * MAX_SENTENCE + 10)
    bounds = [(s.start, s.end) for s in split_sentences(" " + text)]
    assert bounds == [
        (1, MAX_SENTENCE + 1),
        (MAX_SENTENCE + 1, 2 * MAX_SENTENCE + 1),
        (2 * MAX_SENTENCE + 1, len(text) + 1),
    ]


def test_a_long_sentence_is_cut_at_its_last_whitespace_within_the_limit() -> None:
    head = "a " + "b" * (MAX_SENTENCE - 10) + "   "
    text = head + "c" * 20 + ". Next one."
    assert spans(text) == ["a " + "b" * (MAX_SENTENCE - 10), "c" * 20 + ".", "Next one."]
