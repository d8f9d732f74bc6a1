"""Decoding and decompression of hostile bytes: odd charset names, stray bytes, BOM-less UTF-16, bombs."""

import bz2
import gzip
import lzma
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.errors import IngestError
from storyline.ingest.compress import compression_of, decompress
from storyline.ingest.decode import decode_bytes, usable_encoding
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Document, Skip

BODY = "Grüße aus Köln: die Brücke über den Rhein ist wieder offen, sagte die Stadt am Samstag. " * 4
PAGE = '<html><head><meta charset="{}"></head><body><p>{}</p></body></html>'


def read(path: Path, **settings: object) -> list[Document | Skip]:
    return list(Ingestor(IngestSettings(**settings))([str(path)]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["undefined", "punycode", "idna", "rot13", "base64", "zlib", "uu", "hex", "bz2", "quopri", "unicode-escape",
     "utf-7", "utf-16", "cp037", "no-such-codec"],
)  # fmt: skip
def test_a_charset_name_that_is_no_usable_text_encoding_is_ignored(name: str) -> None:
    assert usable_encoding(name) is None
    page = PAGE.format(name, BODY).encode("utf-8")
    assert BODY in decode_bytes(page).text
    assert BODY in decode_bytes(page, declared=name).text  # as if from a Content-Type header


def test_a_charset_name_with_a_nul_is_ignored() -> None:
    assert usable_encoding("utf\x00-8") is None
    assert decode_bytes(BODY.encode(), declared="utf\x00-8").text == BODY


@pytest.mark.parametrize("name", ["utf-8", "ISO-8859-1", "windows-1252", "shift_jis", "koi8-r", "gb18030"])
def test_real_text_encodings_are_usable(name: str) -> None:
    assert usable_encoding(name) is not None


def test_a_declared_charset_that_fails_on_the_bytes_falls_through() -> None:
    page = PAGE.format("ascii", BODY).encode("utf-8")
    assert BODY in decode_bytes(page).text


def test_one_stray_byte_in_utf8_is_replaced_not_guessed_into_mojibake() -> None:
    data = BODY.encode("utf-8") + b"\xff" + BODY.encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.text == BODY + "\ufffd" + BODY
    assert decoded.flags == ("decode-repaired",)


def test_a_utf8_file_cut_inside_a_character_is_repaired() -> None:
    decoded = decode_bytes(BODY.encode("utf-8") + "é".encode()[:1])
    assert decoded.text == BODY + "\ufffd" and "decode-repaired" in decoded.flags


def test_a_real_windows_1252_page_is_still_guessed_not_repaired() -> None:
    text = (
        "<html><body><p>The café’s “new” menu costs €12 — and the critics loved it, said the owner.</p>\n"
        "<p>“We didn’t expect this,” she said on Tuesday. The restaurant opened in 1998.</p></body></html>"
    )
    decoded = decode_bytes(text.encode("windows-1252"))
    assert "The café’s “new” menu costs €12 — and" in decoded.text and "didn’t" in decoded.text
    assert "\ufffd" not in decoded.text and decoded.flags == ()


def test_a_real_shift_jis_page_is_still_guessed() -> None:
    text = "東京都は月曜日、新しい橋の建設を始めると発表しました。工事は三年かかる見込みです。" * 8
    assert decode_bytes(text.encode("shift_jis")).text == text


def test_many_bad_bytes_are_not_repaired() -> None:
    with pytest.raises(IngestError, match="undecodable"):
        decode_bytes(bytes(range(128, 256)) * 4)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_not_refused_as_binary(encoding: str) -> None:
    assert decode_bytes(BODY.encode(encoding)).text == BODY


def test_nul_bytes_that_are_not_utf16_are_still_binary() -> None:
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(BODY.encode() + b"\x00" + BODY.encode())  # one NUL in one position is not UTF-16


def test_multi_member_gzip_is_read_whole() -> None:
    data = gzip.compress(b"first part. ") + gzip.compress(b"second part.")
    assert decompress(data, 1000) == b"first part. second part."


def test_zero_padding_after_gzip_is_ignored_but_other_trailing_bytes_are_corrupt() -> None:
    assert decompress(gzip.compress(b"text") + b"\x00" * 512, 1000) == b"text"
    with pytest.raises(IngestError, match="corrupt gzip data: 4 bytes of trailing garbage"):
        decompress(gzip.compress(b"text") + b"junk", 1000)


@pytest.mark.parametrize("cut", [4, 12, 40])
def test_truncated_gzip_is_refused_not_a_partial_article(cut: int) -> None:
    data = gzip.compress(BODY.encode() * 20)
    with pytest.raises(IngestError, match="^truncated gzip data$"):
        decompress(data[:-cut], 10**6)


def test_corrupt_gzip_names_the_problem() -> None:
    data = bytearray(gzip.compress(BODY.encode()))
    data[12:20] = b"\xff" * 8
    with pytest.raises(IngestError, match="^corrupt gzip data: "):
        decompress(bytes(data), 10**6)


def test_the_cap_applies_to_the_decompressed_output_streaming() -> None:
    bomb = gzip.compress(b"a" * 3_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(IngestError, match="decompressed size over the 1,000,000 bytes cap"):
        decompress(bomb, 1_000_000)
    assert len(decompress(gzip.compress(b"a" * 1000), 1000)) == 1000  # exactly at the cap is fine


@pytest.mark.parametrize("pack", [bz2.compress, lzma.compress])
def test_bzip2_and_xz_are_decompressed_with_the_same_rules(pack: Callable[[bytes], bytes]) -> None:
    assert decompress(pack(b"one ") + pack(b"two"), 100) == b"one two"
    with pytest.raises(IngestError, match="^truncated "):
        decompress(pack(BODY.encode() * 10)[:-8], 10**6)
    with pytest.raises(IngestError, match="cap"):
        decompress(pack(b"a" * 200_000), 100_000)


def test_zstd_is_refused_with_a_reason() -> None:
    assert compression_of(b"\x28\xb5\x2f\xfd\x00\x58") == "zstd"
    with pytest.raises(IngestError, match="zstd-compressed data is not supported"):
        decompress(b"\x28\xb5\x2f\xfd\x00\x58\x00\x00", 100)


def test_plain_text_starting_with_bzh_is_not_taken_for_bzip2() -> None:
    assert compression_of(b"BZh9 is not a compressed file") is None


def test_gzip_over_the_cap_once_decompressed_is_a_skip_even_if_small_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"word " * 100_000 + b"</p>"))
    (skip,) = read(path, max_bytes=100_000)
    assert isinstance(skip, Skip) and skip.reason == "decompressed size over the 100,000 bytes cap"


