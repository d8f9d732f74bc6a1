import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from storyline.errors import IngestError
from storyline.ingest.compress import decompress
from storyline.ingest.decode import decode_bytes, sniff_kind
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Document, Skip

ARTICLE = "Harbour Bridge Reopens\nThe Harbour Bridge reopened on Saturday after a two-year repair, officials said.\n"


def run(sources: list[str], stdin: bytes = b"", **settings: object) -> list[Document | Skip]:
    ingestor = Ingestor(IngestSettings(**settings), stdin=io.BytesIO(stdin))  # type: ignore[arg-type]
    return list(ingestor(sources))


def test_a_folder_is_read_recursively_in_order_and_unknown_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "b.txt").write_text(ARTICLE)
    (tmp_path / "news" / "deep" / "a.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>")
    (tmp_path / "news" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "news" / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / "news" / "README.md").write_text("# About these files\n\nThey are test articles made for this test.")
    items = run([str(tmp_path / "news")])
    documents = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert [Path(d.location).name for d in documents] == ["b.txt", "a.html"]
    assert [d.media_type for d in documents] == ["text", "html"]
    assert [s.reason for s in skips] == [
        "a project file (README, LICENSE ...), not an article",
        "unsupported file type '.pdf'",
    ]


def test_feed_files_give_one_document_per_entry_without_fetching() -> None:
    items = run([str(DATA / "feeds" / "rss.xml"), str(DATA / "feeds" / "atom.xml")])
    assert [type(i).__name__ for i in items] == ["Document"] * 3
    assert all(isinstance(i, Document) and i.media_type == "text" for i in items)


def test_jsonl_lines_become_documents_and_bad_lines_become_skips(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://a.example/1", "title": "One", "text": ARTICLE, "authors": ["A B", "C D"]}),
        "{not json",
        json.dumps({"title": "No body"}),
        json.dumps({"html": f"<p>{ARTICLE}</p>", "published": "2026-03-14", "outlet": "Ledger"}),
        json.dumps(["not", "an", "object"]),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = run([str(path)])
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Skip", "Document", "Skip"]
    first = items[0]
    assert isinstance(first, Document) and first.url == "https://a.example/1"
    assert {h.field: h.value for h in first.hints}["authors"] == "A B; C D"
    assert isinstance(items[1], Skip) and items[1].source.endswith("batch.jsonl:2")
    assert isinstance(items[3], Document) and items[3].media_type == "html"


def test_a_json_file_with_a_list_of_articles(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"title": "One", "text": ARTICLE}, {"title": "Two", "text": ARTICLE + "More."}]))
    assert [type(i).__name__ for i in run([str(path)])] == ["Document", "Document"]


def test_stdin_is_sniffed() -> None:
    (doc,) = run(["-"], stdin=b"<!DOCTYPE html><html><body><p>Hello there</p></body></html>")
    assert isinstance(doc, Document) and doc.media_type == "html" and doc.location == "stdin"
    items = run(["-"], stdin=(json.dumps({"text": ARTICLE}) + "\n").encode())
    assert isinstance(items[0], Document)


def test_gzipped_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(f"<html><body><p>{ARTICLE}</p></body></html>".encode()))
    (doc,) = run([str(path)])
    assert isinstance(doc, Document) and doc.media_type == "html"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\t ", "empty document"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(128, 256)) * 4, "undecodable"),
    ],
)
def test_bad_files_become_skips_with_reasons(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (skip,) = run([str(path)])
    assert isinstance(skip, Skip) and reason in skip.reason and skip.stage == "ingest"


def test_files_over_the_cap_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 3000)
    (skip,) = run([str(path)], max_bytes=1000)
    assert isinstance(skip, Skip) and skip.reason == "15,000 bytes is over the 1,000 bytes cap"


def test_a_missing_path_is_a_skip_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = run([str(tmp_path / "missing.txt"), str(good)])
    assert isinstance(items[0], Skip) and "no such file" in items[0].reason
    assert isinstance(items[1], Document)


def test_gzip_bombs_stop_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(IngestError, match="cap"):
        decompress(bomb, limit=1_000_000)


def test_decode_honours_boms_and_declared_charsets() -> None:
    assert decode_bytes("Grüße".encode("utf-16")).text == "Grüße"
    latin = '<html><head><meta charset="iso-8859-1"></head><body>Grüße</body></html>'.encode("latin-1")
    assert "Grüße" in decode_bytes(latin).text
    assert decode_bytes(b"line\r\nnext").text == "line\nnext"


def test_sniff_kind() -> None:
    assert sniff_kind("<?xml version='1.0'?><rss>") == "feed"
    assert sniff_kind("<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert sniff_kind("<!doctype html><p>x") == "html"
    assert sniff_kind('{"text": "x"}\n{"text": "y"}') == "jsonl"
    assert sniff_kind("[{}]") == "json"
    assert sniff_kind("Just words.") == "text"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".html", ".xml", ".jsonl", ".json", ".md"]))
def test_fuzzed_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in run([str(path), "-"], stdin=data):
        assert isinstance(item, Document | Skip)


def test_a_bug_while_reading_one_file_skips_that_file_and_the_folder_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.ingest import sources as module

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("A title\n\nA body that is long enough to be read as an article text here.")
    (folder / "b.txt").write_text("Another title\n\nAnother body that is long enough to be read as an article.")
    real = module.Ingestor._file

    def broken(self: module.Ingestor, path: str, source: str):  # type: ignore[no-untyped-def]
        if path.endswith("a.txt"):
            raise KeyError("a bug")
        return real(self, path, source)

    monkeypatch.setattr(module.Ingestor, "_file", broken)
    items = list(module.Ingestor()([str(folder)]))
    skips = [i for i in items if isinstance(i, Skip)]
    assert [s.reason for s in skips] == ["unexpected error: KeyError: 'a bug'"]
    assert [i.location.endswith("b.txt") for i in items if not isinstance(i, Skip)] == [True]
