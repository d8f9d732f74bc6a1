"""SQLite store: WAL journal, named migrations, FTS5 over title + text, one transaction per document.

A process killed in the middle of a batch leaves every document either fully written (document row, article
row, location) or not at all, so a re-run completes the batch without duplicates.
"""

import datetime as dt
import hashlib
import json
import logging
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.errors import StoreError
from storyline.records import (
    Analysis,
    Appearance,
    Article,
    Brief,
    Document,
    Feed,
    Skip,
    Story,
    StoryEvent,
    from_dict,
    to_dict,
)
from storyline.store.migrations import MIGRATIONS
from storyline.store.protocol import ConcurrentUpdate, StoreContents

__all__ = ["ConcurrentUpdate", "SQLiteStore", "document_id", "storable"]

logger = logging.getLogger(__name__)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def document_id(document: Document) -> str:
    """16 hex digits of sha256(location, content); text that is not valid Unicode (lone surrogates) hashes too."""
    location = document.location.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(location + b"\0" + document.content.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def storable(text: str) -> str:
    """`text` with lone surrogates (which SQLite cannot store as UTF-8) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


OPEN_TIMEOUT = 30.0  # seconds another process may hold the database while this one opens it
# Characters of stored analysis JSON whose decoded records the store keeps (`_Decoded`): about 4 bytes each in
# memory, so at most ~100 MB; a run of 1,000 news pages stores about 17 million.
ANALYSIS_CACHE_CHARS = 24_000_000


class _Decoded:
    """Analyses by article id with the exact JSON stored for them, least recently used dropped first.

    An analysis is read by clustering and again by every brief of its story; decoding its JSON is most of the
    cost of reading it. A cached record is returned only when the row still holds the same JSON (another
    process may have replaced it), so a read gives what decoding the row would give.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[str, tuple[str, Analysis]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, article_id: str, record: str) -> Analysis | None:
        with self.lock:
            hit = self.items.get(article_id)
            if hit is None or hit[0] != record:
                return None
            self.items.move_to_end(article_id)
            return hit[1]

    def put(self, article_id: str, record: str, analysis: Analysis) -> None:
        if len(record) > self.limit:
            return
        with self.lock:
            old = self.items.pop(article_id, None)
            if old is not None:
                self.size -= len(old[0])
            self.items[article_id] = (record, analysis)
            self.size += len(record)
            while self.size > self.limit:
                _, (dropped, _) = self.items.popitem(last=False)
                self.size -= len(dropped)


def _journal_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL, waiting for another process that is creating or switching the same file: SQLite answers
    "database is locked" to this pragma at once, without the connection's busy timeout (two `storyline run`
    started together on a new database failed about one time in five)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise StoreError(f"cannot open database: {error}") from error
            time.sleep(0.05)


