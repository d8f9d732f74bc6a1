"""Every JSON output says what the store says: articles --json, stories --json, brief --format json and the
API agree on story ids and members, after a run on a multi-year stream with undated and title-less records."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli import cli
from storyline.serve.app import create_app
from streams import make_stream


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream")
    lines = []
    for number, item in enumerate(make_stream(20, 3, span_days=900, seed=21, undated_share=0.2)):
        record = {"text": item.article.text.split("\n\n", 1)[1], "outlet": item.article.outlet}
        if number % 4:  # every fourth record has no title: a one-paragraph text-only record
            record["title"] = item.article.title
        if item.article.published:
            record["published"] = item.article.published
        lines.append(json.dumps(record))
    (folder / "stream.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "note.txt").write_text(
        "The harbour office in Saltmarsh said on Monday that 212 ships had been delayed by the storm, and that the "
        "port would stay closed until the wind dropped below gale force, according to its director.\n",
        encoding="utf-8",
    )
    db = folder / "stream.db"
    code, _, err = invoke("run", str(folder), "--db", str(db), "--out", str(folder / "briefs"), "--silent", "--check")
    assert code == 0, err
    assert "store check passed" in err
    return db


def test_json_outputs_and_the_api_agree_with_the_store(ran: Path) -> None:
    db = str(ran)
    _, out, _ = invoke("articles", "--json", "--db", db)
    articles = [json.loads(line) for line in out.splitlines()]
    assert len(articles) == 61  # 60 stream records + the title-less text file: nothing skipped
    assert all(a["story_id"] for a in articles)
    _, out, _ = invoke("stories", "--json", "--db", db)
    stories = [json.loads(line) for line in out.splitlines()]
    members = {m["article_id"]: s["id"] for s in stories for m in s["members"]}
    assert members == {a["id"]: a["story_id"] for a in articles}
    assert {s["status"] for s in stories} == {"active", "dormant"}
    _, out, _ = invoke("stories", "--json", "--status", "dormant", "--db", db)
    assert {json.loads(line)["id"] for line in out.splitlines()} == {
        s["id"] for s in stories if s["status"] == "dormant"
    }
    for story in stories[:5]:
        _, out, _ = invoke("brief", story["id"], "--format", "json", "--db", db)
        brief = json.loads(out)
        assert brief["id"] == story["id"]
        assert brief["coverage"]["articles"] == len(story["members"])
    client = TestClient(create_app(db))
    listed = client.get("/api/stories", params={"per_page": 100}).json()
    assert [s["id"] for s in listed["stories"]] == [s["id"] for s in stories]
    assert {s["id"]: s["status"] for s in listed["stories"]} == {s["id"]: s["status"] for s in stories}
    for story in stories[:5]:
        page = client.get(f"/api/stories/{story['id']}").json()
        assert [m["article_id"] for m in page["story"]["members"]] == [m["article_id"] for m in story["members"]]
    for article in articles[:5]:
        page = client.get(f"/api/articles/{article['id']}").json()
        assert page["article"]["id"] == article["id"]


def test_title_less_records_are_kept_with_a_derived_title(ran: Path) -> None:
    _, out, _ = invoke("articles", "--json", "--db", str(ran))
    derived = [json.loads(line) for line in out.splitlines() if "title_derived" in json.loads(line)["flags"]]
    assert len(derived) == 16  # 15 title-less JSONL records and the text file
    for record in derived:
        assert record["text"].startswith(record["title"])
        assert record["provenance"]["title"]["source"] == "derived"


def test_the_brief_files_of_run_show_which_stories_are_dormant(ran: Path) -> None:
    _, out, _ = invoke("stories", "--json", "--db", str(ran))
    stories = [json.loads(line) for line in out.splitlines()]
    briefs = ran.parent / "briefs"
    for story in stories:
        markdown = (briefs / f"{story['id']}.md").read_text(encoding="utf-8")
        html = (briefs / f"{story['id']}.html").read_text(encoding="utf-8")
        data = json.loads((briefs / f"{story['id']}.json").read_text(encoding="utf-8"))
        assert data["status"] == story["status"]
        assert [link["id"] for link in data["follows"]] == story["follows"]
        assert [link["id"] for link in data["followed_by"]] == story["followed_by"]
        dormant = story["status"] == "dormant"
        assert ("\n**Dormant" in markdown) == dormant and ('<p class="meta status">Dormant' in html) == dormant
