"""The SQLite schema of a Storyline store.

One file holds everything a later run needs to continue incrementally: the articles with their clean text
and removals, the passage fingerprints that let a new article find its candidate copies without recomputing
the corpus, the line observations that give the cleaner its corpus evidence, the verified copy links with the
groups they form, and the stories (same real-world event) those groups belong to, with a snapshot of the
story index. Every table is keyed so that writing the same thing twice changes nothing, which is what
makes a killed run restartable.
"""

from __future__ import annotations

import sqlite3

__all__ = ["ADDED_COLUMNS", "SCHEMA", "SCHEMA_VERSION", "upgrade"]

SCHEMA_VERSION = "2"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order
    id           TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL,
    format       TEXT NOT NULL,
    url          TEXT,
    site         TEXT,
    title        TEXT,
    published    TEXT,                                -- ISO 8601, UTC when a zone was known
    raw          TEXT NOT NULL,
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL,                       -- of the raw input, to tell a re-run from an id clash
    extra        TEXT NOT NULL DEFAULT '{}',
    published_source TEXT,                            -- input, html-meta, dateline or body
    notes        TEXT NOT NULL DEFAULT '[]'           -- JSON list: what was repaired or refused, in words
);
CREATE TABLE IF NOT EXISTS removals (
    article TEXT NOT NULL,
    idx     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rejections (
    source  TEXT PRIMARY KEY,
    id      TEXT,
    reason  TEXT NOT NULL,
    kind    TEXT NOT NULL DEFAULT 'failed'                -- model.RejectionKind
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fingerprints (
    key     INTEGER NOT NULL,                         -- a passage fingerprint; at most the cap per key
    article TEXT NOT NULL,
    pos     INTEGER NOT NULL,                         -- where in the article's normalised text
    PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fingerprints_article ON fingerprints (article);
CREATE TABLE IF NOT EXISTS line_obs (
    line    INTEGER NOT NULL,
    site    TEXT NOT NULL,
    context INTEGER NOT NULL,
    article TEXT NOT NULL,
    PRIMARY KEY (line, site, context, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS line_obs_article ON line_obs (article);
CREATE TABLE IF NOT EXISTS copy_links (
    a           TEXT NOT NULL,                         -- a < b
    b           TEXT NOT NULL,
    kind        TEXT NOT NULL,                         -- 'copy' or 'reuse'
    probability REAL NOT NULL,
    passages    TEXT NOT NULL,                         -- JSON [[a_start, a_end, b_start, b_end, quoted], ...]
    evidence    TEXT NOT NULL,                         -- JSON {feature: value}
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
-- each end with the probability: covering indexes for walking a region's strong links (regrouping
-- reads them and not the rows with their passages and evidence); they replace copy_links_b
CREATE INDEX IF NOT EXISTS copy_links_a_strength ON copy_links (a, probability);
CREATE INDEX IF NOT EXISTS copy_links_b_strength ON copy_links (b, probability);
DROP INDEX IF EXISTS copy_links_b;
CREATE TABLE IF NOT EXISTS copy_members (
    article TEXT PRIMARY KEY,
    grp     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS copy_members_grp ON copy_members (grp);
CREATE TABLE IF NOT EXISTS story_members (
    article TEXT PRIMARY KEY,
    story   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story);
CREATE TABLE IF NOT EXISTS story_reps (
    article TEXT PRIMARY KEY                        -- the articles in the story index: one per copy group
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
    name    TEXT PRIMARY KEY,                          -- e.g. the story index
    version TEXT NOT NULL,                             -- what wrote it; a mismatch means rebuild
    data    BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copy_groups (
    id        TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    size      INTEGER NOT NULL
) WITHOUT ROWID;
"""


def upgrade(db: sqlite3.Connection, version: str) -> bool:
    """Bring a store of an older schema up to date in place; False when it cannot be.

    Version 1 kept MinHash band keys and containment-only links. Its articles, evidence and stories stay;
    the copy index, links and groups go, and the missing ``copy_index`` version makes the next run find
    every stored article's copies again (see :mod:`storyline.pipeline.relink`).
    """
    if version != "1":
        return False
    db.executescript(
        """
        BEGIN IMMEDIATE;
        DROP TABLE IF EXISTS band_keys;
        DROP TABLE IF EXISTS copy_links;
        DELETE FROM copy_members;
        DELETE FROM copy_groups;
        DELETE FROM meta WHERE key = 'copy_index';
        UPDATE meta SET value = '2' WHERE key = 'schema';
        COMMIT;
        """
    )
    return True


#: Columns added to existing tables since schema version 1 was first written, as (table, column,
#: definition): a store made before them gets them on open. Older Storyline versions name the columns
#: they read, so they still read a store that has these.
ADDED_COLUMNS = (
    ("articles", "published_source", "TEXT"),
    ("articles", "notes", "TEXT NOT NULL DEFAULT '[]'"),
    ("rejections", "kind", "TEXT NOT NULL DEFAULT 'failed'"),
)
