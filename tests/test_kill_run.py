"""kill -9 at random points of `storyline run` on a few hundred documents, then a re-run: nothing lost or
duplicated, every article in one story, every story with a brief, SQLite's integrity check passes."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streams import make_stream


def write_stream(folder: Path, count: int) -> int:
    folder.mkdir()
    lines = []
    for item in make_stream(count // 3, 3, span_days=700, seed=11, undated_share=0.1):
        record = {"text": item.article.text.split("\n\n", 1)[1], "title": item.article.title}
        if item.article.published:
            record["published"] = item.article.published
        lines.append(json.dumps(record))
    (folder / "stream.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def run(folder: Path, db: Path, out: Path, errors: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "storyline", "run", str(folder), "--db", str(db), "--out", str(out), "--silent"]
    command += ["--processes", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)


@pytest.mark.slow
def test_kill_9_at_random_points_then_a_rerun_loses_nothing(tmp_path: Path) -> None:
    total = write_stream(tmp_path / "in", 240)
    db, out = tmp_path / "killed.db", tmp_path / "briefs"
    rng = random.Random(5)
    for _ in range(4):
        process = run(tmp_path / "in", db, out)
        time.sleep(rng.uniform(1.0, 12.0))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if db.exists():
            check = sqlite3.connect(db)
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            check.close()
    process = run(tmp_path / "in", db, out, errors=subprocess.PIPE)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    checked = subprocess.run(
        [sys.executable, "-m", "storyline", "check", "--store", "--json", "--db", str(db)], capture_output=True
    )
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["ok"], report["problems"]
    assert report["counts"]["articles"] == report["counts"]["in_stories"] == total
    assert report["counts"]["briefs"] == report["counts"]["stories"]
    assert len(list(out.glob("st_*.json"))) == report["counts"]["stories"]
