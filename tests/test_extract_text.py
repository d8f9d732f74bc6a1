"""Each plain-text rule, shown on inputs made for the purpose."""

from storyline.extract.text import clean_lines, is_heading, word_count

BODY = (
    "The city council voted on Tuesday to expand the tram network by twelve kilometres, "
    "ending a debate that had run for more than three years."
)
SECOND = "Opponents said the cost, estimated at 1.2 billion euros, would fall on residents who never ride the tram."


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_the_first_title_like_line_is_the_title_and_short_lines_before_it_are_chrome() -> None:
    cleaned = clean_lines(lines(f"Startseite\nLokales\n2026/03/04\nCouncil Backs Tram Expansion Plan\n{BODY}"))
    assert cleaned.title == "Council Backs Tram Expansion Plan"
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("navigation", "Startseite"),
        ("chrome", "Lokales"),
        ("chrome-date", "2026/03/04"),
    ]
    assert ("published", "2026-03-04", "chrome") in [(c.field, c.value, c.source) for c in cleaned.candidates]
    assert cleaned.body == [BODY]


def test_a_title_hint_picks_the_title_line() -> None:
    cleaned = clean_lines(lines(f"Menu\nTram plan approved\n{BODY}"), title_hint="Tram Plan Approved")
    assert cleaned.title == "Tram Plan Approved"
    assert cleaned.body == [BODY]


def test_segmented_byline_gives_outlet_author_and_date_and_stays_in_the_header() -> None:
    cleaned = clean_lines(
        lines(f"Council Backs Tram Expansion Plan\nRiver Courier · Ana María Lopez · 2026-03-04\n{BODY}")
    )
    found = {(c.field, c.value) for c in cleaned.candidates if c.source == "byline"}
    assert found == {
        ("outlet", "River Courier"),
        ("authors", ("Ana María Lopez",)),
        ("published", "2026-03-04"),
    }
    assert cleaned.header == ["River Courier · Ana María Lopez · 2026-03-04"]


def test_by_line_with_two_authors_and_a_role() -> None:
    cleaned = clean_lines(
        lines(f"Council Backs Tram Expansion Plan\nBy Jane Doe and John Q. Roe, Staff Writers\n{BODY}")
    )
    authors = [c.value for c in cleaned.candidates if c.field == "authors"]
    assert authors == [("Jane Doe", "John Q. Roe")]


def test_a_sentence_is_not_a_byline() -> None:
    cleaned = clean_lines(
        lines(f"Council Backs Tram Expansion Plan\nThe Mayor Spoke First · Then Everyone Left.\n{BODY}")
    )
    assert not [c for c in cleaned.candidates if c.source == "byline"]


def test_a_title_case_headline_half_is_not_a_byline() -> None:
    line = "The Early Reviews For The Stadia Platform Are Here — And They're Not Great"
    cleaned = clean_lines(lines(f"Stadia Reviews Are In\n{line}\n{BODY}"))
    assert not [c for c in cleaned.candidates if c.field == "authors"]


def test_repeated_paragraphs_and_repeated_titles_are_removed_once() -> None:
    text = f"Council Backs Tram Expansion Plan\n{BODY}\nAnalysis\n{BODY}\nCouncil Backs Tram Expansion Plan\n{SECOND}"
    cleaned = clean_lines(lines(text))
    assert cleaned.body == [BODY, "Analysis", SECOND]
    assert [r.reason for r in cleaned.removed] == ["repeated", "repeated"]
    assert "repeated_paragraphs_removed" in cleaned.flags


def test_a_truncated_teaser_of_a_later_paragraph_is_removed() -> None:
    teaser = BODY[:70] + "..."
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\n{teaser}\n{BODY}"))
    assert cleaned.body == [BODY]


def test_a_run_of_short_label_lines_before_the_first_paragraph_becomes_tags() -> None:
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\n交通\n城市规划\nÖPNV\n{BODY}\n{SECOND}"))
    assert cleaned.tags == ["交通", "城市规划", "ÖPNV"]
    assert cleaned.body == [BODY, SECOND]


def test_headings_inside_the_body_are_not_tags() -> None:
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\n{BODY}\nWhat Comes Next\nTimeline\n{SECOND}"))
    assert cleaned.tags == []
    assert cleaned.body == [BODY, "What Comes Next", "Timeline", SECOND]


def test_labelled_tag_lines_are_split() -> None:
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\n{BODY}\nTags: transport, city hall; budget"))
    assert cleaned.tags == ["transport", "city hall", "budget"]


def test_calls_to_action_comment_prompts_and_ai_disclaimers_are_removed_and_flagged() -> None:
    text = (
        f"Council Backs Tram Expansion Plan\n{BODY}\nWant results like these for your business?\nBook a demo\n"
        "Join the Discussion\nThis article was written with the help of AI."
    )
    cleaned = clean_lines(lines(text))
    assert cleaned.body == [BODY]
    assert cleaned.flags == {"boilerplate_removed", "ai_generated_disclosure"}


def test_an_empty_sources_heading_at_the_end_is_removed_and_flagged() -> None:
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\n{BODY}\nSources:"))
    assert cleaned.body == [BODY]
    assert "empty_source_list" in cleaned.flags


def test_a_wire_dateline_proposes_the_outlet() -> None:
    cleaned = clean_lines(lines(f"Council Backs Tram Expansion Plan\nLISBON (Reuters) - {BODY}"))
    assert ("outlet", "Reuters", "dateline") in [(c.field, c.value, c.source) for c in cleaned.candidates]


def test_word_count_and_headings() -> None:
    assert word_count("two words") == 2
    assert word_count("开源人工智能") == 3
    assert is_heading("Why It Matters")
    assert not is_heading("This is a sentence.")
    assert not is_heading("- a bullet item")
