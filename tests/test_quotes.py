"""Tests for analyze/quotes.py (with quote_marks.py and speakers.py): styles, speakers, pronouns, indirect."""

import pytest

from storyline.analyze.quote_marks import find_quoted_spans
from storyline.analyze.quotes import find_quotes
from storyline.analyze.sentences import split_sentences
from storyline.records import Entity, Quote


def quotes(text: str, entities: tuple[Entity, ...] = ()) -> list[Quote]:
    found = find_quotes(text, split_sentences(text), entities)
    for quote in found:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_span is not None:
            assert 0 <= quote.speaker_span[0] < quote.speaker_span[1] <= len(text)
    return found


def direct(text: str, entities: tuple[Entity, ...] = ()) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes(text, entities) if q.kind == "direct"]


@pytest.mark.parametrize(
    "text",
    [
        "“We will win the state,” Smith said.",
        '"We will win the state," Smith said.',
        "‘We will win the state,’ Smith said.",
        "''We will win the state,'' Smith said.",
        "«We will win the state», Smith said.",
        "„We will win the state“, Smith said.",
        "``We will win the state,'' Smith said.",
    ],
)
def test_direct_quote_in_each_latin_style(text: str) -> None:
    assert direct(text) == [("We will win the state", "Smith")]


def test_cjk_corner_brackets() -> None:
    text = "李明说：「我们明天会赢。」他笑了。"
    assert [q.text for q in quotes(text)] == ["我们明天会赢。"]
    text = "她写道：『这是最后的机会。』"
    assert [q.text for q in quotes(text)] == ["这是最后的机会。"]


def test_apostrophes_are_not_quote_marks() -> None:
    text = "“Trump’s plan won’t work in the ’90s style,” Jane Roe said. Roe’s aides agreed."
    assert direct(text) == [("Trump’s plan won’t work in the ’90s style", "Jane Roe")]


def test_inverted_attribution_with_appositive() -> None:
    text = "“The vote was a mistake,” said Geoff Garin, a Democratic pollster, on Tuesday."
    (quote,) = quotes(text)
    assert (quote.speaker, quote.cue, quote.kind) == ("Geoff Garin", "said", "direct")
    assert quote.speaker_span is not None
    assert text[quote.speaker_span[0] : quote.speaker_span[1]] == "Geoff Garin"


def test_speaker_before_the_quote() -> None:
    assert direct("Senator Ana Ruiz told reporters: “The bill is dead.”") == [("The bill is dead.", "Ana Ruiz")]
    assert direct("At a rally in Ohio on Monday, Beck said, “Stand up and vote.”") == [("Stand up and vote.", "Beck")]


def test_noun_phrase_speaker() -> None:
    (quote,) = quotes("“We have no comment,” a spokesman for the campaign said.")
    assert quote.speaker == "a spokesman for the campaign"


def test_pronoun_resolves_to_last_named_person() -> None:
    text = "Nathan Lambert, a researcher, spoke on Monday. “We are far behind,” he said."
    (quote,) = quotes(text)
    assert quote.speaker == "Nathan Lambert"
    assert quote.speaker_span is not None
    assert text[quote.speaker_span[0] : quote.speaker_span[1]] == "he"


def test_pronoun_prefers_the_later_of_named_speaker_and_new_subject() -> None:
    text = (
        "“Taxes will rise,” said Maria Lopez, a senator.\n\n"
        "Tom Baker, the governor, disagreed with that forecast. “They will not,” he said."
    )
    assert direct(text) == [("Taxes will rise", "Maria Lopez"), ("They will not", "Tom Baker")]


def test_quote_without_cue_continues_the_previous_speaker() -> None:
    text = "“The plan works,” Smith said. “It has always worked.”"
    assert direct(text) == [("The plan works", "Smith"), ("It has always worked.", "Smith")]


def test_split_quote_shares_the_speaker() -> None:
    text = "“Whether the issue is trade or taxes,” Mr. Garin added, “it becomes harder to attack us.”"
    assert [speaker for _, speaker in direct(text)] == ["Garin", "Garin"]


def test_multi_sentence_quote_is_one_quote() -> None:
    text = "“Please show me that person. I will sit at their knee and learn,” Carson said."
    assert direct(text) == [("Please show me that person. I will sit at their knee and learn", "Carson")]


def test_multi_paragraph_quote() -> None:
    text = (
        "Smith wrote on Friday:\n\n"
        "“The first part of the letter explains the plan in detail.\n\n"
        "“The second part explains why the plan will work.”\n\n"
        "Nobody answered."
    )
    assert direct(text) == [
        ("The first part of the letter explains the plan in detail.", "Smith"),
        ("The second part explains why the plan will work.", "Smith"),
    ]


def test_quoted_phrase_inside_a_clause_is_not_direct() -> None:
    text = "He called the plan “a disaster” and left the room early."
    assert direct(text) == []


def test_indirect_that_clause() -> None:
    (quote,) = quotes("Jane Roe argued that the plan would fail by spring.")
    assert (quote.kind, quote.text, quote.speaker, quote.cue) == (
        "indirect",
        "the plan would fail by spring",
        "Jane Roe",
        "argued",
    )


def test_indirect_forms() -> None:
    text = (
        "According to the report, sales fell sharply last year. "
        "The company will cut jobs in the spring, officials said. "
        "Jones told reporters he would resign soon."
    )
    found = [(q.text, q.speaker, q.cue) for q in quotes(text)]
    assert found == [
        ("sales fell sharply last year", "the report", "according to"),
        ("The company will cut jobs in the spring", "officials", "said"),
        ("he would resign soon", "Jones", "told"),
    ]


def test_an_adverb_before_the_cue_is_not_part_of_the_speaker() -> None:
    text = (
        "Reuters just reported that the agency is likely to raise its alert level. "
        "The minister first said that the plan was sound."
    )
    assert [(q.speaker, q.cue) for q in quotes(text)] == [("Reuters", "reported"), ("The minister", "said")]


def test_no_indirect_attribution_for_non_speech_verbs() -> None:
    assert quotes("The firm announced a new plan for its stores on Monday.") == []


def test_entities_give_canonical_speaker_names() -> None:
    text = "Nathan Lambert joined in May. “It is early,” Lambert said."
    entities = (
        Entity("Nathan Lambert", "PERSON", 0, 14, "Nathan Lambert"),
        Entity("Lambert", "PERSON", 45, 52, "Nathan Lambert"),
    )
    assert direct(text, entities) == [("It is early", "Nathan Lambert")]


def test_without_entities_a_surname_takes_the_full_name() -> None:
    text = "Geoff Garin ran the poll. “Good news is bad news for them,” Garin said."
    assert direct(text) == [("Good news is bad news for them", "Geoff Garin")]


def test_quoted_spans_keep_only_the_outermost_pair() -> None:
    text = "“He said ‘no’ twice,” she said."
    spans = find_quoted_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["He said ‘no’ twice,"]


def test_empty_text() -> None:
    assert find_quotes("", []) == []
