"""Hostile documents: bad JSON-LD, lone surrogates, odd inputs and pages built to be slow."""

import time
from collections.abc import Callable

import pytest

from conftest import text_document
from storyline.errors import ExtractError
from storyline.extract.article import Extractor, ExtractSettings
from storyline.extract.dates import parse_date
from storyline.extract.html import MAX_ATTRIBUTES, cap_attributes
from storyline.records import Article, Document, Hint

SENTENCE = "The harbour authority said on Tuesday that the new ferry terminal will open in the spring. "
BODY = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(3))
HANG = 10.0  # seconds: only a hang detector, every case runs well under it


def page(head: str = "", body: str = BODY) -> Document:
    html = f"<html><head><title>Ferry Terminal Opens</title>{head}</head><body>{body}</body></html>"
    return Document("page.html", "page.html", html, "html")


def json_ld(content: str) -> str:
    return f'<script type="application/ld+json">{content}</script>'


@pytest.mark.parametrize(
    "block",
    [
        "[" * 100_000 + "]" * 100_000,  # RecursionError in json.loads
        '{"@type": "NewsArticle", "wordCount": ' + "9" * 5_000 + "}",  # ValueError: integer too long
        '{"@type": "NewsArticle", "headline": "' + "x" * 2_000_000 + '"}',  # too big
        '{"@type": "NewsArticle", "headline": ',  # malformed
    ],
)
def test_a_bad_json_ld_block_is_ignored_and_the_page_extracted(extractor: Extractor, block: str) -> None:
    article = extractor(page(json_ld(block)))
    assert article.title == "Ferry Terminal Opens"
    assert "ferry terminal will open" in article.text


def test_json_ld_nested_a_few_levels_is_still_read(extractor: Extractor) -> None:
    block = '{"@graph": [{"@type": "NewsArticle", "author": [{"name": "Ana Ruiz"}], "about": [[[[{"a": 1}]]]]}]}'
    assert extractor(page(json_ld(block))).authors == ("Ana Ruiz",)


def test_lone_surrogates_are_replaced_and_flagged(extractor: Extractor) -> None:
    document = Document("a.txt", "a.txt", f"Ferry Terminal \ud800Opens\n\n{SENTENCE}\udfff", "text")
    article = extractor(document)
    assert "\ufffd" in article.text and "\ud800" not in article.text
    assert "surrogates-replaced" in article.flags
    article.text.encode("utf-8")


def test_a_surrogate_escaped_in_json_ld_does_not_reach_the_text(extractor: Extractor) -> None:
    article = extractor(page(json_ld('{"@type": "NewsArticle", "author": {"name": "Ana \\ud800Ruiz"}}')))
    assert "surrogates-replaced" in article.flags
    assert all("\ud800" not in name for name in article.authors)


def test_surrogates_in_hints_are_replaced(extractor: Extractor) -> None:
    hints = (Hint("title", "Ferry \ud800Terminal Opens", "jsonl"), Hint("outlet", "Port \udc00News", "jsonl"))
    article = extractor(Document("a.jsonl", "a.jsonl:1", SENTENCE * 2, "text", hints))
    assert article.title == "Ferry \ufffdTerminal Opens" and article.outlet == "Port \ufffdNews"


@pytest.mark.parametrize(
    "content", ["\x00", "<!-- only a comment -->", "", "<", "<?xml version='1.0' encoding='utf-8'?><html/>"]
)
def test_odd_html_is_a_plain_skip(extractor: Extractor, content: str) -> None:
    with pytest.raises(ExtractError, match="no main text"):
        extractor(Document("x.html", "x.html", content, "html"))


def test_a_date_past_the_c_int_range_is_no_date() -> None:
    assert parse_date("Sat, 14 Mar 99999999999 08:30:00 GMT") is None


