import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


FEED_BODY = "<rss><channel><item><title>Ttl</title><description>{}</description></item></channel></rss>"


@pytest.mark.parametrize(
    "encoding", ["punycode", "undefined", "rot13", "idna", "base64", "utf-7", "utf-16", "no-such", "shift_jis"]
)
def test_a_declared_encoding_that_expat_cannot_use_does_not_crash(encoding: str) -> None:
    data = f"<?xml version='1.0' encoding='{encoding}'?>" + FEED_BODY.format("Привет, the story goes on.")
    (entry,) = parse_feed(data.encode("utf-8"))
    assert entry.text == "Привет, the story goes on."


def test_a_real_shift_jis_feed_is_read() -> None:
    feed = "<?xml version='1.0' encoding='shift_jis'?>" + FEED_BODY.format("東京都は新しい橋の建設を始めました。")
    (entry,) = parse_feed(feed.encode("shift_jis"))
    assert entry.text == "東京都は新しい橋の建設を始めました。"


def test_a_utf16_feed_with_a_bom_is_read() -> None:
    feed = "<?xml version='1.0' encoding='utf-16'?>" + FEED_BODY.format("Grüße")
    (entry,) = parse_feed(feed.encode("utf-16"))
    assert entry.text == "Grüße"


def test_character_references_to_forbidden_code_points_become_replacement_characters() -> None:
    (entry,) = parse_feed(FEED_BODY.format("a &#xD800; b &#55296; c &#0; d &#99999999999; e &#x1F600;").encode())
    assert entry.text == "a \ufffd b \ufffd c \ufffd d \ufffd e \U0001f600"
    entry.text.encode("utf-8")


def test_undecodable_feed_bytes_are_an_ingest_error() -> None:
    with pytest.raises(IngestError, match="binary content"):
        parse_feed(b"<rss>\x00\x01\x02\x00\xff\xfe" * 50)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>/&#;x0123456789abcdefDrssfeditemchanneltl =\"'?\ud800\x00é", max_size=300))
def test_fuzzed_feeds_raise_only_ingest_errors(text: str) -> None:
    for data in (text.encode("utf-8", "surrogatepass"), ("<rss><channel><item>" + text).encode("utf-8", "replace")):
        try:
            entries = parse_feed(data)
        except IngestError:
            continue
        for entry in entries:
            entry.text.encode("utf-8")


def test_a_json_feed_gives_entries_with_hints_and_refuses_other_json() -> None:
    import json

    from storyline.ingest.feeds import parse_feed_text

    document = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Json News",
        "items": [
            {"id": "1", "url": "https://x.example/a", "title": "Tram plan", "content_html": "<p>One.</p><p>Two.</p>",
             "tags": ["transport"], "date_published": "2026-06-01T10:00:00Z"},
            {"id": "2", "external_url": "https://y.example/b", "summary": "A summary only."},
            {"id": "3"},
        ],
    }  # fmt: skip
    first, second = parse_feed_text(json.dumps(document))
    assert (first.link, first.text) == ("https://x.example/a", "One.\nTwo.")
    assert {(h.field, h.value) for h in first.hints} >= {("outlet", "Json News"), ("tags", "transport")}
    assert (second.link, second.text) == ("https://y.example/b", "A summary only.")
    with pytest.raises(IngestError, match="not a JSON Feed"):
        parse_feed_text('{"items": []}')
    with pytest.raises(IngestError, match="malformed JSON Feed"):
        parse_feed_text("{not json")
