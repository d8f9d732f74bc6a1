"""Timeline items: dated events across sources, deduplicated, sorted; a source's own timeline section; ranking."""

import dataclasses
from collections.abc import Callable

import pytest

from conftest import text_document
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.extract.article import Extractor
from storyline.records import Article, BriefItem, Event, StoryMember, TimeExpression
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.date_ranking import (
    CentralTerms,
    DateMention,
    RankingSettings,
    event_mention,
    is_dateline,
    rank_dates,
    story_words,
)
from storyline.synthesize.timeline import TimelineSettings, build_timeline, find_chronology


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(AnalyzeSettings(processes=1))


MakeSource = Callable[..., SourceArticle]


@pytest.fixture
def make_source(extractor: Extractor, analyzer: Analyzer) -> MakeSource:
    def make(text: str, published: str | None = None) -> SourceArticle:
        article = extractor(text_document(text, f"{abs(hash(text))}.txt"))
        if published is not None:
            article = dataclasses.replace(article, published=published)
        return SourceArticle(article, analyzer(article), StoryMember(article.id, "independent"))

    return make


def spans(item: BriefItem, sources: list[SourceArticle]) -> list[str]:
    texts = {s.article.id: s.article.text for s in sources}
    return [texts[e.article_id][e.start : e.end] for e in item.evidence]


COUNCIL_A = (
    "City Council Approves Harbor Budget\n\n"
    "The city council approved the harbor budget on March 3, 2024, after a long debate about dredging costs. "
    "Dredging the harbor will take months."
)
COUNCIL_B = (
    "Harbor Budget Passes After Dredging Debate\n\n"
    "On March 3, 2024, the city council approved the new harbor budget despite objections over dredging costs. "
    "The mayor welcomed the vote."
)
COUNCIL_C = (
    "Dredging Plan Divides Harbor Town\n\n"
    "Residents packed the hall as the harbor budget went to a vote. "
    "The harbor was first dredged in 1962, when the port opened to container ships."
)


def test_the_same_event_in_several_sources_is_one_item_with_their_support(make_source: MakeSource) -> None:
    sources = [make_source(COUNCIL_A, "2024-03-04"), make_source(COUNCIL_B, "2024-03-05"), make_source(COUNCIL_C)]

    items = build_timeline(StoryInput("harbor", sources))

    march = [i for i in items if i.date == "2024-03-03"]
    assert len(march) == 1
    assert march[0].support == 2
    assert {e.article_id for e in march[0].evidence} == {sources[0].article.id, sources[1].article.id}
    assert all("March 3, 2024" in span for span in spans(march[0], sources))
    assert march[0].text == spans(march[0], sources)[0]
    assert [i.date for i in items] == ["1962", "2024-03-03"]


def test_items_are_sorted_by_date_whatever_their_granularity(make_source: MakeSource) -> None:
    text = (
        "A Long Road To The New Library\n\n"
        "The library reopened on June 19, 2026, after a decade of delays. "
        "The first library on the site was built in 1983 by the town's founders. "
        "Work on the new library building began in October 2023 after the library fund was raised."
    )
    items = build_timeline(StoryInput("library", [make_source(text, "2026-06-20")]))

    assert [i.date for i in items] == ["1983", "2023-10", "2026-06-19"]
    assert all(i.support == 1 and len(i.evidence) == 1 for i in items)


CHRONOLOGY = (
    "How The Bridge Dispute Unfolded\n\n"
    "The dispute over the Elm Street bridge has lasted two years. Engineers and the county still disagree.\n\n"
    "Timeline\n\n"
    "Cracks Found\n\n"
    "Inspectors report cracks in the bridge deck on May 4, 2023.\n\n"
    "County Closes Bridge\n\n"
    "The county closes the bridge to trucks while engineers study the cracks.\n\n"
    "Lawsuit Filed\n\n"
    "Residents sue the county over the closure and the cost of detours.\n\n"
    "What comes next\n\n"
    "A judge will hear the residents' case against the county in the autumn.\n\n"
    "Share your view\n\n"
    "Comments are open to subscribers."
)


