"""Summary, key points and why-it-matters: on the seeds (five renderings of one story) and on made-up stories."""

from collections.abc import Callable

import pytest

from storyline.analyze.article import Analyzer
from storyline.extract.article import Extractor
from storyline.records import Article, BriefItem, Document, StoryMember
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.summary import (
    SummarySettings,
    digest_story,
    explainer,
    key_points,
    summarize,
    why_it_matters,
)

Build = Callable[..., SourceArticle]


@pytest.fixture(scope="module")
def build(extractor: Extractor, analyzer: Analyzer) -> Build:
    """Text -> an analysed source with a role."""

    def make(text: str, role: str = "independent", derived_from: tuple[str, ...] = ()) -> SourceArticle:
        article = extractor(Document("test.txt", "test.txt", text, "text"))
        return SourceArticle(article, analyzer(article), StoryMember(article.id, role, derived_from))

    return make


@pytest.fixture(scope="module")
def seeds(seed_articles: dict[str, Article], analyzer: Analyzer) -> StoryInput:
    sources = [
        SourceArticle(article, analyzer(article), StoryMember(article.id, "independent"))
        for _, article in sorted(seed_articles.items())
    ]
    return StoryInput("seeds", sources)


def texts_of(story: StoryInput) -> dict[str, str]:
    return {s.article.id: s.article.text for s in story.sources}


def check_grounded(story: StoryInput, items: list[BriefItem]) -> None:
    """The first span is the item's text exactly; every span lies in its article; one span per article."""
    texts = texts_of(story)
    for item in items:
        first = item.evidence[0]
        assert texts[first.article_id][first.start : first.end] == item.text
        for evidence in item.evidence:
            assert 0 <= evidence.start < evidence.end <= len(texts[evidence.article_id])
        assert len({e.article_id for e in item.evidence}) == len(item.evidence)


# --- seeds ----------------------------------------------------------------------------------------------------


def test_seed_summary_is_grounded_and_clean(seeds: StoryInput) -> None:
    items = summarize(seeds)
    assert 1 <= len(items) <= SummarySettings().max_sentences
    check_grounded(seeds, items)
    titles = {s.article.title for s in seeds.sources}
    headings = {s.heading for source in seeds.sources for s in source.article.sections}
    for item in items:
        assert item.text not in titles and item.text not in headings
        assert not item.text.endswith("?") and not item.text.startswith(("-", "•"))
        assert "first reported" not in item.text and "Source reporting" not in item.text
        assert "Nathan Lambert · 2026" not in item.text
    assert sum(len(item.text.split()) for item in items) <= SummarySettings().max_words


def test_seed_summary_prefers_content_several_seeds_share(seeds: StoryInput) -> None:
    items = summarize(seeds)
    assert max(item.support or 0 for item in items) > 1
    assert any("90%" in item.text for item in items)  # the share of software built on open source: 4 seeds


def test_seed_key_points_count_support_across_seeds(seeds: StoryInput) -> None:
    items = key_points(seeds)
    check_grounded(seeds, items)
    supports = [item.support or 0 for item in items]
    assert supports == sorted(supports, reverse=True)
    assert supports[0] >= 3 and "90%" in items[0].text
    for item in items:
        assert item.support == len(item.evidence)  # independent seeds: one span per stating source


def test_seed_key_points_are_not_restatements_of_each_other(seeds: StoryInput) -> None:
    items = key_points(seeds)
    assert sum("90%" in item.text for item in items) == 1


def test_seed_why_it_matters_uses_the_sources_own_sections(seeds: StoryInput) -> None:
    items = why_it_matters(seeds)
    assert 1 <= len(items) <= 3
    check_grounded(seeds, items)
    assert any("will determine whether" in item.text for item in items)


def test_seed_explainer_is_the_think_of_it_like_paragraph(seeds: StoryInput) -> None:
    items = explainer(seeds)
    assert 1 <= len(items) <= 2
    check_grounded(seeds, items)
    assert "Think of it like" in items[0].text
    assert items[0].text.startswith("There is a nervous conversation")  # the whole paragraph, not the one line


def test_a_shared_digest_gives_the_same_items(seeds: StoryInput) -> None:
    digest = digest_story(seeds, SummarySettings())
    assert summarize(digest) == summarize(seeds)
    assert key_points(digest) == key_points(seeds)
    assert why_it_matters(digest) == why_it_matters(seeds)
    assert explainer(digest) == explainer(seeds)


# --- made-up stories ------------------------------------------------------------------------------------------

FACT_A = (
    "Harbor City Council approves new bridge\n\n"
    "The Harbor City council voted 7 to 2 on Tuesday to build a 400-meter bridge across the Green River. "
    "Construction is expected to begin next spring and to cost about $120 million. "
    "Local shop owners said traffic downtown has grown steadily for a decade."
)
FACT_B = (
    "Green River bridge wins council vote\n\n"
    "On Tuesday the Harbor City council approved a 400-meter bridge over the Green River by a vote of 7 to 2. "
    "Critics on the council argued the money would be better spent on buses and bicycle lanes. "
    "The mayor's office plans to publish the full design in the coming months."
)
UNRELATED = (
    "Library extends weekend hours\n\n"
    "The central library in Harbor City will stay open until 8 p.m. on Saturdays starting in June. "
    "Librarians expect the longer hours to draw more students during the exam season."
)


