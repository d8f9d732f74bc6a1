"""Fetch one URL for ingest, checking addresses on every hop, robots.txt, the size and the content type.

Choices:
* Only http and https. Before each connection (first URL, every redirect hop, robots.txt) the host is
  resolved and refused if any address is private, loopback, link-local, reserved, multicast, unspecified or
  otherwise not global, unless `allow_private`. IPv4-mapped and 6to4 IPv6 addresses are judged (and named
  in errors) by the IPv4 address inside; numeric hosts (`10.0.0.1`, `[::1]`, `2130706433`) skip DNS.
* Redirects are followed by hand so that each hop is checked; more than `max_redirects` hops fail.
* `timeout` bounds each connect and read; `deadline` bounds the whole fetch with its redirects, checked per
  hop and per body chunk. httpx has no overall timeout, so the client the Fetcher builds connects through an
  httpcore network backend that cuts every connect, TLS handshake, write and read to the time left before the
  current fetch's deadline: a server that drips its headers (or body) a byte at a time is stopped at the
  deadline too. robots.txt is a fetch with its own deadline. With a client passed in, or through a proxy taken
  from the environment, the deadline is checked per hop and per body chunk only.
* The body is streamed and counted after content decoding (a gzip bomb stops at the cap too); a Content-Length
  over the cap, or a declared type outside `accept`, fails before any body is read.
* A body without Content-Type is sniffed from its first element: an HTML doctype or an html/head/body root
  gives `text/html`; an rss, feed or rdf:RDF root gives the feed type; another document starting `<?xml`
  gives `application/xml`. Anything else without a type fails.
* robots.txt is read once per origin (scheme, host, port), cached on the Fetcher and cut at 512 KiB (RFC 9309
  lets a crawler ignore the rest). A 404 or other 4xx means allowed, except 401 and 403, which mean disallowed
  (`urllib.robotparser`'s convention; RFC 9309 itself would allow them). A 5xx, a network error or a refused
  redirect means disallowed, as RFC 9309 says for an unreachable robots.txt, and the error says why.

Known limitation, DNS rebinding: we resolve the host for the check and httpx resolves it again to connect, so
a name server that answers a public address first and a private one next gets past the check. A stricter
implementation connects to the very address it checked: a custom transport (httpcore network backend) that
resolves once, vets the addresses and opens the socket to one of them while keeping the host name for the Host
header and TLS SNI; or it checks the connected socket's peer address before sending; or it sends all traffic
through an egress proxy that enforces the policy. A proxy taken from the environment (httpx `trust_env`)
likewise resolves names on its own.
"""

import contextvars
import dataclasses
import datetime as dt
import email.utils
import ipaddress
import logging
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from storyline.errors import FetchError

__all__ = ["FEED_TYPES", "PAGE_TYPES", "Conditional", "FetchSettings", "Fetched", "Fetcher", "is_http_url"]

logger = logging.getLogger(__name__)

_XML_FEEDS = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
FEED_TYPES = frozenset((*_XML_FEEDS, "application/feed+json", "application/json"))
PAGE_TYPES = FEED_TYPES | {"text/html", "application/xhtml+xml", "text/plain"}

_ROBOTS_MAX_BYTES = 512 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)  # httpx counts a 304 as a redirect too
_ROBOTS_DISALLOW_STATUSES = (401, 403)
_SNIFF_BYTES = 1024
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.DOTALL)
_ROOT = re.compile(rb"\s*<([a-z][a-z0-9:._-]*)")
_ROOT_TYPES = {
    b"rss": "application/rss+xml",
    b"feed": "application/atom+xml",
    b"rdf:rdf": "application/rdf+xml",
}
_HTML_ROOTS = (b"html", b"head", b"body")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


_T = TypeVar("_T")

# The time.monotonic() value the request in flight in this thread must finish by (None: no deadline).
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("fetch_deadline", default=None)


class _PastDeadline(Exception):
    """The deadline passed while connecting, sending or reading; `_send` turns it into a FetchError."""


