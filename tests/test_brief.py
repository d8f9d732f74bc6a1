"""The whole brief of the seed story: what the brief issue asks of it, and its renderings."""

import json
from html.parser import HTMLParser

import jsonschema
import pytest

from conftest import ROOT, story_input
from storyline.records import Article, Brief, Document
from storyline.render import brief_json, render_html, render_markdown, render_text
from storyline.synthesize.brief import write_checked_brief
from storyline.synthesize.bundle import StoryInput

SCHEMA = json.loads((ROOT / "docs" / "brief.schema.json").read_text())


@pytest.fixture(scope="module")
def seed_brief(seed_story: StoryInput) -> Brief:
    brief, problems = write_checked_brief(seed_story)
    assert problems == []
    return brief


@pytest.fixture(scope="module")
def articles(seed_story: StoryInput) -> dict[str, Article]:
    return {s.article.id: s.article for s in seed_story.sources}


def cited(articles: dict[str, Article], evidence: tuple) -> list[str]:  # type: ignore[type-arg]
    return [articles[e.article_id].text[e.start : e.end] for e in evidence]


def test_conflicts_name_every_author_and_both_outlet_spellings(seed_brief: Brief, articles: dict[str, Article]) -> None:
    conflicts = {c.subject: c for c in seed_brief.conflicts}
    authors = {v.value: cited(articles, v.evidence) for v in conflicts["who made the argument"].values}
    assert {"Kevin Xu", "Nathan Lambert", "Naithan Jones"} <= set(authors)
    assert all(any(name in span for span in spans) for name, spans in authors.items())
    assert {v.value for v in conflicts["name of the outlet"].values} == {"Interconnects", "Interconnected"}


def test_key_points_carry_support_counts(seed_brief: Brief) -> None:
    assert seed_brief.key_points
    assert all(point.support for point in seed_brief.key_points)
    assert max(point.support or 0 for point in seed_brief.key_points) >= 3


def test_sources_hold_the_five_articles_and_the_credited_op_ed(seed_brief: Brief, articles: dict[str, Article]) -> None:
    members = [s for s in seed_brief.sources if s.article_id]
    assert sorted(s.article_id for s in members) == sorted(articles)
    upstream = next(s for s in seed_brief.sources if s.role == "credited_upstream" and s.outlet == "Interconnected")
    assert "Kevin Xu" in upstream.authors and upstream.evidence


def test_timeline_has_the_1983_and_executive_order_items(seed_brief: Brief) -> None:
    dated = next(item for item in seed_brief.timeline if item.date == "1983")
    assert "free software movement" in dated.text
    assert any("Executive Order 14110" in item.text for item in seed_brief.timeline)


def test_forecast_has_the_commerce_statement_with_its_source(seed_brief: Brief, articles: dict[str, Article]) -> None:
    item = next(f for f in seed_brief.forecast if "Department of Commerce" in f.text)
    assert cited(articles, item.evidence)[0] == item.text
    assert articles[item.evidence[0].article_id].title.startswith("Debate Ignites")


def test_every_section_is_filled_and_grounded(seed_brief: Brief) -> None:
    for section in ("summary", "key_points", "why_it_matters", "explainer", "sides", "timeline", "forecast", "quotes"):
        assert getattr(seed_brief, section), f"{section} is empty"
    assert seed_brief.tags == ("开源AI", "AI监管", "科技垄断", "技术创新", "数据隐私")


def test_json_follows_the_schema(seed_brief: Brief) -> None:
    data = brief_json(seed_brief)
    jsonschema.validate(data, SCHEMA)
    assert list(data)[:3] == ["id", "headline", "summary"]
    assert all("speaker" not in item for item in data["summary"])  # unset extras are left out


def test_markdown_and_text_cite_every_span(seed_brief: Brief, articles: dict[str, Article]) -> None:
    markdown = render_markdown(seed_brief, articles)
    assert markdown.startswith("# ") and "[^1]:" in markdown and "## Where sources disagree" in markdown
    text = render_text(seed_brief, articles)
    assert "[1]" in text and "Sources disagree" in text


def test_html_is_standalone_and_escapes_source_text(extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    hostile = (
        "Tram Plan <script>alert(1)</script> Approved\n\n"
        'The council approved the tram plan on Tuesday <img src=x onerror="alert(2)"> after a long debate.'
    )
    article = extractor(Document("h.txt", "h.txt", hostile, "text"))
    brief, _ = write_checked_brief(story_input([article], analyzer))
    html = render_html(brief, {article.id: article})
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    tags = _tags(html)
    assert not {"script", "img", "iframe", "link"} & {tag for tag, _ in tags}
    assert not [name for _, attributes in tags for name, _ in attributes if name.startswith("on") or name == "src"]


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_a_sentence_is_shown_in_one_section_only(seed_brief: Brief) -> None:
    summary = {item.evidence[0] for item in seed_brief.summary}
    assert not [item for item in seed_brief.why_it_matters if item.evidence[0] in summary]
