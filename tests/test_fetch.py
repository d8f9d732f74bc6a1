"""Tests for storyline.ingest.fetch: a mock transport and fake DNS for units, a loopback server at the end."""

import gzip
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from http_fixtures import Route, serve_handler, serve_routes
from storyline.errors import FetchError
from storyline.ingest.fetch import FEED_TYPES, PAGE_TYPES, Fetched, Fetcher, FetchSettings

PUBLIC = "93.184.216.34"
HTML = b"<!doctype html><html><head><title>T</title></head><body><p>Story.</p></body></html>"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title></channel></rss>'

Reply = Route | Callable[[httpx.Request], httpx.Response]


class FakeWeb:
    """Canned replies per full URL (404 otherwise), fake DNS, logs of requested URLs and resolved hosts."""

    def __init__(self, routes: dict[str, Reply], dns: dict[str, list[str]] | None = None) -> None:
        self.routes = routes
        self.dns = dns or {}
        self.requested: list[str] = []
        self.resolved: list[str] = []
        self.headers: list[httpx.Headers] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(str(request.url))
        self.headers.append(request.headers)
        reply = self.routes.get(str(request.url), Route(b"nope", status=404, content_type="text/plain"))
        if not isinstance(reply, Route):
            return reply(request)
        headers = list(reply.headers)
        if reply.content_type is not None:
            headers.append(("Content-Type", reply.content_type))
        return httpx.Response(reply.status, headers=headers, content=reply.body)

    def resolve(self, host: str) -> list[str]:
        self.resolved.append(host)
        return self.dns.get(host, [PUBLIC])

    def fetcher(self, **settings: object) -> Fetcher:
        client = httpx.Client(transport=httpx.MockTransport(self.handle))
        return Fetcher(FetchSettings(**settings), client=client, resolve=self.resolve)  # type: ignore[arg-type]


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, content_type=None, headers=(("Location", location),))


def fetch_error(web: FakeWeb, url: str, accept: frozenset[str] = PAGE_TYPES, **settings: object) -> str:
    with web.fetcher(**settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(url, accept)
    assert caught.value.url == url
    return str(caught.value)


# --- success and content types ------------------------------------------------------------------------------


def test_fetch_returns_body_media_type_and_charset() -> None:
    web = FakeWeb({"https://news.example/story": Route(HTML, content_type='Text/HTML; Charset="UTF-8"')})
    with web.fetcher() as fetcher:
        fetched = fetcher.fetch("https://news.example/story")
    assert fetched == Fetched(
        url="https://news.example/story",
        final_url="https://news.example/story",
        content=HTML,
        media_type="text/html",
        charset="utf-8",
    )


def test_fetch_sends_user_agent_and_accept_headers() -> None:
    web = FakeWeb({"https://news.example/feed": Route(RSS, content_type="application/rss+xml")})
    with web.fetcher(user_agent="tester/9") as fetcher:
        fetched = fetcher.fetch("https://news.example/feed", FEED_TYPES)
    assert fetched.charset is None
    page_headers = web.headers[-1]
    assert page_headers["User-Agent"] == "tester/9"
    assert "application/rss+xml" in page_headers["Accept"]
    assert "text/html" not in page_headers["Accept"]


def test_wrong_content_type_is_refused_before_the_body_is_read() -> None:
    read: list[bytes] = []

    def png(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            read.append(b"x")
            yield b"\x89PNG"

        return httpx.Response(200, headers={"Content-Type": "image/png"}, content=body())

    web = FakeWeb({"https://news.example/pic": png})
    message = fetch_error(web, "https://news.example/pic")
    assert "image/png" in message
    assert "not one of" in message
    assert read == []


def test_feed_types_refuse_an_html_page() -> None:
    web = FakeWeb({"https://news.example/feed": Route(HTML)})
    assert "text/html" in fetch_error(web, "https://news.example/feed", FEED_TYPES)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HTML, "text/html"),
        (b"\n  <html><body>hi</body></html>", "text/html"),
        (b"\xef\xbb\xbf<!-- generated --><body>hi</body>", "text/html"),
        (RSS, "application/rss+xml"),
        (
            b'<?xml version="1.0"?><rss><channel><description><![CDATA[<html>x</html>]]>',
            "application/rss+xml",
        ),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>', "application/atom+xml"),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "application/rdf+xml"),
        (b'<?xml version="1.0"?><!-- c --><urlset></urlset>', "application/xml"),
    ],
)
def test_missing_content_type_is_sniffed_from_the_first_element(body: bytes, expected: str) -> None:
    web = FakeWeb({"https://news.example/x": Route(body, content_type=None)})
    with web.fetcher() as fetcher:
        fetched = fetcher.fetch("https://news.example/x")
    assert fetched.media_type == expected
    assert fetched.charset is None


