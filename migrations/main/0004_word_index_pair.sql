-- A number shared with the word index (its fts_state.pair): a word index that carries another
-- number was built from another database, one deleted and made anew at the same path, and is
-- replaced rather than believed.
INSERT INTO meta (key, value) VALUES ('words_pair', abs(random()));
