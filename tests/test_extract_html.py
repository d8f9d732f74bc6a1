from conftest import DATA
from storyline.extract.article import Extractor
from storyline.extract.html import extract_html, outlet_from_url
from storyline.records import Document

URL = "https://coastlineledger.example/2026/03/14/harbour-bridge"


def cluttered(extractor: Extractor) -> Document:
    html = (DATA / "html" / "cluttered.html").read_text(encoding="utf-8")
    return Document(URL, URL, html, "html", url=URL)


def test_page_chrome_is_left_out_of_the_text(extractor: Extractor) -> None:
    article = extractor(cluttered(extractor))
    for chrome in (
        "cookies",
        "Sport",
        "Related stories",
        "Ferry timetable",
        "newsletter",
        "All rights reserved",
    ):
        assert chrome not in article.text
    assert article.text.startswith("Harbour Bridge Reopens After Two-Year Repair\n\n")
    assert "212 suspension cables" in article.text
    assert article.text.rstrip().endswith("so residents can walk across.")


def test_metadata_is_voted_with_provenance(extractor: Extractor) -> None:
    article = extractor(cluttered(extractor))
    assert article.title == "Harbour Bridge Reopens After Two-Year Repair"
    assert article.outlet == "The Coastline Ledger"
    assert article.authors == ("Priya Raman",)
    assert article.published is not None and article.published.startswith("2026-03-14")
    assert article.tags == ("infrastructure", "transport", "Port Ellis")
    assert article.language == "en"
    sources = {p.field: p.source for p in article.provenance}
    assert sources["published"] == "json-ld"
    assert sources["outlet"] == "json-ld"
    title = next(p for p in article.provenance if p.field == "title")
    assert title.evidence is not None and article.text[title.evidence.start : title.evidence.end] == article.title


def test_the_original_date_wins_over_the_modified_date() -> None:
    html = (DATA / "html" / "cluttered.html").read_text(encoding="utf-8")
    parts = extract_html(html, URL)
    published = {c.value for c in parts.candidates if c.field == "published"}
    assert not any(str(value).startswith("2026-03-16") for value in published)


def test_opinion_pages_are_flagged_from_json_ld(extractor: Extractor) -> None:
    body = "".join(
        f"<p>Paragraph {i} of a column about the bridge and what it means for the town.</p>" for i in range(8)
    )
    html = (
        '<html><head><script type="application/ld+json">{"@type": "OpinionNewsArticle", "headline": "Fix the Ferries"}'
        f"</script></head><body><article><h1>Fix the Ferries</h1>{body}</article></body></html>"
    )
    article = extractor(Document("x", "x", html, "html"))
    assert "opinion" in article.flags


def test_outlet_from_url() -> None:
    assert outlet_from_url("https://www.example.co.uk/news/1") == "example.co.uk"
    assert outlet_from_url("not a url") is None
