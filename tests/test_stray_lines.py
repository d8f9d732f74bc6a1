"""Stray lines: what a site prints on every page (a strip of its other headlines) is not what a story is about.

Title-less records scraped from an outlet's pages often start with such a line, so every record of the story
takes it for its title; the brief's headline and summary must come from the story itself."""

import pytest

from conftest import story_input
from storyline.extract.article import Extractor
from storyline.records import Article, Document
from storyline.synthesize.brief import write_checked_brief
from storyline.synthesize.candidates import line_key, stray_lines
from storyline.synthesize.page_marks import byline_prefix

STRIP = "Two men charged in death of Chicago teen who performed at inauguration event."
BODIES = [
    "Protesters filled Tahrir Square in Cairo for a ninth day, demanding that President Hosni Mubarak step down. "
    "The army said it would not use force against the crowds gathered in the square.",
    "Egyptian President Hosni Mubarak said he would not run for another term, but protesters in Cairo rejected "
    "the offer and vowed to stay in Tahrir Square until he leaves office.",
    "Clashes broke out in Tahrir Square between supporters of Hosni Mubarak and protesters who want him gone, "
    "as the army watched from tanks parked around the square in central Cairo.",
    "Foreign governments urged Hosni Mubarak to begin a transition of power as crowds in Cairo grew again on "
    "Friday, the largest turnout in Tahrir Square since the protests began.",
]


def records(texts: list[str], extractor: Extractor) -> list[Article]:
    return [extractor(Document(f"{i}.txt", f"{i}.txt", text, "text")) for i, text in enumerate(texts)]


