"""What only the Postgres store has to prove: several writers at once, the migration race, language-aware search,
text Postgres cannot hold, read-only connections, clear errors, and no psycopg on the default path.
(The behaviour both stores share is tested on both in test_store.py.)"""

import itertools
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_article, raw_sql, text_document
from storyline.errors import StoreError
from storyline.records import Story, StoryMember
from storyline.store import ConcurrentUpdate, open_store
from storyline.store.postgres import LOCK_SPACE, MIGRATIONS_LOCK, PostgresStore
from storyline.store.postgres_migrations import POSTGRES_MIGRATIONS


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0) .. work(count - 1) in threads released together; returns results (or the exceptions raised)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(number: int) -> None:
        barrier.wait()
        try:
            results[number] = work(number)
        except Exception as error:  # noqa: BLE001 - collected and asserted on by the test
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_processes_opening_a_new_database_at_once_apply_each_migration_once(postgres_url: str) -> None:
    """Eight connections open one empty database together: none fails, each migration is applied by exactly one."""

    def open_and_report(_: int) -> list[str]:
        store = PostgresStore(postgres_url)
        try:
            return store.migrate() or store.migrations()
        finally:
            store.close()

    results = at_once(8, open_and_report)
    assert not [r for r in results if isinstance(r, Exception)], results
    with open_store(postgres_url) as store:
        rows = raw_sql(store, "SELECT name, COUNT(*) FROM _migrations GROUP BY name ORDER BY name")
    assert rows == [(name, 1) for name, _ in POSTGRES_MIGRATIONS]


