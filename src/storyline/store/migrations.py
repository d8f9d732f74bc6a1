"""Schema migrations: named, applied in order, each in its own transaction, recorded in `_migrations`."""

__all__ = ["MIGRATIONS"]

_INITIAL = """
CREATE TABLE documents (          -- every input as received, so nothing is lost and extraction can be re-run
    id TEXT PRIMARY KEY,           -- sha256 of location + content
    source TEXT NOT NULL,
    location TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content TEXT NOT NULL,
    hints TEXT NOT NULL,           -- JSON list of Hint
    url TEXT,
    received_at TEXT NOT NULL
);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,       -- content hash of the normalized text
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    published TEXT,
    language TEXT,
    record TEXT NOT NULL,          -- JSON of the Article record (without locations)
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE locations (
    article_id TEXT NOT NULL REFERENCES articles(id),
    location TEXT NOT NULL,
    document_id TEXT REFERENCES documents(id),
    PRIMARY KEY (article_id, location)
);
CREATE TABLE skips (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    document_id TEXT REFERENCES documents(id),
    at TEXT NOT NULL,
    UNIQUE (source, stage, reason)
);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
"""

_ANALYSES = """
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    version TEXT NOT NULL,          -- analysis version: articles analysed by an older version are analysed again
    record TEXT NOT NULL,          -- JSON of the Analysis record
    analysed_at TEXT NOT NULL
);
"""

_STORIES = """
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    record TEXT NOT NULL,          -- JSON of the Story record (members, credits, coverage)
    article_count INTEGER NOT NULL,
    last_seen TEXT,                -- latest publication date of a member (coverage.last_seen)
    updated_at TEXT NOT NULL       -- when the story last changed
);
CREATE INDEX stories_activity ON stories(updated_at);
CREATE TABLE story_articles (      -- which story each article belongs to
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE TABLE story_events (        -- the story log: create, join, merge, split, with reasons
    id INTEGER PRIMARY KEY,
    story_id TEXT NOT NULL,
    record TEXT NOT NULL           -- JSON of the StoryEvent record
);
CREATE INDEX story_events_story ON story_events(story_id);
CREATE TABLE state (               -- opaque stage state, e.g. the clustering index
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_BRIEFS = """
CREATE TABLE briefs (
    story_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,          -- JSON of the Brief record
    problems TEXT NOT NULL,        -- JSON list of grounding problems (empty when the checker passed)
    story_updated_at TEXT NOT NULL, -- the story version the brief was written from
    generated_at TEXT NOT NULL
);
"""

_STORY_ORDER = """
CREATE INDEX stories_latest ON stories(last_seen DESC, updated_at DESC, id);  -- the story list's order
"""

_DORMANT = """
ALTER TABLE stories ADD COLUMN status TEXT NOT NULL DEFAULT 'active';  -- active | dormant
CREATE INDEX stories_status ON stories(status, last_seen DESC, updated_at DESC, id);
ALTER TABLE state ADD COLUMN version INTEGER NOT NULL DEFAULT 0;     -- bumped on every write (optimistic lock)
"""

_APPEARANCES = """
ALTER TABLE locations ADD COLUMN record TEXT;  -- JSON of the Appearance: the metadata this location gives
ALTER TABLE briefs ADD COLUMN locations_seen INTEGER NOT NULL DEFAULT 0;  -- max(locations.rowid) when written
"""

_FEEDS = """
CREATE TABLE feeds (               -- followed sources and the watcher's state for each (the Feed record)
    url TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    next_fetch TEXT                -- when it is due (NULL: now)
);
CREATE INDEX locations_location ON locations(location);  -- has this URL been read before (the watcher asks)
"""

_BRIEF_VERSIONS = """
CREATE TABLE brief_versions (      -- every distinct brief a story had, oldest first (the briefs table holds the latest)
    story_id TEXT NOT NULL,
    version INTEGER NOT NULL,      -- 1, 2, ... per story
    record TEXT NOT NULL,          -- JSON of the Brief record
    generated_at TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
);
CREATE INDEX brief_versions_time ON brief_versions(generated_at);
INSERT INTO brief_versions SELECT story_id, 1, record, generated_at FROM briefs;
"""

_STORY_LIST = """
-- the story list's order as stories() sorts it (COALESCE included), so a page is read from the index, not sorted
CREATE INDEX stories_list ON stories(COALESCE(last_seen, '') DESC, updated_at DESC, id);
CREATE INDEX stories_status_list ON stories(status, COALESCE(last_seen, '') DESC, updated_at DESC, id);
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("001_initial", _INITIAL),
    ("002_analyses", _ANALYSES),
    ("003_stories", _STORIES),
    ("004_briefs", _BRIEFS),
    ("005_story_order", _STORY_ORDER),
    ("006_dormant_stories", _DORMANT),
    ("007_appearances", _APPEARANCES),
    ("008_feeds", _FEEDS),
    ("009_brief_versions", _BRIEF_VERSIONS),
    ("010_story_list_index", _STORY_LIST),
)