def test_a_sources_timeline_section_gives_one_item_per_entry_and_never_invents_dates(make_source: MakeSource) -> None:
    source = make_source(CHRONOLOGY, "2025-05-02")

    items = build_timeline(StoryInput("bridge", [source]))

    assert [(i.date, i.text.split("\n")[0]) for i in items] == [
        ("2023-05-04", "Cracks Found"),
        (None, "County Closes Bridge"),
        (None, "Lawsuit Filed"),
    ]
    assert (
        items[1].text
        == "County Closes Bridge\n\nThe county closes the bridge to trucks while engineers study the cracks."
    )
    for item in items:
        assert item.text == spans(item, [source])[0]
    assert not any("judge" in i.text or "Comments" in i.text for i in items)


def test_undated_entries_keep_their_source_order_after_the_dated_items(make_source: MakeSource) -> None:
    other = make_source(
        "Bridge Repairs Near An End\n\nThe Elm Street bridge repairs are set to finish soon, officials said. "
        "In 1998 the bridge was widened to four lanes.",
        "2025-05-01",
    )
    chronology = make_source(CHRONOLOGY, "2025-05-02")

    items = build_timeline(StoryInput("bridge", [other, chronology]))

    assert [i.date for i in items] == ["1998", "2023-05-04", None, None]
    assert [i.text.split("\n")[0] for i in items[2:]] == ["County Closes Bridge", "Lawsuit Filed"]


def test_an_undated_entry_that_matches_a_dated_item_joins_it(make_source: MakeSource) -> None:
    dated = make_source(
        "White House Acts On AI Safety\n\n"
        "On October 30, 2023, the White House issued an executive order requiring AI developers to share safety "
        "test results with the government. Critics called the order vague.",
        "2023-11-01",
    )
    entry = make_source(
        "What The AI Rules Mean For Developers\n\n"
        "Developers of large AI models face new duties under the federal rules.\n\n"
        "Key dates\n\n"
        "Executive Order Issued\n\n"
        "The White House issues an executive order requiring AI developers to share safety test results.\n\n"
        "Why it matters\n\n"
        "Lawyers expect the rules on safety testing to be challenged in court by some developers.",
        "2024-01-10",
    )

    items = build_timeline(StoryInput("ai", [dated, entry]))

    assert len(items) == 1
    assert items[0].date == "2023-10-30"
    assert items[0].support == 2
    assert items[0].text.startswith("On October 30, 2023, the White House issued")
    assert items[0].evidence[1].article_id == entry.article.id
    assert spans(items[0], [dated, entry])[1].startswith("Executive Order Issued")


def test_datelines_and_a_generic_today_are_not_events(make_source: MakeSource) -> None:
    text = (
        "Open Source Keeps Growing Fast\n\n"
        "Updated June 20, 2026\n\n"
        "Today, open source powers most of the software people use. "
        "The foundation announced today that it had hired two hundred new maintainers."
    )
    items = build_timeline(StoryInput("oss", [make_source(text, "2026-06-20")]))

    assert [(i.date, i.text) for i in items] == [
        ("2026-06-20", "The foundation announced today that it had hired two hundred new maintainers.")
    ]


def test_the_best_ranked_dates_are_kept_when_there_are_too_many(make_source: MakeSource) -> None:
    sources = [make_source(COUNCIL_A, "2024-03-04"), make_source(COUNCIL_B, "2024-03-05"), make_source(COUNCIL_C)]

    items = build_timeline(StoryInput("harbor", sources), TimelineSettings(max_items=1))

    assert [i.date for i in items] == ["2024-03-03"]


def test_the_seed_story_timeline_has_the_1983_event_and_seed_002s_timeline_entries(
    seed_articles: dict[str, Article], analyzer: Analyzer
) -> None:
    sources = [
        SourceArticle(a, analyzer(a), StoryMember(a.id, "independent")) for _, a in sorted(seed_articles.items())
    ]

    items = build_timeline(StoryInput("seeds", sources))

    mit = [i for i in items if "free software movement launched at MIT in 1983" in i.text]
    assert len(mit) == 1 and mit[0].date == "1983"
    assert mit[0].evidence[0].article_id == seed_articles["001"].id
    order = [i for i in items if i.text.startswith("Executive Order 14110 Issued")]
    assert len(order) == 1 and order[0].date is None
    assert "The White House issues an executive order" in order[0].text
    seed_002 = seed_articles["002"]
    assert order[0].text == seed_002.text[order[0].evidence[0].start : order[0].evidence[0].end]
    assert not any(i.text.startswith("Today, a similar dynamic") for i in items)  # seed 004: not an event
    assert not any("Nathan Lambert" in i.text for i in items)  # seed 003's dateline


