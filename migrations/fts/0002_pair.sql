-- The pair number of the database this index belongs to (its meta 'words_pair'); NULL until a
-- process that can write both files first opens them.
ALTER TABLE fts_state ADD COLUMN pair INTEGER;
