"""Fuzzing the real ingest path (Ingestor -> pipeline.ingest -> SQLiteStore) with generated hostile files.

Each example writes a folder holding generated hostile files among good articles, ingests it into a fresh
store and checks that no exception escapes, every good document is kept, and every bad one is a Skip with a
reason that is not an "unexpected error" (tests/hostile.py `problems`).
"""

import codecs
import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile import Case, chinese_article, good_case, good_html, good_parts, good_text, japanese_article, problems
from hostile import write_case as write_file
from storyline import pipeline
from storyline.cli import cli
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor
from storyline.store import SQLiteStore

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_EXTRACTOR = Extractor()


def ingest_batch(factory: pytest.TempPathFactory, hostile: list[Case], good: int = 2) -> tuple[Path, SQLiteStore]:
    """Write `hostile` among `good` good cases into a new folder and ingest it into a new store (left open)."""
    folder = factory.mktemp("batch") / "in"
    ids = itertools.count(1000)  # a fresh store each batch: the same good texts every time
    cases = [*hostile, *(good_case(ids) for _ in range(good))]
    for case in cases:
        write_file(folder, case)
    store = SQLiteStore(folder.parent / "store.db")
    outcomes = list(pipeline.ingest([str(folder)], store, Ingestor(), _EXTRACTOR, 20.0))
    assert len(outcomes) >= good
    found = problems(store, folder, cases)
    if found:
        store.close()
        pytest.fail("\n".join(found))
    return folder, store


def check_batch(factory: pytest.TempPathFactory, hostile: list[Case], good: int = 2) -> None:
    _, store = ingest_batch(factory, hostile, good)
    store.close()


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    """`data` with each (position, byte) edit applied: a byte replaced, or (byte 256) one removed."""
    mutable = bytearray(data)
    for position, byte in edits:
        if not mutable:
            break
        index = position % len(mutable)
        if byte == 256:
            del mutable[index]
        else:
            mutable[index] = byte
    return bytes(mutable)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 256)), max_size=30)
SUFFIXES = st.sampled_from([".txt", ".html", ".json", ".jsonl", ".rss", ".atom", ".txt.gz", ".md"])


# --- bytes and encodings ------------------------------------------------------------------------------------


@FUZZ
@given(st.lists(st.tuples(st.binary(max_size=5000), SUFFIXES), min_size=1, max_size=4))
def test_random_bytes_never_stop_the_batch(tmp_path_factory: pytest.TempPathFactory, files: Any) -> None:
    check_batch(
        tmp_path_factory, [Case(f"random-{i}{suffix}", data, "either") for i, (data, suffix) in enumerate(files)]
    )


_CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]


@FUZZ
@given(
    st.integers(0, 500),
    st.sampled_from([*_CODECS, "shift_jis", "euc_jp", "gb18030", "gbk"]),
    st.sampled_from(["text", "html"]),
    EDITS,
)
def test_text_in_any_encoding_is_kept_and_broken_encodings_are_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, number: int, encoding: str, form: str, edits: list[tuple[int, int]]
) -> None:
    if encoding in ("shift_jis", "euc_jp"):
        text = japanese_article(number)
    elif encoding in ("gb18030", "gbk"):
        text = chinese_article(number)
    else:
        text = good_text(number) + "\n\nCafé owners in Málaga said the fiesta drew record crowds this year."
    if form == "html":
        title, body = text.split("\n\n", 1)
        text = f"<html><head><title>{title}</title></head><body>" + "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        text += "</body></html>"
    data = text.encode(encoding)
    suffix = ".html" if form == "html" else ".txt"
    intact = Case(f"intact{suffix}", data, "kept")
    broken = Case(f"broken{suffix}", _mutate(data, edits), "either")
    check_batch(tmp_path_factory, [intact, broken] if edits else [intact])


@FUZZ
@given(st.integers(0, 500), st.sampled_from(["utf-16-le", "utf-16-be"]), st.booleans(), st.integers(1, 40))
def test_utf16_with_or_without_a_bom_is_kept(
    tmp_path_factory: pytest.TempPathFactory, number: int, encoding: str, bom: bool, cut: int
) -> None:
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    data = (marks[encoding] if bom else b"") + good_text(number).encode(encoding)
    odd = data + b"\x00"[: cut % 2]  # an odd length: a last half character
    check_batch(tmp_path_factory, [Case("utf16.txt", data, "kept"), Case("utf16-odd.txt", odd, "either")])


