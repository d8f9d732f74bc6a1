"""Rendered briefs show the story's status and the stories it follows or is followed by, in every format.

The renderers get these as a `StoryContext`; `pipeline.story_context` reads them from the store (with the linked
stories' headlines) and `storyline brief` / `storyline run --out` pass them on.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import ROOT
from serve_data import coverage, item, make, store_articles
from storyline import pipeline
from storyline.cli import cli, write_brief_files
from storyline.records import Article, Brief, Source, Story, StoryMember
from storyline.render import (
    StoryContext,
    StoryLink,
    brief_json,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from storyline.store import SQLiteStore

SCHEMA = json.loads((ROOT / "docs" / "brief.schema.json").read_text())

OLD_TEXT = (
    "Storm closes the harbour at Saltmarsh\n\n"
    "The harbour at Saltmarsh closed on Monday after the storm damaged the pier, the port office said."
)
NEW_TEXT = (
    "Saltmarsh harbour reopens a year after the storm\n\n"
    "The harbour at Saltmarsh reopened on Friday, a year after the storm damaged the pier, the port office said."
)
OLD = make(OLD_TEXT, outlet="Coast News", published="2025-03-02T08:00:00+00:00")
NEW = make(NEW_TEXT, outlet="Coast News", published="2026-03-06")

FOLLOWS = StoryContext("active", follows=(StoryLink("st_old", "Storm closes the harbour at Saltmarsh"),))
DORMANT = StoryContext(
    "dormant", followed_by=(StoryLink("st_new", "Saltmarsh harbour reopens a year after the storm"),)
)
PLAIN = StoryContext()
LINE_STARTS = ("Follows:", "Followed by:", "Dormant")


def brief_of(article: Article, story_id: str) -> Brief:
    """A small brief of one article: its title as headline, its body sentence as the summary."""
    body = article.text.split("\n\n", 1)[1]
    source = Source(article.id, article.outlet, article.title, (), article.published, None, "original")
    return Brief(
        id=story_id,
        headline=item(article, article.title),
        summary=(item(article, body),),
        key_points=(),
        why_it_matters=(),
        explainer=(),
        sides=(),
        timeline=(),
        forecast=(),
        quotes=(),
        topics=(),
        tags=(),
        sources=(source,),
        conflicts=(),
        coverage=coverage([article]),
        generated_by="handwritten.test",
    )


def render_all(article: Article, story_id: str, context: StoryContext | None) -> dict[str, str]:
    brief, articles = brief_of(article, story_id), {article.id: article}
    return {
        "md": render_markdown(brief, articles, context=context),
        "html": render_html(brief, articles, context=context),
        "text": render_text(brief, articles, context=context),
        "json": render_json(brief, context=context),
    }


def links(html: str) -> list[str]:
    found: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value or "" for name, value in attrs if tag == "a" and name == "href")

    Collector().feed(html)
    return found


# --- each renderer --------------------------------------------------------------------------------------------


def test_markdown_links_the_story_it_follows_and_the_one_that_follows_it() -> None:
    follows = render_all(NEW, "st_new", FOLLOWS)["md"]
    assert "Follows: [Storm closes the harbour at Saltmarsh](st_old.md) (st_old)" in follows.splitlines()
    assert "Dormant" not in follows and "Followed by" not in follows
    dormant = render_all(OLD, "st_old", DORMANT)["md"]
    lines = dormant.splitlines()
    assert "**Dormant since 2025-03-02: no coverage after that date**" in lines
    assert "Followed by: [Saltmarsh harbour reopens a year after the storm](st_new.md) (st_new)" in lines
    assert lines.index("Followed by: [Saltmarsh harbour reopens a year after the storm](st_new.md) (st_new)") < (
        lines.index("## Summary")
    )


def test_html_links_the_sibling_brief_files() -> None:
    follows = render_all(NEW, "st_new", FOLLOWS)["html"]
    assert '<p class="meta">Follows: <a href="st_old.html">Storm closes the harbour at Saltmarsh</a> (st_old)</p>' in (
        follows
    )
    dormant = render_all(OLD, "st_old", DORMANT)["html"]
    assert '<p class="meta status">Dormant since 2025-03-02: no coverage after that date</p>' in dormant
    assert "st_new.html" in links(dormant)
    assert "Followed by: <a" in dormant and "Follows:" not in dormant


def test_terminal_text_names_the_linked_stories_with_their_ids() -> None:
    follows = render_all(NEW, "st_new", FOLLOWS)["text"]
    assert "Follows: Storm closes the harbour at Saltmarsh (st_old)" in follows
    dormant = render_all(OLD, "st_old", DORMANT)["text"]
    assert "Dormant since 2025-03-02: no coverage after that date" in dormant
    assert "Followed by: Saltmarsh harbour reopens a year after the storm (st_new)" in dormant


def test_json_carries_status_and_links_and_follows_the_schema() -> None:
    follows = json.loads(render_all(NEW, "st_new", FOLLOWS)["json"])
    jsonschema.validate(follows, SCHEMA)
    assert follows["status"] == "active"
    assert follows["follows"] == [{"id": "st_old", "headline": "Storm closes the harbour at Saltmarsh"}]
    assert follows["followed_by"] == []
    dormant = brief_json(brief_of(OLD, "st_old"), context=DORMANT)
    jsonschema.validate(dormant, SCHEMA)
    assert dormant["status"] == "dormant" and dormant["follows"] == []
    assert dormant["followed_by"] == [{"id": "st_new", "headline": "Saltmarsh harbour reopens a year after the storm"}]


@pytest.mark.parametrize("context", [PLAIN, None], ids=["active-no-links", "no-context"])
def test_a_story_without_links_shows_no_status_or_link_line(context: StoryContext | None) -> None:
    rendered = render_all(NEW, "st_new", context)
    for name in ("md", "html", "text"):
        assert not any(start in rendered[name] for start in LINE_STARTS), name
    assert links(rendered["html"]) == [f"#ev{n}" for n in (1, 2)]  # only the evidence markers
    data = json.loads(rendered["json"])
    jsonschema.validate(data, SCHEMA)
    if context is None:
        assert not {"status", "follows", "followed_by"} & set(data)
    else:
        assert (data["status"], data["follows"], data["followed_by"]) == ("active", [], [])


def test_an_undated_dormant_story_and_a_link_the_store_lost() -> None:
    context = StoryContext("dormant", follows=(StoryLink("st_gone"),))
    brief = brief_of(make("Untitled note\n\nThe pier was repaired on a day nobody wrote down."), "st_x")
    assert brief.coverage.last_seen is None
    markdown = render_markdown(brief, {}, context=context)
    assert "**Dormant: no new coverage within the clustering window**" in markdown
    assert "Follows: st_gone" in markdown.splitlines()  # the id alone, no link to a file that is not there
    html = render_html(brief, {}, context=context)
    assert "Follows: st_gone</p>" in html and "st_gone.html" not in html
    assert json.loads(render_json(brief, context=context))["follows"] == [{"id": "st_gone", "headline": None}]


def test_links_are_escaped_and_stay_relative() -> None:
    hostile = '<script>alert(1)</script> "quoted" [x](javascript:alert(2))'
    context = StoryContext("active", follows=(StoryLink('javascript:alert(3)/"><b>', hostile),))
    rendered = render_all(NEW, "st_new", context)
    html = rendered["html"]
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    hrefs = [h for h in links(html) if not h.startswith("#")]
    assert hrefs == ["javascript%3Aalert%283%29%2F%22%3E%3Cb%3E.html"]  # percent-encoded: a relative file name
    markdown = rendered["md"]
    follows = next(line for line in markdown.splitlines() if line.startswith("Follows:"))
    assert "(javascript%3Aalert%283%29%2F%22%3E%3Cb%3E.md)" in follows
    assert "\\[x\\](javascript:alert(2))" in follows and "<script>" not in follows
    assert "&lt;script&gt;" not in rendered["text"] and "<script>alert(1)</script>" in rendered["text"]


# --- wiring: the store, `storyline brief` and `storyline run --out` ------------------------------------------


def linked_store(path: Path) -> SQLiteStore:
    """A store with a dormant story, a later one that follows it, and briefs for both (current, not stale). The
    later one also says it follows "st_gone", a story the store does not hold: it is stored without that link."""
    store = SQLiteStore(path)
    store_articles(store, [OLD, NEW])
    old = Story(
        "st_old", (StoryMember(OLD.id, "original"),), (), coverage([OLD]), "2025-03-02", "2025-03-20", "dormant"
    )
    members = (StoryMember(NEW.id, "original"),)
    new = Story("st_new", members, (), coverage([NEW]), "2026-03-06", "2026-03-06", follows=("st_old", "st_gone"))
    store.put_stories([old], [])
    store.put_brief(brief_of(OLD, old.id), [], old.updated_at)
    store.put_stories([new], [])  # the store adds st_new to st_old's followed_by
    store.put_brief(brief_of(NEW, new.id), [], new.updated_at)
    return store


def test_story_context_reads_status_links_and_headlines_from_the_store(tmp_path: Path) -> None:
    with linked_store(tmp_path / "linked.db") as store:
        old, new = store.get_story("st_old"), store.get_story("st_new")
        assert old.followed_by == ("st_new",) and store.stale_briefs() == []
        assert pipeline.story_context(store, old) == StoryContext(
            "dormant", (), (StoryLink("st_new", "Saltmarsh harbour reopens a year after the storm"),)
        )
        context = pipeline.story_context(store, new)
        assert context.follows == (StoryLink("st_old", "Storm closes the harbour at Saltmarsh"),)
        assert context.status == "active" and context.followed_by == ()


def test_storyline_brief_shows_the_links_in_every_format(tmp_path: Path) -> None:
    db = tmp_path / "linked.db"
    linked_store(db).close()

    def brief(story_id: str, format_: str) -> str:
        result = CliRunner().invoke(cli, ["brief", story_id, "--format", format_, "--db", str(db)])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "Followed by: [Saltmarsh harbour reopens a year after the storm](st_new.md) (st_new)" in brief(
        "st_old", "md"
    )
    html = brief("st_new", "html")
    assert '<a href="st_old.html">Storm closes the harbour at Saltmarsh</a> (st_old)' in html and "st_gone" not in html
    assert "Dormant since 2025-03-02" in brief("st_old", "text")
    data = json.loads(brief("st_new", "json"))
    jsonschema.validate(data, SCHEMA)
    assert [link["id"] for link in data["follows"]] == ["st_old"]


def test_run_output_files_link_each_other(tmp_path: Path) -> None:
    with linked_store(tmp_path / "linked.db") as store:
        outcomes = []
        for story in store.stories():
            stored = store.get_brief(story.id)
            assert stored is not None
            articles = {m.article_id: store.get_article(m.article_id) for m in story.members}
            context = pipeline.story_context(store, story)
            outcomes.append(pipeline.BriefOutcome(story.id, stored[0], (), articles, context))
    out = tmp_path / "briefs"
    write_brief_files(outcomes, out)
    new_md, old_html = (out / "st_new.md").read_text(), (out / "st_old.html").read_text()
    assert "Follows: [Storm closes the harbour at Saltmarsh](st_old.md) (st_old)" in new_md.splitlines()
    assert "Dormant since 2025-03-02" in old_html and "st_new.html" in links(old_html)
    for target in ("st_old.md", "st_new.md", "st_old.html", "st_new.html"):
        assert (out / target).exists()
    assert json.loads((out / "st_old.json").read_text())["followed_by"][0]["id"] == "st_new"