def test_a_line_every_page_prints_about_something_else_is_neither_headline_nor_summary(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    story = story_input(records([f"{STRIP}\n\n{body}" for body in BODIES], extractor), analyzer)
    assert line_key(STRIP) in stray_lines(story)
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert "Chicago" not in brief.headline.text and "Mubarak" in brief.headline.text
    assert not any("Chicago" in item.text for item in (*brief.summary, *brief.key_points))


def test_what_copies_of_one_text_and_two_reports_share_is_not_stray(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """A sentence naming a place nobody else names is text when only two reports print it (two versions of one
    report), or when the sources printing it are copies of one text."""
    shared = "The rally was also attended by delegates from Alexandria."
    two = [f"{BODIES[0]} {shared}", f"{BODIES[1]} {shared}", BODIES[2], BODIES[3]]
    story = story_input(records(two, extractor), analyzer)
    assert stray_lines(story) == frozenset()
    copies = [f"{BODIES[0]} {shared}"] * 3
    copies = [
        text.replace("ninth", word) for text, word in zip(copies, ("ninth", "9th", "ninth straight"), strict=True)
    ]
    story = story_input(records(copies, extractor), analyzer)
    assert stray_lines(story) == frozenset()


def test_a_byline_run_into_a_derived_title_is_not_part_of_the_headline(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    texts = [
        f"By the CNN Wire Staff {BODIES[0]}",
        f"By Amir Ahmed, CNN {BODIES[1]}",
        f"By the CNN Wire Staff {BODIES[2]}",
    ]
    articles = records(texts, extractor)
    assert articles[0].title.startswith("By the CNN Wire Staff")  # the scraped line, as the record gives it
    brief, problems = write_checked_brief(story_input(articles, analyzer))
    assert problems == []
    assert not brief.headline.text.startswith("By ") and "CNN" not in brief.headline.text
    article = {a.id: a for a in articles}[brief.headline.evidence[0].article_id]
    span = brief.headline.evidence[0]
    assert article.text[span.start : span.end] == brief.headline.text


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("By the CNN Wire staff A screenshot of the page was shared", "A screenshot of the page was shared"),
        ("By Michael Martinez, CNN It was 17 days of unrest", "It was 17 days of unrest"),
        ("By Huguette Labelle, Special to CNN Huguette Labelle says aid is late", "Huguette Labelle says aid is late"),
        ("By Bryony Jones for CNN Thai PM Abhisit Vejjajiva said", "Thai PM Abhisit Vejjajiva said"),
        ("By the time Egypt was free, Mubarak had left", "By the time Egypt was free, Mubarak had left"),
        (
            "By Peter Bowes BBC News, Los Angeles The trial began",
            "By Peter Bowes BBC News, Los Angeles The trial began",
        ),
        ("By George, They Did It Again", "By George, They Did It Again"),
    ],
)
def test_a_byline_prefix_is_where_a_scraped_title_really_starts(title: str, kept: str) -> None:
    assert title[byline_prefix(title) :] == kept


# An advertisement strip a site appends to every report, run into the report's last line or standing alone
STRIP_AD = (
    "An ultra-low latency platform for electronic trading and data distribution A connected approach to governance, "
    "risk and compliance Our next generation legal research platform"
)


def test_a_strip_of_taglines_every_report_ends_with_is_neither_summary_nor_key_point(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """Four reports of one story from one wire, none a copy of another, each ending with the site's strip of
    product taglines: once run into the closing credit line, once after it, twice alone. The strip is more
    widely "supported" than any sentence of the story, and it is no part of it."""
    ends = [
        f"(Reporting by Ann Lee; Editing by Tom Hart) {STRIP_AD}",
        f"(Reporting by Ann Lee)\n\n{STRIP_AD}",
        STRIP_AD,
        STRIP_AD,
    ]
    story = story_input(
        records([f"{body}\n\n{end}" for body, end in zip(BODIES, ends, strict=True)], extractor), analyzer
    )
    brief, problems = write_checked_brief(story)
    assert problems == []
    items = [item.text for item in (brief.headline, *brief.summary, *brief.key_points, *brief.why_it_matters)]
    assert items and not any("latency" in text or "Reporting by" in text for text in items)
    assert any("Mubarak" in text for text in items)


def test_a_line_several_reports_print_is_stray_when_the_story_hardly_uses_its_words(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """A line three reports print alike, though they are not copies, naming nobody: a sign-up prompt is stray; a
    statement every outlet quoted in full shares its words with the rest of the coverage and stays."""
    prompt = "Enter your address below and we will send you a link and a reset code to reset your password."
    story = story_input(records([f"{body}\n\n{prompt}" for body in BODIES[:3]], extractor), analyzer)
    assert line_key(prompt) in stray_lines(story)
    statement = (
        "The army said in a statement that it would protect the protesters in the square and would not use force "
        "against the crowds."
    )
    story = story_input(records([f"{body} {statement}" for body in BODIES[:3]], extractor), analyzer)
    assert stray_lines(story) == frozenset()


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("(Reporting by Maggie Fox; Editing by Peter Cooney)", True),
        ("(ID: nLB679804) (Reporting by Caroline Jacobs; Editing by Jon Loades-Carter) The rest of a line", True),
        ("(Writing and reporting by Chris Michaud, editing by Philip Barbara)", True),
        ("(Photo: AP) Donald Trump and the ayatollah, left, in a picture run into the lead.", True),
        ("For questions, send an email to news.feedback.asia@example.com today.", True),
        (STRIP_AD, True),
        ('By clicking on "sign up" you agree with CNN\'s Terms of Service and its Privacy Statement.', True),
        ("Users who sign up agree to the terms that the company changed on Monday.", False),
        ("The agency, which was reporting by phone from the region, said 40 people had died.", False),
        ("The ministry said the vaccine A shipment would arrive on Monday.", False),
        ("Brother charged after Aberdare woman found dead The brother of a woman has been charged.", False),
    ],
)
def test_credit_lines_contact_lines_and_run_together_taglines_are_noise(sentence: str, noise: bool) -> None:
    from storyline.synthesize.candidates import is_noise

    assert is_noise(sentence) is noise


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Last updated: 1 May, 2009 - 17:54 GMT Mexico shuts down in attempt to slow the spread",
         "Mexico shuts down in attempt to slow the spread"),
        ("Michael Jackson was 'murdered for money', says sister Page last updated at 08:58 GMT, Thursday",
         "Michael Jackson was 'murdered for money', says sister"),
        ("28 September 2011 Last updated at 15:41 GMT Help Live coverage of the trial",
         "Live coverage of the trial"),
        ("Fergus Walsh | 10:25 UK time, Monday, 15 June 2009 I'm going to talk here about",
         "I'm going to talk here about"),
        ("WASHINGTON | Mon May 11, 2009 5:40 pm EDT WASHINGTON (Reuters)", None),
        ("SAN JUAN, Puerto Rico | Mon May 25, 2009 9:19 pm EDT SAN JUAN, Puerto Rico (Reuters)", None),
        ("Page last updated at 07:43 GMT, Tuesday, 23 August 2011 08:43 UK (an error occurred while", None),
        ("WASHINGTON (AP) — The Senate passed the bill on Friday", "The Senate passed the bill on Friday"),
        ("Interview With Hillary Clinton; Interviews With Senators McCain, Schumer Aired January 30, 2011 - 09:00 ET",
         "Interview With Hillary Clinton; Interviews With Senators McCain, Schumer"),
        ("Trump meets Kim at 10:00 ET in Singapore", "Trump meets Kim at 10:00 ET in Singapore"),
        ("Launch set for 2019 at 9:30 GMT from Kourou", "Launch set for 2019 at 9:30 GMT from Kourou"),
        ("By the CNN Wire Staff The moment Egypt was free from Mubarak", "The moment Egypt was free from Mubarak"),
    ],
)  # fmt: skip
def test_a_page_stamp_or_wire_dateline_run_into_a_title_is_not_the_headline(title: str, shown: str | None) -> None:
    from storyline.synthesize.page_marks import headline_span

    span = headline_span(title)
    assert (title[span[0] : span[1]] if span else None) == shown


