"""Where a report ends on a page flattened to text: readers' comments and what follows a closing credit line.

Scraped pages often keep their comments ("February 7, 2011 at 5:32 pm | Report abuse |" after each) and the
site's strip after a wire report's credit line. No brief item may cite them: not the summary, not a key point,
not a quote, not a dated event of the timeline, not a fact of the conflicts."""

import pytest

from conftest import story_input
from storyline.extract.article import Extractor
from storyline.records import Article, Brief, Document
from storyline.synthesize.brief import write_checked_brief
from storyline.synthesize.candidates import is_noise, report_end
from storyline.synthesize.facts import statements

REPORTS = [
    "Protesters filled Tahrir Square in Cairo on Monday, demanding that President Hosni Mubarak step down. "
    "The army said on Monday it would not use force against the crowds gathered in the square.",
    "Egyptian President Hosni Mubarak said on Tuesday he would not run for another term, but protesters in Cairo "
    "rejected the offer and vowed to stay in Tahrir Square until he leaves office.",
    "Clashes broke out in Tahrir Square on Wednesday between supporters of Hosni Mubarak and protesters who want "
    "him gone, as the army watched from tanks parked around the square in central Cairo.",
]
COMMENTS = (
    "I predicted on January 3, 2011 that the whole region would explode, and nobody listened to me.\n\n"
    "February 7, 2011 at 5:32 pm | Report abuse | The generals will take power on March 1, 2011, mark my words.\n\n"
    "February 7, 2011 at 5:55 pm | Report abuse |"
)
AFTER_CREDIT = "Our trading terminal, launched on March 3, 2009, serves 40,000 professionals in 120 countries."


def records(texts: list[str], extractor: Extractor) -> list[Article]:
    return [extractor(Document(f"{i}.txt", f"{i}.txt", text, "text")) for i, text in enumerate(texts)]


def cited(brief: Brief) -> list[tuple[str, int, int]]:
    items = [brief.headline, *brief.summary, *brief.key_points, *brief.quotes, *brief.timeline, *brief.forecast]
    items += [*brief.why_it_matters, *brief.explainer]
    return [(e.article_id, e.start, e.end) for item in items for e in item.evidence]


def test_no_brief_item_cites_the_readers_comments(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    story = story_input(records([f"{report}\n\n{COMMENTS}" for report in REPORTS], extractor), analyzer)
    ends = {}
    for source in story.sources:
        text = source.article.text
        ends[source.article.id] = end = report_end(source)
        # the comment zone starts at the paragraph of the first stamp; the comment before it is the report's
        assert text[end:].lstrip().startswith("February 7, 2011 at 5:32 pm")
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert cited(brief) and all(start < ends[article] for article, start, _ in cited(brief))
    assert not any((item.date or "") == "2011-03-01" for item in brief.timeline)
    assert all(statement.start < ends[statement.source.article.id] for statement in statements(story))


def test_what_follows_a_closing_credit_line_is_not_the_reports(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    texts = [f"{report}\n\n(Reporting by Ann Lee; Editing by Tom Hart)\n\n{AFTER_CREDIT}" for report in REPORTS]
    story = story_input(records(texts, extractor), analyzer)
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert not any("2009" in (item.date or "") or "terminal" in item.text for item in brief.timeline)
    texts = [item.text for item in (*brief.summary, *brief.key_points, *brief.timeline)]
    assert texts and not any("terminal" in text or "Reporting by" in text for text in texts)
    # a credit line in the first half of a text (a short report) ends nothing
    source = story.sources[0]
    early = story_input(records([f"(Reporting by Ann Lee)\n\n{REPORTS[0]} {REPORTS[1]}"], extractor), analyzer)
    assert report_end(early.sources[0]) == len(early.sources[0].article.text)
    assert report_end(source) < len(source.article.text)


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("6:28 pm ET February 11, 2013 RETWEET Apple CEO Tim Cook to be Obama's State of the Union guest.", True),
        ("February 8, 2011 at 9:42 pm | Report abuse | Men on their knees in prayer look most honorable.", True),
        ("The company did not immediately respond to a request for comment on Tuesday.", True),
        (
            "The dispute centers on Ohio's removal of perhaps tens of thousands of voters from registration lists "
            "because they did not respond to queries seeking to confirm their address and have not cast a ballot "
            "since 2008, in what is being criticized as a use-it-or-lose-it approach to voting.",
            False,
        ),
    ],
)
def test_widgets_comment_stamps_and_filler_are_noise_and_a_long_sentence_is_not_filler(
    sentence: str, noise: bool
) -> None:
    assert is_noise(sentence) is noise


def test_a_long_word_before_an_at_sign_is_read_at_once() -> None:
    """The contact-line pattern reads at most an address's lengths: unbounded, a 20,000-character word before an
    "@" took 5 s."""
    assert is_noise("x" * 20000 + "@" + "a." * 5000) is False
    assert is_noise("For questions, write to desk@example.org today.") is True
