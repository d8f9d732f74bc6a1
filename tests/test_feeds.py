import pytest

from conftest import DATA
from storyline.errors import IngestError
from storyline.ingest.feeds import fragment_text, parse_feed


def test_rss_entries_with_content_and_metadata() -> None:
    entries = parse_feed((DATA / "feeds" / "rss.xml").read_bytes())
    assert len(entries) == 2
    first = entries[0]
    assert first.link == "https://coastlineledger.example/2026/03/14/bridge"
    assert first.text.splitlines()[0].startswith("The Harbour Bridge in Port Ellis reopened")
    assert "alert(1)" not in first.text  # feedparser sanitizes scripts out of entry HTML
    hints = {h.field: h.value for h in first.hints}
    assert hints["title"] == "Harbour Bridge Reopens After Two-Year Repair"
    assert hints["outlet"] == "Coastline Ledger"
    assert hints["authors"] == "Priya Raman"
    assert hints["tags"] == "transport"
    assert entries[1].text.startswith("The ferry between Port Ellis")  # description used when no content


def test_atom_entries() -> None:
    (entry,) = parse_feed((DATA / "feeds" / "atom.xml").read_bytes())
    hints = {h.field: h.value for h in entry.hints}
    assert hints["authors"] == "Ana María Lopez"
    assert hints["published"] == "2026-03-04T18:30:02Z"
    assert entry.text.splitlines() == [
        "The city council voted on Tuesday to expand the tram network by twelve kilometres, ending a debate that had"
        " run for more than three years.",
        "Opponents said the cost would fall on residents.",
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>x</title></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "XML bomb"),
        (EXTERNAL_ENTITY, "XML bomb"),
        (b"<rss><channel><<<item>>></rss", "malformed feed XML"),
        (b"<?xml version='1.0'?><config><value>1</value></config>", "not an RSS or Atom feed"),
        (b"<rss version='2.0'><channel><title>Empty</title></channel></rss>", "no entries"),
    ],
)
def test_bad_feeds_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_feed(data)


def test_fragment_text_puts_blocks_on_lines() -> None:
    assert (
        fragment_text("<p>One <b>bold</b> line.</p><ul><li>Two</li><li>Three</li></ul>") == "One bold line.\nTwo\nThree"
    )
    assert fragment_text("plain text") == "plain text"


def test_a_slightly_malformed_feed_is_still_read() -> None:
    data = (DATA / "feeds" / "rss.xml").read_bytes().replace(b"<description>Local news", b"<description>News & views")
    assert len(parse_feed(data)) == 2
