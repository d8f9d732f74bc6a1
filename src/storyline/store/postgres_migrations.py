"""The Postgres schema as numbered migrations, recorded in `_migrations` and applied under an advisory lock.

The tables mirror the SQLite ones (store/migrations.py) with Postgres types: records are JSONB, the ingest
order is an identity column (`seq`, SQLite's rowid), every key or ordered text column is `COLLATE "C"` so
listings sort byte-wise exactly as SQLite's do whatever the database's locale, and full-text search is a
stored `tsvector` built with the text-search configuration of the article's language (`storyline_regconfig`),
indexed with GIN. Times the store itself writes stay ISO-8601 UTC text, compared as SQLite compares them.
Needs Postgres 13 or later (the text-search configurations named below).
"""

__all__ = ["LANGUAGE_CONFIGS", "POSTGRES_MIGRATIONS"]

# ISO 639-1 code -> Postgres text-search configuration (snowball stemmer and stop words); anything else: simple.
LANGUAGE_CONFIGS: dict[str, str] = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

_CASES = "\n".join(f"        WHEN '{code}' THEN '{name}'" for code, name in sorted(LANGUAGE_CONFIGS.items()))

_INITIAL = f"""
CREATE FUNCTION storyline_regconfig(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE split_part(lower(coalesce(language, '')), '-', 1)
{_CASES}
        ELSE 'simple' END)::regconfig
$$;
CREATE TABLE documents (           -- every input as received, so nothing is lost and extraction can be re-run
    id text COLLATE "C" PRIMARY KEY,  -- sha256 of location + content
    source text NOT NULL,
    location text NOT NULL,
    media_type text NOT NULL,
    content text NOT NULL,
    hints jsonb NOT NULL,          -- list of Hint
    url text,
    received_at text NOT NULL
);
CREATE TABLE articles (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- ingest order
    id text COLLATE "C" NOT NULL UNIQUE,  -- content hash of the normalized text
    title text NOT NULL,
    text text NOT NULL,
    url text,
    outlet text,
    published text COLLATE "C",
    language text,
    record jsonb NOT NULL,         -- the Article record (without locations)
    ingested_at text COLLATE "C" NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(storyline_regconfig(language), title), 'A')
        || to_tsvector(storyline_regconfig(language), text)
    ) STORED
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE TABLE locations (
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- the order locations were read in
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    location text COLLATE "C" NOT NULL,
    document_id text COLLATE "C" REFERENCES documents (id),
    record jsonb,                  -- the Appearance: the metadata this location gives
    PRIMARY KEY (article_id, location)
);
CREATE INDEX locations_location ON locations (location);
CREATE INDEX locations_document ON locations (document_id);
CREATE TABLE skips (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    stage text NOT NULL,
    reason text NOT NULL,
    document_id text COLLATE "C" REFERENCES documents (id),
    at text NOT NULL,
    UNIQUE (source, stage, reason)
);
CREATE INDEX skips_document ON skips (document_id);
"""

_ANALYSES = """
CREATE TABLE analyses (
    article_id text COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    version text NOT NULL,         -- articles analysed by an older version are analysed again
    record jsonb NOT NULL,         -- the Analysis record
    analysed_at text NOT NULL
);
"""

_STORIES = """
CREATE TABLE stories (
    id text COLLATE "C" PRIMARY KEY,
    record jsonb NOT NULL,         -- the Story record (members, credits, coverage)
    article_count integer NOT NULL,
    last_seen text COLLATE "C",    -- latest publication date of a member
    updated_at text COLLATE "C" NOT NULL,
    status text NOT NULL DEFAULT 'active'  -- active | dormant
);
CREATE INDEX stories_latest ON stories ((coalesce(last_seen, '')) DESC, updated_at DESC, id);
CREATE INDEX stories_status ON stories (status, (coalesce(last_seen, '')) DESC, updated_at DESC, id);
CREATE TABLE story_articles (      -- which story each article belongs to
    article_id text COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    story_id text COLLATE "C" NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE TABLE story_events (        -- the story log: create, join, merge, split, with reasons
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id text COLLATE "C" NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX story_events_story ON story_events (story_id);
CREATE TABLE state (               -- opaque stage state, e.g. the clustering index
    key text PRIMARY KEY,
    value bytea NOT NULL,
    updated_at text NOT NULL,
    version integer NOT NULL DEFAULT 0  -- bumped on every write (optimistic lock)
);
"""

_BRIEFS = """
CREATE TABLE briefs (
    story_id text COLLATE "C" PRIMARY KEY,
    record jsonb NOT NULL,
    problems jsonb NOT NULL,       -- grounding problems (empty when the checker passed)
    story_updated_at text NOT NULL,  -- the story version the brief was written from
    generated_at text NOT NULL,
    locations_counted bigint NOT NULL  -- locations of the story's articles when written: more means stale
);
CREATE TABLE brief_versions (      -- every distinct brief a story had (the briefs table holds the latest)
    story_id text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    record jsonb NOT NULL,
    generated_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (story_id, version)
);
CREATE INDEX brief_versions_time ON brief_versions (generated_at);
"""

_FEEDS = """
CREATE TABLE feeds (               -- followed sources and the watcher's state for each (the Feed record)
    url text COLLATE "C" PRIMARY KEY,
    record jsonb NOT NULL,
    next_fetch text COLLATE "C"    -- when it is due (NULL: now)
);
CREATE INDEX feeds_due ON feeds (next_fetch NULLS FIRST, url);
"""

POSTGRES_MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("001_initial", _INITIAL),
    ("002_analyses", _ANALYSES),
    ("003_stories", _STORIES),
    ("004_briefs", _BRIEFS),
    ("005_feeds", _FEEDS),
)
