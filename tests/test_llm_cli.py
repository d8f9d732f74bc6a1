"""`storyline run|brief --writer llm` end to end against the scripted double; the default path never loads the
model writer, and the endpoint down gives exactly the extractive briefs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from llm_double import ModelDouble, faithful
from storyline.cli import cli

EXAMPLES = ROOT / "examples"
MODEL = "double-cli"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def briefs(folder: Path) -> dict[str, dict[str, object]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


@pytest.mark.slow
def test_run_with_the_model_writer_marks_items_and_the_endpoint_down_changes_nothing(tmp_path: Path) -> None:
    env = {"STORYLINE_LLM_MODEL": MODEL, "STORYLINE_LLM_CACHE": str(tmp_path / "cache")}
    code, _, err = invoke(
        "run", str(EXAMPLES), "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "x"), "--silent"
    )
    assert code == 0, err
    extractive = briefs(tmp_path / "x")
    with ModelDouble(faithful) as double:
        code, _, err = invoke(
            "run", str(EXAMPLES), "--db", str(tmp_path / "m.db"), "--out", str(tmp_path / "m"), "--silent",
            "--writer", "llm", env={**env, "STORYLINE_LLM_BASE_URL": double.url},
        )  # fmt: skip
    assert code == 0, err
    assert f"model writer {MODEL}:" in err and "verified" in err
    worded = briefs(tmp_path / "m")
    assert set(worded) == set(extractive)  # the same stories
    items = [i for b in worded.values() for s in ("summary", "key_points") for i in b[s]]  # type: ignore[attr-defined]
    assert any(i["generated_by"] == MODEL for i in items) and all(i["verified"] for i in items)
    assert f"worded by {MODEL}" in "".join(p.read_text() for p in (tmp_path / "m").glob("*.md"))
    assert f"worded by {MODEL}" in "".join(p.read_text() for p in (tmp_path / "m").glob("*.html"))
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app

    story = next(sid for sid, b in worded.items() if any(i["generated_by"] == MODEL for i in b["summary"]))  # type: ignore[attr-defined]
    with TestClient(create_app(str(tmp_path / "m.db"))) as client:
        page = client.get(f"/stories/{story}").text
    assert f"Worded by the model {MODEL}" in page and f"worded by the language model {MODEL}" in page
    # the endpoint down (and nothing cached): every brief is the extractive one
    down = ModelDouble(faithful)
    down.close()
    env["STORYLINE_LLM_CACHE"] = str(tmp_path / "empty-cache")
    code, _, err = invoke(
        "run", str(EXAMPLES), "--db", str(tmp_path / "d.db"), "--out", str(tmp_path / "d"), "--silent",
        "--writer", "llm", env={**env, "STORYLINE_LLM_BASE_URL": down.url},
    )  # fmt: skip
    assert code == 0, err
    assert briefs(tmp_path / "d") == extractive


def test_brief_with_the_model_writer_rewrites_one_story(tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    code, _, err = invoke("run", str(ROOT / "examples" / "seeds"), "--db", db, "--out", str(tmp_path / "b"), "--silent")
    assert code == 0, err
    story = next(iter(briefs(tmp_path / "b")))
    with ModelDouble(faithful) as double:
        env = {"STORYLINE_LLM_BASE_URL": double.url, "STORYLINE_LLM_MODEL": MODEL}
        env["STORYLINE_LLM_CACHE"] = str(tmp_path / "cache")
        code, out, err = invoke("brief", story, "--db", db, "--format", "json", "--writer", "llm", env=env)
    assert code == 0, err
    data = json.loads(out)
    assert data["generated_by"].endswith(f"+llm:{MODEL}")
    assert data["headline"]["generated_by"] == MODEL
    code, _, err = invoke("brief", story, "--db", db, "--writer", "llm", env={"STORYLINE_LLM_MODEL": ""})
    assert code == 2 and "STORYLINE_LLM_BASE_URL" in err
    code, out, err = invoke("brief", story, "--db", db, "--language", "de", "--format", "json")
    assert code == 0, err  # the extractive writer takes --language too (tests/test_brief_language.py)
    assert json.loads(out)["generated_by"] == "extractive.v1"


def test_the_default_path_never_imports_the_model_writer(tmp_path: Path) -> None:
    text = tmp_path / "one.txt"
    text.write_text("Council votes on parking\n\nThe Riverton council voted 7-2 on Tuesday to ban cars downtown.\n")
    script = (
        "import sys; from storyline.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('storyline.llm', 'storyline.synthesize.verify'))]\n"
        "print('LOADED', loaded)\n"
    )
    args = ["run", str(text), "--db", str(tmp_path / "d.db"), "--out", str(tmp_path / "o"), "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_LLM")}
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=False, timeout=300
    )
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
