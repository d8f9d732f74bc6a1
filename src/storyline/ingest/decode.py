"""Bytes -> text, refusing what is not text: empty, binary, undecodable, over the size cap."""

import codecs
import gzip
import re
import zlib

from charset_normalizer import from_bytes

from storyline.errors import IngestError

__all__ = ["MAX_BYTES", "decode_bytes", "describe_size", "gunzip", "sniff_kind"]

MAX_BYTES = 10 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""(?:<meta[^>]+charset=["']?|<\?xml[^>]+encoding=["'])([\w.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def describe_size(size: int) -> str:
    """'10 MB' for whole mebibytes, else '1,000 bytes'."""
    return f"{size // 2**20} MB" if size >= 2**20 and size % 2**20 == 0 else f"{size:,} bytes"


def gunzip(data: bytes, limit: int = MAX_BYTES) -> bytes:
    """Decompress gzip data, refusing output over `limit` bytes (a gzip bomb)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise IngestError(f"corrupt gzip data: {error}") from error
    if len(out) > limit or decompressor.unconsumed_tail:
        raise IngestError(f"decompressed size over the {describe_size(limit)} cap")
    return out


def decode_bytes(data: bytes, declared: str | None = None, limit: int = MAX_BYTES) -> str:
    """Decode document bytes to text.

    Order: byte-order mark, the charset declared by the transport or the document, UTF-8, then a statistical
    guess that must look like real text. Raises IngestError naming the problem.
    """
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, limit)
    if len(data) > limit:
        raise IngestError(f"{len(data):,} bytes is over the {describe_size(limit)} cap")
    if not data.strip():
        raise IngestError("empty document")
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data, bom_encoding))
    if b"\x00" in data[:8192]:
        raise IngestError("binary content (NUL bytes)")
    for encoding in (declared, _declared_in(data), "utf-8"):
        decoded = _decode(data, encoding) if encoding else None
        if decoded is not None:
            return _checked(decoded)
    guess = from_bytes(data[:65536]).best()
    if guess is None or guess.chaos > 0.2:
        raise IngestError("undecodable: not valid UTF-8 and no reliable encoding guess")
    return _checked(_decode(data, guess.encoding))


def _declared_in(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _checked(text: str | None) -> str:
    if text is None:
        raise IngestError("undecodable: the declared encoding does not fit the bytes")
    if not text.strip():
        raise IngestError("empty document")
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise IngestError("binary content (control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sniff_kind(text: str) -> str:
    """Guess what decoded content is: 'feed', 'html', 'jsonl', 'json' or 'text'."""
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<?xml", "<rss", "<feed")) or "<rdf:rdf" in head:
        if re.search(r"<(?:rss|feed|rdf:rdf)\b", head):
            return "feed"
        return "html" if "<html" in head else "xml"
    if head.startswith(("<!doctype html", "<html", "<head", "<body")) or re.search(r"<(?:p|div|article)\b", head):
        return "html"
    if head.startswith("{"):
        first = text.lstrip().split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") else "json"
    if head.startswith("["):
        return "json"
    return "text"
