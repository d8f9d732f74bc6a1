"""Building blocks of the web UI: highlighted segments, chart geometry, markers, URL and token checks, feeds."""

from xml.etree import ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.serve.cache import CardCache
from storyline.serve.charts import (
    TREE_MAX_ROWS,
    coverage_histogram,
    lineage_graph,
    lineage_tree,
    parse_day,
    timeline_chart,
)
from storyline.serve.feeds import atom_feed, json_feed
from storyline.serve.highlight import Mark, analysis_marks, paragraphs, search_snippet
from storyline.serve.present import by_source, format_day, markers, split_tail
from storyline.serve.security import safe_url, token_matches
from storyline.serve.views import sentence_context

TEXT = "Title line\n\nAnna Roth said the tram opens in 2031.\n\nSecond paragraph here."


def test_paragraphs_split_at_blank_lines_and_keep_offsets() -> None:
    found = paragraphs(TEXT)
    assert [p.start for p in found] == [0, 12, 52]
    assert ["".join(s.text for s in p.segments) for p in found] == TEXT.split("\n\n")


def test_overlapping_marks_become_segments_with_every_kind() -> None:
    start = TEXT.index("Anna")
    marks = [
        Mark(start, start + 9, "entity", "PERSON · Anna Roth"),
        Mark(start, TEXT.index("2031.") + 5, "claim", "claim"),
        Mark(TEXT.index("the tram"), TEXT.index(" in 2031"), "evidence", "cited"),
    ]
    segments = paragraphs(TEXT, marks)[1].segments
    assert [(s.text, s.kinds) for s in segments] == [
        ("Anna Roth", ("claim", "entity")),
        (" said ", ("claim",)),
        ("the tram opens", ("claim", "evidence")),
        (" in 2031.", ("claim",)),
    ]
    assert [s.anchor for s in segments] == [False, False, True, False]
    assert segments[0].classes == "mk-claim mk-entity" and segments[0].title == "claim · PERSON · Anna Roth"


def test_marks_outside_the_text_are_clipped_or_dropped() -> None:
    found = paragraphs("Short", [Mark(3, 99, "quote", "q"), Mark(50, 60, "claim", "c"), Mark(4, 2, "claim", "c")])
    assert [(s.text, s.kinds) for s in found[0].segments] == [("Sho", ()), ("rt", ("quote",))]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab \n", max_size=60),
    spans=st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
)
def test_segments_always_rebuild_the_paragraphs(text: str, spans: list[tuple[int, int]]) -> None:
    marks = [Mark(a, b, "claim", "") for a, b in spans]
    for paragraph in paragraphs(text, marks):
        joined = "".join(s.text for s in paragraph.segments)
        assert text[paragraph.start : paragraph.start + len(joined)] == joined
        assert all(s.text for s in paragraph.segments)


def test_analysis_marks_describe_each_kind() -> None:
    analysis = {
        "entities": [{"start": 0, "end": 4, "label": "PERSON", "canonical": "Anna Roth"}],
        "quotes": [{"start": 5, "end": 9, "speaker": None, "kind": "direct"}],
        "claims": [{"start": 0, "end": 9, "holder": "Anna Roth", "score": 0.5}],
        "events": [{"start": 0, "end": 9, "date": "2031"}],
    }
    labels = [(m.kind, m.label) for m in analysis_marks(analysis)]
    assert labels == [
        ("entity", "PERSON · Anna Roth"),
        ("quote", "direct quote · unattributed"),
        ("claim", "claim 0.50 · held by Anna Roth"),
        ("event", "dated 2031"),
    ]
    assert analysis_marks(None) == []


def test_search_snippets_mark_hits() -> None:
    segments = search_snippet("…the [tram] network and [Lindenhof]")
    assert [(s.text, s.kinds) for s in segments] == [
        ("…the ", ()),
        ("tram", ("hit",)),
        (" network and ", ()),
        ("Lindenhof", ("hit",)),
    ]


def source(article_id: str | None, role: str, derived_from: tuple[str, ...] = (), **extra: object) -> dict[str, object]:
    return {"article_id": article_id, "outlet": f"Outlet {article_id}", "title": None, "role": role,
            "derived_from": list(derived_from), "evidence": [], **extra}  # fmt: skip


def test_lineage_puts_credits_then_originals_then_copies_in_columns() -> None:
    sources = [
        source("a", "original"),
        source("b", "syndicated_copy", ("a",)),
        source("c", "derivative", ("b",)),
        source(None, "credited_upstream", evidence=[{"article_id": "a", "start": 0, "end": 3}]),
    ]
    graph = lineage_graph(sources, {"a": 1, "b": 2, "c": 3})
    columns = {node.key: node.x for node in graph.nodes}
    assert columns["credit:3"] < columns["a"] < columns["b"] < columns["c"]
    assert sorted(edge.kind for edge in graph.edges) == ["copy", "copy", "credit"]
    assert {n.key: n.href for n in graph.nodes}["credit:3"] is None
    assert graph.width >= max(n.x for n in graph.nodes) + graph.node_width


