-- Entry ids counted seconds from 2020-01-01 before this version and count them from 1970 now
-- (see store::ids), so that archives of older logs keep their time order. Every stored id moves
-- up by 2020's first second times 16 slots. All of them are below that amount, so no id meets
-- another on the way.
UPDATE log_entries SET id = id + 25245388800;
UPDATE time_index SET min_id = min_id + 25245388800, max_id = max_id + 25245388800;
UPDATE fts_queue SET lo_id = lo_id + 25245388800, hi_id = hi_id + 25245388800;
UPDATE late_entries SET id = id + 25245388800;
-- The word index still holds the old ids; it has no pair number yet, which has it replaced
-- and rebuilt (see store::pair).