def test_two_openers_that_both_found_migrations_pending_apply_each_once(postgres_url: str) -> None:
    """Both openers read the migrations as pending and wait for the lock (held here until both wait); the one
    that gets it second reads the list again under the lock and applies nothing."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_SPACE, MIGRATIONS_LOCK))
        openers = [threading.Thread(target=lambda: open_store(postgres_url).close()) for _ in range(2)]
        for opener in openers:
            opener.start()
        deadline = time.monotonic() + 30
        while _waiting_for_advisory_locks(holder) < 2:
            assert time.monotonic() < deadline, "the openers never waited for the migration lock"
            time.sleep(0.02)
        assert holder.execute("SELECT to_regclass('_migrations')").fetchone() == (None,)  # nothing applied yet
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_SPACE, MIGRATIONS_LOCK))
        for opener in openers:
            opener.join(timeout=60)
        rows = holder.execute("SELECT name, COUNT(*) FROM _migrations GROUP BY name ORDER BY name").fetchall()
    assert rows == [(name, 1) for name, _ in POSTGRES_MIGRATIONS]


def _waiting_for_advisory_locks(db: Any) -> int:
    row = db.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").fetchone()
    return int(row[0])


def test_writers_at_once_never_duplicate_or_lose_an_article(postgres_url: str) -> None:
    """Four writers store the same 30 documents (and each 10 of its own) at the same time."""
    shared = [make_article(text=f"Shared {n}\n\nA shared body number {n}.", locations=(f"s{n}",)) for n in range(30)]

    def write(number: int) -> list[bool]:
        own = [
            make_article(text=f"Own {number}-{n}\n\nBody of writer {number}, item {n}.", locations=(f"o{number}-{n}",))
            for n in range(10)
        ]
        with open_store(postgres_url) as store:
            return [store.add_article(text_document(a.text, a.locations[0]), a) for a in shared + own]

    results = at_once(4, write)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [sum(r[n] for r in results) for n in range(30)] == [1] * 30  # each shared article new exactly once
    assert all(all(r[30:]) for r in results)
    with open_store(postgres_url) as store:
        assert store.count_articles() == 30 + 4 * 10
        assert raw_sql(store, "SELECT COUNT(*) FROM locations")[0][0] == 70
        assert store.get_article(shared[0].id).locations == ("s0",)


def test_two_clustering_writers_at_once_one_wins_the_other_is_told_to_redo(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        for n in range(2):
            article = make_article(id=f"a{n}", text=f"T {n}\n\nBody {n} here.")
            store.add_article(text_document(article.text, f"{n}.txt"), article)
        _, version = store.cluster_state_version()

    def cluster(number: int) -> str:
        with open_store(postgres_url) as store:
            story = Story(f"st_{number}", (StoryMember("a0", "original"), StoryMember("a1", "independent")))
            store.put_stories([story], [], f"state {number}".encode(), expected_version=version)
        return f"st_{number}"

    results = at_once(2, cluster)
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1 and isinstance(next(r for r in results if r not in winners), ConcurrentUpdate)
    with open_store(postgres_url) as store:
        assert [s.id for s in store.stories()] == winners
        assert store.cluster_state_version() == (f"state {winners[0][-1]}".encode(), 1)


def test_search_uses_each_articles_language(postgres_url: str) -> None:
    english = make_article(
        text="Council votes on trams\n\nThe councils voted to extend the tram networks.", language="en"
    )
    german = make_article(text="Neue Häuser\n\nDie Häuser der Stadt wurden gebaut.", language="de")
    unknown = make_article(text="Xyz\n\nVoting happened in the xyzzy councils.", language=None)
    with open_store(postgres_url) as store:
        for article in (english, german, unknown):
            store.add_article(text_document(article.text, article.id), article)
        assert [a.id for a, _ in store.search("vote council")] == [english.id]  # English stems: votes, voted
        assert [a.id for a, _ in store.search("Haus")] == [german.id]  # German stems: Häuser -> haus
        assert [a.id for a, _ in store.search("xyzzy councils")] == [unknown.id]  # 'simple': whole words only
        snippet = store.search("tram")[0][1]
        assert "[trams]" in snippet and len(snippet) < len(english.text)
        assert store.search("") == [] and store.search("\x00 \x1f") == []


def test_text_postgres_cannot_hold_keeps_its_length(postgres_url: str) -> None:
    """NUL becomes U+FFFD (one character for one), so every offset into the text still holds."""
    article = make_article(text="Title\n\nA body with a \x00 in it.", locations=("nul.txt",))
    with open_store(postgres_url) as store:
        store.add_article(text_document(article.text, "nul.txt"), article)
        stored = store.get_article(article.id)
    assert stored.text == article.text.replace("\x00", "\ufffd")


EXAMPLES = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=300))
def test_the_postgres_store_returns_what_was_written(postgres_url: str, body: str) -> None:
    """Any text (lone surrogates never reach the store: decoding replaces them). Each example has a title of its
    own: the examples share one database, and two bodies equal once normalized ("Ò" / "\x85ò") are one article."""
    article = make_article(text=f"Title {next(EXAMPLES)}\n\n{body}", locations=("x",))
    with open_store(postgres_url) as store:
        store.add_article(text_document(article.text, "x"), article)
        assert replace(store.get_article(article.id), appearances=()) == article


def test_a_read_only_store_refuses_writes(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with open_store(postgres_url, read_only=True) as store:
        article = make_article()
        with pytest.raises(StoreError, match="read-only"):
            store.add_article(text_document(article.text), article)
        assert store.count_articles() == 0


def test_a_server_that_does_not_answer_is_a_clear_error_without_the_password() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    with pytest.raises(StoreError, match="cannot open database") as caught:
        open_store(f"postgresql://news:secret@127.0.0.1:{port}/news")
    assert "secret" not in str(caught.value)


def test_the_default_sqlite_path_never_imports_psycopg(tmp_path: Any) -> None:
    code = (
        "import sys; from storyline.store import open_store;"
        f"open_store({str(tmp_path / 'a.db')!r}).close();"
        "import storyline.cli, storyline.pipeline, storyline.serve.app;"
        "print([m for m in sys.modules if m.startswith('psycopg')])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