@pytest.mark.parametrize("body", [b"just some words", b"\x89PNG\r\n\x1a\n", b"<unknown-root/>", b""])
def test_missing_content_type_with_unrecognised_body_is_refused(body: bytes) -> None:
    web = FakeWeb({"https://news.example/x": Route(body, content_type=None)})
    assert "no Content-Type" in fetch_error(web, "https://news.example/x")


def test_sniffed_type_is_still_checked_against_accept() -> None:
    web = FakeWeb({"https://news.example/x": Route(HTML, content_type=None)})
    assert "text/html" in fetch_error(web, "https://news.example/x", FEED_TYPES)


# --- redirects ----------------------------------------------------------------------------------------------


def test_redirects_are_followed_relative_and_absolute() -> None:
    web = FakeWeb(
        {
            "http://news.example/old": redirect("/newer", status=301),
            "http://news.example/newer": redirect("https://www.news.example/final", status=308),
            "https://www.news.example/final": Route(HTML),
        }
    )
    with web.fetcher() as fetcher:
        fetched = fetcher.fetch("http://news.example/old")
    assert fetched.url == "http://news.example/old"
    assert fetched.final_url == "https://www.news.example/final"
    assert fetched.content == HTML
    assert "www.news.example" in web.resolved  # every hop's host was checked


def test_exactly_max_redirects_hops_succeed() -> None:
    web = FakeWeb(
        {
            "https://news.example/1": redirect("/2"),
            "https://news.example/2": redirect("/3"),
            "https://news.example/3": Route(HTML),
        }
    )
    with web.fetcher(max_redirects=2) as fetcher:
        assert fetcher.fetch("https://news.example/1").final_url == "https://news.example/3"


def test_more_than_max_redirects_is_an_error() -> None:
    web = FakeWeb({f"https://news.example/{n}": redirect(f"/{n + 1}") for n in range(1, 5)})
    message = fetch_error(web, "https://news.example/1", max_redirects=2)
    assert "more than 2 redirects" in message
    assert "https://news.example/4" not in web.requested


def test_redirect_loop_is_an_error() -> None:
    web = FakeWeb({"https://news.example/loop": redirect("/loop")})
    assert "more than 5 redirects" in fetch_error(web, "https://news.example/loop")


@pytest.mark.parametrize("respect_robots", [True, False])
def test_redirect_to_a_host_with_a_private_address_is_refused(respect_robots: bool) -> None:
    web = FakeWeb(
        {"https://news.example/a": redirect("http://intranet.example/admin")},
        dns={"intranet.example": ["10.0.0.7"]},
    )
    message = fetch_error(web, "https://news.example/a", respect_robots=respect_robots)
    assert message == (
        "refused private address 10.0.0.7 (private) for http://intranet.example/admin"
        " (redirected from https://news.example/a) (use --allow-private)"
    )
    assert not any("intranet" in url for url in web.requested)


@pytest.mark.parametrize("respect_robots", [True, False])
def test_redirect_to_a_literal_metadata_address_is_refused(respect_robots: bool) -> None:
    web = FakeWeb({"https://news.example/a": redirect("http://169.254.169.254/latest/meta-data/")})
    message = fetch_error(web, "https://news.example/a", respect_robots=respect_robots)
    assert message.startswith("refused private address 169.254.169.254 (link-local)")
    assert not any("169.254" in url for url in web.requested)


def test_redirect_to_a_non_http_scheme_is_refused() -> None:
    web = FakeWeb({"https://news.example/a": redirect("file:///etc/passwd")})
    assert "only http and https" in fetch_error(web, "https://news.example/a")


# --- size cap -----------------------------------------------------------------------------------------------


