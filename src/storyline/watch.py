"""Follow feeds: the followed sources (`Feed` records in the store) and a polite watcher that polls them.

Adding a source (`discover`): the URL is fetched once; a feed (RSS, Atom, JSON Feed) is followed as it is, an HTML
page is searched for `<link rel="alternate">` naming a feed, which is fetched to check it. OPML files import
and export the list.

One cycle (`Watcher.cycle`) polls every active feed that is due, one request at a time (a host is asked again
only after `host_delay` seconds, robots.txt and the private-address refusal hold as for `ingest`):

- a conditional GET (If-None-Match / If-Modified-Since with the stored validators): a 304 costs no work;
- entries whose canonical link (`ingest.urls.canonical_url`: no fragment, no utm_* or click ids) was stored
  before are not read again; short entries have their page fetched and extracted (the summary is the fallback,
  as for `ingest`); everything new goes through extract and store, one transaction per article;
- a permanent redirect (301 / 308) replaces the stored URL; a temporary one does not;
- a failure (network, HTTP error, malformed feed) waits `backoff_base` x 2^(failures - 1) seconds with +-50 %
  jitter, at most `backoff_max`, or the server's Retry-After on 429 / 503 when that is longer; after
  `pause_after` failures in a row the feed is paused (`sources resume URL` starts it again);
- after the polls, when anything new was stored, the later stages run once (analyse, cluster, write briefs).

A stop request (`Watcher.stop`, wired to SIGTERM / Ctrl-C by the CLI) lets the current article finish and be
committed; the cycle then ends and `run` returns. A restart resumes from the stored state without duplicates.
"""

import datetime as dt
import json
import logging
import random
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin

import defusedxml.ElementTree as SafeXML
import feedparser

from storyline.errors import IngestError, StorylineError
from storyline.extract.article import Extractor
from storyline.ingest.fetch import FEED_TYPES, PAGE_TYPES, Fetcher
from storyline.ingest.sources import Ingestor
from storyline.pipeline import guarded, store_documents
from storyline.records import Document, Feed, Skip
from storyline.store import Store

__all__ = ["CycleReport", "WatchSettings", "Watcher", "discover", "export_opml", "parse_opml"]

logger = logging.getLogger(__name__)

_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")


@dataclass(frozen=True, slots=True)
class WatchSettings:
    interval: float = 15.0  # minutes between two fetches of one feed (a feed's own `interval` overrides it)
    host_delay: float = 1.0  # seconds between two requests to one host
    backoff_base: float = 60.0  # seconds to wait after a first failure; doubled for each failure in a row
    backoff_max: float = 6 * 3600.0  # seconds: the longest wait after failures
    pause_after: int = 10  # failures in a row that pause a feed
    max_retry_after: float = 24 * 3600.0  # a Retry-After longer than this is capped

    def __post_init__(self) -> None:
        if self.interval <= 0 or self.host_delay < 0 or self.backoff_base <= 0 or self.pause_after < 1:
            raise ValueError(
                f"invalid {self!r}: need interval > 0, host_delay >= 0, backoff_base > 0, pause_after >= 1"
            )


@dataclass
class CycleReport:
    """What one cycle did (the progress line)."""

    polled: int = 0
    not_modified: int = 0
    new_articles: int = 0
    errors: int = 0
    paused: int = 0
    moved: int = 0
    stories_new: int = 0
    stories_updated: int = 0
    refreshed: dict[str, int] = field(default_factory=dict)
    stopped: bool = False

    def line(self) -> str:
        return (
            f"polled {self.polled} · not modified {self.not_modified} · new articles {self.new_articles} · "
            f"new stories {self.stories_new} · updated stories {self.stories_updated} · errors {self.errors}"
            + (f" · paused {self.paused}" if self.paused else "")
        )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


