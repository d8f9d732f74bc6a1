"""The explainer: marked plain-language passages first, else the plainest relevant passage."""

from collections.abc import Callable

import pytest

from storyline.analyze.article import Analyzer
from storyline.extract.article import Extractor
from storyline.records import Document, StoryMember
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.plain import explainer, plainness

Build = Callable[[str], StoryInput]


@pytest.fixture(scope="module")
def story_of(extractor: Extractor, analyzer: Analyzer) -> Build:
    def build(text: str) -> StoryInput:
        article = extractor(Document("test.txt", "test.txt", text, "text"))
        source = SourceArticle(article, analyzer(article), StoryMember(article.id, "independent"))
        return StoryInput("s", [source])

    return build


DENSE = (
    "The Federal Reserve Board's Federal Open Market Committee, chaired by Jerome Powell, raised the federal "
    "funds target range by 25 basis points to 5.25-5.50% on July 26, 2023, citing persistent inflation."
)
PLAIN = "The bank made it cost more to borrow money. It did this to slow down rising prices in the shops."


def test_plainness_prefers_short_words_short_sentences_and_few_names() -> None:
    assert plainness(PLAIN) > plainness(DENSE)
    assert plainness("") == 0.0


def test_the_plainest_passage_wins_without_markers(story_of: Build) -> None:
    story = story_of(f"Rates rise again\n\n{DENSE}\n\n{PLAIN}")
    items = explainer(story)
    assert len(items) == 1 and items[0].text == PLAIN
    evidence = items[0].evidence[0]
    assert story.sources[0].article.text[evidence.start : evidence.end] == PLAIN


def test_a_marked_paragraph_wins_even_when_denser(story_of: Build) -> None:
    marked = (
        "Put simply, the committee's decision raises borrowing costs for households and companies nationwide. "
        "Mortgage lenders typically follow within days."
    )
    items = explainer(story_of(f"Rates rise again\n\n{PLAIN}\n\n{marked}"))
    assert items[0].text == marked


def test_a_what_is_question_marks_the_answer_below_it(story_of: Build) -> None:
    answer = (
        "A central bank is the institution that manages a country's currency, money supply and interest rates. "
        "It also supervises commercial lenders."
    )
    text = f"Rates rise again\n\n{DENSE}\n\nWhat is a central bank?\n\n{answer}\n\n{PLAIN}"
    items = explainer(story_of(text))
    assert items[0].text == answer
