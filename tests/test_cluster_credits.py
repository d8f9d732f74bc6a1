"""Credit lines: who an article says it took its reporting from, with the span that says so."""

import pytest

from storyline.cluster.credits import find_credits
from storyline.records import Article


def make(text: str, outlet: str | None = None) -> Article:
    return Article(id="a1", text=text, title=text.split("\n")[0], outlet=outlet)


def credits_of(text: str, outlet: str | None = None) -> list[tuple[str, str, str]]:
    article = make(text, outlet)
    return [(c.name, c.kind, article.span(c.evidence.start, c.evidence.end)) for c in find_credits(article)]


def test_first_reported_by_person_in_outlet() -> None:
    text = "Title\nThese details were first reported by Kevin Xu in Interconnected, who co-wrote it."
    assert credits_of(text) == [
        ("Kevin Xu", "person", "first reported by Kevin Xu in Interconnected"),
        ("Interconnected", "outlet", "first reported by Kevin Xu in Interconnected"),
    ]


def test_source_reporting_line_lists_each_outlet() -> None:
    assert credits_of("Title\nBody.\nSource reporting: AI Watch.") == [
        ("AI Watch", "outlet", "Source reporting: AI Watch")
    ]
    names = [name for name, _, _ in credits_of("Title\nSources: Bloomberg, Reuters and AP\n")]
    assert names == ["Bloomberg", "Reuters", "AP"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Title\nThe deal closed on Friday, via The Verge.", "The Verge"),
        ("Title\nThe deal closed (via Reuters). More text.", "Reuters"),
        ("Title\nvia Associated Press\nBody", "Associated Press"),
    ],
)
def test_via_closing_a_sentence_or_line(text: str, name: str) -> None:
    assert [c[0] for c in credits_of(text)] == [name]


def test_via_inside_a_sentence_is_not_a_credit() -> None:
    assert credits_of("Title\nShe travelled via London to Paris and back.") == []


def test_wire_dateline() -> None:
    assert credits_of("Title\nWASHINGTON (Reuters) - The Senate voted on Tuesday.") == [
        ("Reuters", "outlet", "(Reuters)")
    ]


def test_byline_naming_another_outlet() -> None:
    text = "Banning Open Source AI\nInterconnects · Nathan Lambert · 2026-06-19\nBody text here."
    assert credits_of(text) == [
        ("Interconnects", "outlet", "Interconnects · Nathan Lambert · 2026-06-19"),
        ("Nathan Lambert", "person", "Interconnects · Nathan Lambert · 2026-06-19"),
    ]


def test_byline_naming_the_articles_own_outlet_is_not_a_credit() -> None:
    assert credits_of("Title\nBy Jane Doe | Reuters\nBody", outlet="Reuters") == []
    assert credits_of("Title\nBy Jane Doe | Reuters\nBody") == [("Reuters", "outlet", "By Jane Doe | Reuters")]


def test_originally_appeared_is_credited_once() -> None:
    assert credits_of("Title\nBody.\nThis story originally appeared on Grist.") == [
        ("Grist", "outlet", "This story originally appeared on Grist")
    ]


def test_no_credit_in_plain_reporting() -> None:
    assert credits_of("Title\nThe council met on Monday and approved the budget. Sources:\n") == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Title\nThe plan was first reported by The Courier.", "reported"),
        ("Title\nThis article originally appeared in The Courier.", "appeared"),
        ("Title\nSource: The Courier", "source"),
        ("Title\nPhotos and more (via The Courier).", "via"),
        ("Title\nLONDON (Courier) - The plan passed.", "dateline"),
    ],
)
def test_each_credit_says_how_it_was_given(text: str, cue: str) -> None:
    """Lineage needs to know: "first reported by" marks a rewrite, a dateline or a republication line a copy."""
    assert [c.cue for c in find_credits(make(text))] == [cue]


def test_a_sources_headline_is_not_a_credit_line() -> None:
    text = "Title\nSources : Sox May Not Be Out Of Teixeira Chase.\n\nTeam execs met on Monday."
    assert credits_of(text) == []
    assert [c[0] for c in credits_of("Title\nThe vote passed.\nSources: Reuters, AP")] == ["Reuters", "AP"]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "This article was originally published on the Russian page of the 'Caucasian Knot'.",
            "Caucasian Knot",
            "outlet",
        ),
        ("It was first published on the website of Novaya Gazeta on Monday.", "Novaya Gazeta", "outlet"),
        ("Originally published on “Meduza”.", "Meduza", "outlet"),
        ("This story originally appeared in The Verge.", "The Verge", "outlet"),
    ],
)
def test_the_credited_outlet_not_the_part_of_it_that_ran_the_text(text: str, name: str, kind: str) -> None:
    found = find_credits(make(f"Headline\n\n{text}"))
    assert [(c.name, c.kind) for c in found] == [(name, kind)]