class Watcher:
    """Polls the store's due feeds; `cycle` once, `run` until stopped."""

    def __init__(
        self,
        store: Store,
        ingestor: Ingestor,
        extractor: Extractor,
        refresher: Callable[[Store], dict[str, int]] | None,  # e.g. pipeline.Refresher
        settings: WatchSettings = WatchSettings(),  # noqa: B008 - frozen
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.ingestor = ingestor
        self.extractor = extractor
        self.refresher = refresher
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish the article being stored, then end the cycle (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, every: float | None, on_cycle: Callable[[CycleReport], None] = lambda _: None) -> None:
        """Cycles until stopped: one now, then the next when the first feed is due (a feed's own interval may be
        shorter), at least 1 s and at most `every` seconds later (None: just one cycle)."""
        while True:
            report = self.cycle()
            on_cycle(report)
            if every is None or self.stopping or self._stop.wait(self.wait(every)):
                return

    def wait(self, every: float) -> float:
        """Seconds until the next active feed is due, between 1 and `every`."""
        due = [f.next_fetch for f in self.store.feeds() if f.status == "active"]
        if any(d is None for d in due):
            return 1.0
        times = [dt.datetime.fromisoformat(d) for d in due if d is not None]
        if not times:
            return every
        return max(1.0, min(every, (min(times) - self.clock()).total_seconds()))

    def cycle(self) -> CycleReport:
        report = CycleReport()
        for feed in self.store.due_feeds(_iso(self.clock())):
            if self.stopping:
                report.stopped = True
                break
            self._poll(feed, report)
        if report.new_articles and self.refresher is not None:
            stories_before = {s.id: s.updated_at for s in self.store.stories()}  # storing changes no story
            report.refreshed = self.refresher(self.store)
            after = {s.id: s.updated_at for s in self.store.stories()}
            report.stories_new = len(set(after) - set(stories_before))
            report.stories_updated = sum(1 for k, v in after.items() if k in stories_before and stories_before[k] != v)
        report.stopped = report.stopped or self.stopping
        return report

    def _poll(self, feed: Feed, report: CycleReport) -> None:
        now = self.clock()
        report.polled += 1
        fetcher = self.ingestor.fetcher
        try:
            answer = fetcher.fetch_conditional(feed.url, FEED_TYPES, feed.etag, feed.last_modified)
        except IngestError as error:
            self._failed(feed, now, error, report)
            return
        moved_from = None
        if answer.moved_to is not None and answer.moved_to != feed.url:
            moved_from, feed = feed.url, replace(feed, url=answer.moved_to)
            report.moved += 1
            logger.info("feed %s moved permanently to %s", moved_from, feed.url)
        updated = replace(
            feed,
            etag=answer.etag,
            last_modified=answer.last_modified,
            last_fetch=_iso(now),
            last_success=_iso(now),
            last_error=None,
            failures=0,
            next_fetch=_iso(now + dt.timedelta(minutes=feed.interval or self.settings.interval)),
        )
        if answer.fetched is None:
            report.not_modified += 1
            self.store.put_feed(updated, replaces=moved_from)
            return
        try:
            count, documents = self.ingestor.feed_documents(
                answer.fetched.content, feed.url, answer.fetched.final_url, self.store.has_location
            )
            new = self._store(documents)
        except IngestError as error:  # not a feed (malformed XML, an HTML page ...)
            self._failed(feed, now, error, report, replaces=moved_from)
            return
        report.new_articles += new
        self.store.put_feed(replace(updated, items=count, articles=feed.articles + new), replaces=moved_from)

    def _store(self, documents: Iterable[Document | Skip]) -> int:
        """Extract and store the documents, one transaction each, until a stop request; the new article count."""
        new = 0
        for outcome in store_documents(guarded(documents), self.store, self.extractor):
            new += outcome.status == "ingested"
            if outcome.status == "skipped":
                logger.info("skipped %s: %s", outcome.location, outcome.reason)
            if self.stopping:
                break
        return new

    def _failed(
        self, feed: Feed, now: dt.datetime, error: StorylineError, report: CycleReport, replaces: str | None = None
    ) -> None:
        failures = feed.failures + 1
        wait = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (failures - 1))
        wait *= self.rng.uniform(0.5, 1.5)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.settings.max_retry_after))
        paused = failures >= self.settings.pause_after
        report.errors += 1
        report.paused += paused
        logger.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
        self.store.put_feed(
            replace(
                feed,
                status="paused" if paused else feed.status,
                last_fetch=_iso(now),
                last_error=str(error),
                failures=failures,
                next_fetch=_iso(now + dt.timedelta(seconds=wait)),
            ),
            replaces=replaces,
        )


# --- adding sources ------------------------------------------------------------------------------------------


class _FeedLinks(HTMLParser):
    """`<link rel="alternate" type="application/rss+xml" href=...>` targets of an HTML page, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_LINK_TYPES and values.get("href"):
            self.found.append(values["href"])


def feed_title(content: bytes) -> str | None:
    """The feed's own title, when it gives one (RSS, Atom or JSON Feed)."""
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        try:
            title = json.loads(content).get("title")
        except (ValueError, AttributeError, RecursionError):
            return None
        return " ".join(title.split()) or None if isinstance(title, str) else None
    parsed = feedparser.parse(content)
    title = parsed.feed.get("title") if parsed and parsed.feed else None
    return " ".join(str(title).split()) or None if title else None


def discover(url: str, fetcher: Fetcher) -> Feed:
    """The feed to follow for `url`: the URL itself when it is a feed, else the first feed an HTML page names in
    `<link rel="alternate">` (checked by fetching it). Raises IngestError with the reason otherwise."""
    fetched = fetcher.fetch(url, PAGE_TYPES)
    if fetched.media_type in FEED_TYPES:
        return Feed(fetched.final_url if fetched.final_url != url else url, url, feed_title(fetched.content))
    if fetched.media_type not in ("text/html", "application/xhtml+xml"):
        raise IngestError(f"{url} is {fetched.media_type}, neither a feed nor a page naming one", source=url)
    parser = _FeedLinks()
    parser.feed(fetched.content.decode(fetched.charset or "utf-8", errors="replace"))
    if not parser.found:
        raise IngestError(f'{url} is a page that names no feed (no <link rel="alternate"> to RSS or Atom)', source=url)
    feed_url = urljoin(fetched.final_url, parser.found[0])
    body = fetcher.fetch(feed_url, FEED_TYPES)
    return Feed(feed_url, url, feed_title(body.content))


def parse_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, title) of every outline with an xmlUrl, in document order. Raises IngestError when the file
    is not OPML (entity expansion and external references are refused)."""
    try:
        root = SafeXML.fromstring(data)
    except Exception as error:  # noqa: BLE001 - defusedxml raises several types for hostile or broken XML
        raise IngestError(f"not an OPML file: {error}", source="opml") from error
    found = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url:
            found.append((url.strip(), outline.get("title") or outline.get("text")))
    return found


def export_opml(feeds: Iterable[Feed]) -> str:
    """An OPML 2.0 document listing the feeds."""

    def attr(value: str) -> str:
        return re.sub(r"[&<>\"]", lambda m: {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[m.group()], value)

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>storyline sources</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        title = attr(feed.title or feed.url)
        lines.append(f'    <outline type="rss" text="{title}" title="{title}" xmlUrl="{attr(feed.url)}"/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