def test_the_column_drawing_gives_each_dated_source_its_day_on_a_second_line() -> None:
    sources = [source("a", "original", published="2026-06-19T08:00:00Z"), source("b", "derivative", ("a",))]
    graph = lineage_graph(sources, {})
    assert {n.key: n.when for n in graph.nodes} == {"a": "19 Jun 2026", "b": ""}
    assert {n.key: n.label for n in graph.nodes}["a"] == "Outlet a"  # the day is not cut into the label
    assert graph.height >= graph.node_height + 16 and graph.node_height > 30  # room for the second line


def test_a_credit_stands_just_before_what_credits_it_and_no_column_is_empty() -> None:
    sources = [
        source("a", "original"),
        source("b", "derivative", ("a",)),
        source(None, "credited_upstream", evidence=[{"article_id": "b", "start": 0, "end": 3}]),
    ]
    columns = {node.key: node.x for node in lineage_graph(sources, {}).nodes}
    assert columns["a"] == columns["credit:2"] < columns["b"]
    assert min(columns.values()) == 8  # PAD: the originals' column is the first


def test_lineage_survives_cycles_and_unknown_parents() -> None:
    sources = [source("a", "derivative", ("b",)), source("b", "derivative", ("a", "zzz")), source("c", "original")]
    graph = lineage_graph(sources, {})
    assert len(graph.nodes) == 3 and len(graph.edges) == 2


def test_long_columns_are_cut_with_a_more_box() -> None:
    graph = lineage_graph([source(str(i), "independent") for i in range(30)], {})
    assert len(graph.nodes) == 12 and graph.nodes[-1].label == "+19 more"


def test_the_narrow_lineage_indents_each_source_under_its_origin_with_its_date() -> None:
    sources = [
        source("c", "derivative", ("b",), published="2026-06-21"),
        source("a", "original", published="2026-06-19T08:00:00Z"),
        source("b", "syndicated_copy", ("a",)),
        source("d", "independent"),
        source(None, "credited_upstream", evidence=[{"article_id": "c", "start": 0, "end": 3}]),
    ]
    tree = lineage_tree(sources, {"a": 1, "b": 2, "c": 3, "d": 4})
    rows = {node.key: (node.y, node.x) for node in tree.nodes}
    # credits first, then the original with its copy and the copy's rewrite under it, then the independent
    assert sorted(rows, key=lambda k: rows[k][0]) == ["credit:4", "a", "b", "c", "d"]
    assert rows["credit:4"][1] == rows["a"][1] == rows["d"][1] < rows["b"][1] < rows["c"][1]
    labels = {node.key: node.label for node in tree.nodes}
    assert labels["a"] == "Outlet a · 19 Jun" and labels["c"] == "Outlet c · 21 Jun" and labels["b"] == "Outlet b"
    assert "19 Jun 2026" in {node.key: node.title for node in tree.nodes}["a"]
    # two tree edges (a-b, b-c), and the credit of c drawn in the right-hand gutter, past every box
    assert sorted(edge.kind for edge in tree.edges) == ["copy", "copy", "credit"]
    gutter = next(edge for edge in tree.edges if edge.kind == "credit")
    assert f"H{tree.width - 8 - 4}" in gutter.path
    assert all(node.x + tree.node_width <= tree.width for node in tree.nodes)


def test_the_narrow_lineage_is_cut_with_a_more_row_and_survives_cycles() -> None:
    tree = lineage_tree([source(str(i), "independent") for i in range(30)], {})
    assert len(tree.nodes) == TREE_MAX_ROWS and tree.nodes[-1].label == f"+{30 - TREE_MAX_ROWS + 1} more"
    cycle = lineage_tree([source("a", "derivative", ("b",)), source("b", "derivative", ("a",))], {})
    assert sorted(node.key for node in cycle.nodes) == ["a", "b"] and len(cycle.edges) == 2


def test_dates_parse_from_partial_iso_values() -> None:
    assert str(parse_day("2026-06-19T10:00:00+02:00")) == "2026-06-19"
    assert str(parse_day("2026-06")) == "2026-06-01" and str(parse_day("1983")) == "1983-01-01"
    assert parse_day("PRESENT_REF") is None and parse_day("2026-13-40") is None and parse_day(None) is None


def test_timeline_places_items_in_time_order_and_stacks_close_ones() -> None:
    items = [
        {"date": "2026-06-16", "text": "b"},
        {"date": "2019", "text": "a"},
        {"date": "2026-06-17", "text": "c"},
        {"date": None, "text": "undated"},
    ]
    chart = timeline_chart(items)
    assert chart is not None
    assert [p.number for p in chart.points] == [2, 1, 3]
    assert chart.points[0].x < chart.points[1].x <= chart.points[2].x
    assert chart.points[2].y < chart.points[1].y  # the next day is too close: it goes up a lane
    assert timeline_chart([{"date": "2020", "text": "one"}]) is None


