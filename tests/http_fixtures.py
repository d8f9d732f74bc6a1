"""A small threaded HTTP server on 127.0.0.1 for integration tests: fixed routes, no network beyond loopback.

    with serve_routes({"/a": Route(b"<html>hi</html>")}) as base_url:
        httpx.get(base_url + "/a")

Paths not in the routes answer 404. The server speaks HTTP/1.0 and closes each connection after its answer.
Pass a list as `requests` to record every path asked for, in order.
"""

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Route", "serve_routes"]


@dataclass(frozen=True, slots=True)
class Route:
    """One canned answer: body, status, Content-Type (None: none), extra headers, whether to send a length.

    Without a Content-Length the body ends when the server closes the connection (HTTP/1.0).
    """

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    send_length: bool = True


_NOT_FOUND = Route(b"not found", status=404, content_type="text/plain")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (a fetcher stopping at its size cap) are expected: stay silent."""


def _handler_for(routes: Mapping[str, Route], requests: list[str] | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if requests is not None:
                requests.append(self.path)
            route = routes.get(self.path, _NOT_FOUND)
            self.send_response(route.status)
            if route.content_type is not None:
                self.send_header("Content-Type", route.content_type)
            for name, value in route.headers:
                self.send_header(name, value)
            if route.send_length:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output clean."""

    return Handler


@contextmanager
def serve_routes(routes: Mapping[str, Route], requests: list[str] | None = None) -> Iterator[str]:
    """Serve `routes` (path with query -> Route) on 127.0.0.1 and a free port; yield the base URL."""
    with serve_handler(_handler_for(routes, requests)) as base:
        yield base


@contextmanager
def serve_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 and a free port in a background thread; yield the base URL."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
