"""JSON and JSONL inputs under attack: odd line breaks, NUL bytes, deep nesting, huge numbers, surrogates."""

import io
import json
import time
from pathlib import Path

import pytest

from storyline.errors import IngestError
from storyline.ingest.jsonl import json_documents, jsonl_bytes_documents, jsonl_documents, load_json_limited
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Document, Skip

ARTICLE = "Harbour Bridge Reopens\nThe Harbour Bridge reopened on Saturday after a two-year repair, officials said."
ESCAPED = json.dumps(ARTICLE)[1:-1]


def read(path: Path) -> list[Document | Skip]:
    return list(Ingestor(IngestSettings())([str(path)]))


def line(**fields: object) -> str:
    return json.dumps({"text": ARTICLE, **fields})


# Raw \x1c-\x1e, \x0b and \x0c are not legal in JSON at all (json.dumps escapes them), so only these three
# line breaks of str.splitlines can sit inside a valid JSON line.
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_line_separators_inside_json_strings_do_not_split_lines(separator: str) -> None:
    text = json.dumps({"text": f"{ARTICLE}{separator}More."}, ensure_ascii=False) + "\n" + line() + "\n"
    items = list(jsonl_documents(text, "s", "batch.jsonl"))
    assert [type(i).__name__ for i in items] == ["Document", "Document"]
    assert isinstance(items[0], Document) and items[0].content.endswith(f"{separator}More.")


def test_crlf_line_ends_are_accepted() -> None:
    items = list(jsonl_documents(line() + "\r\n" + line(title="Two") + "\r\n", "s", "b.jsonl"))
    assert [type(i).__name__ for i in items] == ["Document", "Document"]


def test_one_nul_byte_skips_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(f'{line()}\n{line()[:-2]}\x00"}}\n{line(title="Three")}\n'.encode())
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Document"]
    skip = items[1]
    assert isinstance(skip, Skip) and skip.source.endswith("batch.jsonl:2")
    assert skip.reason == "binary content (NUL byte) in this line"


def test_a_nul_line_on_stdin_skips_only_that_line() -> None:
    data = f"{line()}\n\x00\x00\n{line()}\n".encode()
    items = list(Ingestor(stdin=io.BytesIO(data))(["-"]))
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Document"]


def test_deep_nesting_is_a_skip_for_that_line_not_a_recursion_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    items = list(jsonl_documents(f"{deep}\n{line()}\n", "s", "b.jsonl"))
    assert isinstance(items[0], Skip) and items[0].reason == "JSON nested deeper than 100 levels"
    assert isinstance(items[1], Document)


def test_a_huge_integer_is_a_skip_for_that_line_not_a_value_error() -> None:
    items = list(jsonl_documents('{"text": "x", "n": ' + "7" * 5000 + "}\n" + line(), "s", "b.jsonl"))
    assert isinstance(items[0], Skip) and items[0].reason == "number with more than 1000 digits"
    assert isinstance(items[1], Document)


def test_a_json_file_nested_too_deep_is_one_skip() -> None:
    (skip,) = json_documents('{"a": ' * 5000 + "1" + "}" * 5000, "s", "b.json")
    assert isinstance(skip, Skip) and skip.reason == "JSON nested deeper than 100 levels"


def test_load_json_limited_limits_and_passes() -> None:
    assert load_json_limited('{"a": "[[[[ not nesting {{{{", "b": [[1]]}', max_depth=3) == {
        "a": "[[[[ not nesting {{{{",
        "b": [[1]],
    }
    with pytest.raises(IngestError, match="nested deeper than 3 levels"):
        load_json_limited("[[[[1]]]]", max_depth=3)
    with pytest.raises(IngestError, match="more than 5 digits"):
        load_json_limited("[123456]", max_digits=5)
    assert load_json_limited('["1234567890"]', max_digits=5) == ["1234567890"]  # digits in strings are text
    with pytest.raises(IngestError, match="^invalid JSON: "):
        load_json_limited('{"a": ')


def test_the_pre_scan_is_linear_on_hostile_strings() -> None:
    started = time.monotonic()
    for text in ['"\\"' * 500_000, "<" * 1_000_000, "[" * 1_000_000, ("9" * 999 + ",") * 1000]:
        with pytest.raises(IngestError):
            load_json_limited(text)
    assert time.monotonic() - started < 2


def test_lone_surrogates_are_replaced_and_flagged() -> None:
    text = '{"title": "Bad \\ud800 title", "text": "' + ESCAPED + ' \\udfff end", "authors": ["A \\ud83d"]}'
    (doc,) = jsonl_documents(text, "s", "b.jsonl")
    assert isinstance(doc, Document) and doc.flags == ("surrogates-replaced",)
    assert doc.content.endswith("\ufffd end")
    doc.content.encode("utf-8")
    assert {h.field: h.value for h in doc.hints} == {"title": "Bad \ufffd title", "authors": "A \ufffd"}


