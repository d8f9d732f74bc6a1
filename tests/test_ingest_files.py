"""Files and folders under attack: FIFOs, devices, sockets, bad links, link loops, odd names, growing files."""

import errno
import io
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from http_fixtures import Route, serve_routes
from storyline.ingest import files
from storyline.ingest.fetch import FetchSettings, is_http_url
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.records import Document, Skip

ARTICLE = "Harbour Bridge Reopens\nThe Harbour Bridge reopened on Saturday after a two-year repair, officials said.\n"


def read(sources: list[str], stdin: bytes = b"", **settings: Any) -> list[Document | Skip]:
    """Ingest in a daemon thread so that a hang fails the test instead of blocking the run."""
    result: list[list[Document | Skip]] = []
    ingestor = Ingestor(IngestSettings(**settings), stdin=io.BytesIO(stdin))
    thread = threading.Thread(target=lambda: result.append(list(ingestor(sources))), daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert result, "ingest hung (or raised) instead of returning"
    for item in result[0]:  # everything that leaves ingest can be stored
        for value in (item.source, item.reason) if isinstance(item, Skip) else (item.source, item.location):
            value.encode("utf-8")
    return result[0]


def reasons(items: list[Document | Skip]) -> dict[str, str]:
    return {Path(i.source).name: i.reason for i in items if isinstance(i, Skip)}


def test_a_fifo_in_a_folder_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(ARTICLE)
    items = read([str(tmp_path)])
    assert reasons(items) == {"pipe.txt": "not a regular file: a FIFO"}
    assert [Path(i.location).name for i in items if isinstance(i, Document)] == ["good.txt"]


def test_a_fifo_named_directly_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.html")
    (skip,) = read([str(tmp_path / "pipe.html")])
    assert isinstance(skip, Skip) and skip.reason == "not a regular file: a FIFO"


def test_a_link_to_a_device_is_skipped(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    (skip,) = read([str(tmp_path / "zero.txt")])
    assert isinstance(skip, Skip) and skip.reason == "not a regular file: a character device"


def test_a_socket_is_skipped(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.txt"))
        (skip,) = read([str(tmp_path / "s.txt")])
    finally:
        server.close()
    assert isinstance(skip, Skip) and skip.reason == "not a regular file: a socket"


def test_dangling_links_and_link_loops_are_skips(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    items = read([str(tmp_path)])
    assert reasons(items) == {
        "dangling.txt": "dangling symbolic link (its target does not exist)",
        "loop.txt": "symbolic link loop",
    }
    (skip,) = read([str(tmp_path / "dangling.txt")])
    assert isinstance(skip, Skip) and skip.reason == "dangling symbolic link (its target does not exist)"


def test_folder_link_loops_end_and_each_file_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text(ARTICLE)
    (tmp_path / "news" / "deep" / "b.txt").write_text(ARTICLE)
    os.symlink(tmp_path / "news", tmp_path / "news" / "deep" / "up")
    items = read([str(tmp_path / "news")])
    assert [Path(i.location).name for i in items if isinstance(i, Document)] == ["a.txt", "b.txt"]
    assert reasons(items) == {"up": "folder already read (a symbolic link loop or a second link to it)"}


def test_a_link_to_a_folder_elsewhere_is_followed(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.txt").write_text(ARTICLE)
    (tmp_path / "news").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "news" / "linked")
    (doc,) = read([str(tmp_path / "news")])
    assert isinstance(doc, Document) and doc.location.endswith("linked/a.txt")


def test_the_cap_is_enforced_while_reading_even_if_the_size_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    path.write_text("word " * 100_000)
    taken: list[int] = []
    real_read, real_fstat = os.read, os.fstat

    def counting_read(descriptor: int, size: int) -> bytes:
        chunk = real_read(descriptor, size)
        taken.append(len(chunk))
        return chunk

    def small_fstat(descriptor: int) -> os.stat_result:
        status = list(real_fstat(descriptor))
        status[6] = 10  # st_size: the file claims 10 bytes (as /proc files and growing files do)
        return os.stat_result(status)

    monkeypatch.setattr(files.os, "read", counting_read)
    monkeypatch.setattr(files.os, "fstat", small_fstat)
    (skip,) = read([str(path)], max_bytes=1000)
    assert isinstance(skip, Skip) and skip.reason == "more than 1,000 bytes: over the cap"
    assert sum(taken) == 1001


def test_stdin_is_read_only_up_to_the_cap() -> None:
    stream = io.BytesIO(b"word " * 10_000)
    (skip,) = Ingestor(IngestSettings(max_bytes=1000), stdin=stream)(["-"])
    assert isinstance(skip, Skip) and skip.reason == "more than 1,000 bytes: over the cap"
    assert stream.tell() == 1001


def test_permission_denied_is_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "secret.txt").write_text(ARTICLE)

    def refuse(*args: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "open", refuse)
    (skip,) = read([str(tmp_path / "secret.txt")])
    assert isinstance(skip, Skip) and skip.reason == "cannot read file: permission denied"


def test_an_unreadable_subfolder_is_a_skip_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    real_listdir: Callable[[str], list[str]] = os.listdir

    def listdir(path: str) -> list[str]:
        if path.endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_listdir(path)

    monkeypatch.setattr(files.os, "listdir", listdir)
    items = read([str(tmp_path)])
    assert [type(i).__name__ for i in items] == ["Document", "Skip"]
    assert reasons(items) == {"locked": "cannot read folder: permission denied"}


def test_file_names_with_undecodable_bytes_become_encodable_locations(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xe9.txt", "wb") as good:
        good.write(ARTICLE.encode())
    with open(folder + b"/bad\xff.txt", "wb") as bad:
        bad.write(b"")
    items = read([str(tmp_path)])
    assert [type(i).__name__ for i in items] == ["Skip", "Document"]
    assert items[0].source.endswith("bad\\xff.txt")
    assert isinstance(items[1], Document) and items[1].location.endswith("caf\\xe9.txt")
    assert items[1].content == ARTICLE


def test_a_path_with_a_nul_character_is_a_skip() -> None:
    (skip,) = read(["bad\x00name.txt"])
    assert isinstance(skip, Skip) and skip.reason == "invalid path: it contains a NUL character"


def test_url_schemes_are_case_insensitive() -> None:
    assert is_http_url("HTTP://example.com/x") and is_http_url("Https://example.com/")
    assert not is_http_url("httpx://example.com") and not is_http_url("file:///etc/passwd")
    page = f"<html><body><p>{ARTICLE}</p></body></html>".encode()
    fetch = FetchSettings(allow_private=True, respect_robots=False)
    with serve_routes({"/a": Route(page)}) as base:
        (doc,) = read([base.replace("http://", "HTTP://") + "/a"], fetch=fetch)
    assert isinstance(doc, Document) and doc.media_type == "html"