def test_coverage_histogram_counts_articles_per_day() -> None:
    chart = coverage_histogram(["2026-06-16", "2026-06-16T20:00:00", "2026-06-18", None])
    assert chart is not None
    assert [b.count for b in chart.bars] == [2, 0, 1] and chart.unit == "day"
    long = coverage_histogram([f"2026-{m:02d}-01" for m in range(1, 13)])
    assert long is not None and len(long.bars) <= 30 and long.unit.endswith("days")
    assert coverage_histogram(["2026-06-16"]) is None


def test_markers_number_by_source_and_letter_repeats() -> None:
    cards = {"a": {"number": 1, "outlet": "Metro"}, "b": {"number": 2, "outlet": None, "title": "B title"}}
    evidence = [
        {"article_id": "a", "start": 0, "end": 5},
        {"article_id": "b", "start": 1, "end": 2},
        {"article_id": "a", "start": 9, "end": 12},
        {"article_id": "gone", "start": 0, "end": 1},
    ]
    found = markers(evidence, cards, {"a:0-5": "Hello"})
    assert [m.label for m in found] == ["1a", "1b", "2", "?"]  # sorted by source number
    assert found[0].title == "Metro: “Hello”" and found[2].title == "B title"
    assert found[0].href == "/articles/a?start=0&end=5#evidence" and found[3].href is None


def test_sentence_context_stops_at_sentence_ends() -> None:
    text = "First one. The line will have 14 stations, the plan says. Next sentence."
    start = text.index("14 stations")
    context = sentence_context(text, start, start + len("14 stations"))
    assert context == {"before": "The line will have ", "span": "14 stations", "after": ", the plan says."}
    assert sentence_context("abc", 1, 99) == {"before": "a", "span": "bc", "after": ""}
    long = sentence_context("x" * 1000, 500, 501, limit=10)
    assert len(long["before"]) == 10 and len(long["after"]) == 10


def test_evidence_groups_by_source_in_first_seen_order() -> None:
    evidence = [{"article_id": "b", "start": 0, "end": 1}, {"article_id": "a", "start": 0, "end": 1},
                {"article_id": "b", "start": 5, "end": 6}]  # fmt: skip
    assert [(aid, len(group)) for aid, group in by_source(evidence)] == [("b", 2), ("a", 1)]


def test_small_formatting_helpers() -> None:
    assert format_day("2026-06-19T10:00:00+00:00") == "19 Jun 2026"
    assert format_day("2026-06") == "Jun 2026" and format_day("1983") == "1983" and format_day("soon") == "soon"
    assert split_tail("The line opens") == ("The line ", "opens") and split_tail("One") == ("", "One")


def test_only_web_urls_are_links() -> None:
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "/relative", "http://", None, "",
                "https://a.example/\nx", "vbscript:x"]:  # fmt: skip
        assert safe_url(bad) is None, bad


def test_the_token_must_match_exactly() -> None:
    assert token_matches("Bearer s3cret", "s3cret") and token_matches("bearer s3cret", "s3cret")
    for header in [None, "", "Bearer", "Bearer s3cre", "Basic s3cret", "Bearer s3cret2", "s3cret"]:
        assert not token_matches(header, "s3cret"), header


CARD = {"id": "st_1", "headline": "Tram \x07approved", "summary": "It passed.", "articles": 3, "conflicts": 1,
        "topics": ["tram"], "coverage": {"outlets": ["A", "B"]}, "updated_at": "2026-06-18"}  # fmt: skip


def test_atom_drops_characters_xml_cannot_carry() -> None:
    feed = ET.fromstring(atom_feed([CARD], "http://h/"))
    entry = feed.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None and entry.findtext("{http://www.w3.org/2005/Atom}title") == "Tram approved"
    assert entry.findtext("{http://www.w3.org/2005/Atom}updated") == "2026-06-18T00:00:00+00:00"
    assert "disagree on 1" in (entry.findtext("{http://www.w3.org/2005/Atom}summary") or "")


def test_json_feed_items_link_to_story_pages() -> None:
    feed = json_feed([CARD], "http://h/")
    assert feed["items"][0]["url"] == "http://h/stories/st_1" and feed["feed_url"] == "http://h/feeds/stories.json"


def test_the_card_cache_rebuilds_after_its_time_limit_and_evicts_the_oldest() -> None:
    now = [0.0]
    cache = CardCache(ttl=10, size=2, clock=lambda: now[0])
    builds: list[str] = []

    def build(name: str) -> dict[str, object]:
        builds.append(name)
        return {"name": name}

    assert cache.get(("a", "v1"), lambda: build("a")) == {"name": "a"}
    cache.get(("a", "v1"), lambda: build("a"))
    cache.get(("a", "v2"), lambda: build("a2"))  # the story changed: a new key
    now[0] = 11
    cache.get(("a", "v2"), lambda: build("a2"))  # too old
    cache.get(("b", "v1"), lambda: build("b"))
    cache.get(("a", "v1"), lambda: build("a"))  # evicted by size
    assert builds == ["a", "a2", "a2", "b", "a"]