def test_content_length_over_the_cap_is_refused_before_reading() -> None:
    read: list[bytes] = []

    def big(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            read.append(b"x")
            yield b"<html>"

        return httpx.Response(200, headers={"Content-Type": "text/html", "Content-Length": "5000"}, content=body())

    web = FakeWeb({"https://news.example/big": big})
    message = fetch_error(web, "https://news.example/big", max_bytes=1000)
    assert "declares 5000 bytes, over the 1000-byte limit" in message
    assert read == []


def test_streamed_body_over_the_cap_stops_reading() -> None:
    chunks_read: list[int] = []

    def endless(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for n in range(1000):
                chunks_read.append(n)
                yield b"<p>" + b"x" * 497

        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=body())

    web = FakeWeb({"https://news.example/endless": endless})
    assert "over the 1200-byte limit" in fetch_error(web, "https://news.example/endless", max_bytes=1200)
    assert len(chunks_read) == 3


def test_body_exactly_at_the_cap_is_accepted() -> None:
    web = FakeWeb({"https://news.example/x": Route(b"<html>" + b"x" * 94)})
    with web.fetcher(max_bytes=100) as fetcher:
        assert len(fetcher.fetch("https://news.example/x").content) == 100


def test_cap_counts_decompressed_bytes() -> None:
    bomb = gzip.compress(b"<html>" + b"a" * 100_000)
    headers = (("Content-Encoding", "gzip"),)
    web = FakeWeb({"https://news.example/bomb": Route(bomb, headers=headers)})
    assert len(bomb) < 10_000
    assert "over the 10000-byte limit" in fetch_error(web, "https://news.example/bomb", max_bytes=10_000)


# --- HTTP and transport errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "text"), [(404, "HTTP 404 Not Found"), (503, "HTTP 503 Service Unavailable")])
def test_http_error_status_is_an_error_with_the_status(status: int, text: str) -> None:
    web = FakeWeb({"https://news.example/x": Route(b"oops", status=status)})
    assert fetch_error(web, "https://news.example/x") == f"{text} for https://news.example/x"


def test_http_error_after_a_redirect_names_both_urls() -> None:
    web = FakeWeb({"https://news.example/a": redirect("/gone"), "https://news.example/gone": Route(status=410)})
    message = fetch_error(web, "https://news.example/a")
    assert message == "HTTP 410 Gone for https://news.example/gone (redirected from https://news.example/a)"


def test_timeout_becomes_a_readable_fetch_error() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    web = FakeWeb({"https://news.example/slow": slow})
    message = fetch_error(web, "https://news.example/slow", timeout=2.5)
    assert message == "timed out after 2.5s fetching https://news.example/slow"


def test_connection_error_becomes_a_readable_fetch_error() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    web = FakeWeb({"https://news.example/x": down})
    message = fetch_error(web, "https://news.example/x")
    assert message == "could not fetch https://news.example/x: [Errno 111] Connection refused"


# --- robots.txt ---------------------------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private\n"


def robots_site(robots: Reply) -> FakeWeb:
    return FakeWeb(
        {
            "https://news.example/robots.txt": robots,
            "https://news.example/private/x": Route(HTML),
            "https://news.example/public": Route(HTML),
        }
    )


def test_robots_disallow_refuses_the_page() -> None:
    web = robots_site(Route(ROBOTS, content_type="text/plain"))
    message = fetch_error(web, "https://news.example/private/x")
    assert message == "robots.txt of https://news.example disallows https://news.example/private/x for storyline"
    assert "https://news.example/private/x" not in web.requested


def test_robots_allow_lets_the_page_through() -> None:
    web = robots_site(Route(ROBOTS, content_type="text/plain"))
    with web.fetcher() as fetcher:
        assert fetcher.fetch("https://news.example/public").content == HTML


def test_robots_group_for_our_agent_applies() -> None:
    robots = b"User-agent: storyline\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    web = robots_site(Route(robots, content_type="text/plain"))
    assert "disallows" in fetch_error(web, "https://news.example/public")


def test_robots_404_means_allowed() -> None:
    web = robots_site(Route(b"missing", status=404))
    with web.fetcher() as fetcher:
        assert fetcher.fetch("https://news.example/private/x").content == HTML


@pytest.mark.parametrize("status", [401, 403])
def test_robots_401_and_403_mean_disallowed(status: int) -> None:
    web = robots_site(Route(b"no", status=status))
    assert "disallows" in fetch_error(web, "https://news.example/public")


def test_robots_server_error_means_disallowed_and_says_why() -> None:
    web = robots_site(Route(b"down", status=503))
    message = fetch_error(web, "https://news.example/public")
    assert "https://news.example/robots.txt answered HTTP 503" in message
    assert "RFC 9309" in message


def test_robots_network_error_means_disallowed_and_says_why() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection reset", request=request)

    web = robots_site(down)
    message = fetch_error(web, "https://news.example/public")
    assert "could not fetch https://news.example/robots.txt: Connection reset" in message
    assert "https://news.example/public" not in web.requested


def test_robots_redirect_to_a_private_address_is_refused_and_means_disallowed() -> None:
    web = robots_site(redirect("http://10.1.1.1/robots.txt"))
    message = fetch_error(web, "https://news.example/public")
    assert "refused private address 10.1.1.1" in message
    assert "http://10.1.1.1/robots.txt" not in web.requested


def test_robots_is_fetched_once_per_origin() -> None:
    web = robots_site(Route(ROBOTS, content_type="text/plain"))
    web.routes["https://news.example:8443/public"] = Route(HTML)
    with web.fetcher() as fetcher:
        fetcher.fetch("https://news.example/public")
        fetcher.fetch("https://news.example/public")
        fetcher.fetch("https://news.example:8443/public")
    robots_requests = [url for url in web.requested if url.endswith("/robots.txt")]
    assert robots_requests == ["https://news.example/robots.txt", "https://news.example:8443/robots.txt"]


def test_robots_over_the_size_cap_is_cut_not_refused() -> None:
    robots = ROBOTS + b"# padding\n" * 100_000
    web = robots_site(Route(robots, content_type="text/plain"))
    with web.fetcher() as fetcher:
        assert fetcher.fetch("https://news.example/public").content == HTML
        with pytest.raises(FetchError, match="disallows"):
            fetcher.fetch("https://news.example/private/x")


def test_respect_robots_false_never_asks_for_robots() -> None:
    web = robots_site(Route(b"User-agent: *\nDisallow: /\n", content_type="text/plain"))
    with web.fetcher(respect_robots=False) as fetcher:
        fetcher.fetch("https://news.example/public")
    assert web.requested == ["https://news.example/public"]


# --- schemes and addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["ftp://news.example/x", "file:///etc/passwd", "javascript:alert(1)", "news.example/no-scheme"]
)
def test_non_http_schemes_are_refused(url: str) -> None:
    web = FakeWeb({})
    assert "only http and https" in fetch_error(web, url)
    assert web.requested == []