def test_a_title_that_is_nothing_but_a_stamp_gives_way_to_the_lead(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """A title-less wire page whose first line is its stamp and dateline: the headline is no stamp, and the summary
    sentence that stands in for it starts after the dateline."""
    page = (
        "CHICAGO | Fri Jun 26, 2009 7:39 pm EDT CHICAGO (Reuters)\n\n"
        "CHICAGO | Fri Jun 26, 2009 7:39 pm EDT CHICAGO (Reuters) - More than 1 million people in the United States "
        "have probably been infected with the new H1N1 flu virus, health officials said on Friday. "
        "The Centers for Disease Control and Prevention said most cases were mild and went unreported."
    )
    story = story_input(records([page], extractor), analyzer)
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert brief.headline.text.startswith("More than 1 million people")
    assert all(not item.text.startswith("CHICAGO") for item in brief.summary)


@pytest.mark.parametrize(
    ("first_line", "headline"),
    [
        # a page's headline and lead run together into the first line of a title-less record
        ("Michael Jackson headboard withdrawn from auction The value of his memorabilia has increased since his death.",
         "Michael Jackson headboard withdrawn from auction"),
        ("Conrad Murray jury to return after weekend Prosecutors ended their case on Friday, and prosecutors said so.",
         "Conrad Murray jury to return after weekend"),
        # names and titles inside a sentence are not a second sentence
        ("Public opinion on impeaching President Trump is shifting in House Democrats' favor as polls show.",
         "Public opinion on impeaching President Trump is shifting in House Democrats' favor as polls show"),
        ("The court in Pennsylvania Supreme Court rules was asked about the supreme law of the state.",
         "The court in Pennsylvania Supreme Court rules was asked about the supreme law of the state"),
    ],
)  # fmt: skip
def test_a_derived_title_ends_where_its_headline_runs_into_the_lead(
    first_line: str,
    headline: str,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    body = "Officials said the decision was final. Lawyers declined to comment on the ruling or on the appeal."
    story = story_input(records([f"{first_line} {body}"], extractor), analyzer)
    article = story.sources[0].article
    assert "title_derived" in article.flags
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert brief.headline.text == headline
    evidence = brief.headline.evidence[0]
    assert article.text[evidence.start : evidence.end] == headline


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Page last updated at 08:14 GMT, Tuesday, 8 November 2011 Propofol is a fast-acting hospital sedative.",
         "Propofol is a fast-acting hospital sedative."),
        ("8 November 2011 Last updated at 11:01 GMT Help The family of Michael Jackson left court.",
         "The family of Michael Jackson left court."),
        ("By the CNN Wire Staff | September 15, 2010 The U.S. Embassy in Jordan warned Wednesday.",
         "The U.S. Embassy in Jordan warned Wednesday."),
        ("2009 06 19 22:54 JST WASHINGTON (Reuters) - The U.S. House passed the bill.",
         "The U.S. House passed the bill."),
        ("Fergus Walsh | 08:17 UK time, Tuesday, 30 June 2009 I've been looking at news from Denmark.",
         "I've been looking at news from Denmark."),
        # news with a clock time, and prose opening with "By"
        ("Doors open at 16:00 BST for Saturday's show, with the first act on stage at 18:00 BST.",
         "Doors open at 16:00 BST for Saturday's show, with the first act on stage at 18:00 BST."),
        ("By early Saturday, police were nowhere to be seen in the capital.",
         "By early Saturday, police were nowhere to be seen in the capital."),
        ("By the time we arrived | March 3, 2010 was over, it said so.",
         "By the time we arrived | March 3, 2010 was over, it said so."),
    ],
)  # fmt: skip
def test_a_line_starts_after_the_byline_or_page_stamp_run_into_it(line: str, words: str) -> None:
    from storyline.synthesize.page_marks import leading_marks

    assert line[leading_marks(line, 0, len(line)) :] == words


