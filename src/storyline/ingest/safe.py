"""Strings that leave ingest are UTF-8-encodable: file names shown with escapes, lone surrogates replaced.

Linux lets a file name hold any bytes; Python hands undecodable ones over as lone surrogates
(surrogateescape), which the store cannot encode. `display_name` keeps such a name readable and unique
(`caf\\xe9.txt`) while the real path is still used to open the file. JSON `"\\ud800"` escapes and XML
character references give lone surrogates too; `replace_surrogates` turns them into U+FFFD.
"""

import os
import re

__all__ = ["display_name", "has_surrogates", "replace_surrogates"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(path: "str | os.PathLike[str]") -> str:
    """A UTF-8-encodable form of a path or URL for locations and messages: bad bytes as `\\xNN` escapes."""
    name = os.fspath(path)
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # surrogates that surrogateescape did not make (not from a file name)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def has_surrogates(text: str) -> bool:
    """Whether `text` holds a lone surrogate (which cannot be encoded to UTF-8)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if has_surrogates(text) else text
