-- The log index: jobs, sources with their checkpoints, entries, and the pre-aggregated counts
-- that stats and time filters read instead of scanning entries.

CREATE TABLE jobs (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One row per log file. The checkpoint (byte_offset, line_no) is the end of the last complete
-- entry indexed; it advances in the same transaction as the entries it covers.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    job_id      INTEGER NOT NULL REFERENCES jobs(id),
    format      TEXT,
    dev         INTEGER,
    inode       INTEGER,
    -- the first bytes of the (decompressed) content, to recognise a file after rotation
    fingerprint BLOB,
    compressed  INTEGER NOT NULL DEFAULT 0,
    byte_offset INTEGER NOT NULL DEFAULT 0,
    line_no     INTEGER NOT NULL DEFAULT 0,
    last_ts     INTEGER,
    size        INTEGER,
    mtime       INTEGER,
    state       TEXT NOT NULL DEFAULT 'active',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX sources_active_path ON sources(path) WHERE state = 'active';
CREATE INDEX sources_fingerprint ON sources(fingerprint);

-- Entry ids sort like time (see store::ids), so "newest first" is a walk down the primary key.
CREATE TABLE log_entries (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    job_id      INTEGER NOT NULL,
    level       INTEGER,
    source_id   INTEGER NOT NULL,
    line_no     INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL,
    message     TEXT NOT NULL,
    level_raw   TEXT,
    fields      TEXT
);
-- No secondary index: job and level filters go through the word index's job and level tokens
-- (see store::plan), which costs far less at insert time than a B-tree index.

-- Entry counts per hour, job and level (level 0 = unknown), kept in the indexing transaction.
CREATE TABLE stats_hourly (
    hour   INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    level  INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (hour, job_id, level)
) WITHOUT ROWID;

-- Entry counts per job and level over all time: the planner's selectivity estimates.
CREATE TABLE job_levels (
    job_id INTEGER NOT NULL,
    level  INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (job_id, level)
) WITHOUT ROWID;

-- The id range of each hour's entries: turns a time range into an id range.
CREATE TABLE time_index (
    hour   INTEGER PRIMARY KEY,
    min_id INTEGER NOT NULL,
    max_id INTEGER NOT NULL
);

-- Batches committed here whose words the full-text index (a separate file) may not hold yet.
CREATE TABLE fts_queue (
    seq   INTEGER PRIMARY KEY,
    lo_id INTEGER NOT NULL,
    hi_id INTEGER NOT NULL
);

-- Small facts about the database itself. `fts_pruned_seq`: the last fts_queue batch forgotten
-- because the word index reported holding it; a word index found behind it lost those batches
-- (its file restored or its log deleted) and is rebuilt.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('fts_pruned_seq', 0);