@contextmanager
def _until(deadline: float) -> Iterator[None]:
    """Network operations of this thread, inside the block, wait no later than `deadline`."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _within_deadline(operation: Callable[[float | None], _T], timeout: float | None) -> _T:
    """Run `operation(timeout)` with the timeout cut to the time left before the current deadline.

    Raises _PastDeadline when the deadline has passed or the cut timeout expires.
    """
    deadline = _DEADLINE.get()
    if deadline is None:
        return operation(timeout)
    left = deadline - time.monotonic()
    if left <= 0:
        raise _PastDeadline
    if timeout is not None and timeout < left:
        return operation(timeout)
    try:
        return operation(left)
    except httpcore.TimeoutException as error:
        raise _PastDeadline from error


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every wait ends at the current deadline (see `_within_deadline`)."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within_deadline(lambda cut: self._stream.read(max_bytes, cut), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within_deadline(lambda cut: self._stream.write(buffer, cut), timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            _within_deadline(lambda cut: self._stream.start_tls(ssl_context, server_hostname, cut), timeout)
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend with `_DeadlineStream` connections."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        def connect(cut: float | None) -> httpcore.NetworkStream:
            return self._backend.connect_tcp(host, port, cut, local_address, socket_options)

        return _DeadlineStream(_within_deadline(connect, timeout))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            _within_deadline(lambda cut: self._backend.connect_unix_socket(path, cut, socket_options), timeout)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's default transport (same limits and TLS settings) over `_DeadlineBackend`."""

    def __init__(self) -> None:
        super().__init__()
        limits = httpx.Limits()  # httpx's defaults, which HTTPTransport() uses
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


