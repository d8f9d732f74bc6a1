"""Who wrote it first, as a reader sees it: each copy and rewrite with its origin, basis and added facts, in
every format, and one lineage-graph node per source even when copies share their article id."""

from dataclasses import replace

import pytest

from conftest import make_article
from storyline.records import Brief, BriefItem, Coverage, Evidence, Reused, Source
from storyline.render.html import render_html
from storyline.render.lineage import lineage_lines
from storyline.render.markdown import render_markdown
from storyline.render.text import render_text
from storyline.serve.charts import lineage_graph

ORIGIN = make_article(text="Bridge approved\n\nThe council approved the bridge on Monday.", outlet="Harbour Times")
REWRITE = make_article(
    text="Bridge gets green light\n\nThe council approved the bridge on Monday.\n\nMayor Ana Ruiz hailed the vote.",
    outlet="Blog",
)
ADDED = Evidence(REWRITE.id, REWRITE.text.index("Mayor"), len(REWRITE.text))


def brief() -> Brief:
    item = BriefItem("The council approved the bridge on Monday.", (Evidence(ORIGIN.id, 17, 59),))
    taken = Reused(Evidence(REWRITE.id, 25, 67), Evidence(ORIGIN.id, 17, 59))
    sources = (
        Source(ORIGIN.id, "Harbour Times", ORIGIN.title, (), "2026-03-01", None, "original"),
        Source(ORIGIN.id, "Wire Copy", ORIGIN.title, (), "2026-03-01", None, "syndicated_copy", (ORIGIN.id,), (), 1.0),
        Source(
            REWRITE.id, "Blog", REWRITE.title, (), "2026-03-02", None, "derivative", (ORIGIN.id,), (), 0.95,
            f"credits Harbour Times; 1 of 2 sentences from {ORIGIN.id}", (taken,), (ADDED,),
        ),
    )  # fmt: skip
    coverage = Coverage(3, ("Harbour Times", "Wire Copy", "Blog"), ("en",), None, None, 0.0, 0.5, "n/a")
    return Brief("st", item, (item,), (), (), (), (), (), (), (), (), (), sources, (), coverage, "test")


def test_each_copy_and_rewrite_names_its_origin_and_why() -> None:
    lines = lineage_lines(brief())
    assert [(line.source, line.relation) for line in lines] == [
        ("Wire Copy", "copy of Harbour Times"),
        ("Blog", "rewrite of Harbour Times"),
    ]
    assert lines[1].basis == f"credits it; 1 of 2 sentences from {ORIGIN.id}; confidence 0.95"
    assert lines[1].added == (ADDED,)
    orphan = replace(brief().sources[2], derived_from=())
    assert lineage_lines(replace(brief(), sources=(orphan,)))[0].relation == "rewrite crediting a source not ingested"


@pytest.mark.parametrize("render", [render_markdown, render_html, render_text])
def test_every_format_shows_the_lineage_and_what_the_rewrite_added(render: object) -> None:
    articles = {ORIGIN.id: ORIGIN, REWRITE.id: REWRITE}
    out = render(brief(), articles)  # type: ignore[operator]
    assert "rewrite of Harbour Times" in out and "copy of Harbour Times" in out
    assert "adds: “Mayor Ana Ruiz hailed the vote.”" in out


def test_the_lineage_graph_draws_a_copy_sharing_its_article_id_as_its_own_node() -> None:
    sources = [
        {"article_id": s.article_id, "outlet": s.outlet, "title": s.title, "role": s.role,
         "derived_from": list(s.derived_from), "evidence": []}
        for s in brief().sources
    ]  # fmt: skip
    graph = lineage_graph(sources, {ORIGIN.id: 1, REWRITE.id: 2})
    labels = sorted(node.label for node in graph.nodes)
    assert labels == ["Blog", "Harbour Times", "Wire Copy"]
    assert len(graph.edges) == 2  # origin -> copy, origin -> rewrite


@pytest.mark.parametrize("render", [render_markdown, render_html, render_text])
def test_a_rewrite_adding_many_sentences_shows_three_and_counts_the_rest(render: object) -> None:
    many = tuple(Evidence(REWRITE.id, ADDED.start, ADDED.end - i) for i in range(5))
    sources = (*brief().sources[:2], replace(brief().sources[2], added=many))
    lines = lineage_lines(replace(brief(), sources=sources))
    assert (lines[1].added, lines[1].more) == (many[:3], 2)
    out = render(replace(brief(), sources=sources), {ORIGIN.id: ORIGIN, REWRITE.id: REWRITE})  # type: ignore[operator]
    assert out.count("adds: ") == 3 and "and 2 more sentence(s) with facts its origin lacks" in out


@pytest.mark.parametrize("render", [render_markdown, render_html, render_text])
def test_support_is_counted_in_words_that_agree(render: object) -> None:
    one, two = (replace(brief().summary[0], support=n) for n in (1, 2))
    out = render(replace(brief(), summary=(one,)), {ORIGIN.id: ORIGIN, REWRITE.id: REWRITE})  # type: ignore[operator]
    assert "1 source" in out and "1 sources" not in out
    assert "2 sources" in render(replace(brief(), summary=(two,)), {ORIGIN.id: ORIGIN})  # type: ignore[operator]


@pytest.mark.parametrize("render", [render_markdown, render_html, render_text])
def test_a_key_point_the_summary_already_shows_is_not_shown_twice(render: object) -> None:
    shown = replace(brief().summary[0], support=2)
    articles = {ORIGIN.id: ORIGIN, REWRITE.id: REWRITE}
    out = render(replace(brief(), summary=(shown,), key_points=(shown,)), articles)  # type: ignore[operator]
    assert "Summary" in out and "Key points" not in out  # the one key point is the summary's sentence
    assert "2 sources" in out  # its count is shown with it in the summary
    other = replace(shown, evidence=(Evidence(REWRITE.id, ADDED.start, ADDED.end),))
    both = render(replace(brief(), summary=(shown,), key_points=(shown, other)), articles)  # type: ignore[operator]
    assert "Key points" in both