def bridge_item(items: list[BriefItem]) -> BriefItem:
    return next(item for item in items if "400-meter bridge" in item.text)


def test_two_outlets_stating_the_same_fact_give_support_2(build: Build) -> None:
    story = StoryInput("bridge", [build(FACT_A), build(FACT_B), build(UNRELATED)])
    item = bridge_item(key_points(story))
    assert item.support == 2 and len(item.evidence) == 2
    check_grounded(story, [item])
    assert key_points(story)[0].support == 2  # the best-supported statement comes first


def test_a_syndicated_copy_adds_evidence_but_not_support(build: Build) -> None:
    original = build(FACT_A, role="original")
    copy_text = FACT_A.replace("Harbor City Council approves new bridge", "Council approves bridge (wire copy)")
    copy = build(copy_text, role="syndicated_copy", derived_from=(original.article.id,))
    story = StoryInput("bridge", [original, copy])
    item = bridge_item(key_points(story))
    assert item.support == 1 and len(item.evidence) == 2
    assert {e.article_id for e in item.evidence} == {original.article.id, copy.article.id}
    assert bridge_item(summarize(story)).support == 1


def test_copies_of_an_original_outside_the_story_count_once(build: Build) -> None:
    first = build(FACT_A, role="syndicated_copy", derived_from=("absent-original",))
    second = build(FACT_A + "\n\nDistributed by the Regional Wire.", "syndicated_copy", ("absent-original",))
    independent = build(FACT_B)
    item = bridge_item(key_points(StoryInput("bridge", [first, second, independent])))
    assert item.support == 2 and len(item.evidence) == 3


def test_the_summary_keeps_its_budget_and_skips_near_duplicates(build: Build) -> None:
    story = StoryInput("bridge", [build(FACT_A), build(FACT_B), build(UNRELATED)])
    items = summarize(story, SummarySettings(max_sentences=2))
    assert len(items) == 2
    assert sum("400-meter bridge" in item.text for item in items) == 1
    tiny = summarize(story, SummarySettings(max_words=25))
    assert sum(len(item.text.split()) for item in tiny) <= 25


def test_headlines_bylines_headings_questions_and_opinion_quotes_are_skipped(build: Build) -> None:
    text = (
        "Port strike ends after three weeks\n\n"
        "By Dana Example\n\n"
        "Dockworkers at the Eastport terminal returned to work on Monday after a three-week strike over wages.\n\n"
        "What happens next?\n\n"
        "Background\n\n"
        "The union and the port operator signed a four-year contract that raises pay by 12 percent.\n\n"
        "\u201cI think this deal is a terrible mistake for our members,\u201d said union veteran Sam Doe.\n\n"
        "Subscribe to our newsletter for daily port news and shipping updates from the region."
    )
    source = build(text)
    items = summarize(StoryInput("port", [source]), SummarySettings(max_sentences=10, max_words=500))
    texts = [item.text for item in items]
    assert any(t.startswith("Dockworkers at the Eastport terminal") for t in texts)
    assert any("four-year contract" in t for t in texts)
    for bad in ("Port strike ends", "By Dana", "What happens next", "Background", "terrible mistake", "Subscribe"):
        assert not any(bad in t for t in texts), bad


def test_list_bullets_are_cut_from_text_and_span(build: Build) -> None:
    text = (
        "Council passes budget\n\n"
        "The council passed the city budget for next year on Thursday evening after a long debate.\n\n"
        "Key Points\n\n"
        "- The budget adds 40 new teachers to public schools across the city next year.\n\n"
        "- Property taxes stay at this year's rate for homeowners and small businesses."
    )
    story = StoryInput("budget", [build(text)])
    items = key_points(story)
    check_grounded(story, items)
    assert any(item.text.startswith("The budget adds 40 new teachers") for item in items)
    assert not any(item.text.startswith("-") for item in items)


def test_why_it_matters_takes_an_inline_label_and_stakes_sentences(build: Build) -> None:
    text = (
        "Senate sets vote on data privacy bill\n\n"
        "The Senate will vote next week on a bill that limits how apps can sell location data.\n\n"
        "Why it matters: The vote will determine whether millions of phone users can stop apps from selling "
        "where they go.\n\n"
        "The bill's sponsors spent two years negotiating with industry groups and consumer advocates."
    )
    story = StoryInput("privacy", [build(text)])
    items = why_it_matters(story)
    check_grounded(story, items)
    assert items[0].text.startswith("The vote will determine whether millions")  # the label is cut off
    assert not any("sponsors spent two years" in item.text for item in items)


def test_why_it_matters_is_empty_without_stakes(build: Build) -> None:
    assert why_it_matters(StoryInput("library", [build(UNRELATED)])) == []


def test_an_empty_story_gives_no_items() -> None:
    empty = StoryInput("empty", [])
    assert summarize(empty) == key_points(empty) == why_it_matters(empty) == explainer(empty) == []


def test_a_large_story_keeps_each_articles_lead(build: Build) -> None:
    long_text = FACT_A + " " + FACT_B.split("\n\n", 1)[1]  # six body sentences
    story = StoryInput("bridge", [build(long_text), build(FACT_B)])
    assert len(digest_story(story, SummarySettings()).candidates) == 9
    bounded = digest_story(story, SummarySettings(max_candidates=4))
    assert [(c.source, c.position) for c in bounded.candidates] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
