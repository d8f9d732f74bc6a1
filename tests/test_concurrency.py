"""Two processes on one store never lose an update or duplicate an article."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.records import Story, StoryMember
from storyline.store import SQLiteStore
from storyline.store.sqlite import ConcurrentUpdate
from streams import make_stream


def test_saving_a_clustering_state_read_at_an_older_version_is_refused(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as one, SQLiteStore(tmp_path / "a.db") as other:
        _, version = one.cluster_state_version()
        other.put_stories([], [], b"state written by the other process", expected_version=version)
        with pytest.raises(ConcurrentUpdate):
            one.put_stories([Story("st_x", (StoryMember("a", "original"),))], [], b"stale", expected_version=version)
        assert one.cluster_state() == b"state written by the other process"
        assert one.count_stories() == 0  # nothing of the refused write landed


def write_half(folder: Path, items: list[dict[str, str]]) -> None:
    folder.mkdir()
    (folder / "part.jsonl").write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_two_runs_at_once_on_one_store_keep_every_article_in_one_story(tmp_path: Path) -> None:
    records = [
        {"text": s.article.text.split("\n\n", 1)[1], "title": s.article.title, "published": s.article.published or ""}
        for s in make_stream(40, 3, span_days=300, seed=31)
    ]
    write_half(tmp_path / "a", records[0::2])
    write_half(tmp_path / "b", records[1::2] + records[:10])  # overlapping: the same documents in both
    db = tmp_path / "shared.db"
    command = [sys.executable, "-m", "storyline", "run", "--db", str(db), "--silent", "--processes", "1"]
    runs = [
        subprocess.Popen([*command, str(tmp_path / p), "--out", str(tmp_path / f"out-{p}")], stderr=subprocess.PIPE)
        for p in ("a", "b")
    ]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err.decode()
    checked = subprocess.run(
        [sys.executable, "-m", "storyline", "check", "--store", "--json", "--db", str(db)], capture_output=True
    )
    report = json.loads(checked.stdout)
    assert report["ok"], report["problems"]
    assert report["counts"]["articles"] == report["counts"]["in_stories"] == len(records)
