import sqlite3
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_article, raw_sql, text_document
from storyline.errors import StoreError
from storyline.records import (
    Appearance,
    Brief,
    BriefItem,
    Coverage,
    Document,
    Evidence,
    Skip,
    Story,
    StoryEvent,
    StoryMember,
)
from storyline.store import SQLiteStore, Store, open_store
from storyline.store.migrations import MIGRATIONS
from storyline.store.postgres_migrations import POSTGRES_MIGRATIONS


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every test of this module runs on SQLite and on Postgres."""
    return any_store


def test_migrations_are_recorded_and_run_once(store_location: str) -> None:
    postgres = store_location.startswith("postgresql://")
    with open_store(store_location) as store:
        assert store.migrations() == [name for name, _ in (POSTGRES_MIGRATIONS if postgres else MIGRATIONS)]
        assert store.migrations()[:2] == ["001_initial", "002_analyses"]
        assert store.migrate() == []
    with open_store(store_location) as store:
        assert store.migrate() == []
        assert raw_sql(store, "SELECT COUNT(*) FROM _migrations")[0][0] == len(store.migrations())
    if not postgres:
        assert sqlite3.connect(store_location).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_adding_the_same_article_twice_is_a_no_op(store: Store) -> None:
    article = make_article(locations=("a.txt",))
    assert store.add_article(text_document(article.text, "a.txt"), article) is True
    assert store.add_article(text_document(article.text, "a.txt"), article) is False
    assert store.count_articles() == 1
    stored = store.get_article(article.id)
    assert stored == replace(article, appearances=(Appearance("a.txt", title=article.title),))


def test_the_same_text_at_two_locations_is_one_article_with_both(store: Store) -> None:
    article = make_article(locations=("https://a.example/x",))
    store.add_article(text_document(article.text, "https://a.example/x"), article)
    moved = make_article(locations=("https://b.example/y",))
    store.add_article(text_document(article.text, "https://b.example/y"), moved)
    stored = store.get_article(article.id)
    assert sorted(stored.locations) == ["https://a.example/x", "https://b.example/y"]


def test_each_location_keeps_the_metadata_its_outlet_gives(store: Store) -> None:
    """A syndicated copy (same text, another outlet) is one article whose second appearance keeps its outlet,
    URL, date and byline; a brief written before the copy arrived is stale afterwards."""
    article = make_article(locations=("https://wire.example/1",), outlet="Wire", published="2026-03-01T08:00:00")
    store.add_article(text_document(article.text, "https://wire.example/1"), article)
    store.put_stories([_story("st_1", (article.id,), "t1")], [])
    store.put_brief(brief_of("st_1", article.id), [], "t1")
    assert store.stale_briefs() == []
    copy = replace(
        article,
        locations=("https://paper.example/a",),
        outlet="Paper",
        url="https://paper.example/a",
        published="2026-03-01T10:00:00",
        authors=("Jo Bloggs",),
    )
    assert store.add_article(text_document(article.text, "https://paper.example/a"), copy) is False
    stored = store.get_article(article.id)
    assert stored.outlet == "Wire"  # the record keeps the first location's metadata
    assert [(a.location, a.outlet, a.published, a.authors) for a in stored.appearances] == [
        ("https://wire.example/1", "Wire", "2026-03-01T08:00:00", ()),
        ("https://paper.example/a", "Paper", "2026-03-01T10:00:00", ("Jo Bloggs",)),
    ]
    assert store.stale_briefs() == ["st_1"]
    store.put_brief(brief_of("st_1", article.id), [], "t1")
    assert store.stale_briefs() == []


def test_get_article_by_prefix_and_unknown_ids(store: Store) -> None:
    article = make_article()
    store.add_article(text_document(article.text), article)
    assert store.get_article(article.id[:6]).id == article.id
    with pytest.raises(StoreError, match="no article"):
        store.get_article("ffffffff")


def test_full_text_search_finds_words_and_treats_syntax_as_text(store: Store) -> None:
    article = make_article(text="Tram Plan Approved\n\nThe council voted to extend the tram network.")
    store.add_article(text_document(article.text), article)
    results = store.search("tram council")
    assert [a.id for a, _ in results] == [article.id]
    assert "[tram]" in results[0][1].lower()
    assert store.search('tram" OR "x') == []  # quotes and operators are searched as words, not parsed
    assert [a.id for a, _ in store.search("tram\x00\x1f")] == [article.id]  # control characters are dropped


def test_skips_are_stored_once_with_their_document(store: Store) -> None:
    document = Document("bad.txt", "bad.txt", "Menu", "text")
    skip = Skip("bad.txt", "extract", "no main text")
    store.add_skip(skip, document)
    store.add_skip(skip, document)
    assert store.skips() == [skip]
    assert raw_sql(store, "SELECT content FROM documents") == [("Menu",)]


@settings(max_examples=40, deadline=None)
@given(body=st.text(min_size=1, max_size=300))
def test_the_store_returns_what_was_written(body: str) -> None:
    article = make_article(text=f"Title\n\n{body}", locations=("x",))
    with SQLiteStore(":memory:") as store:
        store.add_article(text_document(article.text, "x"), article)
        assert replace(store.get_article(article.id), appearances=()) == article


@pytest.fixture
def articles_a1_to_a3(store: Store) -> None:
    for number in (1, 2, 3):
        article = make_article(id=f"a{number}", text=f"Title {number}\n\nBody text number {number} of this test.")
        store.add_article(text_document(article.text, f"{number}.txt"), article)


def _story(story_id: str, members: tuple[str, ...], updated: str, last_seen: str | None = None) -> Story:
    coverage = Coverage(len(members), (), (), last_seen, last_seen, 0.0, 0.0, "n/a")
    return Story(story_id, tuple(StoryMember(m, "independent") for m in members), (), coverage, updated, updated)


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_stories_events_and_state_are_stored_together(store: Store) -> None:
    older = _story("s-old", ("a1",), "2026-06-01T00:00:00+00:00", "2026-06-01")
    newer = _story("s-new", ("a2", "a3"), "2026-06-02T00:00:00+00:00", "2026-06-20")
    events = [StoryEvent("s-new", "create", "first article", "2026-06-02T00:00:00+00:00", "a2")]
    store.put_stories([older, newer], events, state=b"\x00index")
    assert [s.id for s in store.stories()] == ["s-new", "s-old"]  # latest activity first
    assert store.get_story("s-ne") == newer
    assert store.story_of("a3") == "s-new"
    assert store.story_events("s-new") == events
    assert store.cluster_state() == b"\x00index"
    assert store.count_stories() == 2


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_stories_are_listed_and_counted_by_a_members_language(store: Store) -> None:
    def in_languages(story: Story, *languages: str) -> Story:
        assert story.coverage is not None
        return replace(story, coverage=replace(story.coverage, languages=languages))

    german = in_languages(_story("s-de", ("a1",), "2026-06-01T00:00:00+00:00", "2026-06-01"), "de", "en")
    english = in_languages(_story("s-en", ("a2",), "2026-06-02T00:00:00+00:00", "2026-06-02"), "en")
    bare = _story("s-none", ("a3",), "2026-06-03T00:00:00+00:00", "2026-06-03")  # no language known
    store.put_stories([german, english, bare], [])
    assert [s.id for s in store.stories(language="en")] == ["s-en", "s-de"]
    assert [s.id for s in store.stories(language="de")] == ["s-de"]
    assert [s.id for s in store.stories(language="en", limit=1, offset=1)] == ["s-de"]
    assert store.stories(language="fr") == [] and store.count_stories(language="fr") == 0
    assert (store.count_stories(language="en"), store.count_stories(status="active", language="de")) == (2, 1)
    assert store.story_languages() == [("en", 2), ("de", 1)]


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_a_story_without_members_is_removed_and_its_articles_move(store: Store) -> None:
    store.put_stories([_story("s-1", ("a1",), "t1"), _story("s-2", ("a2",), "t1")], [])
    store.put_stories([_story("s-1", ("a1", "a2"), "t2"), Story("s-2", ())], [])
    assert [s.id for s in store.stories()] == ["s-1"]
    assert store.story_of("a2") == "s-1"
    with pytest.raises(StoreError, match="no story"):
        store.get_story("s-2")


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_a_story_removed_leaves_no_link_to_it(store: Store) -> None:
    """A story that followed another, then was merged away: the one it followed no longer names it, and a story
    that still says it follows a removed story is stored without that link (Timeline17's batched run kept a
    `followed_by` naming a story merged away, which `check --store` reported)."""
    store.put_stories([_story("s-old", ("a1",), "t1")], [])
    follower = replace(_story("s-new", ("a2",), "t2"), follows=("s-old",))
    store.put_stories([follower], [])
    assert store.get_story("s-old").followed_by == ("s-new",)
    store.put_stories([_story("s-other", ("a2",), "t3")], [], removed=["s-new"])
    assert store.get_story("s-old").followed_by == ()
    store.put_stories([replace(_story("s-late", ("a3",), "t4"), follows=("s-new", "s-old"))], [])
    assert store.get_story("s-late").follows == ("s-old",)
    store.put_stories([], [], removed=["s-old"])
    assert store.get_story("s-late").follows == ()


def brief_of(story_id: str, article_id: str) -> Brief:
    item = BriefItem("Headline", (Evidence(article_id, 0, 8),))
    coverage = Coverage(1, (), (), None, None, 0.0, 0.0, "n/a")
    return Brief(story_id, item, (item,), (), (), (), (), (), (), (), (), (), (), (), coverage, "test")


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_briefs_are_stale_until_written_for_the_current_story(store: Store) -> None:
    store.put_stories([_story("s-1", ("a1",), "t1")], [])
    assert store.stale_briefs() == ["s-1"]
    item = BriefItem("Headline", (Evidence("a1", 0, 8),))
    coverage = Coverage(1, (), (), None, None, 0.0, 0.0, "n/a")
    brief = Brief("s-1", item, (item,), (), (), (), (), (), (), (), (), (), (), (), coverage, "test")
    store.put_brief(brief, ["a problem"], "t1")
    assert store.stale_briefs() == []
    assert store.get_brief("s-1") == (brief, ["a problem"])
    store.put_stories([_story("s-1", ("a1", "a2"), "t2")], [])
    assert store.stale_briefs() == ["s-1"]


@pytest.mark.usefixtures("articles_a1_to_a3")
def test_staleness_of_one_story(store: Store) -> None:
    store.put_stories([_story("s-1", ("a1",), "t1"), _story("s-2", ("a2",), "t1")], [])
    assert store.stale_briefs("s-2") == ["s-2"]
    assert store.stale_briefs("s-9") == []
