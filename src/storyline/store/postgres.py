"""Postgres store (`--db postgresql://...`): the same observable behaviour as `SQLiteStore` on a server that
several processes share.

Several writers at once (two `run`s, `watch` and `run`) never duplicate or lose an article: every write is keyed
(content-hash ids, unique constraints, `INSERT ... ON CONFLICT`), one transaction per document as in SQLite;
clustering state is saved under a transaction-level advisory lock with the same optimistic version check
(`ConcurrentUpdate`); brief versions are numbered under a per-story advisory lock; migrations are applied
under a session advisory lock, so two processes opening a new database never both apply one. Batches go
through `executemany` (psycopg pipelines them: one round trip per batch, not per row).

Differences from SQLite, by necessity: search ranks with `ts_rank_cd` (SQLite: bm25) and its snippets come
from `ts_headline`; Postgres text cannot hold NUL, so a NUL in stored text becomes U+FFFD (one character for
one, so offsets hold).
"""

import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Self

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

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
from storyline.store.postgres_migrations import LANGUAGE_CONFIGS, POSTGRES_MIGRATIONS
from storyline.store.protocol import ConcurrentUpdate, StoreContents
from storyline.store.sqlite import document_id

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

__all__ = ["PostgresStore"]

logger = logging.getLogger(__name__)

Connection = psycopg.Connection[tuple[Any, ...]]