def test_invalid_url_is_a_fetch_error() -> None:
    assert "invalid URL" in fetch_error(FakeWeb({}), "http://[::1")


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.1.2.3/", "10.1.2.3 (private)"),
        ("http://172.16.0.1/", "172.16.0.1 (private)"),
        ("http://192.168.1.1/", "192.168.1.1 (private)"),
        ("http://127.0.0.1:8000/", "127.0.0.1 (loopback)"),
        ("http://169.254.169.254/", "169.254.169.254 (link-local)"),
        ("http://0.0.0.0/", "0.0.0.0 (unspecified)"),
        ("http://224.0.0.1/", "224.0.0.1 (multicast)"),
        ("http://240.0.0.1/", "240.0.0.1 (reserved)"),
        ("http://100.64.0.1/", "100.64.0.1 (non-global)"),
        ("http://[::1]/", "::1 (loopback)"),
        ("http://[fe80::1]/", "fe80::1 (link-local)"),
        ("http://[fc00::1]/", "fc00::1 (private)"),
        ("http://[::ffff:127.0.0.1]/", "127.0.0.1 (loopback)"),
        ("http://[::ffff:10.0.0.1]/", "10.0.0.1 (private)"),
        ("http://[2002:a00:1::]/", "10.0.0.1 (private)"),  # 6to4 wrapping 10.0.0.1
        ("http://2130706433/", "127.0.0.1 (loopback)"),  # decimal form of 127.0.0.1
        ("http://0x7f.1/", "127.0.0.1 (loopback)"),
    ],
)
def test_literal_private_addresses_are_refused_without_dns(url: str, address: str) -> None:
    web = FakeWeb({})
    message = fetch_error(web, url)
    assert message == f"refused private address {address} for {url} (use --allow-private)"
    assert web.resolved == []
    assert web.requested == []


