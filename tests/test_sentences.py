"""Tests for analyze/sentences.py: one test (or a few cases) per splitting rule."""

import pytest

from storyline.analyze.sentences import split_sentences


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_plain_sentences_and_offsets() -> None:
    text = "  The vote passed. Critics objected!  Will it hold?  "
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "The vote passed.",
        "Critics objected!",
        "Will it hold?",
    ]
    assert sentences[0].start == 2


def test_sentence_ends_after_closing_quote() -> None:
    assert spans("He said “Go home.” Then he left.") == ["He said “Go home.”", "Then he left."]
    assert spans("She wrote: 'It is over.' Nobody replied.") == [
        "She wrote: 'It is over.'",
        "Nobody replied.",
    ]
    assert spans("He called it ''a disaster.'' ''We lost,'' he said.") == [
        "He called it ''a disaster.''",
        "''We lost,'' he said.",
    ]


def test_quoted_question_followed_by_attribution_stays_one_sentence() -> None:
    assert spans("“Are you coming?” she asked. Yes.") == ["“Are you coming?” she asked.", "Yes."]
    assert spans("“Stop the count!” Smith said. Later, calm returned.") == [
        "“Stop the count!” Smith said.",
        "Later, calm returned.",
    ]
    assert spans("“Stop!” He turned away.") == ["“Stop!”", "He turned away."]


def test_abbreviations_and_titles() -> None:
    text = "Mr. Smith met Sen. Warren in Calif. on Friday. Dr. Jones left."
    assert spans(text) == ["Mr. Smith met Sen. Warren in Calif. on Friday.", "Dr. Jones left."]


def test_numbering_abbreviation_only_before_a_number() -> None:
    assert spans("It ranked No. 3 in the poll. Asked again, he said no. Then he left.") == [
        "It ranked No. 3 in the poll.",
        "Asked again, he said no.",
        "Then he left.",
    ]


def test_company_suffix_ends_sentence_only_before_a_sentence_start() -> None:
    assert spans("He joined Acme Inc. The firm grew.") == ["He joined Acme Inc.", "The firm grew."]
    assert spans("Acme Inc. Chief Executive Jane Roe spoke.") == ["Acme Inc. Chief Executive Jane Roe spoke."]


def test_initials() -> None:
    assert spans("J. K. Rowling and George W. Bush met. They talked.") == [
        "J. K. Rowling and George W. Bush met.",
        "They talked.",
    ]


def test_decimals_are_not_boundaries() -> None:
    assert spans("Growth was 3.5 percent. Prices rose 0.4 points.") == [
        "Growth was 3.5 percent.",
        "Prices rose 0.4 points.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("He left the U.S. The trip was long.", ["He left the U.S.", "The trip was long."]),
        (
            "The U.K. Parliament and the E.U. Commission met.",
            ["The U.K. Parliament and the E.U. Commission met."],
        ),
    ],
)
def test_dotted_acronyms(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_ellipses() -> None:
    assert spans("We waited... Then the results came.") == ["We waited...", "Then the results came."]
    assert spans("It was … a long night. Next.") == ["It was … a long night.", "Next."]
    assert spans("And so… The end.") == ["And so…", "The end."]


def test_bullets_and_numbered_lines_are_sentences_without_markers() -> None:
    text = "Key points:\n- Turnout rose\n• Costs fell. Taxes too.\n1. First item\n2) Second item\na) Third"
    assert spans(text) == [
        "Key points:",
        "Turnout rose",
        "Costs fell.",
        "Taxes too.",
        "First item",
        "Second item",
        "Third",
    ]


def test_newline_blocks_and_soft_wraps() -> None:
    text = "Headline Without Period\n\nThe body starts here and\ncontinues on a wrapped line. Done."
    assert spans(text) == [
        "Headline Without Period",
        "The body starts here and\ncontinues on a wrapped line.",
        "Done.",
    ]


def test_cjk_punctuation_and_corner_brackets() -> None:
    text = "他说：「我们明天走。」然后离开了。真的吗？是的！"
    assert spans(text) == ["他说：「我们明天走。」", "然后离开了。", "真的吗？", "是的！"]


def test_lowercase_after_period_is_not_a_boundary() -> None:
    assert spans("The index fell 2 pct. on the day. Markets closed.") == [
        "The index fell 2 pct. on the day.",
        "Markets closed.",
    ]


def test_empty_and_whitespace_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
