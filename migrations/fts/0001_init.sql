-- The full-text index of entry messages, in its own database file so that a second thread can
-- write it. Contentless (messages live in the main file) and without positions (detail=none):
-- phrases are checked against the message after the index narrows the candidates. `meta` holds
-- tokens naming the entry's job and (but for info) its level.
CREATE VIRTUAL TABLE log_fts USING fts5(
    message,
    meta,
    content = '',
    columnsize = 0,
    detail = none,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO log_fts(log_fts, rank) VALUES ('pgsz', 16000);
INSERT INTO log_fts(log_fts, rank) VALUES ('automerge', 8);
INSERT INTO log_fts(log_fts, rank) VALUES ('hashsize', 33554432);

-- The last main-file batch (fts_queue.seq) whose entries this index holds.
CREATE TABLE fts_state (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO fts_state (id, seq) VALUES (1, 0);
