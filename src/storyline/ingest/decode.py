"""Bytes -> text, refusing what is not text: empty, binary, undecodable, over the size cap.

Order: decompress (gzip, bzip2, xz, sniffed by magic bytes), byte-order mark, UTF-16 without a BOM, the NUL
byte check, the declared charset (transport first, then `<meta charset>` / `<?xml encoding>`), strict UTF-8,
UTF-8 with a few bad bytes repaired, and last a statistical guess that must look like real text.

Choices:
* A declared charset is used only when it names a real text encoding that reads ASCII as ASCII (as a
  `<meta>` tag written in ASCII implies). "undefined", "punycode", "idna", "unicode-escape", "rot13",
  "base64", "utf-16" without a BOM, EBCDIC and the like are ignored, and decoding falls through.
* UTF-8 with a few invalid bytes (at most 8, or 0.1% of the bytes) that also holds valid multi-byte
  characters is decoded with U+FFFD for the bad bytes and flagged "decode-repaired": re-reading the whole
  document as a guessed legacy encoding would turn every "é" into "Ã©". Bytes with no valid multi-byte
  UTF-8 sequence at all go to the guess, which reads real windows-1252 or Shift-JIS pages right.
* UTF-16 without a BOM is recognised by NUL bytes in one byte position of each pair only (in at least a
  fifth of the pairs) and text that looks like text once decoded.
"""

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from storyline.errors import IngestError
from storyline.ingest.compress import decompress, describe_size

__all__ = [
    "MAX_BYTES",
    "Decoded",
    "check_size",
    "decode_bytes",
    "decode_line",
    "describe_size",
    "is_wide_text",
    "sniff_kind",
    "usable_encoding",
]

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
_ASCII = bytes(range(0x20, 0x7F))
_NOT_CHARSETS = frozenset(("undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "charmap"))
_SAMPLE = 8192
_REPAIR_MAX_BAD = 8
_NUL_TOLERANCE = 8  # NUL bytes a JSON/JSONL input may hold (its lines are checked one by one)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and what decoding had to change ("decode-repaired")."""

    text: str
    flags: tuple[str, ...] = ()


def usable_encoding(name: str | None) -> str | None:
    """The codec name for a declared charset, or None when it is unknown or not a usable text encoding."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a name with a NUL character
        return None
    if not info._is_text_encoding or info.name in _NOT_CHARSETS:
        return None
    try:
        reads_ascii = _ASCII.decode(info.name) == _ASCII.decode("ascii")
    except (UnicodeError, ValueError, LookupError):
        return None
    return info.name if reads_ascii else None


def decode_bytes(
    data: bytes, declared: str | None = None, limit: int = MAX_BYTES, *, allow_nul: bool = False
) -> Decoded:
    """Decode document bytes to text; raises IngestError naming the problem.

    `allow_nul` (for JSON and JSONL, whose lines are checked one by one) lets a few NUL bytes through.
    """
    data = decompress(data, limit)
    check_size(data, limit)
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_checked(_decode(data, bom_encoding)))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(_checked(utf16))
    nuls = data.count(b"\x00", 0, _SAMPLE)
    if nuls > (_NUL_TOLERANCE if allow_nul else 0):
        raise IngestError("binary content (NUL bytes)")
    for encoding in (usable_encoding(declared), usable_encoding(_declared_in(data)), "utf-8"):
        decoded = _decode(data, encoding) if encoding else None
        if decoded is not None:
            return Decoded(_checked(decoded))
    repaired = _repaired_utf8(data)
    if repaired is not None:
        return Decoded(_checked(repaired), ("decode-repaired",))
    return Decoded(_checked(_guess(data)))


def check_size(data: bytes, limit: int) -> None:
    """Raise IngestError for a document over `limit` bytes or with nothing but whitespace."""
    if len(data) > limit:
        raise IngestError(f"{len(data):,} bytes is over the {describe_size(limit)} cap")
    if not data.strip():
        raise IngestError("empty document")


def is_wide_text(data: bytes) -> bool:
    """Whether bytes are UTF-16 or UTF-32 (a BOM, or NUL bytes in one position of each pair): such text cannot
    be split into lines as bytes."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return _utf16_without_bom(data) is not None


def decode_line(line: bytes) -> Decoded:
    """One line of a UTF-8 line-oriented file (JSONL): strict UTF-8, else a few bad bytes repaired in place
    ("decode-repaired"; JSONL is UTF-8 by definition, so no multi-byte evidence is asked for), else IngestError.
    No guessing: a legacy encoding is a property of a file, not a line."""
    try:
        return Decoded(line.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    repaired = _repaired_utf8(line, known_utf8=True)
    if repaired is None:
        raise IngestError("undecodable line: not valid UTF-8")
    return Decoded(repaired, ("decode-repaired",))


def _guess(data: bytes) -> str | None:
    guess = from_bytes(data[:65536]).best()
    if guess is None or guess.chaos > 0.2:
        raise IngestError("undecodable: not valid UTF-8 and no reliable encoding guess")
    return _decode(data, guess.encoding)


def _declared_in(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError, ValueError):
        return None


def _repaired_utf8(data: bytes, known_utf8: bool = False) -> str | None:
    """UTF-8 with U+FFFD for a few bad bytes, when the rest is UTF-8 with real multi-byte characters (or the
    format is UTF-8 by definition, `known_utf8`: a JSONL line)."""
    text = data.decode("utf-8", "replace")
    replacements = text.count("\ufffd")
    bad = replacements - data.count(b"\xef\xbf\xbd")
    if bad > max(_REPAIR_MAX_BAD, len(data) // 1000):
        return None
    if known_utf8:
        return text
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replacements
    return text if multibyte >= bad else None


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of BOM-less UTF-16 (LE or BE), told by NUL bytes in one position of each pair only."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls * 5 >= pairs and others * 100 <= pairs:
            text = _decode(data[: len(data) - len(data) % 2], encoding)
            return text if text is not None and _looks_like_text(text[:4096]) else None
    return None


def _looks_like_text(sample: str) -> bool:
    printable = sum(1 for char in sample if char.isprintable() or char in "\n\r\t")
    return "\x00" not in sample and printable >= 0.95 * len(sample)


def _checked(text: str | None) -> str:
    if text is None:
        raise IngestError("undecodable: the declared encoding does not fit the bytes")
    if not text.strip():
        raise IngestError("empty document")
    sample = text[:_SAMPLE]
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