class SQLiteStore:
    """The default store. Open with a path (created if missing) or ':memory:'."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:" and not self.path.startswith("file:"):
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=OPEN_TIMEOUT)
        except (sqlite3.OperationalError, OSError) as error:
            raise StoreError(f"cannot open database {self.path}: {error}") from error
        self.db.row_factory = sqlite3.Row
        _journal_wal(self.db, OPEN_TIMEOUT)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._analyses = _Decoded(ANALYSIS_CACHE_CHARS)
        self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied."""
        self.db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as db:
                # Another process may have applied it between the read above and this lock.
                if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone() is not None:
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
            applied.append(name)
            logger.info("applied migration %s", name)
        return applied

    def data_version(self) -> str:
        """`PRAGMA data_version` (changes when another connection commits) and this connection's own changed
        rows: no table is read, so asking costs microseconds."""
        (version,) = self.db.execute("PRAGMA data_version").fetchone()
        return f"{version}.{self.db.total_changes}"

    def migrations(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM _migrations ORDER BY name")]

    # --- documents and articles -------------------------------------------------------------------------

    def add_article(self, document: Document, article: Article) -> bool:
        """Store a document and its article in one transaction. Returns False when the article was known."""
        with self.transaction() as db:
            doc_id = self._put_document(db, document)
            known = db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone() is not None
            if not known:
                record = to_dict(article)
                record.pop("locations")
                record.pop("appearances")
                db.execute(
                    "INSERT INTO articles (id, title, text, url, outlet, published, language, record, ingested_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.title,
                        article.text,
                        article.url,
                        article.outlet,
                        article.published,
                        article.language,
                        _json(record),
                        _now(),
                    ),
                )
            for location in article.locations:
                appearance = Appearance(
                    location, article.outlet, article.url, article.published, article.authors, article.title
                )
                db.execute(
                    "INSERT OR IGNORE INTO locations (article_id, location, document_id, record) VALUES (?, ?, ?, ?)",
                    (article.id, location, doc_id, _json(to_dict(appearance))),
                )
        return not known

    def add_skip(self, skip: Skip, document: Document | None = None) -> None:
        """Record a skip (and the document it concerns, so its content is kept)."""
        with self.transaction() as db:
            doc_id = self._put_document(db, document) if document is not None else None
            db.execute(
                "INSERT INTO skips (source, stage, reason, document_id, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, stage, reason) DO UPDATE SET at = excluded.at",
                (storable(skip.source), skip.stage, storable(skip.reason), doc_id, _now()),
            )

    def _put_document(self, db: sqlite3.Connection, document: Document) -> str:
        doc_id = document_id(document)
        db.execute(
            "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                storable(document.source),
                storable(document.location),
                document.media_type,
                storable(document.content),
                _json([to_dict(h) for h in document.hints]),
                None if document.url is None else storable(document.url),
                _now(),
            ),
        )
        return doc_id

    def document_outcome(self, document: Document) -> str | None:
        """'ingested' or 'skipped' when this exact document (location and content) was stored before, else None."""
        doc_id = document_id(document)
        if self.db.execute("SELECT 1 FROM locations WHERE document_id = ? LIMIT 1", (doc_id,)).fetchone():
            return "ingested"
        if self.db.execute("SELECT 1 FROM skips WHERE document_id = ? LIMIT 1", (doc_id,)).fetchone():
            return "skipped"
        return None

    def get_article(self, article_id: str) -> Article:
        """The article with this id, or the only one whose id starts with it. Raises StoreError otherwise."""
        row = self._by_id("articles", article_id, "article")
        return self._article(row["id"], row["record"])

    def _by_id(self, table: str, key: str, what: str) -> sqlite3.Row:
        """The row whose id is `key`, else the only one whose id starts with it (4+ characters); both indexed."""
        row = self.db.execute(f"SELECT id, record FROM {table} WHERE id = ?", (key,)).fetchone()
        if row is not None:
            return row  # type: ignore[no-any-return]
        rows = []
        if len(key) >= 4:
            rows = self.db.execute(
                f"SELECT id, record FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (key, key + "\U0010ffff"),
            ).fetchall()
        if not rows:
            raise StoreError(f"no {what} with id {key!r}")
        if len(rows) > 1:
            raise StoreError(f"id prefix {key!r} matches several {what} ids")
        return rows[0]  # type: ignore[no-any-return]

    def articles(self, limit: int | None = None) -> Iterator[Article]:
        """Articles in ingest order."""
        sql = "SELECT id, record FROM articles ORDER BY rowid"
        rows = self.db.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        for row in rows.fetchall():
            yield self._article(row["id"], row["record"])

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def skips(self) -> list[Skip]:
        rows = self.db.execute("SELECT source, stage, reason FROM skips ORDER BY id").fetchall()
        return [Skip(row["source"], row["stage"], row["reason"]) for row in rows]

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search over titles and texts: (article, snippet) pairs, best first."""
        try:
            rows = self.db.execute(
                "SELECT a.id, a.record, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet"
                " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (_fts_query(query), limit),
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise StoreError(f"bad search query {query!r}: {error}") from error
        return [(self._article(row["id"], row["record"]), row["snippet"]) for row in rows]

    # --- analyses ----------------------------------------------------------------------------------------

    def put_analyses(self, analyses: list[Analysis]) -> None:
        """Store a batch of analyses in one transaction (replacing older versions)."""
        records = [_json(to_dict(a)) for a in analyses]
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO analyses VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET"
                " version = excluded.version, record = excluded.record, analysed_at = excluded.analysed_at",
                [(a.article_id, a.version, record, _now()) for a, record in zip(analyses, records, strict=True)],
            )
        for analysis, record in zip(analyses, records, strict=True):  # the decoded record is the one written
            self._analyses.put(analysis.article_id, record, analysis)

    def get_analysis(self, article_id: str) -> Analysis | None:
        row = self.db.execute("SELECT record FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        record = row["record"]
        analysis = self._analyses.get(article_id, record)
        if analysis is None:
            analysis = from_dict(Analysis, json.loads(record))
            self._analyses.put(article_id, record, analysis)
        return analysis

    def articles_to_analyse(self, version: str, limit: int | None = None) -> list[Article]:
        """Articles with no analysis, or one made by another version, in ingest order."""
        rows = self.db.execute(
            "SELECT a.id, a.record FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
            " WHERE n.article_id IS NULL OR n.version != ? ORDER BY a.rowid" + (" LIMIT ?" if limit else ""),
            (version, limit) if limit else (version,),
        ).fetchall()
        return [self._article(row["id"], row["record"]) for row in rows]

    # --- stories -----------------------------------------------------------------------------------------

    def put_stories(
        self,
        stories: list[Story],
        events: list[StoryEvent],
        state: bytes | None = None,
        removed: list[str] | tuple[str, ...] = (),
        expected_version: int | None = None,
    ) -> None:
        """Upsert changed stories, append their log lines and save the clustering state, in one transaction.

        A story in `removed` (merged into another), or one that no longer has members, is deleted with its
        brief; its log lines stay, and it is taken out of every other story's `follows` and `followed_by`. A story
        that `follows` another is added to that one's `followed_by`.
        With `expected_version`, raises ConcurrentUpdate (writing nothing) when the clustering state was
        saved by someone else since it was read at that version.
        """
        with self.transaction() as db:
            if expected_version is not None and self._state_version(db) != expected_version:
                raise ConcurrentUpdate("the clustering state changed since it was read (another process clustered)")
            gone = list(removed) + [story.id for story in stories if not story.members]
            for story_id in gone:
                db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
                db.execute("DELETE FROM briefs WHERE story_id = ?", (story_id,))
            for story in stories:
                if story.members:
                    self._put_story(db, story)
            self._unlink(db, gone)
            db.executemany(
                "INSERT INTO story_events (story_id, record) VALUES (?, ?)",
                [(event.story_id, _json(to_dict(event))) for event in events],
            )
            if state is not None:
                db.execute(
                    "INSERT INTO state (key, value, updated_at, version) VALUES ('cluster', ?, ?, 1)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
                    " version = state.version + 1",
                    (state, _now()),
                )

    @staticmethod
    def _unlink(db: sqlite3.Connection, gone: list[str]) -> None:
        """Take deleted stories out of the `follows` and `followed_by` of every story left (no dangling link)."""
        if not gone:
            return
        marks = ",".join("?" * len(gone))
        rows = db.execute(
            "SELECT id, record FROM stories WHERE id IN (SELECT s.id FROM stories s, json_each(s.record, '$.follows') f"
            f" WHERE f.value IN ({marks}) UNION SELECT s.id FROM stories s, json_each(s.record, '$.followed_by') f"
            f" WHERE f.value IN ({marks}))",
            [*gone, *gone],
        ).fetchall()
        dead = set(gone)
        for row in rows:
            data = json.loads(row["record"])
            for key in ("follows", "followed_by"):
                data[key] = [story_id for story_id in data.get(key, []) if story_id not in dead]
            db.execute("UPDATE stories SET record = ? WHERE id = ?", (_json(data), row["id"]))

    def _put_story(self, db: sqlite3.Connection, story: Story) -> None:
        """Upsert one story (keeping the followers already recorded) and link it to the stories it follows (those
        that still exist: a story followed once may have been merged away since)."""
        old = db.execute("SELECT record FROM stories WHERE id = ?", (story.id,)).fetchone()
        followers = set(story.followed_by) | set(json.loads(old["record"]).get("followed_by", []) if old else ())
        record = to_dict(story)
        record["followed_by"] = sorted(followers)
        followed = [f for f in story.follows if db.execute("SELECT 1 FROM stories WHERE id = ?", (f,)).fetchone()]
        record["follows"] = followed
        last_seen = story.coverage.last_seen if story.coverage else None
        db.execute(
            "INSERT INTO stories (id, record, article_count, last_seen, updated_at, status) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET record = excluded.record, article_count = excluded.article_count,"
            " last_seen = excluded.last_seen, updated_at = excluded.updated_at, status = excluded.status",
            (story.id, _json(record), len(story.members), last_seen, story.updated_at or _now(), story.status),
        )
        db.executemany(
            "INSERT INTO story_articles VALUES (?, ?) ON CONFLICT (article_id) DO UPDATE SET"
            " story_id = excluded.story_id",
            [(member.article_id, story.id) for member in story.members],
        )
        for earlier in followed:
            row = db.execute("SELECT record FROM stories WHERE id = ?", (earlier,)).fetchone()
            data = json.loads(row["record"])
            data["followed_by"] = sorted(set(data.get("followed_by", [])) | {story.id})
            db.execute("UPDATE stories SET record = ? WHERE id = ?", (_json(data), earlier))

    @staticmethod
    def _state_version(db: sqlite3.Connection) -> int:
        row = db.execute("SELECT version FROM state WHERE key = 'cluster'").fetchone()
        return int(row["version"]) if row else 0

    def cluster_state(self) -> bytes | None:
        return self.cluster_state_version()[0]

    def cluster_state_version(self) -> tuple[bytes | None, int]:
        """The saved clustering state and its version (0 when none was saved), read together."""
        row = self.db.execute("SELECT value, version FROM state WHERE key = 'cluster'").fetchone()
        return (bytes(row["value"]), int(row["version"])) if row else (None, 0)

    def stories(
        self, limit: int | None = None, offset: int = 0, status: str | None = None, language: str | None = None
    ) -> list[Story]:
        """Stories by latest activity (latest member publication, then last change), newest first.

        `status` ("active" or "dormant") keeps only the stories in that state; None keeps both. `language` (an
        ISO 639-1 code) keeps the stories with a member in that language.
        """
        # Separate statements, so that each walks its index (stories_list, stories_status_list) instead of
        # sorting every story: page 40 of 850 stories took 7 ms sorted, 0.08 ms from the index. A language
        # filter reads each story's coverage while walking the same index.
        order = " ORDER BY COALESCE(last_seen, '') DESC, updated_at DESC, id LIMIT ? OFFSET ?"
        page = (-1 if limit is None else limit, offset)
        where, values = _story_filter(status, language)
        rows = self.db.execute("SELECT record FROM stories" + where + order, (*values, *page)).fetchall()
        return [from_dict(Story, json.loads(row["record"])) for row in rows]

    def count_stories(self, status: str | None = None, language: str | None = None) -> int:
        where, values = _story_filter(status, language)
        return int(self.db.execute("SELECT COUNT(*) FROM stories" + where, values).fetchone()[0])

    def story_languages(self) -> list[tuple[str, int]]:
        """Each language of the stories' coverage with its story count, most stories first."""
        rows = self.db.execute(
            "SELECT value, COUNT(*) AS n FROM stories, json_each(stories.record, '$.coverage.languages')"
            " GROUP BY value ORDER BY n DESC, value"
        ).fetchall()
        return [(str(row[0]), int(row[1])) for row in rows]

    def get_story(self, story_id: str) -> Story:
        """The story with this id, or the only one whose id starts with it. Raises StoreError otherwise."""
        return from_dict(Story, json.loads(self._by_id("stories", story_id, "story")["record"]))

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return str(row["story_id"]) if row else None

    def story_events(self, story_id: str) -> list[StoryEvent]:
        rows = self.db.execute("SELECT record FROM story_events WHERE story_id = ? ORDER BY id", (story_id,))
        return [from_dict(StoryEvent, json.loads(row["record"])) for row in rows.fetchall()]

    def received_times(self, article_ids: list[str]) -> dict[str, str]:
        """When each article was first stored (ISO), for the articles that exist."""
        out: dict[str, str] = {}
        for start in range(0, len(article_ids), 500):
            part = article_ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT id, ingested_at FROM articles WHERE id IN ({','.join('?' * len(part))})", part
            )
            out.update({row["id"]: row["ingested_at"] for row in rows})
        return out

    def unclustered_articles(self) -> list[Article]:
        """Articles that belong to no story yet, in ingest order."""
        rows = self.db.execute(
            "SELECT a.id, a.record FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id"
            " WHERE s.article_id IS NULL ORDER BY a.rowid"
        ).fetchall()
        return [self._article(row["id"], row["record"]) for row in rows]

    # --- briefs ------------------------------------------------------------------------------------------

    def put_brief(self, brief: Brief, problems: list[str], story_updated_at: str) -> None:
        """Store the story's current brief; a brief that differs from the story's last version is also kept as a
        new version (`brief_versions`), so readers can see what changed."""
        record = _json(to_dict(brief))
        with self.transaction() as db:
            last = db.execute(
                "SELECT version, record FROM brief_versions WHERE story_id = ? ORDER BY version DESC LIMIT 1",
                (brief.id,),
            ).fetchone()
            if last is None or last["record"] != record:
                db.execute(
                    "INSERT INTO brief_versions VALUES (?, ?, ?, ?)",
                    (brief.id, (last["version"] if last else 0) + 1, record, _now()),
                )
            db.execute(
                "INSERT INTO briefs (story_id, record, problems, story_updated_at, generated_at, locations_seen)"
                " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(rowid), 0) FROM locations))"
                " ON CONFLICT (story_id) DO UPDATE SET record = excluded.record, problems = excluded.problems,"
                " story_updated_at = excluded.story_updated_at, generated_at = excluded.generated_at,"
                " locations_seen = excluded.locations_seen",
                (brief.id, record, _json(problems), story_updated_at, _now()),
            )

    def brief_versions(self, story_id: str) -> list[tuple[int, str]]:
        """(version, generated_at) of every stored version of a story's brief, oldest first."""
        rows = self.db.execute(
            "SELECT version, generated_at FROM brief_versions WHERE story_id = ? ORDER BY version", (story_id,)
        ).fetchall()
        return [(int(row[0]), str(row[1])) for row in rows]

    def get_brief_version(self, story_id: str, version: int) -> Brief | None:
        row = self.db.execute(
            "SELECT record FROM brief_versions WHERE story_id = ? AND version = ?", (story_id, version)
        ).fetchone()
        return None if row is None else from_dict(Brief, json.loads(row[0]))

    def recent_brief_versions(self, limit: int) -> list[tuple[str, int, str]]:
        """(story id, version, generated_at) of the `limit` most recently written brief versions, newest first."""
        rows = self.db.execute(
            "SELECT story_id, version, generated_at FROM brief_versions ORDER BY generated_at DESC, story_id, version"
            " DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    def briefs_changed_since(self, since: str) -> list[str]:
        """Ids of the stories whose brief changed at or after `since` (an ISO time), most recent change first."""
        rows = self.db.execute(
            "SELECT story_id, max(generated_at) AS latest FROM brief_versions"
            " WHERE generated_at >= ? GROUP BY story_id ORDER BY latest DESC, story_id",
            (since,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def get_brief(self, story_id: str) -> tuple[Brief, list[str]] | None:
        """The stored brief of a story and its grounding problems, or None when none was written."""
        row = self.db.execute("SELECT record, problems FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        return from_dict(Brief, json.loads(row["record"])), list(json.loads(row["problems"]))

    def stale_briefs(self, story_id: str | None = None) -> list[str]:
        """Ids of stories (or of `story_id` alone) whose brief is missing or older than the story, or older than
        a location (another outlet running the same text) added to one of its articles."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
            " WHERE (b.story_id IS NULL OR b.story_updated_at != s.updated_at OR EXISTS ("
            "   SELECT 1 FROM story_articles sa JOIN locations l ON l.article_id = sa.article_id"
            "   WHERE sa.story_id = s.id AND l.rowid > b.locations_seen))"
            " AND (? IS NULL OR s.id = ?)"
            " ORDER BY s.id",
            (story_id, story_id),
        ).fetchall()
        return [str(row["id"]) for row in rows]

    # --- followed feeds ---------------------------------------------------------------------------------

    def put_feed(self, feed: Feed, replaces: str | None = None) -> None:
        """Insert or update a feed (`replaces`: its former URL, after a permanent redirect)."""
        with self.transaction() as db:
            if replaces is not None and replaces != feed.url:
                db.execute("DELETE FROM feeds WHERE url = ?", (replaces,))
            db.execute(
                "INSERT INTO feeds (url, record, next_fetch) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " record = excluded.record, next_fetch = excluded.next_fetch",
                (storable(feed.url), _json(to_dict(feed)), feed.next_fetch),
            )

    def feeds(self) -> list[Feed]:
        """Every followed feed, in URL order."""
        rows = self.db.execute("SELECT record FROM feeds ORDER BY url").fetchall()
        return [from_dict(Feed, json.loads(row[0])) for row in rows]

    def get_feed(self, url: str) -> Feed | None:
        row = self.db.execute("SELECT record FROM feeds WHERE url = ?", (url,)).fetchone()
        return None if row is None else from_dict(Feed, json.loads(row[0]))

    def remove_feed(self, url: str) -> bool:
        """Stop following a feed (its articles stay). Returns False when it was not followed."""
        with self.transaction() as db:
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def due_feeds(self, now: str) -> list[Feed]:
        """Active feeds due at `now` (an ISO time), the longest-waiting first."""
        rows = self.db.execute(
            "SELECT record FROM feeds WHERE next_fetch IS NULL OR next_fetch <= ? ORDER BY next_fetch, url", (now,)
        ).fetchall()
        return [f for f in (from_dict(Feed, json.loads(row[0])) for row in rows) if f.status == "active"]

    def has_location(self, location: str) -> bool:
        """Whether an article was read from this location (a path or URL) before."""
        return self.db.execute("SELECT 1 FROM locations WHERE location = ? LIMIT 1", (location,)).fetchone() is not None

    # --- checks ------------------------------------------------------------------------------------------

    def contents(self) -> StoreContents:
        """The rows `check --store` compares."""
        db = self.db
        return StoreContents(
            stories={
                str(r[0]): (json.loads(r[1]), int(r[2]), str(r[3]))
                for r in db.execute("SELECT id, record, article_count, status FROM stories")
            },
            links={str(r[0]): str(r[1]) for r in db.execute("SELECT article_id, story_id FROM story_articles")},
            articles=_ids(db, "SELECT id FROM articles"),
            analysed=_ids(db, "SELECT article_id FROM analyses"),
            located=_ids(db, "SELECT article_id FROM locations"),
            cluster_skips=_ids(db, "SELECT source FROM skips WHERE stage = 'cluster'"),
            briefs={str(r[0]): json.loads(r[1]).get("id") for r in db.execute("SELECT story_id, record FROM briefs")},
            skips=int(db.execute("SELECT COUNT(*) FROM skips").fetchone()[0]),
        )

    def integrity_problems(self, article_count: int) -> list[str]:
        """SQLite's integrity and foreign-key checks, and the FTS5 index against the articles table."""
        db = self.db
        problems = []
        result = [str(r[0]) for r in db.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append("SQLite integrity check: " + "; ".join(result[:5]))
        if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
            problems.append("SQLite foreign key check found rows that name missing rows")
        try:
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            problems.append(f"the full-text index does not match the articles: {error}")
        indexed = int(db.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0])
        if indexed != article_count:
            problems.append(f"the full-text index holds {indexed} rows for {article_count} articles")
        return problems

    def _article(self, article_id: str, record: str) -> Article:
        data: dict[str, Any] = json.loads(record)
        rows = self.db.execute(
            "SELECT location, record FROM locations WHERE article_id = ? ORDER BY rowid", (article_id,)
        ).fetchall()
        data["locations"] = [row[0] for row in rows]
        data["appearances"] = [json.loads(row[1]) if row[1] else {"location": row[0]} for row in rows]
        return from_dict(Article, data)


def _ids(db: sqlite3.Connection, sql: str) -> set[str]:
    return {str(row[0]) for row in db.execute(sql)}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _fts_query(query: str) -> str:
    """Quote each word so user input is never read as FTS5 syntax (control characters, NUL too, are dropped)."""
    words = [w.replace('"', '""') for w in re.sub(r"[\x00-\x1f\x7f]", " ", query).split()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _statements(sql: str) -> Iterator[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    buffer: list[str] = []
    for line in sql.strip().splitlines():
        buffer.append(line)
        candidate = "\n".join(buffer)
        if sqlite3.complete_statement(candidate):
            yield candidate
            buffer = []
    if "".join(buffer).strip():
        yield "\n".join(buffer)


def _story_filter(status: str | None, language: str | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (with its values) of a story listing by status and member language."""
    clauses, values = [], []
    if status is not None:
        clauses.append("status = ?")
        values.append(status)
    if language is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each(stories.record, '$.coverage.languages') WHERE value = ?)")
        values.append(language)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(values)
