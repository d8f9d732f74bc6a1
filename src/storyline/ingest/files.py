"""Reading files and folders safely: regular files only, the size cap enforced while reading, no loops.

Choices:
* Only regular files (or symbolic links to them) are opened. A FIFO would block the open forever, a link to
  /dev/zero would never end, a socket cannot be opened: each is a Skip ("not a regular file: a FIFO"). The
  check is made with `os.stat` before opening, and again with `os.fstat` on a descriptor opened with
  O_NONBLOCK, so a file swapped for a FIFO in between cannot hang the read either.
* At most `max_bytes + 1` bytes are read, whatever the file claims to be.
* Folders are walked in sorted order (files of a folder first, then its subfolders), following symbolic
  links to folders but never entering the same folder twice, so a link loop ends.
"""

import errno
import os
import stat
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storyline.errors import IngestError
from storyline.ingest.compress import describe_size

__all__ = ["Entry", "open_regular_file", "read_capped_stream", "read_regular_file", "source_kind", "walk_folder"]

_CHUNK = 1 << 16
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A file found in a folder, or a subfolder that could not be read (`problem` says why)."""

    path: str  # the real path, for opening
    problem: str | None = None


def source_kind(path: str) -> str:
    """'folder' or 'file' for a path that exists; raises IngestError for a dangling link, a loop, ..."""
    return "folder" if stat.S_ISDIR(_stat(path).st_mode) else "file"


def _open_checked(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at `path`, opened without following it into a device or a FIFO, with
    its status; raises IngestError naming the problem (the descriptor is closed then)."""
    _check_regular(_stat(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise _os_problem(error) from error
    try:
        status = os.fstat(descriptor)
        _check_regular(status)
    except OSError as error:
        os.close(descriptor)
        raise _os_problem(error) from error
    except IngestError:
        os.close(descriptor)
        raise
    return descriptor, status


def read_regular_file(path: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_bytes`; raises IngestError naming the problem."""
    descriptor, status = _open_checked(path)
    try:
        if status.st_size > max_bytes:
            raise IngestError(f"{status.st_size:,} bytes is over the {describe_size(max_bytes)} cap")
        data = _read_descriptor(descriptor, max_bytes + 1)
    except OSError as error:
        raise _os_problem(error) from error
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # it grew while we read
        raise IngestError(f"more than {describe_size(max_bytes)}: over the cap")
    return data


def open_regular_file(path: str) -> BinaryIO:
    """A regular file opened for reading in binary, with the same checks as `read_regular_file` but no size cap:
    for archives (WARC) that are streamed record by record. Raises IngestError naming the problem."""
    return os.fdopen(_open_checked(path)[0], "rb")


def read_capped_stream(stream: BinaryIO, max_bytes: int) -> bytes:
    """At most `max_bytes` from a stream such as stdin; more is an IngestError."""
    try:
        data = stream.read(max_bytes + 1)
    except (OSError, ValueError) as error:  # ValueError: a closed stream
        raise IngestError(f"cannot read standard input: {error}") from error
    if len(data) > max_bytes:
        raise IngestError(f"more than {describe_size(max_bytes)}: over the cap")
    return data


def walk_folder(folder: str) -> Iterator[Entry]:
    """Non-hidden files under `folder`, sorted, subfolders after the files; each folder entered once."""
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            status = os.stat(current)
            names = sorted(os.listdir(current))
        except OSError as error:
            yield Entry(current, f"cannot read folder: {_reason(error)}")
            continue
        if (status.st_dev, status.st_ino) in seen:
            yield Entry(current, "folder already read (a symbolic link loop or a second link to it)")
            continue
        seen.add((status.st_dev, status.st_ino))
        folders = yield from _files_of(current, names)
        stack.extend(reversed(folders))


def _files_of(folder: str, names: list[str]) -> Generator[Entry, None, list[str]]:
    """Yield the files of one folder; return its subfolders."""
    folders: list[str] = []
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            folders.append(path)
        else:
            yield Entry(path)
    return folders


def _read_descriptor(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = os.read(descriptor, min(_CHUNK, remaining))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except ValueError as error:  # an embedded NUL character
        raise IngestError("invalid path: it contains a NUL character") from error
    except FileNotFoundError as error:
        if os.path.lexists(path):
            raise IngestError("dangling symbolic link (its target does not exist)") from error
        raise IngestError("no such file, folder or URL") from error
    except OSError as error:
        raise _os_problem(error) from error


def _check_regular(status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    kind = next((name for test, name in _KINDS if test(status.st_mode)), "a special file")
    raise IngestError(f"not a regular file: {kind}")


def _os_problem(error: OSError) -> IngestError:
    if error.errno == errno.ELOOP:
        return IngestError("symbolic link loop")
    return IngestError(f"cannot read file: {_reason(error)}")


def _reason(error: OSError) -> str:
    """'permission denied' from an OSError, lower-cased like our other reasons."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