# --- the timeline section reader ------------------------------------------------------------------------------


def test_find_chronology_reads_line_entries_and_stops_at_the_next_heading() -> None:
    text = (
        "The strike at the plant pits the union against the company once more.\n\n"
        "Key dates:\n\n"
        "- 12 May 2021: Workers vote to strike.\n\n"
        "June 2021 – Talks collapse\n\n"
        "Later that summer the union and the company met again.\n\n"
        "More Coverage\n\n"
        "Strike enters its third week."
    )
    entries = [text[s:e] for s, e in find_chronology(text)]

    assert entries == [
        "- 12 May 2021: Workers vote to strike.",
        "June 2021 – Talks collapse",
        "Later that summer the union and the company met again.",
    ]


def test_find_chronology_ends_at_page_furniture_that_looks_like_an_entry() -> None:
    text = (
        "The Bridge Dispute\n\nThe county and the engineers disagree about the bridge.\n\nTimeline\n\n"
        "Cracks Found\n\nInspectors report cracks in the bridge deck.\n\n"
        "Share your view\n\nComments are open to subscribers."
    )
    entries = [text[s:e] for s, e in find_chronology(text)]

    assert entries == ["Cracks Found\n\nInspectors report cracks in the bridge deck."]


def test_find_chronology_needs_a_timeline_heading() -> None:
    text = "Key Points\n\nCracks Found\n\nInspectors report cracks in the deck.\n\nTimelines are tight, he said."
    assert find_chronology(text) == []


# --- date ranking -----------------------------------------------------------------------------------------------


def test_rank_dates_counts_central_sentences_more_and_discounts_publication_dates() -> None:
    central = CentralTerms([story_words("harbor dredging budget council")] * 3)
    harbor = frozenset({"harbor", "dredging", "budget"})
    other = frozenset({"weather", "sunny"})
    mentions = [
        DateMention("2024-03-03", 0, harbor),
        DateMention("2024-03-01", 1, other),
        DateMention("2024-03-05", 2, harbor | {"vote"}, publication=True),
    ]

    ranked = [date for date, _ in rank_dates(mentions, central)]

    assert ranked == ["2024-03-03", "2024-03-05", "2024-03-01"]


def test_rank_dates_counts_a_sentence_repeated_word_for_word_once_and_recalled_days_more() -> None:
    central = CentralTerms([frozenset({"strike"})])
    words = frozenset({"strike", "began"})
    copies = [DateMention("2021-05-12", i, words) for i in range(3)]
    recalled = [DateMention("2021-05-01", i, words | {str(i)}, lag=30) for i in range(2)]
    settings = RankingSettings()

    scores = dict(rank_dates(copies + recalled, central, settings))

    assert scores["2021-05-01"] == pytest.approx(2 * settings.retrospective_weight * scores["2021-05-12"])


def test_is_dateline() -> None:
    line = "Interconnects · Nathan Lambert · 2026-06-19"
    assert is_dateline(line, line.index("2026"), len(line))
    assert is_dateline("Updated June 20, 2026 at 3 pm", 8, 21)
    stamped = "Page last updated at 05:27 GMT, Tuesday, 27 September 2011 The trial of the doctor began."
    assert is_dateline(stamped, stamped.index("Tuesday"), stamped.index(" The"))
    short = "Biden wins on June 3."
    assert not is_dateline(short, short.index("June"), short.index("."))
    sentence = "The council voted on June 20, 2026 to close the bridge."
    assert not is_dateline(sentence, sentence.index("June"), sentence.index(" to"))


def test_event_mention_marks_publication_date_references() -> None:
    sentence = "The council voted on Tuesday to close the bridge."
    time = TimeExpression("Tuesday", 100 + sentence.index("Tuesday"), 100 + sentence.index(" to"), "DATE", "2024-03-05")
    event = Event("2024-03-05", sentence, 100, 100 + len(sentence), time)

    same_day = event_mention(event, 100, 0, "2024-03-05")
    later = event_mention(event, 100, 0, "2024-03-09")

    assert same_day is not None and same_day.publication and same_day.lag == 0
    assert later is not None and not later.publication and later.lag == 4
