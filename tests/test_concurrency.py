"""Two processes on one store never lose an update or duplicate an article."""

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from storyline.records import Story, StoryMember
from storyline.store import SQLiteStore, open_store
from storyline.store.sqlite import ConcurrentUpdate
from streams import make_stream


def test_saving_a_clustering_state_read_at_an_older_version_is_refused(store_location: str) -> None:
    with open_store(store_location) as one, open_store(store_location) as other:
        _, version = one.cluster_state_version()
        other.put_stories([], [], b"state written by the other process", expected_version=version)
        with pytest.raises(ConcurrentUpdate):
            one.put_stories([Story("st_x", (StoryMember("a", "original"),))], [], b"stale", expected_version=version)
        assert one.cluster_state() == b"state written by the other process"
        assert one.count_stories() == 0  # nothing of the refused write landed


def test_a_migration_another_process_applied_first_is_not_applied_again(tmp_path: Path) -> None:
    """Two processes opening a new database both see a migration pending; the second must not re-run it."""
    path = tmp_path / "new.db"
    opened: list[list[str]] = []

    class Late(SQLiteStore):
        @contextmanager
        def transaction(self) -> Iterator[sqlite3.Connection]:
            if not opened:  # the other process migrates between our read of _migrations and our lock
                with SQLiteStore(path) as other:
                    opened.append(other.migrations())
            with super().transaction() as db:
                yield db

    with Late(path) as late:
        assert late.migrations() == opened[0]
        assert late.migrate() == []


def write_half(folder: Path, items: list[dict[str, str]]) -> None:
    folder.mkdir()
    (folder / "part.jsonl").write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_two_runs_at_once_on_one_store_keep_every_article_in_one_story(tmp_path: Path, store_location: str) -> None:
    """On SQLite and on Postgres: two `run`s over overlapping folders, started together."""
    records = [
        {"text": s.article.text.split("\n\n", 1)[1], "title": s.article.title, "published": s.article.published or ""}
        for s in make_stream(40, 3, span_days=300, seed=31)
    ]
    write_half(tmp_path / "a", records[0::2])
    write_half(tmp_path / "b", records[1::2] + records[:10])  # overlapping: the same documents in both
    db = store_location
    command = [sys.executable, "-m", "storyline", "run", "--db", db, "--silent", "--processes", "1"]
    runs = [
        subprocess.Popen([*command, str(tmp_path / p), "--out", str(tmp_path / f"out-{p}")], stderr=subprocess.PIPE)
        for p in ("a", "b")
    ]
    errors = [run.communicate(timeout=600)[1].decode() for run in runs]  # both pipes drained and closed first
    for run, err in zip(runs, errors, strict=True):
        assert run.returncode == 0, err
    checked = subprocess.run(
        [sys.executable, "-m", "storyline", "check", "--store", "--json", "--db", db], capture_output=True
    )
    report = json.loads(checked.stdout)
    assert report["ok"], report["problems"]
    assert report["counts"]["articles"] == report["counts"]["in_stories"] == len(records)