def test_ipv4_mapped_public_address_is_allowed() -> None:
    web = FakeWeb({f"http://[::ffff:{PUBLIC}]/x": Route(HTML)})
    with web.fetcher(respect_robots=False) as fetcher:
        assert fetcher.fetch(f"http://[::ffff:{PUBLIC}]/x").content == HTML


def test_host_with_any_private_address_is_refused() -> None:
    web = FakeWeb({}, dns={"mixed.example": [PUBLIC, "::ffff:192.168.0.9"]})
    message = fetch_error(web, "https://mixed.example/")
    assert message == ("refused private address 192.168.0.9 (private) for https://mixed.example/ (use --allow-private)")
    assert web.requested == []


def test_allow_private_fetches_private_addresses() -> None:
    web = FakeWeb({"http://10.0.0.1/x": Route(HTML)})
    with web.fetcher(allow_private=True) as fetcher:
        assert fetcher.fetch("http://10.0.0.1/x").content == HTML


def test_unresolvable_host_is_a_fetch_error() -> None:
    def no_dns(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    client = httpx.Client(transport=httpx.MockTransport(FakeWeb({}).handle))
    with Fetcher(client=client, resolve=no_dns) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("https://nowhere.example/")
    assert str(caught.value) == (
        "could not resolve nowhere.example for https://nowhere.example/: [Errno -2] Name or service not known"
    )


def test_host_with_no_addresses_is_a_fetch_error() -> None:
    web = FakeWeb({}, dns={"empty.example": []})
    assert fetch_error(web, "https://empty.example/") == "could not resolve empty.example for https://empty.example/"


# --- lifecycle ----------------------------------------------------------------------------------------------


def test_close_leaves_an_injected_client_open_and_closes_its_own() -> None:
    client = httpx.Client(transport=httpx.MockTransport(FakeWeb({}).handle))
    with Fetcher(client=client):
        pass
    assert not client.is_closed
    client.close()
    own = Fetcher()
    own.close()
    assert own._client.is_closed


# --- integration with a real server on 127.0.0.1 -----------------------------------------------------------


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must not go through a proxy from the environment."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


SITE = {
    "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
    "/article": Route(HTML),
    "/moved": Route(status=301, content_type=None, headers=(("Location", "/article"),)),
    "/private/page": Route(HTML),
    "/feed.xml": Route(RSS, content_type="application/rss+xml; charset=utf-8"),
}


@pytest.mark.usefixtures("no_proxy")
def test_local_server_fetch_works_with_allow_private() -> None:
    requests: list[str] = []
    with serve_routes(SITE, requests) as base, Fetcher(FetchSettings(allow_private=True)) as fetcher:
        page = fetcher.fetch(f"{base}/moved")
        feed = fetcher.fetch(f"{base}/feed.xml", FEED_TYPES)
    assert (page.final_url, page.content, page.media_type) == (f"{base}/article", HTML, "text/html")
    assert (feed.media_type, feed.charset, feed.content) == ("application/rss+xml", "utf-8", RSS)
    assert requests == ["/robots.txt", "/moved", "/article", "/feed.xml"]


@pytest.mark.usefixtures("no_proxy")
def test_local_server_robots_disallow_is_honoured() -> None:
    settings = FetchSettings(allow_private=True)
    with (
        serve_routes(SITE) as base,
        Fetcher(settings) as fetcher,
        pytest.raises(FetchError, match="disallows"),
    ):
        fetcher.fetch(f"{base}/private/page")


@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize(("send_length", "expected"), [(True, "declares 200006 bytes"), (False, "over the")])
def test_local_server_size_cap_by_header_and_by_stream(send_length: bool, expected: str) -> None:
    routes = {"/big": Route(b"<html>" + b"x" * 200_000, send_length=send_length)}
    settings = FetchSettings(allow_private=True, max_bytes=50_000)
    with serve_routes(routes) as base, Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{base}/big")
    assert expected in str(caught.value)
    assert "50000-byte limit" in str(caught.value)


@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_local_server_is_refused_without_allow_private(host: str) -> None:
    requests: list[str] = []
    with serve_routes(SITE, requests) as base, Fetcher() as fetcher:
        url = base.replace("127.0.0.1", host) + "/article"
        with pytest.raises(FetchError, match=r"refused private address .* \(loopback\) for .*--allow-private"):
            fetcher.fetch(url)
    assert requests == []


@pytest.mark.parametrize("bad", [{"timeout": 0}, {"max_redirects": -1}, {"max_bytes": 0}, {"user_agent": ""}])
def test_settings_out_of_range_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="invalid FetchSettings"):
        FetchSettings(**bad)  # type: ignore[arg-type]


