"""Documents without a title: the title is derived from the first sentence and the whole text stays the body."""

import pytest

from conftest import text_document
from storyline.errors import ExtractError
from storyline.extract.article import Extractor
from storyline.extract.text import derive_title
from storyline.records import Document

PARAGRAPH = (
    "The regional council voted on Tuesday to fund a new bridge over the Ellis river. Work is due to begin in "
    "May and should take two years, the council said, at a cost of 40 million euros."
)


def jsonl_document(text: str) -> Document:
    """A JSONL record with `text` and no `title`, as ingest hands it over."""
    return Document(source="set.jsonl", location="set.jsonl:7", content=text, media_type="text", hints=())


def test_a_one_paragraph_record_gets_a_derived_title_and_keeps_its_body(extractor: Extractor) -> None:
    article = extractor(jsonl_document(PARAGRAPH))
    assert article.title == "The regional council voted on Tuesday to fund a new bridge over the Ellis river"
    assert article.text == PARAGRAPH
    assert "title_derived" in article.flags
    title = next(p for p in article.provenance if p.field == "title")
    assert title.source == "derived"
    assert title.evidence is not None and (title.evidence.start, title.evidence.end) == (0, len(article.title))


def test_a_titleless_text_file_of_several_paragraphs_loses_none(extractor: Extractor) -> None:
    second = "Residents had asked for a crossing for a decade. Ferries stop running at nine in the evening."
    article = extractor(text_document(f"{PARAGRAPH}\n\n{second}\n", "note.txt"))
    assert article.text == f"{PARAGRAPH}\n\n{second}"
    assert article.title.startswith("The regional council voted") and "title_derived" in article.flags
    assert not article.removed


def test_a_text_with_a_headline_line_is_unchanged(extractor: Extractor) -> None:
    article = extractor(text_document(f"Council Funds Ellis Bridge\n\n{PARAGRAPH}"))
    assert article.title == "Council Funds Ellis Bridge"
    assert article.text.startswith("Council Funds Ellis Bridge\n\n")
    assert "title_derived" not in article.flags


def test_an_html_page_without_a_title_is_extracted(extractor: Extractor) -> None:
    html = f"<html><body><p>{PARAGRAPH}</p></body></html>"
    article = extractor(Document("page.html", "page.html", html, "html"))
    assert article.text == PARAGRAPH
    assert "title_derived" in article.flags


def test_only_a_short_whole_text_is_no_main_text(extractor: Extractor) -> None:
    with pytest.raises(ExtractError, match=r"no main text: 7 words, the minimum is 10"):
        extractor(jsonl_document("The council met on Tuesday evening again."))


@pytest.mark.parametrize(
    ("paragraph", "title"),
    [
        ("Dr. Ana Ruiz opened the clinic on Monday. It has 40 beds.", "Dr. Ana Ruiz opened the clinic on Monday"),
        ("Why did the ferry stop? Nobody knows.", "Why did the ferry stop?"),
        (
            "Officials from the port authority, the city and two unions met for eleven hours on Sunday, agreeing "
            "on a pay deal that ends the strike.",
            "Officials from the port authority, the city and two unions met for eleven hours on Sunday",
        ),
        ("word " * 50_000, " ".join(["word"] * 16)),
        (
            "滨江市政府周二宣布，将在未来五年内投入约三百亿元，用于改造全市老旧供水管网和污水处理设施。",
            "滨江市政府周二宣布，将在未来五年内投入约三百亿元",
        ),
    ],
)
def test_derived_titles_are_a_prefix_cut_at_a_clause(paragraph: str, title: str) -> None:
    derived = derive_title(paragraph)
    assert derived == title
    assert paragraph.startswith(derived)


def test_document_flags_are_carried_into_the_article(extractor: Extractor) -> None:
    document = Document(
        "a.txt", "a.txt", f"Council Funds Ellis Bridge\n\n{PARAGRAPH}", "text", flags=("decode-repaired",)
    )
    article = extractor(document)
    assert "decode-repaired" in article.flags
    assert list(article.flags) == sorted(set(article.flags))


def test_a_one_line_record_shaped_like_a_headline_is_its_own_text(extractor: Extractor) -> None:
    line = "California governor, Republican president square off on wall, forest management"
    article = extractor(jsonl_document(line))
    assert article.text == line and "title_derived" in article.flags
