import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, SEEDS
from http_fixtures import Route, serve_routes
from storyline.cli import cli

PAGE = (DATA / "html" / "cluttered.html").read_bytes()


def invoke(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_counts_and_re_ingest_is_a_no_op() -> None:
    code, _, err = invoke("ingest", str(SEEDS), "--silent")
    assert code == 0
    assert err.strip().endswith("ingested 5 · duplicates 0 · skipped 0")
    code, _, err = invoke("ingest", str(SEEDS), "--silent")  # the same documents: not even extracted again
    assert code == 0 and err.strip().endswith("ingested 0 · duplicates 0 · unchanged 5 · skipped 0")


def test_articles_json_carries_the_extraction_record() -> None:
    invoke("ingest", str(SEEDS), "--silent")
    code, out, _ = invoke("articles", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 5
    expected = {
        "id",
        "url",
        "title",
        "outlet",
        "authors",
        "published",
        "language",
        "text",
        "summary",
        "topics",
    }
    expected |= {"tags", "entities", "claims", "quotes", "events", "flags", "story_id", "provenance"}
    assert expected <= set(records[0])
    lambert = next(r for r in records if r["authors"] == ["Nathan Lambert"])
    assert lambert["provenance"]["authors"]["source"] == "byline"
    assert lambert["text"][slice(*_span(lambert["provenance"]["authors"]["evidence"]))] == "Nathan Lambert"


def _span(evidence: dict[str, int]) -> tuple[int, int]:
    return evidence["start"], evidence["end"]


def test_show_accepts_an_id_prefix_and_reports_unknown_ids() -> None:
    invoke("ingest", str(SEEDS), "--silent")
    _, out, _ = invoke("articles")
    prefix = out.split()[0][:8]
    code, out, _ = invoke("show", prefix)
    assert code == 0 and out.startswith("id ")
    result = CliRunner().invoke(cli, ["show", "zzzzzzzz"])
    assert result.exit_code == 1 and "no article with id" in result.stderr


def test_ingest_from_stdin() -> None:
    text = "Harbour Bridge Reopens\nThe Harbour Bridge reopened on Saturday after a two-year repair, officials said.\n"
    code, _, err = invoke("ingest", "-", "--silent", input=text.encode())
    assert code == 0 and "ingested 1" in err


def test_exit_code_is_1_when_nothing_could_be_processed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, _, err = invoke("ingest", str(tmp_path / "empty.txt"), "--silent")
    assert code == 1
    assert "skipped" in err and "empty document" in err


def test_a_url_on_loopback_is_fetched_with_allow_private() -> None:
    routes = {
        "/robots.txt": Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/bridge": Route(PAGE),
    }
    with serve_routes(routes) as base:
        code, _, err = invoke("ingest", f"{base}/bridge", "--allow-private", "--silent")
    assert code == 0 and "ingested 1" in err
    _, out, _ = invoke("articles", "--json")
    record = json.loads(out)
    assert record["title"] == "Harbour Bridge Reopens After Two-Year Repair"
    assert record["url"] == f"{base}/bridge"


def test_a_private_address_is_refused_without_the_flag() -> None:
    with serve_routes({"/bridge": Route(PAGE)}) as base:
        code, _, err = invoke("ingest", f"{base}/bridge", "--silent")
    assert code == 1
    assert "refused private address 127.0.0.1" in err and "--allow-private" in err


@pytest.mark.slow
def test_a_process_killed_mid_batch_leaves_a_clean_database(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    total = 1500
    for n in range(total):
        (folder / f"{n:05d}.txt").write_text(
            f"Report Number {n} From the Harbour\nThe harbour office published report {n} today, listing {n * 7} "
            f"ship movements and {n % 13} delays, according to the port authority.\n"
        )
    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "storyline", "ingest", str(folder), "--db", str(db), "--silent"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        count = _wait_for_articles(db, minimum=50, timeout=60)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert count < total, "the batch finished before it could be killed: make it bigger"

    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = check.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    locations = check.execute("SELECT COUNT(*) FROM locations").fetchone()[0]
    check.close()
    assert partial == locations  # every stored article has its location: no half-written document

    code, _, err = invoke("ingest", str(folder), "--db", str(db), "--silent")
    assert code == 0
    assert f"ingested {total - partial} · duplicates 0 · unchanged {partial} · skipped 0" in err
    check = sqlite3.connect(db)
    assert check.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (total, total)
    assert check.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == total
    assert check.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'").fetchone()[0] == total


def _wait_for_articles(db: Path, minimum: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as connection:
                    count = int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
                if count >= minimum:
                    return count
            except sqlite3.OperationalError:
                pass  # the schema is not there yet
        time.sleep(0.05)
    raise AssertionError(f"fewer than {minimum} articles after {timeout} s")


@pytest.mark.slow
def test_analyze_fills_the_analysis_fields_of_the_extraction_record() -> None:
    invoke("ingest", str(SEEDS), "--silent")
    code, _, err = invoke("analyze", "--processes", "1", "--silent")
    assert code == 0 and "analysed 5 articles" in err
    assert invoke("analyze", "--silent")[2].strip() == "analysed 0 articles"  # a re-run is a no-op
    _, out, _ = invoke("articles", "--json")
    record = next(json.loads(line) for line in out.splitlines() if "Nathan Lambert" in line)
    claim = next(c for c in record["claims"] if "$8 trillion" in c["text"])
    assert {q["unit"] for q in claim["quantities"]} == {"USD", "ratio"}
    assert record["text"][claim["start"] : claim["end"]] == claim["text"]
    assert record["summary"]["text"] == record["text"][record["summary"]["start"] : record["summary"]["end"]]
    assert record["topics"] and record["entities"] and record["quotes"]
    code, out, _ = invoke("show", record["id"])
    assert "claim" in out and "over $8 trillion = >8e+12 USD" in out


def test_the_cli_loads_no_stage_until_a_command_needs_it() -> None:
    """`storyline --help` stays fast: importing the CLI pulls in no stage, model library or web framework."""
    code = (
        "import sys, storyline.cli;"
        "heavy = [m for m in ('storyline.pipeline', 'storyline.analyze', 'storyline.cluster', 'spacy', 'numpy',"
        " 'onnxruntime', 'fastapi', 'rich.progress') if m in sys.modules];"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_serve_passes_workers_and_prerender_to_the_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict[str, object]] = []

    def fake_run_server(db: str, **options: object) -> None:
        calls.append({"db": db, **options})

    monkeypatch.setattr("storyline.serve.app.run_server", fake_run_server)
    db = str(tmp_path / "s.db")
    code, _, err = invoke("serve", "--db", db, "--workers", "2", "--prerender", "50")
    assert code == 0, err
    assert calls and calls[0]["workers"] == 2 and calls[0]["prerender_stories"] == 50
    monkeypatch.setenv("STORYLINE_SERVE_PRERENDER", "7")
    invoke("serve", "--db", db)
    assert calls[1]["workers"] == 1 and calls[1]["prerender_stories"] == 7
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--workers", "2", "--token", "t"])
    assert result.exit_code == 2 and "single worker" in result.output


def test_articles_json_names_the_rules_and_models_that_analysed_each_article() -> None:
    invoke("run", str(SEEDS), "--silent", "--out", "briefs")
    code, out, _ = invoke("articles", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 5
    for record in records:
        assert any(a.startswith("entities:en_core_web_sm") for a in record["analyzers"]), record["analyzers"]
        assert any(a.startswith("sentences:") for a in record["analyzers"])


def test_run_writes_every_other_brief_when_one_fails_and_then_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.synthesize.brief as brief_module
    from streams import make_stream

    folder = tmp_path / "two-stories"
    folder.mkdir()
    for number, item in enumerate(make_stream(2, 2, span_days=400, seed=5)):
        (folder / f"{number}.txt").write_text(item.article.text, encoding="utf-8")
    real = brief_module.write_checked_brief

    failing: list[str] = []

    def first_fails(bundle, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not failing or failing[0] == bundle.story_id:
            failing[:1] = [bundle.story_id]
            raise KeyError("a bug in brief writing")
        return real(bundle, *args, **kwargs)

    monkeypatch.setattr(brief_module, "write_checked_brief", first_fails)
    code, out, err = invoke("run", str(folder), "--silent", "--out", "briefs", "--processes", "1")
    assert code == 1
    assert f"no brief for {failing[0]}: unexpected error: KeyError: 'a bug in brief writing'" in err
    written = sorted(p.stem for p in (tmp_path / "briefs").glob("st_*.json"))
    assert failing[0] not in written and len(written) >= 1  # the other story's brief is there