def test_truncated_gzip_file_is_a_skip(tmp_path: Path) -> None:
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(BODY.encode() * 50)[:-20])
    (skip,) = read(path)
    assert isinstance(skip, Skip) and skip.reason == "truncated gzip data"


@pytest.mark.parametrize(
    ("name", "pack"),
    [("page.html", gzip.compress), ("page.txt.bz2", bz2.compress), ("page.txt.xz", lzma.compress),
     ("page.md.gz", lambda data: data)],
)  # fmt: skip
def test_compression_is_sniffed_by_magic_bytes_not_the_suffix(
    tmp_path: Path, name: str, pack: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / name
    path.write_bytes(pack(BODY.encode()))
    (item,) = read(path)
    assert isinstance(item, Document) and BODY.strip() in item.content


def test_gzipped_feed_file_is_read(tmp_path: Path) -> None:
    feed = f"<rss><channel><item><title>T</title><description>{BODY}</description></item></channel></rss>"
    path = tmp_path / "news.xml.gz"
    path.write_bytes(gzip.compress(feed.encode()))
    (doc,) = read(path)
    assert isinstance(doc, Document) and BODY.strip() in doc.content


def test_repaired_documents_carry_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(BODY.encode() + b"\xc0" + BODY.encode())
    (doc,) = read(path)
    assert isinstance(doc, Document) and doc.flags == ("decode-repaired",)