def is_http_url(text: str) -> bool:
    """Whether `text` is an http or https URL by its scheme, in any case (`HTTP://`, `Https://`)."""
    return text[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How the Fetcher talks to the network."""

    timeout: float = 10.0  # seconds, connect/read
    deadline: float = 60.0  # seconds for one whole fetch, redirects included
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    allow_private: bool = False  # non-public addresses (private, loopback, ...) are refused unless True
    respect_robots: bool = True
    user_agent: str = "storyline/0.1 (news brief builder)"
    host_delay: float = 0.0  # seconds between two requests to one host (the watcher sets it)

    def __post_init__(self) -> None:
        invalid = self.max_redirects < 0 or self.max_bytes < 1 or self.host_delay < 0 or not self.user_agent
        if min(self.timeout, self.deadline) <= 0 or invalid:
            need = "timeout > 0, deadline > 0, max_redirects >= 0, max_bytes >= 1, host_delay >= 0, a user agent"
            raise ValueError(f"invalid {self!r}: need {need}")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body with where it came from and what it claims to be."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    content: bytes
    media_type: str  # lower-cased, without parameters: "text/html", "application/rss+xml", ...
    charset: str | None  # from the Content-Type header, if any


@dataclass(frozen=True, slots=True)
class Conditional:
    """A conditional fetch (If-None-Match / If-Modified-Since): the body, or None when the server answered 304."""

    fetched: Fetched | None  # None: not modified
    etag: str | None  # the validators to send next time
    last_modified: str | None
    moved_to: str | None  # the URL reached through permanent redirects (301 / 308) only: store it instead


@dataclass(frozen=True, slots=True)
class _Body:
    url: httpx.URL
    status: int
    reason: str
    content_type: str | None
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)  # ETag, Last-Modified, Retry-After when present
    moved_to: httpx.URL | None = None  # the last URL reached through permanent redirects only


@dataclass(frozen=True, slots=True)
class _Redirect:
    url: httpx.URL
    permanent: bool  # 301 / 308


def _default_resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _literal_address(host: str) -> IPAddress | None:
    """The address a numeric host stands for: IPv6 zones dropped, inet_aton forms such as 2130706433 read."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host[:1].isdigit() and set(host) <= set("0123456789abcdefx."):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped or 6to4 IPv6 address; other addresses unchanged."""
    if isinstance(address, ipaddress.IPv6Address):
        return address.ipv4_mapped or address.sixtofour or address
    return address


def _address_kind(address: IPAddress) -> str | None:
    """Why an address is refused ("loopback", "private", ...), or None for a public address."""
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if address.is_global else "non-global"


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into a lower-cased media type and charset."""
    if not value or not value.split(";", 1)[0].strip():
        return None, None
    media_type, *params = (part.strip() for part in value.split(";"))
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset" and raw.strip().strip("\"'"):
            charset = raw.strip().strip("\"'").lower()
    return media_type.lower(), charset


def _sniff_media_type(content: bytes) -> str | None:
    """Guess a media type from the first element of a body without Content-Type; None when unsure."""
    head = content[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lower()
    is_xml = head.lstrip().startswith(b"<?xml")
    position = 0
    while (prolog := _PROLOG.match(head, position)) is not None:
        if prolog.group().lstrip().startswith(b"<!doctype html"):
            return "text/html"
        position = prolog.end()
    root = _ROOT.match(head, position)
    if root is None:
        return None
    if root.group(1) in _HTML_ROOTS:
        return "text/html"
    return _ROOT_TYPES.get(root.group(1), "application/xml" if is_xml else None)


class Fetcher:
    """Holds one httpx.Client and a per-origin robots.txt cache (an attribute, not a global)."""

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),  # noqa: B008 - frozen, so a shared default is safe
        client: httpx.Client | None = None,
        resolve: Callable[[str], list[str]] | None = None,
    ) -> None:
        """Use `client` if given (its owner closes it), else build one; `resolve` maps a host to addresses."""
        self.settings = settings
        self._owns_client = client is None
        self._client = client or httpx.Client(
            timeout=settings.timeout, follow_redirects=False, transport=_DeadlineTransport()
        )
        self._resolve = resolve or _default_resolve
        # origin -> its robots.txt rules, or why robots.txt could not be read (which means disallow)
        self._robots: dict[str, RobotFileParser | str] = {}
        self._last_request: dict[str, float] = {}  # host -> time.monotonic() of its last request (host_delay)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this Fetcher created it."""
        if self._owns_client:
            self._client.close()

    def fetch(self, url: str, accept: frozenset[str] = PAGE_TYPES) -> Fetched:
        """Fetch `url`, following redirects, and return its body.

        Args:
            url: an http or https URL.
            accept: the media types to accept (PAGE_TYPES, FEED_TYPES or your own set).

        Raises:
            FetchError: bad scheme, refused address, robots.txt, too many redirects, HTTP status >= 400,
                a content type outside `accept`, a body over `max_bytes`, a timeout or a network error.
        """
        return self._fetched(self._get(url, accept, time.monotonic() + self.settings.deadline), url, accept)

    def fetch_conditional(
        self, url: str, accept: frozenset[str] = FEED_TYPES, etag: str | None = None, last_modified: str | None = None
    ) -> Conditional:
        """Fetch `url` unless it is unchanged since the validators (`etag`, `last_modified`) were given.

        Raises FetchError like `fetch`; for 429 and 503 its `retry_after` holds the seconds the server asked
        for (Retry-After in seconds or as an HTTP date), and `status` the HTTP status of any error answer.
        """
        extra = {"If-None-Match": etag} if etag else {}
        if last_modified:
            extra["If-Modified-Since"] = last_modified
        body = self._get(url, accept, time.monotonic() + self.settings.deadline, extra)
        moved = str(body.moved_to) if body.moved_to is not None else None
        if body.status == 304:
            return Conditional(
                None, body.headers.get("etag", etag), body.headers.get("last-modified", last_modified), moved
            )
        fetched = self._fetched(body, url, accept)
        return Conditional(fetched, body.headers.get("etag"), body.headers.get("last-modified"), moved)

    def _fetched(self, body: _Body, url: str, accept: frozenset[str]) -> Fetched:
        where = _where(body.url, url)
        if body.status >= 400:
            status = f"{body.status} {body.reason}".strip()
            retry = _retry_after(body.headers.get("retry-after")) if body.status in (429, 503) else None
            wait = f"; asked to retry after {retry:g} s" if retry is not None else ""
            raise FetchError(f"HTTP {status} for {where}{wait}", url=url, status=body.status, retry_after=retry)
        media_type, charset = _parse_content_type(body.content_type)
        if media_type is None:
            media_type = _sniff_media_type(body.content)
            if media_type is None:
                message = f"{where} has no Content-Type and does not look like HTML or a feed"
                raise FetchError(message, url=url)
            logger.debug("no Content-Type at %s; sniffed %s", body.url, media_type)
        _check_type(media_type, accept, body.url, url)
        logger.info("fetched %s (%d bytes, %s)", body.url, len(body.content), media_type)
        return Fetched(url, str(body.url), body.content, media_type, charset)

    def _get(
        self, url: str, accept: frozenset[str] | None, deadline: float, extra: dict[str, str] | None = None
    ) -> _Body:
        """GET with a checked hop per redirect; `accept=None` means a robots.txt request. The body records the
        last URL reached through permanent redirects only (`moved_to`)."""
        target = self._parse_url(url, url)
        moved: httpx.URL | None = None
        permanent_so_far = True
        for hop in range(self.settings.max_redirects + 1):
            self._check_address(target, url)
            if accept is not None and self.settings.respect_robots:
                self._check_robots(target, url)
            if time.monotonic() >= deadline:
                raise self._late(target, url)
            result = self._send(target, url, accept, deadline, extra)
            if isinstance(result, _Body):
                return result if moved is None else dataclasses.replace(result, moved_to=moved)
            logger.debug("redirect %d for %s: %s", hop + 1, url, result.url)
            permanent_so_far = permanent_so_far and result.permanent
            if hop < self.settings.max_redirects:
                target = self._parse_url(str(result.url), url)
                moved = target if permanent_so_far else moved
        message = f"more than {self.settings.max_redirects} redirects for {url} (the last to {result.url})"
        raise FetchError(message, url=url)

    def _pace(self, target: httpx.URL) -> None:
        """Wait until `host_delay` has passed since the last request to this host."""
        if self.settings.host_delay <= 0:
            return
        host = target.host
        wait = self._last_request.get(host, -float("inf")) + self.settings.host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _send(
        self,
        target: httpx.URL,
        url: str,
        accept: frozenset[str] | None,
        deadline: float,
        extra: dict[str, str] | None = None,
    ) -> "_Body | _Redirect":
        """One request: the redirect target, or the response with its body (none for status >= 400)."""
        self._pace(target)
        timeout = min(self.settings.timeout, deadline - time.monotonic())  # no read waits past the deadline
        headers = {"User-Agent": self.settings.user_agent, "Accept": ", ".join(sorted(accept or ())) or "*/*"}
        headers |= extra or {}
        request = self._client.build_request("GET", target, headers=headers, timeout=timeout)
        limit = self.settings.max_bytes if accept is not None else _ROBOTS_MAX_BYTES
        try:
            with _until(deadline):  # no connect, header or body read of this request waits past the deadline
                response = self._client.send(request, stream=True, follow_redirects=False)
                try:
                    if response.status_code in _REDIRECTS and "Location" in response.headers:
                        location = target.join(response.headers["Location"])
                        return _Redirect(location, response.status_code in (301, 308))
                    content = b""
                    if response.status_code < 400:
                        if accept is not None:
                            self._check_declared(response, accept, target, url)
                        content = _read_capped(response, limit, deadline)
                finally:
                    response.close()
        except (_PastDeadline, httpx.TimeoutException) as error:
            if isinstance(error, _PastDeadline) or timeout < self.settings.timeout:  # the deadline, not timeout
                raise self._late(target, url) from error
            message = f"timed out after {self.settings.timeout:g}s fetching {_where(target, url)}"
            raise FetchError(message, url=url) from error
        except (httpx.RequestError, httpx.InvalidURL) as error:
            reason = str(error) or type(error).__name__
            raise FetchError(f"could not fetch {_where(target, url)}: {reason}", url=url) from error
        if len(content) > limit:
            if accept is not None:
                raise FetchError(f"{_where(target, url)} is over the {limit}-byte limit", url=url)
            content = content[:limit]  # RFC 9309: a crawler may ignore robots.txt beyond its limit
        kept = {k: response.headers[k] for k in ("etag", "last-modified", "retry-after") if k in response.headers}
        return _Body(
            target, response.status_code, response.reason_phrase, response.headers.get("Content-Type"), content, kept
        )

    def _late(self, target: httpx.URL, url: str) -> FetchError:
        return FetchError(f"fetching {_where(target, url)} took longer than {self.settings.deadline:g} s", url=url)

    def _check_declared(self, response: httpx.Response, accept: frozenset[str], target: httpx.URL, url: str) -> None:
        """Reject before reading the body: a declared type outside `accept`, a Content-Length over the cap."""
        media_type, _ = _parse_content_type(response.headers.get("Content-Type"))
        if media_type is not None:
            _check_type(media_type, accept, target, url)
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self.settings.max_bytes:
            where = _where(target, url)
            limit = self.settings.max_bytes
            raise FetchError(f"{where} declares {declared} bytes, over the {limit}-byte limit", url=url)

    def _parse_url(self, raw: str, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(raw)
            host = parsed.host  # decoding an IDNA host can fail too
        except (httpx.InvalidURL, UnicodeError) as error:  # UnicodeError: idna.IDNAError, lone surrogates
            raise FetchError(f"invalid URL {raw!r}: {error}", url=url) from error
        if parsed.scheme not in ("http", "https"):
            message = f"refused {raw}: only http and https URLs are fetched, not {parsed.scheme or 'no scheme'}"
            raise FetchError(message, url=url)
        if not host:
            raise FetchError(f"refused {raw}: the URL has no host", url=url)
        return parsed

    def _check_address(self, target: httpx.URL, url: str) -> None:
        """Refuse a host with any non-public address (unless allow_private)."""
        if self.settings.allow_private:
            return
        literal = _literal_address(target.host)
        addresses = [literal] if literal is not None else self._resolve_host(target, url)
        for address in map(_unwrap, addresses):
            kind = _address_kind(address)
            if kind is not None:
                where = _where(target, url)
                message = f"refused private address {address} ({kind}) for {where} (use --allow-private)"
                raise FetchError(message, url=url)

    def _resolve_host(self, target: httpx.URL, url: str) -> list[IPAddress]:
        message = f"could not resolve {target.host} for {_where(target, url)}"
        try:
            found = self._resolve(target.host)
        except (OSError, UnicodeError) as error:  # UnicodeError: a label the idna codec refuses
            raise FetchError(f"{message}: {error}", url=url) from error
        if not found:
            raise FetchError(message, url=url)
        return [ipaddress.ip_address(address.split("%", 1)[0]) for address in found]

    def _check_robots(self, target: httpx.URL, url: str) -> None:
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        where = _where(target, url)
        if isinstance(rules, str):
            message = f"{rules}; RFC 9309 reads that as disallow-all, so {where} was not fetched"
            raise FetchError(message, url=url)
        if not rules.can_fetch(self.settings.user_agent, str(target)):
            agent = self.settings.user_agent.split("/", 1)[0]
            raise FetchError(f"robots.txt of {origin} disallows {where} for {agent}", url=url)

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        """The parsed robots.txt of an origin, or why it could not be read."""
        robots_url = f"{origin}/robots.txt"
        try:
            body = self._get(robots_url, None, time.monotonic() + self.settings.deadline)
        except FetchError as error:
            return str(error)
        logger.debug("robots.txt of %s: HTTP %d", origin, body.status)
        if body.status >= 500:
            return f"{robots_url} answered HTTP {body.status}"
        parser = RobotFileParser(robots_url)
        if body.status in _ROBOTS_DISALLOW_STATUSES:
            parser.parse(["User-agent: *", "Disallow: /"])
        else:  # a 2xx gives the rules; any other 4xx gives none, which allows everything
            lines = body.content.decode("utf-8", errors="replace").splitlines()
            parser.parse(lines if body.status < 400 else [])
        return parser


def _read_capped(response: httpx.Response, limit: int, deadline: float) -> bytes:
    """The decoded body, read until it ends or grows past `limit` (the caller decides what that means).

    Raises _PastDeadline when `deadline` (a time.monotonic() value) passes first.
    """
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
        if time.monotonic() >= deadline:
            raise _PastDeadline
    return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date (None when absent or unreadable)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _check_type(media_type: str, accept: frozenset[str], target: httpx.URL, url: str) -> None:
    if media_type not in accept:
        wanted = ", ".join(sorted(accept))
        raise FetchError(f"{_where(target, url)} is {media_type}, not one of: {wanted}", url=url)


def _where(target: httpx.URL, url: str) -> str:
    """Name the URL in a message, with the URL first asked for when a redirect led elsewhere."""
    return url if target == httpx.URL(url) else f"{target} (redirected from {url})"