# --- JSON and JSONL -----------------------------------------------------------------------------------------

_KEYS = st.sampled_from(["title", "text", "html", "published", "outlet", "authors", "language", "x", ""])
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["\ud800", "\udfff", "a\u2028b", "\x85", "<p>x</p>"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=30,
)


def _json_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _text_bytes(data: bytes) -> bytes:
    """One line of mutated bytes, without newlines or NUL bytes (lines with a NUL have a strategy of their own)."""
    return data.replace(b"\n", b" ").replace(b"\x00", b" ")


_HOSTILE_LINES = st.one_of(
    _JSON.map(_json_line),
    st.tuples(_JSON.map(_json_line), EDITS).map(lambda pair: _text_bytes(_mutate(*pair))),
    st.integers(1, 120_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 60_000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
    st.integers(900, 20_000).map(lambda digits: b'{"text": "x", "n": ' + b"9" * digits + b"}"),
    st.integers(900, 20_000).map(lambda digits: b'{"n": -0.' + b"1" * digits + b"e99999}"),
    st.just(b'{"text": "nul \x00 inside"}'),
    st.binary(max_size=200).map(_text_bytes),
)


@FUZZ
@given(st.lists(_HOSTILE_LINES, min_size=1, max_size=6), st.integers(0, 2**32))
@example([b"\x1f\x8b"], 189)  # a first line starting with gzip's magic once made the whole file a corrupt archive
def test_a_bad_jsonl_line_skips_that_line_only(
    tmp_path_factory: pytest.TempPathFactory, bad_lines: list[bytes], seed: int
) -> None:
    good = [_json_line({"title": t, "text": "\n\n".join(p)}) for t, p in map(good_parts, range(900, 903))]
    lines = [*((line, False) for line in bad_lines), *((line, True) for line in good)]
    random.Random(seed).shuffle(lines)
    data = b"\n".join(line for line, _ in lines) + b"\n"
    folder, store = ingest_batch(tmp_path_factory, [Case("mixed.jsonl", data, "either")])
    with store:
        kept = {str(row[0]) for row in store.db.execute("SELECT location FROM locations")}
    lost = [n for n, (_, ok) in enumerate(lines, start=1) if ok and f"{folder / 'mixed.jsonl'}:{n}" not in kept]
    assert not lost, f"good lines lost: {lost}"


def _jsonl_with(bad: bytes) -> bytes:
    good = [_json_line({"title": t, "text": "\n\n".join(p)}) for t, p in map(good_parts, range(900, 903))]
    return b"\n".join([good[0], bad, *good[1:]]) + b"\n"


def test_a_line_of_binary_garbage_loses_only_that_line(tmp_path_factory: pytest.TempPathFactory) -> None:
    garbage = random.Random(0).randbytes(300).replace(b"\n", b" ").replace(b"\x00", b" ")
    check_batch(tmp_path_factory, [Case("garbage.jsonl", _jsonl_with(garbage), "skipped", kept=3, skipped=1)])


def test_a_bare_carriage_return_keeps_the_line_numbers(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder, store = ingest_batch(tmp_path_factory, [Case("cr.jsonl", _jsonl_with(b'{"text": "a\rb"}'), "either")])
    with store:
        kept = {str(row[0]) for row in store.db.execute("SELECT location FROM locations")}
        skips = [s.source for s in store.skips()]
    path = folder / "cr.jsonl"
    assert {f"{path}:1", f"{path}:3", f"{path}:4"} <= kept and skips == [f"{path}:2"]


@FUZZ
@given(_JSON, st.integers(1, 100_000), st.booleans())
def test_any_json_file_is_kept_or_skipped_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory, value: Any, depth: int, wrap: bool
) -> None:
    deep = b"[" * depth + _json_line(value) + b"]" * depth if wrap else _json_line(value)
    check_batch(tmp_path_factory, [Case("value.json", _json_line(value), "either"), Case("deep.json", deep, "either")])


def test_a_json_file_holding_an_empty_list_is_a_skip(tmp_path_factory: pytest.TempPathFactory) -> None:
    check_batch(tmp_path_factory, [Case("empty-list.json", b"[]", "skipped")])


# --- HTML ---------------------------------------------------------------------------------------------------

_TAGS = ["div", "p", "span", "table", "tr", "td", "article", "section", "b", "script", "style", "li", "ul"]
_GARBAGE = st.sampled_from(
    ["<", ">", "&", "&#xD800;", "&#0;", "</p>", "<!--", "-->", "<![CDATA[", "\x00", "\ufffd", '"', "<meta charset=x>"]
)


@st.composite
def html_documents(draw: st.DrawFn) -> bytes:
    """An HTML page of random nested tags around good paragraphs, with garbage and deep nesting."""
    title, paragraphs = good_parts(draw(st.integers(0, 300)))
    parts: list[str] = []
    for paragraph in paragraphs:
        tags = draw(st.lists(st.sampled_from(_TAGS), max_size=4))
        attributes = " x" * draw(st.integers(0, 3)) + "".join(f' a{i}="{i}"' for i in range(draw(st.integers(0, 50))))
        inner = paragraph + draw(st.lists(_GARBAGE, max_size=3).map("".join))
        parts.append("".join(f"<{t}{attributes}>" for t in tags) + inner + "".join(f"</{t}>" for t in tags[::-1]))
    depth = draw(st.sampled_from([0, 0, 10, 300, 5_000, 100_000]))
    nest = draw(st.sampled_from(["div", "table><tr><td", "b", "ul><li"]))
    closing = "".join(f"</{t}>" for t in reversed(nest.split("><")))
    body = f"<{nest}>" * depth + "".join(parts) + closing * draw(st.integers(0, depth))
    charset = draw(st.sampled_from(["utf-8", "undefined", "punycode", "idna", "rot13", "base64", "utf-16", ""]))
    ld = draw(
        st.sampled_from(["", '{"@type":"NewsArticle","headline":"H"}', "[" * 50_000, '{"n":' + "9" * 5_000 + "}", "{]"])
    )
    head = f'<meta charset="{charset}"><title>{title}</title><script type="application/ld+json">{ld}</script>'
    page = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    cut = draw(st.sampled_from([None, None, draw(st.integers(0, len(page)))]))
    return page[:cut].encode("utf-8", "surrogatepass")


@FUZZ
@given(st.lists(html_documents(), min_size=1, max_size=3))
def test_malformed_html_never_stops_the_batch(tmp_path_factory: pytest.TempPathFactory, pages: list[bytes]) -> None:
    check_batch(tmp_path_factory, [Case(f"page-{i}.html", page, "either") for i, page in enumerate(pages)])


@FUZZ
@given(st.integers(0, 300), st.sampled_from(['<meta charset="undefined">', '<meta charset="rot13">', ""]))
def test_good_html_is_kept_whatever_its_declared_charset(
    tmp_path_factory: pytest.TempPathFactory, number: int, head: str
) -> None:
    check_batch(tmp_path_factory, [Case("page.html", good_html(number, head=head).encode(), "kept")])


# --- feeds --------------------------------------------------------------------------------------------------


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS or Atom feed (without links: entries are located as file#N) built from a small grammar with
    random omissions, garbage, entity declarations and cuts."""
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 6))):
        title, paragraphs = good_parts(draw(st.integers(0, 300)))
        body = "".join(f"<p>{p}</p>" for p in paragraphs[: draw(st.integers(0, 3))])
        body += draw(st.lists(_GARBAGE, max_size=4).map("".join))
        wrapped = draw(st.sampled_from([f"<![CDATA[{body}]]>", body.replace("<", "&lt;"), body]))
        fields = [f"<title>{title}</title>"] if draw(st.booleans()) else []
        if atom:
            fields.append(f'<content type="html">{wrapped}</content>' if draw(st.booleans()) else "")
            entries.append("<entry>" + "".join(fields) + "</entry>")
        else:
            fields.append(f"<description>{wrapped}</description>" if draw(st.booleans()) else "")
            entries.append("<item>" + "".join(fields) + "</item>")
    prolog = draw(
        st.sampled_from(
            [
                '<?xml version="1.0" encoding="utf-8"?>',
                '<?xml version="1.0" encoding="undefined"?>',
                '<?xml version="1.0" encoding="shift_jis"?>',
                '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
                '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                "",
            ]
        )
    )
    if atom:
        feed = f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>T &b;</title>{"".join(entries)}</feed>'
    else:
        feed = f'{prolog}<rss version="2.0"><channel><title>T</title>{"".join(entries)}</channel></rss>'
    cut = draw(st.sampled_from([None, None, None, draw(st.integers(0, len(feed)))]))
    return feed[:cut].encode("utf-8", "surrogatepass")


@FUZZ
@given(st.lists(feeds(), min_size=1, max_size=3), st.sampled_from([".rss", ".atom", ".xml"]))
def test_malformed_feeds_never_stop_the_batch(
    tmp_path_factory: pytest.TempPathFactory, documents: list[bytes], suffix: str
) -> None:
    check_batch(tmp_path_factory, [Case(f"feed-{i}{suffix}", data, "either") for i, data in enumerate(documents)])


# --- compressed and file-system oddities --------------------------------------------------------------------


@FUZZ
@given(st.integers(0, 300), st.integers(1, 4), EDITS, st.integers(0, 400))
def test_gzip_members_cuts_and_corruption(
    tmp_path_factory: pytest.TempPathFactory, number: int, members: int, edits: list[tuple[int, int]], cut: int
) -> None:
    import gzip

    texts = [good_text(number + i) for i in range(members)]
    parts = [gzip.compress(("\n\n" + t).encode(), mtime=0) for t in texts]
    whole = b"".join(parts)
    length = max(1, len(whole) - 1 - cut)
    # cut exactly where a member ends, the rest is a whole gzip file of fewer members: nothing to tell apart
    boundaries = set(itertools.accumulate(len(p) for p in parts))
    cases = [
        Case("whole.txt.gz", whole, "kept", contains=texts[-1].split("\n\n")[-1][:40]),
        Case("cut.txt.gz", whole[:length], "kept" if length in boundaries else "skipped"),
        Case("edited.txt.gz", _mutate(whole, edits), "either"),
    ]
    check_batch(tmp_path_factory, cases)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_file_system_oddities_among_good_files(tmp_path_factory: pytest.TempPathFactory) -> None:
    from hostile import filesystem_cases

    check_batch(tmp_path_factory, filesystem_cases(itertools.count(50)), good=4)


# --- re-runs ------------------------------------------------------------------------------------------------


def test_a_rerun_of_the_same_batch_extracts_nothing_again(tmp_path: Path) -> None:
    from hostile import byte_cases, json_cases

    folder = tmp_path / "in"
    ids = itertools.count()
    cases = [*(good_case(ids) for _ in range(6)), *byte_cases(ids), *json_cases(ids)[:6]]
    for case in cases:
        write_file(folder, case)
    db = str(tmp_path / "rerun.db")
    first = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db, "--silent"])
    assert first.exit_code == 0, first.output
    with SQLiteStore(db) as store:
        assert problems(store, folder, cases) == []
        documents = store.db.execute("SELECT COUNT(DISTINCT document_id) FROM locations").fetchone()[0]
        skips = len(store.skips())
    second = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db, "--silent"])
    assert second.exit_code == 0, second.output
    assert f"ingested 0 · duplicates 0 · unchanged {documents} · skipped {skips}" in second.stderr
    with SQLiteStore(db) as store:
        assert len(store.skips()) == skips  # a skip seen again is not recorded twice


def test_a_gzip_cut_where_a_member_ends_is_a_whole_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by the fuzz test above: two members cut exactly after the first are a valid one-member file."""
    import gzip

    first, second = (gzip.compress(("\n\n" + good_text(n)).encode(), mtime=0) for n in (7, 8))
    cases = [
        Case("boundary.txt.gz", first, "kept", contains=good_text(7).split("\n\n")[-1][:40]),
        Case("inside.txt.gz", (first + second)[: len(first) + len(second) // 2], "skipped"),
    ]
    check_batch(tmp_path_factory, cases)
