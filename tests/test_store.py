import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_article, text_document
from storyline.errors import StoreError
from storyline.records import Document, Skip
from storyline.store import SQLiteStore, open_store
from storyline.store.migrations import MIGRATIONS


def test_migrations_are_recorded_and_run_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with SQLiteStore(path) as store:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
        assert store.migrations()[:2] == ["001_initial", "002_analyses"]
        assert store.migrate() == []
    with SQLiteStore(path) as store:
        assert store.migrate() == []
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_adding_the_same_article_twice_is_a_no_op(store: SQLiteStore) -> None:
    article = make_article(locations=("a.txt",))
    assert store.add_article(text_document(article.text, "a.txt"), article) is True
    assert store.add_article(text_document(article.text, "a.txt"), article) is False
    assert store.count_articles() == 1
    assert store.get_article(article.id) == article


def test_the_same_text_at_two_locations_is_one_article_with_both(store: SQLiteStore) -> None:
    article = make_article(locations=("https://a.example/x",))
    store.add_article(text_document(article.text, "https://a.example/x"), article)
    moved = make_article(locations=("https://b.example/y",))
    store.add_article(text_document(article.text, "https://b.example/y"), moved)
    stored = store.get_article(article.id)
    assert sorted(stored.locations) == ["https://a.example/x", "https://b.example/y"]


def test_get_article_by_prefix_and_unknown_ids(store: SQLiteStore) -> None:
    article = make_article()
    store.add_article(text_document(article.text), article)
    assert store.get_article(article.id[:6]).id == article.id
    with pytest.raises(StoreError, match="no article"):
        store.get_article("ffffffff")


def test_full_text_search_finds_words_and_treats_syntax_as_text(store: SQLiteStore) -> None:
    article = make_article(text="Tram Plan Approved\n\nThe council voted to extend the tram network.")
    store.add_article(text_document(article.text), article)
    results = store.search("tram council")
    assert [a.id for a, _ in results] == [article.id]
    assert "[tram]" in results[0][1].lower()
    assert store.search('tram" OR "x') == []  # quotes and operators are searched as words, not parsed


def test_skips_are_stored_once_with_their_document(store: SQLiteStore) -> None:
    document = Document("bad.txt", "bad.txt", "Menu", "text")
    skip = Skip("bad.txt", "extract", "no main text")
    store.add_skip(skip, document)
    store.add_skip(skip, document)
    assert store.skips() == [skip]
    content = store.db.execute("SELECT content FROM documents").fetchone()[0]
    assert content == "Menu"


def test_postgres_urls_are_refused_clearly() -> None:
    with pytest.raises(StoreError, match="Postgres"):
        open_store("postgresql://localhost/news")


@settings(max_examples=40, deadline=None)
@given(body=st.text(min_size=1, max_size=300))
def test_the_store_returns_what_was_written(body: str) -> None:
    article = make_article(text=f"Title\n\n{body}", locations=("x",))
    with SQLiteStore(":memory:") as store:
        store.add_article(text_document(article.text, "x"), article)
        assert store.get_article(article.id) == article