def test_a_valid_surrogate_pair_is_kept() -> None:
    (doc,) = jsonl_documents('{"text": "' + ESCAPED + ' \\ud83d\\ude00"}', "s", "b.jsonl")
    assert isinstance(doc, Document) and doc.content.endswith("\U0001f600") and doc.flags == ()


def test_decode_flags_are_carried_onto_every_line() -> None:
    (doc,) = jsonl_documents(line(), "s", "b.jsonl", ("decode-repaired",))
    assert isinstance(doc, Document) and doc.flags == ("decode-repaired",)


def test_the_longer_of_html_and_text_wins() -> None:
    long_text = ARTICLE + " " + "More words of the full article. " * 20
    (teaser,) = jsonl_documents(json.dumps({"html": "<p>Read more</p>", "text": long_text}), "s", "b.jsonl")
    assert isinstance(teaser, Document) and teaser.media_type == "text" and teaser.content == long_text
    full_html = f"<article><p>{long_text}</p><p>And the end.</p></article>"
    (page,) = jsonl_documents(json.dumps({"html": full_html, "text": "Short."}), "s", "b.jsonl")
    assert isinstance(page, Document) and page.media_type == "html"
    (tie,) = jsonl_documents(json.dumps({"html": "<p>Same words</p>", "text": "Same words"}), "s", "b.jsonl")
    assert isinstance(tie, Document) and tie.media_type == "html"


def test_markup_only_html_does_not_hide_the_text() -> None:
    (doc,) = jsonl_documents(json.dumps({"html": "<div><img src=x></div>", "text": ARTICLE}), "s", "b.jsonl")
    assert isinstance(doc, Document) and doc.media_type == "text"


def _bytes_items(data: bytes) -> list[Document | Skip]:
    return list(jsonl_bytes_documents(data, "s", "b.jsonl", 10 * 1024 * 1024))


def test_each_jsonl_line_is_decoded_on_its_own() -> None:
    garbage = bytes(range(0x80, 0x100)) * 2  # not UTF-8 at all, and too much of it to repair
    items = _bytes_items(line().encode() + b"\n" + garbage + b"\n" + line(title="Two").encode() + b"\n")
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Document"]
    skip = items[1]
    assert isinstance(skip, Skip) and skip.source == "b.jsonl:2" and "not valid UTF-8" in skip.reason


def test_a_stray_byte_is_repaired_in_its_line_only() -> None:
    bad = json.dumps({"text": ARTICLE, "title": "Caf\u00e9"}, ensure_ascii=False).encode().replace(b"\xc3\xa9", b"\xe9")
    first, second = _bytes_items(bad + b"\n" + line().encode() + b"\n")
    assert isinstance(first, Document) and "decode-repaired" in first.flags
    assert isinstance(second, Document) and "decode-repaired" not in second.flags


def test_a_bare_carriage_return_does_not_renumber_lines() -> None:
    items = _bytes_items(line().encode() + b"\n" + b'{"text": "a\rb"}' + b"\n" + line(title="Three").encode())
    assert [i.location for i in items if isinstance(i, Document)] == ["b.jsonl:1", "b.jsonl:3"]


def test_utf16_jsonl_is_decoded_whole() -> None:
    text = line() + "\n" + line(title="Two") + "\n"
    items = _bytes_items(text.encode("utf-16"))
    assert [type(i).__name__ for i in items] == ["Document", "Document"]


def test_an_empty_json_list_is_a_skip() -> None:
    (skip,) = json_documents("[]", "s", "empty.json")
    assert isinstance(skip, Skip) and skip.reason == "an empty JSON list: no articles"


def test_jsonl_fetched_from_a_url_is_decoded_line_by_line() -> None:
    from http_fixtures import Route, serve_routes
    from storyline.ingest.fetch import FetchSettings

    garbage = bytes(range(0x80, 0x100)) * 2
    body = line().encode() + b"\n" + garbage + b"\n" + line(title="Two").encode() + b"\n"
    routes = {
        "/robots.txt": Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/batch": Route(body, content_type="application/json"),
    }
    ingest = Ingestor(IngestSettings(fetch=FetchSettings(allow_private=True)))
    try:
        with serve_routes(routes) as base:
            items = list(ingest([f"{base}/batch"]))
    finally:
        ingest.close()
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Document"]
    assert isinstance(items[1], Skip) and items[1].source.endswith("/batch:2")
