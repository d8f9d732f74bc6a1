"""Which sentences a brief may cite, how their spans are trimmed, and which sources count as independent."""

from collections.abc import Callable

import pytest

from conftest import make_article
from storyline.analyze.article import Analyzer
from storyline.extract.article import Extractor
from storyline.records import Analysis, Document, StoryMember
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.candidates import Candidate, collect_candidates, normalize_heading, source_groups

Collect = Callable[[str], list[Candidate]]


@pytest.fixture(scope="module")
def collect(extractor: Extractor, analyzer: Analyzer) -> Collect:
    def run(text: str) -> list[Candidate]:
        article = extractor(Document("test.txt", "test.txt", text, "text"))
        source = SourceArticle(article, analyzer(article), StoryMember(article.id, "independent"))
        found = collect_candidates(StoryInput("s", [source]))
        for candidate in found:
            assert article.text[candidate.start : candidate.end] == candidate.text
        return found

    return run


def member_source(article_id: str, role: str, derived_from: tuple[str, ...] = ()) -> SourceArticle:
    article = make_article(id=article_id)
    return SourceArticle(article, Analysis(article_id, "test"), StoryMember(article_id, role, derived_from))


def test_copies_and_rewrites_join_their_originals_group() -> None:
    story = StoryInput(
        "s",
        [
            member_source("orig", "original"),
            member_source("copy1", "syndicated_copy", ("orig",)),
            member_source("copy2", "syndicated_copy", ("copy1",)),  # a copy of a copy
            member_source("rewrite", "derivative", ("orig",)),
            member_source("other", "independent"),
            member_source("lone1", "syndicated_copy", ("absent",)),
            member_source("lone2", "syndicated_copy", ("absent",)),
        ],
    )
    # a rewrite adds no support to what it took from its origin (issue 18)
    assert source_groups(story) == ["orig", "orig", "orig", "orig", "other", "absent", "absent"]


def test_articles_of_one_outlet_are_one_source() -> None:
    def outlet_source(article_id: str, outlet: str | None) -> SourceArticle:
        article = make_article(id=article_id, outlet=outlet)
        return SourceArticle(article, Analysis(article_id, "test"), StoryMember(article_id, "independent"))

    story = StoryInput(
        "s",
        [outlet_source("a", "Daily Post"), outlet_source("b", "daily post"), outlet_source("c", "Herald"),
         outlet_source("d", None), outlet_source("e", None)],
    )  # fmt: skip
    assert source_groups(story) == ["a", "a", "c", "d", "e"]


def test_datelines_and_labels_are_cut_but_not_attributions(collect: Collect) -> None:
    found = collect(
        "Storm closes schools\n\n"
        "HOUSTON (Reuters) - Schools across the city closed on Friday as a storm brought heavy rain and wind.\n\n"
        "Why it matters: The closures leave thousands of parents without child care for the rest of the week.\n\n"
        "The mayor said: Residents should stay home until the flood warnings are lifted by the weather service."
    )
    texts = {c.text: c for c in found}
    assert "Schools across the city closed on Friday as a storm brought heavy rain and wind." in texts
    closures = next(c for c in found if c.text.startswith("The closures leave"))
    assert closures.label == "why it matters"
    assert any(c.text.startswith("The mayor said:") for c in found)


def test_furniture_zones_end_at_a_content_heading(collect: Collect) -> None:
    found = collect(
        "Budget passes\n\n"
        "The city council passed the annual budget on Thursday after six hours of debate.\n\n"
        "Timeline\n\n"
        "The council first discussed the budget draft at a public meeting in early March.\n\n"
        "Key Points\n\n"
        "- The budget funds forty new teaching positions across the public school district."
    )
    texts = [c.text for c in found]
    assert not any("early March" in t for t in texts)
    listed = next(c for c in found if c.text.startswith("The budget funds forty"))
    assert listed.listed and listed.section == "key points"


def test_the_writers_voice_is_flagged_but_not_the_us(collect: Collect) -> None:
    found = collect(
        "Trade talks between the United States and Canada resume\n\n"
        "The US government resumed trade talks with Canada on Monday after a two-month pause.\n\n"
        "We think you should watch these talks closely over the coming weeks and months."
    )
    flags = {c.text.split()[1]: c.personal for c in found}
    assert flags == {"US": False, "think": True}


def test_normalize_heading() -> None:
    assert normalize_heading("  Why It Matters:  ") == "why it matters"
    assert normalize_heading("What’s at stake?") == "what's at stake"
