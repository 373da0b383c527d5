-- Job definitions: the scheduler's jobs, imported from its YAML file, kept on the rows that log
-- entries and sources already point to (jobs.id), so a job seen in logs and a defined job are
-- one row. `name` stays the key entries are grouped by (the definition's id in YAML).
--
-- defined = 0: a job only seen in logs (or whose definition was removed); its definition
-- columns are NULL. defined = 1: schedule and command are present. Rows are never deleted while
-- anything may refer to them, so a job keeps its id across removal and re-import.

ALTER TABLE jobs ADD COLUMN defined INTEGER NOT NULL DEFAULT 0 CHECK (defined IN (0, 1));
ALTER TABLE jobs ADD COLUMN display_name TEXT;
ALTER TABLE jobs ADD COLUMN description TEXT;
-- A cron expression: five fields, six with seconds, or a nickname such as @daily.
ALTER TABLE jobs ADD COLUMN schedule TEXT;
ALTER TABLE jobs ADD COLUMN command TEXT;
ALTER TABLE jobs ADD COLUMN enabled INTEGER CHECK (enabled IN (0, 1));
-- The file or glob the job writes its log to.
ALTER TABLE jobs ADD COLUMN log_path TEXT;
-- A JSON array of strings (query with json_each).
ALTER TABLE jobs ADD COLUMN tags TEXT CHECK (tags IS NULL OR json_valid(tags));
-- When the definition was first stored and last changed (ms since the epoch, UTC).
ALTER TABLE jobs ADD COLUMN created_at INTEGER;
ALTER TABLE jobs ADD COLUMN updated_at INTEGER;

-- A definition is complete or absent; a scheduler writing here directly gets the same rule.
CREATE TRIGGER jobs_definition_insert BEFORE INSERT ON jobs
WHEN NEW.defined = 1 AND (NEW.schedule IS NULL OR NEW.command IS NULL OR NEW.enabled IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'a defined job needs schedule, command and enabled');
END;
CREATE TRIGGER jobs_definition_update BEFORE UPDATE ON jobs
WHEN NEW.defined = 1 AND (NEW.schedule IS NULL OR NEW.command IS NULL OR NEW.enabled IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'a defined job needs schedule, command and enabled');
END;

-- Per-job lookups in the hourly counts ("the last hour this job logged an error"): one index
-- probe per job and level instead of a pass over every hour.
CREATE INDEX stats_hourly_job ON stats_hourly(job_id, level, hour);
