"""Compressed inputs -> bytes: gzip, bzip2 and xz are decompressed, zstd is refused; sniffed by magic bytes.

Choices:
* The format is told by the first bytes, not the file name: a `.html` that holds gzip is read, a `.gz` that
  holds plain text is read as it is.
* Decompression streams with the cap enforced on the *output* (a 10 KB bomb that inflates to 10 GB stops
  after `limit + 1` bytes), so memory stays bounded by the cap.
* Every member of a multi-member file is read (`cat a.gz b.gz`, pigz, bgzip). NUL padding after the last
  member is ignored (tape and block tools add it); other trailing bytes mean corrupt data.
* A stream that ends before its end marker is "truncated" and refused whole: a cut-off article would pass
  for a complete one.
* zstd is not in the Python 3.11 standard library, so it is refused with a reason rather than guessed at.
"""

import bz2
import lzma
import zlib
from collections.abc import Callable
from typing import Protocol

from storyline.errors import IngestError

__all__ = ["compression_of", "decompress", "describe_size"]

_GZIP_MAGIC = b"\x1f\x8b"
_BZIP2_MAGIC = b"BZh"
_BZIP2_BLOCK = b"\x31\x41\x59\x26\x53\x59"  # the first block's magic, after the level digit
_XZ_MAGIC = b"\xfd7zXZ\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class _Member(Protocol):
    """One compressed member being read: the part of zlib/bz2/lzma decompressor objects we use."""

    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    @property
    def needs_input(self) -> bool: ...

    def decompress(self, data: bytes, max_length: int) -> bytes: ...


class _GzipMember:
    """A zlib decompressor for one gzip member, shaped like the bz2/lzma ones (which buffer their input)."""

    def __init__(self) -> None:
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._tail = b""
        self.needs_input = False

    @property
    def eof(self) -> bool:
        return self._inflate.eof

    @property
    def unused_data(self) -> bytes:
        return self._inflate.unused_data

    def decompress(self, data: bytes, max_length: int) -> bytes:
        out = self._inflate.decompress(self._tail + data, max_length)
        self._tail = self._inflate.unconsumed_tail
        self.needs_input = not out and not self._tail and not self._inflate.eof
        return out


_FORMATS: dict[str, tuple[bytes, Callable[[], _Member]]] = {
    "gzip": (_GZIP_MAGIC, _GzipMember),
    "bzip2": (_BZIP2_MAGIC, bz2.BZ2Decompressor),
    "xz": (_XZ_MAGIC, lzma.LZMADecompressor),
}


def describe_size(size: int) -> str:
    """'10 MB' for whole mebibytes, else '1,000 bytes'."""
    return f"{size // 2**20} MB" if size >= 2**20 and size % 2**20 == 0 else f"{size:,} bytes"


def compression_of(data: bytes) -> str | None:
    """'gzip', 'bzip2', 'xz' or 'zstd' when the bytes start with that format's magic, else None."""
    if data.startswith(_GZIP_MAGIC):
        return "gzip"
    if data.startswith(_BZIP2_MAGIC) and data[3:4].isdigit() and data[4:10] == _BZIP2_BLOCK:
        return "bzip2"
    if data.startswith(_XZ_MAGIC):
        return "xz"
    if data.startswith(_ZSTD_MAGIC):
        return "zstd"
    return None


def decompress(data: bytes, limit: int) -> bytes:
    """The decompressed bytes when `data` is compressed (else `data` itself), refusing output over `limit`.

    Raises IngestError: "truncated gzip data", "corrupt gzip data: ...", "decompressed size over the ... cap",
    "zstd-compressed data is not supported".
    """
    kind = compression_of(data)
    if kind is None:
        return data
    if kind == "zstd":
        raise IngestError("zstd-compressed data is not supported (decompress it first)")
    magic, new_member = _FORMATS[kind]
    try:
        return _members(data, limit, kind, magic, new_member)
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError) as error:  # bz2 raises OSError
        raise IngestError(f"corrupt {kind} data: {error}") from error


def _members(data: bytes, limit: int, kind: str, magic: bytes, new_member: Callable[[], _Member]) -> bytes:
    """Read members until the input ends; each must reach its end marker."""
    out = bytearray()
    while True:
        member = new_member()
        _read_member(member, data, out, limit, kind)
        data = member.unused_data
        if not data.strip(b"\x00"):
            return bytes(out)
        if not data.startswith(magic):
            raise IngestError(f"corrupt {kind} data: {len(data):,} bytes of trailing garbage")


def _read_member(member: _Member, data: bytes, out: bytearray, limit: int, kind: str) -> None:
    pending = data
    while not member.eof:
        chunk = member.decompress(pending, limit - len(out) + 1)
        pending = b""
        out += chunk
        if len(out) > limit:
            raise IngestError(f"decompressed size over the {describe_size(limit)} cap")
        if member.needs_input and not member.eof:
            raise IngestError(f"truncated {kind} data")