def test_attributes_past_the_cap_are_dropped() -> None:
    attributes = " ".join(f'a{i}="x"' for i in range(MAX_ATTRIBUTES + 50))
    capped = cap_attributes(f"<div><p {attributes}>text</p></div>")
    assert capped.count("=") == MAX_ATTRIBUTES
    assert capped.endswith(f'a{MAX_ATTRIBUTES - 1}="x">text</p></div>')
    normal = '<p class="lead" id="x">text</p>'
    assert cap_attributes(normal) is normal


def timed(extractor: Extractor, document: Document) -> tuple[Article | ExtractError, float]:
    """The result and the CPU seconds it took: a hang spins, and CPU time is not stretched by other processes on
    a loaded machine (wall time was: 11.2 s for the 100,000 lines at load 8)."""
    start = time.process_time()
    try:
        result: Article | ExtractError = extractor(document)
    except ExtractError as error:
        result = error
    return result, time.process_time() - start


def html(body: str, head: str = "") -> Document:
    return Document("big.html", "big.html", f"<html><head>{head}</head><body>{body}</body></html>", "html")


SLOW_PAGES: dict[str, Callable[[], Document]] = {
    "50,000 attributes": lambda: html("<p " + " ".join(f'a{i}="x"' for i in range(50_000)) + f">text</p>{BODY}"),
    "100,000 paragraphs": lambda: html(
        "".join(f"<p>Paragraph {i} is about ferry {i * 7}.</p>" for i in range(100_000))
    ),
    "a 5 MB title": lambda: html(BODY, "<title>" + "Big title " * 500_000 + "</title>"),
    "100,000 meta tags": lambda: html(BODY, '<meta name="author" content="Ana Ruiz">' * 100_000),
    "a 5 MB paragraph": lambda: html("<p>" + "word " * 1_000_000 + "</p>"),
}
FAST_PAGES: dict[str, Callable[[], Document]] = {
    "200,000 nested divs": lambda: html("<div>" * 200_000 + BODY + "</div>" * 200_000),
    "20,000 nested tables": lambda: html("<table><tr><td>" * 20_000 + BODY + "</td></tr></table>" * 20_000),
    "a 5 MB line of text": lambda: text_document("word " * 1_000_000),
    "100,000 lines of text": lambda: text_document(
        "".join(f"Line {i} is about ferry {i * 7}.\n" for i in range(100_000))
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW_PAGES)
def test_a_slow_page_is_bounded(extractor: Extractor, name: str) -> None:
    result, seconds = timed(extractor, SLOW_PAGES[name]())
    assert seconds < HANG, f"{name}: {seconds:.1f} s"
    assert isinstance(result, Article)
    assert len(result.title) <= 300 and len(result.text) <= 1_000_000


@pytest.mark.parametrize("name", FAST_PAGES)
def test_a_deep_or_long_document_finishes(extractor: Extractor, name: str) -> None:
    result, seconds = timed(extractor, FAST_PAGES[name]())
    assert seconds < HANG, f"{name}: {seconds:.1f} s"
    assert isinstance(result, ExtractError) or len(result.text) <= 2_000_000  # 1 MB read, lines joined by \n\n


def test_a_page_over_the_cap_is_cut_and_flagged() -> None:
    extractor = Extractor(ExtractSettings(max_chars=20_000))
    article = extractor(html("".join(f"<p>Paragraph {i} is about ferry {i}.</p>" for i in range(1_000))))
    assert "html_truncated" in article.flags
    assert "Paragraph 100 " in article.text and "Paragraph 999 " not in article.text


def test_a_text_over_the_cap_is_cut_at_a_line_and_flagged() -> None:
    extractor = Extractor(ExtractSettings(max_chars=20_000))
    lines = "".join(f"Line {i} is about ferry number {i}.\n" for i in range(1_000))
    article = extractor(text_document(f"Ferry Terminal Opens\n\n{lines}"))
    assert "text_truncated" in article.flags
    assert article.text.endswith(".") and "Line 999 " not in article.text