def test_settings_need_a_positive_deadline() -> None:
    with pytest.raises(ValueError, match="deadline > 0"):
        FetchSettings(deadline=0)


def test_upper_case_schemes_are_fetched() -> None:
    web = FakeWeb({"http://news.example/a": Route(HTML), "https://news.example/b": Route(HTML)})
    with web.fetcher(respect_robots=False) as fetcher:
        assert fetcher.fetch("HTTP://news.example/a").content == HTML
        assert fetcher.fetch("Https://news.example/b").content == HTML


def test_the_deadline_covers_all_redirect_hops() -> None:
    def slow_redirect(request: httpx.Request) -> httpx.Response:
        time.sleep(0.15)
        hop = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{hop + 1}"})

    web = FakeWeb({f"https://news.example/{n}": slow_redirect for n in range(6)})
    started = time.monotonic()
    message = fetch_error(web, "https://news.example/0", respect_robots=False, deadline=0.4)
    assert message == "fetching https://news.example/3 (redirected from https://news.example/0) took longer than 0.4 s"
    assert time.monotonic() - started < 1


@contextmanager
def serve_slowly(pause: float, drip: float) -> Iterator[str]:
    """A loopback server that waits `pause` s after the headers, then sends one byte every `drip` s."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>")
            self.wfile.flush()
            time.sleep(pause)
            for _ in range(int(10 / drip)):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:  # the client gave up
                    return
                time.sleep(drip)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    with serve_handler(Handler) as base:
        yield base


@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize(("pause", "drip"), [(0, 0.05), (3, 0.05)], ids=["drip", "stall-shorter-than-timeout"])
def test_local_server_slow_body_stops_at_the_deadline(pause: float, drip: float) -> None:
    settings = FetchSettings(allow_private=True, respect_robots=False, timeout=5, deadline=0.5)
    started = time.monotonic()
    with serve_slowly(pause, drip) as base, Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{base}/slow")
    assert str(caught.value) == f"fetching {base}/slow took longer than 0.5 s"
    assert time.monotonic() - started < 1.5


class DripHeaders(BaseHTTPRequestHandler):
    """Sends its status line and headers one byte every 0.3 s (about 8 s in all), then a page."""

    def do_GET(self) -> None:
        head = b"HTTP/1.0 200 OK\r\nX-Slow: 1\r\n\r\n"
        for byte in head:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up
                return
            time.sleep(0.3)
        self.wfile.write(b"<html><body>late</body></html>")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.mark.usefixtures("no_proxy")
def test_local_server_dripping_its_headers_stops_at_the_deadline() -> None:
    """Each header byte comes well within the per-read timeout; the deadline still ends the fetch."""
    settings = FetchSettings(allow_private=True, respect_robots=False, timeout=5, deadline=1.5)
    started = time.monotonic()
    with serve_handler(DripHeaders) as base, Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{base}/slow")
    assert str(caught.value) == f"fetching {base}/slow took longer than 1.5 s"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://xn--zz/", "invalid URL 'http://xn--zz/': Invalid A-label"),
        ("https://a.example/\udcff", "invalid URL 'https://a.example/\\udcff': "),
        ("http://a..b/", "could not resolve a..b for http://a..b/: encoding with 'idna' codec failed"),
        ("http://" + "a" * 70 + ".example/", "could not resolve "),
    ],
)
def test_hostile_urls_are_fetch_errors_not_unicode_errors(url: str, expected: str) -> None:
    with Fetcher(FetchSettings(respect_robots=False)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(url)  # the default resolver: idna refuses these names before any DNS query
    assert str(caught.value).startswith(expected)
