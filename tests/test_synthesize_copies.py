"""Outlets that ran the same text are sources of their own: syndicated copies of the article, in coverage too."""

from dataclasses import replace

from conftest import make_article
from storyline.records import Appearance, Coverage
from storyline.synthesize.sources import copies, with_copies


def test_each_other_outlet_that_ran_the_text_is_a_syndicated_copy_in_date_order() -> None:
    article = make_article(outlet="Wire", url="https://wire.example/1", published="2026-03-01T08:00:00")
    article = replace(
        article,
        appearances=(
            Appearance("https://wire.example/1", "Wire", "https://wire.example/1", "2026-03-01T08:00:00"),
            Appearance("https://late.example/b", "Late Paper", None, "2026-03-02T09:00:00", ("Ann Lee",)),
            Appearance("https://paper.example/a", "Paper", "https://paper.example/a", "2026-03-01T10:00:00"),
            Appearance("https://paper.example/a?utm=x", "Paper", "https://paper.example/a", "2026-03-01T10:00:00"),
            Appearance("feed.xml#3", None),  # no outlet: nothing to show
        ),
    )
    found = copies(article)
    assert [(s.outlet, s.url, s.role, s.derived_from) for s in found] == [
        ("Paper", "https://paper.example/a", "syndicated_copy", (article.id,)),
        ("Late Paper", "https://late.example/b", "syndicated_copy", (article.id,)),
    ]
    assert found[1].authors == ("Ann Lee",) and all(s.article_id == article.id for s in found)


def test_copies_count_in_coverage_as_articles_outlets_dates_and_noise() -> None:
    coverage = Coverage(4, ("Wire", "Times"), ("en",), "2026-03-01", "2026-03-01", 2.0, 0.125, "formula")
    article = make_article()
    extra = copies(replace(article, appearances=(Appearance("u", "Paper", None, "2026-03-03T10:00:00"),)))
    counted = with_copies(coverage, extra)
    assert (counted.articles, counted.outlets, counted.last_seen) == (5, ("Wire", "Times", "Paper"), "2026-03-03")
    assert counted.noise == round((0.125 * 4 + 1) / 5, 4)  # (copies + 0.5 derivatives) / articles, one copy more
    assert with_copies(coverage, []) is coverage


def test_every_source_names_the_language_of_its_text() -> None:
    from storyline.records import Analysis, StoryMember
    from storyline.synthesize.bundle import SourceArticle, StoryInput
    from storyline.synthesize.sources import brief_sources

    german = make_article(text="Die Brücke wird gesperrt\n\nDie Brücke wird ab März gesperrt.", language="de")
    german = replace(german, outlet="Zeitung", appearances=(Appearance("https://b.example/x", "Blatt"),))
    source = SourceArticle(german, Analysis(german.id, "test"), StoryMember(german.id, "original"))
    found = brief_sources(StoryInput("st_x", [source]))
    assert [(s.outlet, s.language) for s in found] == [("Zeitung", "de"), ("Blatt", "de")]