def test_no_summary_line_or_timeline_entry_opens_with_a_page_stamp(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """Three title-less BBC-like pages whose first line runs the page's stamp into the first sentence: the summary
    and the timeline quote the sentence from its first word, and the stamp's date dates no event."""
    pages = [f"Page last updated at 08:1{i} GMT, Tuesday, 8 November 2011 {body}" for i, body in enumerate(BODIES[:3])]
    story = story_input(records(pages, extractor), analyzer)
    brief, problems = write_checked_brief(story)
    assert problems == []
    items = [*brief.summary, *brief.key_points, *brief.timeline]
    assert items and not any("updated" in item.text or "GMT" in item.text for item in items)
    assert not any((item.date or "").startswith("2011-11-08") for item in brief.timeline)


def test_a_long_run_of_separators_in_a_title_is_read_at_once() -> None:
    """What is left of a stamp is matched one separator a time: with "[...]+" inside the repeated group, a title
    of ten separators before a failing character took 0.3 s, doubling with each one more."""
    from storyline.synthesize.page_marks import headline_span, leading_marks

    title = "Word" + " ," * 5000 + "x 2009 10:00 GMT Mexico shuts down in attempt to slow the spread"
    assert headline_span(title) is not None
    assert leading_marks(title, 0, len(title)) == 0


def test_the_summary_quotes_the_lead_without_the_headline_run_into_it(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """The first sentence of a title-less record whose headline ran into its lead is cited from the lead's first
    word: the headline is the headline's, the rest is the report's."""
    text = (
        "Michael Jackson headboard withdrawn from auction The value of Michael Jackson memorabilia has increased "
        "since his death in 2009. The headboard was withdrawn at the request of his family, the auction house said."
    )
    story = story_input(records([text], extractor), analyzer)
    brief, problems = write_checked_brief(story)
    assert problems == []
    assert brief.headline.text == "Michael Jackson headboard withdrawn from auction"
    assert brief.summary and brief.summary[0].text.startswith("The value of Michael Jackson memorabilia")