# Advisory lock keys (a fixed first key, "stor", so they do not collide with other applications' locks).
LOCK_SPACE = 0x73746F72
MIGRATIONS_LOCK = 1
_CLUSTER_LOCK = 2
_BRIEF_LOCKS = 0x73746F73  # with hashtext(story id) as the second key: one story's brief versions at a time
OPEN_TIMEOUT = 30  # seconds to wait for a connection when opening
BATCH = 1000  # articles read per query by the listings
_CONFIGS = ("simple", *sorted(set(LANGUAGE_CONFIGS.values())))
_SNIPPET = "StartSel=[, StopSel=], MaxWords=12, MinWords=5, ShortWord=0, MaxFragments=1, FragmentDelimiter=…"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PostgresStore:
    """The Postgres store. Open with a `postgresql://` URL; the database must exist (the schema is created).

    Args:
        url: a libpq URL, e.g. `postgresql://user@host:5432/news`.
        read_only: every transaction is read-only (the server refuses writes), as the web server's reads are.
        pool_size: 0 keeps one connection (used by one thread at a time); more opens a `psycopg_pool` pool of up
            to that many connections, shared by threads (the web server).
    """

    def __init__(self, url: str, read_only: bool = False, pool_size: int = 0) -> None:
        self.url = url
        self.read_only = read_only
        self._lock = threading.RLock()
        self._pool: ConnectionPool[Connection] | None = None
        self._connection_: Connection | None = None
        conninfo = _conninfo(url, read_only)
        try:
            if pool_size > 0:
                self._pool = _open_pool(conninfo, pool_size)
            else:
                self._connection_ = psycopg.connect(conninfo, autocommit=True, connect_timeout=OPEN_TIMEOUT)
        except psycopg.Error as error:  # psycopg_pool.PoolTimeout is one too
            self.close()
            raise StoreError(f"cannot open database {_redacted(url)}: {error}") from error
        self.migrate()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._connection_ is not None:
            self._connection_.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection for a few statements (autocommit); database errors become StoreError."""
        try:
            if self._pool is not None:
                with self._pool.connection() as pooled:
                    yield pooled
            else:
                assert self._connection_ is not None  # set in __init__ when there is no pool
                with self._lock:
                    yield self._connection_
        except psycopg.Error as error:
            raise StoreError(f"database error: {error}") from error

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.connection() as db, db.transaction():
            yield db

    def data_version(self) -> str:
        """The current snapshot (`pg_current_snapshot()`): it changes whenever a writing transaction starts or
        ends anywhere in the cluster, so equal tokens mean the same committed content. No table is read and no
        write path pays for it (a counter row would serialise concurrent writers)."""
        with self.connection() as db:
            row = db.execute("SELECT pg_current_snapshot()::text").fetchone()
        return str(row[0]) if row else ""

    # --- migrations --------------------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply pending migrations under an advisory lock; returns the names applied."""
        with self.connection() as db:
            if not self._pending(db):
                return []
            if self.read_only:
                raise StoreError("the database schema is not up to date; open it once for writing to migrate it")
            db.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_SPACE, MIGRATIONS_LOCK))
            try:
                return self._apply(db)
            finally:
                db.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_SPACE, MIGRATIONS_LOCK))

    @staticmethod
    def _pending(db: Connection) -> list[str]:
        if db.execute("SELECT to_regclass('_migrations')").fetchone() == (None,):
            return [name for name, _ in POSTGRES_MIGRATIONS]
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        return [name for name, _ in POSTGRES_MIGRATIONS if name not in done]

    def _apply(self, db: Connection) -> list[str]:
        db.execute(
            'CREATE TABLE IF NOT EXISTS _migrations (name text COLLATE "C" PRIMARY KEY, applied_at text NOT NULL)'
        )
        applied = []
        pending = set(self._pending(db))  # read again under the lock: another process may have applied some
        for name, sql in POSTGRES_MIGRATIONS:
            if name not in pending:
                continue
            with db.transaction():
                db.execute(sql.encode())
                db.execute("INSERT INTO _migrations VALUES (%s, %s)", (name, _now()))
            applied.append(name)
            logger.info("applied migration %s", name)
        return applied

    def migrations(self) -> list[str]:
        with self.connection() as db:
            return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]

    # --- documents and articles -------------------------------------------------------------------------

    def add_article(self, document: Document, article: Article) -> bool:
        """Store a document and its article in one transaction. Returns False when the article was known.

        The statements go out as one pipeline (one round trip to the server, not five)."""
        record = to_dict(article)
        record.pop("locations")
        record.pop("appearances")
        appearances = [
            Appearance(location, article.outlet, article.url, article.published, article.authors, article.title)
            for location in article.locations
        ]
        with self.connection() as db, db.pipeline(), db.transaction():
            doc_id = self._put_document(db, document)
            inserted = db.execute(
                "INSERT INTO articles (id, title, text, url, outlet, published, language, record, ingested_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s) ON CONFLICT (id) DO NOTHING RETURNING seq",
                (
                    article.id,
                    _text(article.title),
                    _text(article.text),
                    _optional(article.url),
                    _optional(article.outlet),
                    _optional(article.published),
                    _optional(article.language),
                    _jsonb(record),
                    _now(),
                ),
            )
            for appearance in appearances:
                db.execute(
                    "INSERT INTO locations (article_id, location, document_id, record) VALUES (%s, %s, %s, %s::jsonb)"
                    " ON CONFLICT DO NOTHING",
                    (article.id, _text(appearance.location), doc_id, _jsonb(to_dict(appearance))),
                )
        return inserted.fetchone() is not None

    def add_skip(self, skip: Skip, document: Document | None = None) -> None:
        """Record a skip (and the document it concerns, so its content is kept)."""
        with self._transaction() as db:
            doc_id = self._put_document(db, document) if document is not None else None
            db.execute(
                "INSERT INTO skips (source, stage, reason, document_id, at) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (source, stage, reason) DO UPDATE SET at = excluded.at",
                (_text(skip.source), skip.stage, _text(skip.reason), doc_id, _now()),
            )

    @staticmethod
    def _put_document(db: Connection, document: Document) -> str:
        doc_id = document_id(document)
        db.execute(
            "INSERT INTO documents VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                doc_id,
                _text(document.source),
                _text(document.location),
                document.media_type,
                _text(document.content),
                _jsonb([to_dict(h) for h in document.hints]),
                _optional(document.url),
                _now(),
            ),
        )
        return doc_id

    def document_outcome(self, document: Document) -> str | None:
        """'ingested' or 'skipped' when this exact document (location and content) was stored before, else None."""
        doc_id = document_id(document)
        with self.connection() as db:
            row = db.execute(
                "SELECT EXISTS (SELECT 1 FROM locations WHERE document_id = %s),"
                " EXISTS (SELECT 1 FROM skips WHERE document_id = %s)",
                (doc_id, doc_id),
            ).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return "ingested" if row[0] else "skipped"

    def get_article(self, article_id: str) -> Article:
        """The article with this id, or the only one whose id starts with it. Raises StoreError otherwise."""
        with self.connection() as db:
            row = self._by_id(db, "articles", article_id, "article")
            return self._articles(db, [row])[0]

    @staticmethod
    def _by_id(db: Connection, table: str, key: str, what: str) -> tuple[str, Any]:
        """(id, record) of the row whose id is `key`, else of the only one whose id starts with it (4+ characters)."""
        key = _text(key)
        row = db.execute(f"SELECT id, record FROM {table} WHERE id = %s", (key,)).fetchone()
        if row is not None:
            return (row[0], row[1])
        rows = []
        if len(key) >= 4:
            rows = db.execute(
                f"SELECT id, record FROM {table} WHERE id >= %s AND id < %s ORDER BY id LIMIT 2",
                (key, key + "\U0010ffff"),
            ).fetchall()
        if not rows:
            raise StoreError(f"no {what} with id {key!r}")
        if len(rows) > 1:
            raise StoreError(f"id prefix {key!r} matches several {what} ids")
        return (rows[0][0], rows[0][1])

    def articles(self, limit: int | None = None) -> Iterator[Article]:
        """Articles in ingest order, read `BATCH` at a time."""
        after, left = 0, limit or None
        while left is None or left > 0:
            size = BATCH if left is None else min(BATCH, left)
            with self.connection() as db:
                rows = db.execute(
                    "SELECT seq, id, record FROM articles WHERE seq > %s ORDER BY seq LIMIT %s", (after, size)
                ).fetchall()
                batch = self._articles(db, [(row[1], row[2]) for row in rows])
            yield from batch
            if len(rows) < size:
                return
            after = rows[-1][0]
            left = None if left is None else left - len(rows)

    def count_articles(self) -> int:
        with self.connection() as db:
            return _count(db, "SELECT count(*) FROM articles")

    def skips(self) -> list[Skip]:
        with self.connection() as db:
            rows = db.execute("SELECT source, stage, reason FROM skips ORDER BY id").fetchall()
        return [Skip(row[0], row[1], row[2]) for row in rows]

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search over titles and texts, each article in its language's configuration: (article,
        snippet) pairs, best first. The words are matched as words (all of them), never parsed as syntax."""
        words = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", query).split())
        if not words:
            return []
        either = " || ".join(f"plainto_tsquery('{config}', %(q)s)" for config in _CONFIGS)
        with self.connection() as db:
            rows = db.execute(
                f"WITH q AS (SELECT {either} AS query)"
                " SELECT a.id, a.record, ts_headline(storyline_regconfig(a.language), a.text, q.query, %(snippet)s)"
                " FROM articles a, q WHERE a.search @@ q.query"
                " ORDER BY ts_rank_cd(a.search, q.query) DESC, a.seq LIMIT %(limit)s",
                {"q": _text(words), "snippet": _SNIPPET, "limit": limit},
            ).fetchall()
            found = self._articles(db, [(row[0], row[1]) for row in rows])
        return [(article, row[2]) for article, row in zip(found, rows, strict=True)]

    def has_location(self, location: str) -> bool:
        """Whether an article was read from this location (a path or URL) before."""
        with self.connection() as db:
            row = db.execute("SELECT 1 FROM locations WHERE location = %s LIMIT 1", (_text(location),)).fetchone()
        return row is not None

    def received_times(self, article_ids: list[str]) -> dict[str, str]:
        """When each article was first stored (ISO), for the articles that exist."""
        with self.connection() as db:
            rows = db.execute("SELECT id, ingested_at FROM articles WHERE id = ANY(%s)", (article_ids,)).fetchall()
        return {row[0]: row[1] for row in rows}

    # --- analyses ----------------------------------------------------------------------------------------

    def put_analyses(self, analyses: list[Analysis]) -> None:
        """Store a batch of analyses in one transaction (replacing older versions)."""
        rows = [(a.article_id, a.version, _jsonb(to_dict(a)), _now()) for a in analyses]
        with self._transaction() as db, db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO analyses VALUES (%s, %s, %s::jsonb, %s) ON CONFLICT (article_id) DO UPDATE SET"
                " version = excluded.version, record = excluded.record, analysed_at = excluded.analysed_at",
                rows,
            )

    def get_analysis(self, article_id: str) -> Analysis | None:
        with self.connection() as db:
            row = db.execute("SELECT record FROM analyses WHERE article_id = %s", (article_id,)).fetchone()
        return from_dict(Analysis, row[0]) if row else None

    def articles_to_analyse(self, version: str, limit: int | None = None) -> list[Article]:
        """Articles with no analysis, or one made by another version, in ingest order."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT a.id, a.record FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
                " WHERE n.article_id IS NULL OR n.version != %s ORDER BY a.seq LIMIT %s",
                (version, limit or None),
            ).fetchall()
            return self._articles(db, [(row[0], row[1]) for row in rows])

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

        Writers take one advisory lock for the whole transaction, so the version check and the write are atomic
        (two processes clustering at once: the second one's check fails and it raises ConcurrentUpdate, writing
        nothing). Otherwise as `SQLiteStore.put_stories`.
        """
        with self._transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, _CLUSTER_LOCK))
            if expected_version is not None and self._state_version(db) != expected_version:
                raise ConcurrentUpdate("the clustering state changed since it was read (another process clustered)")
            gone = list(removed) + [story.id for story in stories if not story.members]
            if gone:
                db.execute("DELETE FROM stories WHERE id = ANY(%s)", (gone,))
                db.execute("DELETE FROM briefs WHERE story_id = ANY(%s)", (gone,))
            for story in stories:
                if story.members:
                    self._put_story(db, story)
            self._unlink(db, gone)
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO story_events (story_id, record) VALUES (%s, %s::jsonb)",
                    [(event.story_id, _jsonb(to_dict(event))) for event in events],
                )
            if state is not None:
                db.execute(
                    "INSERT INTO state (key, value, updated_at, version) VALUES ('cluster', %s, %s, 1)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
                    " version = state.version + 1",
                    (state, _now()),
                )

    @staticmethod
    def _unlink(db: Connection, gone: list[str]) -> None:
        """Take deleted stories out of the `follows` and `followed_by` of every story left (no dangling link)."""
        if not gone:
            return
        rows = db.execute(
            "SELECT id, record FROM stories WHERE record->'follows' ?| %s OR record->'followed_by' ?| %s",
            (gone, gone),
        ).fetchall()
        dead = set(gone)
        for story_id, data in rows:
            for key in ("follows", "followed_by"):
                data[key] = [linked for linked in data.get(key, []) if linked not in dead]
            db.execute("UPDATE stories SET record = %s::jsonb WHERE id = %s", (_jsonb(data), story_id))

    @staticmethod
    def _put_story(db: Connection, story: Story) -> None:
        """Upsert one story (keeping the followers already recorded) and link it to the stories it follows (those
        that still exist: a story followed once may have been merged away since)."""
        old = db.execute("SELECT record->'followed_by' FROM stories WHERE id = %s", (story.id,)).fetchone()
        followers = set(story.followed_by) | set(old[0] or () if old else ())
        record = to_dict(story)
        record["followed_by"] = sorted(followers)
        followed = [f for f in story.follows if db.execute("SELECT 1 FROM stories WHERE id = %s", (f,)).fetchone()]
        record["follows"] = followed
        last_seen = story.coverage.last_seen if story.coverage else None
        db.execute(
            "INSERT INTO stories (id, record, article_count, last_seen, updated_at, status)"
            " VALUES (%s, %s::jsonb, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET record = excluded.record, article_count = excluded.article_count,"
            " last_seen = excluded.last_seen, updated_at = excluded.updated_at, status = excluded.status",
            (story.id, _jsonb(record), len(story.members), last_seen, story.updated_at or _now(), story.status),
        )
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO story_articles VALUES (%s, %s) ON CONFLICT (article_id) DO UPDATE SET"
                " story_id = excluded.story_id",
                [(member.article_id, story.id) for member in story.members],
            )
        for earlier in followed:
            row = db.execute("SELECT record FROM stories WHERE id = %s", (earlier,)).fetchone()
            assert row is not None  # `followed` holds only stories that exist, in this transaction
            data = row[0]
            data["followed_by"] = sorted(set(data.get("followed_by", [])) | {story.id})
            db.execute("UPDATE stories SET record = %s::jsonb WHERE id = %s", (_jsonb(data), earlier))

    @staticmethod
    def _state_version(db: Connection) -> int:
        row = db.execute("SELECT version FROM state WHERE key = 'cluster'").fetchone()
        return int(row[0]) if row else 0

    def cluster_state(self) -> bytes | None:
        return self.cluster_state_version()[0]

    def cluster_state_version(self) -> tuple[bytes | None, int]:
        """The saved clustering state and its version (0 when none was saved), read together."""
        with self.connection() as db:
            row = db.execute("SELECT value, version FROM state WHERE key = 'cluster'").fetchone()
        return (bytes(row[0]), int(row[1])) if row else (None, 0)

    def stories(
        self, limit: int | None = None, offset: int = 0, status: str | None = None, language: str | None = None
    ) -> list[Story]:
        """Stories by latest activity (latest member publication, then last change), newest first; `status` and
        `language` (a member's ISO 639-1 code) filter them."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT record FROM stories WHERE (%s::text IS NULL OR status = %s)"
                " AND (%s::text IS NULL OR record->'coverage'->'languages' ? %s)"
                " ORDER BY coalesce(last_seen, '') DESC, updated_at DESC, id LIMIT %s OFFSET %s",
                (status, status, language, language, limit, offset),
            ).fetchall()
        return [from_dict(Story, row[0]) for row in rows]

    def count_stories(self, status: str | None = None, language: str | None = None) -> int:
        with self.connection() as db:
            return _count(
                db,
                "SELECT count(*) FROM stories WHERE (%s::text IS NULL OR status = %s)"
                " AND (%s::text IS NULL OR record->'coverage'->'languages' ? %s)",
                status,
                status,
                language,
                language,
            )

    def story_languages(self) -> list[tuple[str, int]]:
        """Each language of the stories' coverage with its story count, most stories first."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT value, count(*) AS n FROM stories,"
                " jsonb_array_elements_text(record->'coverage'->'languages') AS value"
                " GROUP BY value ORDER BY n DESC, value"
            ).fetchall()
        return [(str(row[0]), int(row[1])) for row in rows]

    def get_story(self, story_id: str) -> Story:
        """The story with this id, or the only one whose id starts with it. Raises StoreError otherwise."""
        with self.connection() as db:
            return from_dict(Story, self._by_id(db, "stories", story_id, "story")[1])

    def story_of(self, article_id: str) -> str | None:
        with self.connection() as db:
            row = db.execute("SELECT story_id FROM story_articles WHERE article_id = %s", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def story_events(self, story_id: str) -> list[StoryEvent]:
        with self.connection() as db:
            rows = db.execute("SELECT record FROM story_events WHERE story_id = %s ORDER BY id", (story_id,))
            return [from_dict(StoryEvent, row[0]) for row in rows.fetchall()]

    def unclustered_articles(self) -> list[Article]:
        """Articles that belong to no story yet, in ingest order."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT a.id, a.record FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id"
                " WHERE s.article_id IS NULL ORDER BY a.seq"
            ).fetchall()
            return self._articles(db, [(row[0], row[1]) for row in rows])

    # --- briefs ------------------------------------------------------------------------------------------

    def put_brief(self, brief: Brief, problems: list[str], story_updated_at: str) -> None:
        """Store the story's current brief; one that differs from the story's last version is also kept as a new
        version. The brief records how many locations its story's articles had, so one added later (another
        outlet running the same text), even by a transaction still open now, makes it stale."""
        record = _jsonb(to_dict(brief))
        with self._transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_BRIEF_LOCKS, brief.id))
            last = db.execute(
                "SELECT version, record = %s::jsonb FROM brief_versions WHERE story_id = %s"
                " ORDER BY version DESC LIMIT 1",
                (record, brief.id),
            ).fetchone()
            if last is None or not last[1]:
                db.execute(
                    "INSERT INTO brief_versions VALUES (%s, %s, %s::jsonb, %s)",
                    (brief.id, (last[0] if last else 0) + 1, record, _now()),
                )
            db.execute(
                "INSERT INTO briefs (story_id, record, problems, story_updated_at, generated_at, locations_counted)"
                " VALUES (%s, %s::jsonb, %s::jsonb, %s, %s, (SELECT count(*) FROM story_articles sa"
                " JOIN locations l ON l.article_id = sa.article_id WHERE sa.story_id = %s))"
                " ON CONFLICT (story_id) DO UPDATE SET record = excluded.record, problems = excluded.problems,"
                " story_updated_at = excluded.story_updated_at, generated_at = excluded.generated_at,"
                " locations_counted = excluded.locations_counted",
                (brief.id, record, _jsonb(problems), story_updated_at, _now(), brief.id),
            )

    def get_brief(self, story_id: str) -> tuple[Brief, list[str]] | None:
        """The stored brief of a story and its grounding problems, or None when none was written."""
        with self.connection() as db:
            row = db.execute("SELECT record, problems FROM briefs WHERE story_id = %s", (story_id,)).fetchone()
        return None if row is None else (from_dict(Brief, row[0]), list(row[1]))

    def stale_briefs(self, story_id: str | None = None) -> list[str]:
        """Ids of stories (or of `story_id` alone) whose brief is missing, older than the story, or written when
        its articles had fewer locations than now."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
                " WHERE (b.story_id IS NULL OR b.story_updated_at != s.updated_at OR b.locations_counted != ("
                "   SELECT count(*) FROM story_articles sa JOIN locations l ON l.article_id = sa.article_id"
                "   WHERE sa.story_id = s.id))"
                " AND (%s::text IS NULL OR s.id = %s) ORDER BY s.id",
                (story_id, story_id),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def brief_versions(self, story_id: str) -> list[tuple[int, str]]:
        """(version, generated_at) of every stored version of a story's brief, oldest first."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT version, generated_at FROM brief_versions WHERE story_id = %s ORDER BY version", (story_id,)
            ).fetchall()
        return [(int(row[0]), str(row[1])) for row in rows]

    def get_brief_version(self, story_id: str, version: int) -> Brief | None:
        with self.connection() as db:
            row = db.execute(
                "SELECT record FROM brief_versions WHERE story_id = %s AND version = %s", (story_id, version)
            ).fetchone()
        return None if row is None else from_dict(Brief, row[0])

    def recent_brief_versions(self, limit: int) -> list[tuple[str, int, str]]:
        """(story id, version, generated_at) of the `limit` most recently written brief versions, newest first."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT story_id, version, generated_at FROM brief_versions"
                " ORDER BY generated_at DESC, story_id, version DESC LIMIT %s",
                (limit,),
            ).fetchall()
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    def briefs_changed_since(self, since: str) -> list[str]:
        """Ids of the stories whose brief changed at or after `since` (an ISO time), most recent change first."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT story_id, max(generated_at) AS latest FROM brief_versions"
                " WHERE generated_at >= %s GROUP BY story_id ORDER BY latest DESC, story_id",
                (_text(since),),
            ).fetchall()
        return [str(r[0]) for r in rows]

    # --- followed feeds ---------------------------------------------------------------------------------

    def put_feed(self, feed: Feed, replaces: str | None = None) -> None:
        """Insert or update a feed (`replaces`: its former URL, after a permanent redirect)."""
        with self._transaction() as db:
            if replaces is not None and replaces != feed.url:
                db.execute("DELETE FROM feeds WHERE url = %s", (_text(replaces),))
            db.execute(
                "INSERT INTO feeds (url, record, next_fetch) VALUES (%s, %s::jsonb, %s) ON CONFLICT (url) DO UPDATE"
                " SET record = excluded.record, next_fetch = excluded.next_fetch",
                (_text(feed.url), _jsonb(to_dict(feed)), feed.next_fetch),
            )

    def feeds(self) -> list[Feed]:
        """Every followed feed, in URL order."""
        with self.connection() as db:
            rows = db.execute("SELECT record FROM feeds ORDER BY url").fetchall()
        return [from_dict(Feed, row[0]) for row in rows]

    def get_feed(self, url: str) -> Feed | None:
        with self.connection() as db:
            row = db.execute("SELECT record FROM feeds WHERE url = %s", (_text(url),)).fetchone()
        return None if row is None else from_dict(Feed, row[0])

    def remove_feed(self, url: str) -> bool:
        """Stop following a feed (its articles stay). Returns False when it was not followed."""
        with self._transaction() as db:
            return db.execute("DELETE FROM feeds WHERE url = %s", (_text(url),)).rowcount > 0

    def due_feeds(self, now: str) -> list[Feed]:
        """Active feeds due at `now` (an ISO time), the longest-waiting first."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT record FROM feeds WHERE next_fetch IS NULL OR next_fetch <= %s"
                " ORDER BY next_fetch NULLS FIRST, url",
                (now,),
            ).fetchall()
        return [f for f in (from_dict(Feed, row[0]) for row in rows) if f.status == "active"]

    # --- checks ------------------------------------------------------------------------------------------

    def contents(self) -> StoreContents:
        """The rows `check --store` compares."""
        with self.connection() as db:
            return StoreContents(
                stories={
                    str(r[0]): (r[1], int(r[2]), str(r[3]))
                    for r in db.execute("SELECT id, record, article_count, status FROM stories")
                },
                links={str(r[0]): str(r[1]) for r in db.execute("SELECT article_id, story_id FROM story_articles")},
                articles=_ids(db, "SELECT id FROM articles"),
                analysed=_ids(db, "SELECT article_id FROM analyses"),
                located=_ids(db, "SELECT article_id FROM locations"),
                cluster_skips=_ids(db, "SELECT source FROM skips WHERE stage = 'cluster'"),
                briefs={str(r[0]): r[1] for r in db.execute("SELECT story_id, record->>'id' FROM briefs")},
                skips=_count(db, "SELECT count(*) FROM skips"),
            )

    def integrity_problems(self, article_count: int) -> list[str]:
        """Postgres enforces the keys itself; what is left: no index left invalid (a failed concurrent build),
        and every article carries its search vector."""
        problems = []
        with self.connection() as db:
            invalid = [
                str(r[0])
                for r in db.execute(
                    "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = current_schema() AND NOT i.indisvalid ORDER BY 1"
                )
            ]
            indexed = _count(db, "SELECT count(*) FROM articles WHERE search IS NOT NULL")
        if invalid:
            problems.append(f"invalid Postgres index(es): {', '.join(invalid)}")
        if indexed != article_count:
            problems.append(f"the full-text index holds {indexed} rows for {article_count} articles")
        return problems

    # --- reading articles --------------------------------------------------------------------------------

    @staticmethod
    def _articles(db: Connection, rows: Sequence[tuple[str, Any]]) -> list[Article]:
        """Articles from (id, record) rows, with every location of each read in one query, in reading order."""
        places: dict[str, list[tuple[str, Any]]] = {article_id: [] for article_id, _ in rows}
        if rows:
            for article_id, location, record in db.execute(
                "SELECT article_id, location, record FROM locations WHERE article_id = ANY(%s) ORDER BY seq",
                (list(places),),
            ):
                places[article_id].append((location, record))
        out = []
        for article_id, record in rows:
            data: dict[str, Any] = dict(record)
            data["locations"] = [location for location, _ in places[article_id]]
            data["appearances"] = [extra or {"location": location} for location, extra in places[article_id]]
            out.append(from_dict(Article, data))
        return out


def _open_pool(conninfo: str, size: int) -> "ConnectionPool[Connection]":
    from psycopg_pool import ConnectionPool

    pool: ConnectionPool[Connection] = ConnectionPool(
        conninfo, min_size=1, max_size=size, kwargs={"autocommit": True}, open=True, name="storyline"
    )
    try:
        pool.wait(timeout=OPEN_TIMEOUT)
    except psycopg.Error:
        pool.close()
        raise
    return pool


def _conninfo(url: str, read_only: bool) -> str:
    """The connection string: `url` with UTC session times and, when read-only, read-only transactions."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise StoreError(f"bad Postgres URL {_redacted(url)}: {error}") from error
    options = str(params.get("options") or "")
    options += " -c TimeZone=UTC" + (" -c default_transaction_read_only=on" if read_only else "")
    params.setdefault("application_name", "storyline")
    return make_conninfo("", **{**params, "options": options.strip()})


def _redacted(url: str) -> str:
    """`url` without its password, for messages."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _count(db: Connection, sql: str, *params: Any) -> int:
    row = db.execute(sql, params or None).fetchone()
    return int(row[0]) if row else 0


def _ids(db: Connection, sql: str) -> set[str]:
    return {str(row[0]) for row in db.execute(sql)}


def _text(text: str) -> str:
    """`text` as Postgres can store it: NUL (which text cannot hold) and lone surrogates become U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def _optional(text: str | None) -> str | None:
    return None if text is None else _text(text)


def _jsonb(data: Any) -> str:
    """JSON text for a jsonb parameter; strings are cleaned as `_text` cleans them (jsonb refuses \\u0000)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text or _text(text) != text:
        text = json.dumps(_cleaned(data), ensure_ascii=False, separators=(",", ":"))
    return text


def _cleaned(data: Any) -> Any:
    if isinstance(data, str):
        return _text(data)
    if isinstance(data, dict):
        return {_text(key): _cleaned(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_cleaned(value) for value in data]
    return data
