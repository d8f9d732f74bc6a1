"""A real Postgres server for the tests, started by the tests themselves.

Debian's `postgresql` package provides initdb and pg_ctl (installed with apt-get when missing, as tests/browser.py
installs Chromium). initdb refuses to run as root, so as root the server runs as `nobody` in a temporary
directory it owns. It listens on a free loopback port with trust authentication, fsync off (a test server), and
each test gets a database of its own (`create_database`).
"""

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

BIN_GLOB = "/usr/lib/postgresql/*/bin"
USER = "nobody"  # the unprivileged account the server runs as when the tests run as root


def find_bin() -> Path | None:
    """The newest installed Postgres bin folder holding initdb and pg_ctl."""
    found = [p for p in Path("/").glob(BIN_GLOB.lstrip("/")) if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, default=None)


def ensure_postgres() -> tuple[Path | None, str | None]:
    """(bin folder, None) when Postgres is installed or could be installed; else (None, why not)."""
    found = find_bin()
    if found is not None:
        return found, None
    if not shutil.which("apt-get"):
        return None, "Postgres (initdb, pg_ctl) is missing and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "Postgres is missing and installing it needs root (apt-get install postgresql)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "postgresql"]):
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"installing Postgres failed: {error}"
        if done.returncode != 0:
            return None, f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}"
    found = find_bin()
    return (found, None) if found else (None, f"apt-get installed postgresql but no {BIN_GLOB}/initdb was found")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One server in a temporary directory; `stop` removes it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            account = pwd.getpwnam(USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        self.started = False

    def _run(self, *command: str, timeout: float = 120) -> None:
        done = subprocess.run(
            command,
            cwd=self.root,
            env={**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(self.root)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._as,
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()[-1500:]}\n{tail}")

    def start(self) -> None:
        initdb, pg_ctl = str(self.bin_dir / "initdb"), str(self.bin_dir / "pg_ctl")
        self._run(initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
        )
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
        self.started = True
        atexit.register(self.stop)

    def stop(self) -> None:
        if self.started:
            self.started = False
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):  # already gone: nothing to stop
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def start_server() -> tuple[PostgresServer | None, str | None]:
    """A started server, or (None, why it cannot be started)."""
    try:
        import psycopg  # noqa: F401 - the store needs it: without it there is nothing to test
    except ImportError:
        return None, "psycopg is not installed (make install installs it with the dev group)"
    bin_dir, why = ensure_postgres()
    if bin_dir is None:
        return None, why
    server = PostgresServer(bin_dir)
    started = time.monotonic()
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        server.stop()
        return None, f"the test Postgres server did not start ({time.monotonic() - started:.0f} s): {error}"
    return server, None
