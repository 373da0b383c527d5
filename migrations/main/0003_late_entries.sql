-- Entries that were given an id below the newest one already stored when they were committed:
-- lines that reached logdex long after their own time (a job that buffers its output, an old
-- file found late). Ids sort like time, so a reader that follows "ids after the last one seen"
-- (tail) would never meet them; it reads them from here. The writer keeps only the newest rows.
CREATE TABLE late_entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id  INTEGER NOT NULL
);
