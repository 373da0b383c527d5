//! Keeping the database healthy: deleting old entries with their word-index rows and statistics
//! (in small transactions, so nobody waits long), folding the write-ahead log, giving free pages
//! back, online backups, and integrity checks in plain words.

use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt};
use rusqlite::{Connection, OpenFlags, params};

use super::connection::retry;
use super::fts::FtsRow;
use super::migrate::{self, Schema};
use super::writer::IngestWriter;
use super::{Result, Store, StoreError, fts_path_for};
use crate::model::Level;

const HOUR_MS: i64 = 3_600_000;

/// Size of a database file with its write-ahead log.
pub fn file_size(path: &Path) -> u64 {
    let wal = {
        let mut s = path.as_os_str().to_owned();
        s.push("-wal");
        PathBuf::from(s)
    };
    [path.to_path_buf(), wal]
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum()
}

/// What an integrity check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrity {
    pub main: Vec<String>,
    pub words: Vec<String>,
}

impl Integrity {
    pub fn ok(&self) -> bool {
        self.main.is_empty() && self.words.is_empty()
    }
}

impl IngestWriter {
    /// Deletes up to `limit` of the oldest entries older than `cutoff` (ms), of the `sources`
    /// given or of all, with their statistics, in one short transaction; their word-index rows
    /// follow on the index's thread. Returns how many were deleted (0: nothing left to do).
    pub fn prune_chunk(
        &mut self,
        cutoff: i64,
        sources: Option<&[i64]>,
        limit: usize,
    ) -> Result<usize> {
        let filter = match sources {
            Some([]) => return Ok(0),
            Some(ids) => format!(
                " AND source_id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            None => String::new(),
        };
        let range = crate::query::TimeRange {
            since: None,
            until: Some(cutoff),
        };
        // Ids sort like time: nothing past the cut-off's id needs looking at.
        let Some(bound) = retry(|| super::plan::time_span(&self.conn, &range))? else {
            return Ok(0);
        };
        let rows = retry(|| -> rusqlite::Result<Vec<FtsRow>> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut rows = Vec::new();
            let mut counts: HashMap<(i64, i64, i64), i64> = HashMap::new();
            {
                // Ids sort like time: the oldest entries are at the start of the table.
                let mut pick = tx.prepare_cached(&format!(
                    "SELECT id, ts, job_id, level, message FROM log_entries
                     WHERE id <= ?3 AND ts < ?1{filter} ORDER BY id LIMIT ?2"
                ))?;
                let mut q = pick.query(params![cutoff, limit as i64, bound.hi])?;
                while let Some(r) = q.next()? {
                    let (id, ts, job_id): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                    let level = r.get::<_, Option<i64>>(3)?;
                    *counts
                        .entry((ts.div_euclid(HOUR_MS), job_id, level.unwrap_or(0)))
                        .or_default() += 1;
                    rows.push(FtsRow {
                        id,
                        job_id,
                        level: level.and_then(Level::from_code),
                        message: r.get(4)?,
                    });
                }
                let mut del = tx.prepare_cached("DELETE FROM log_entries WHERE id = ?1")?;
                for r in &rows {
                    del.execute([r.id])?;
                }
                let mut down = tx.prepare_cached(
                    "UPDATE stats_hourly SET n = n - ?4 WHERE hour = ?1 AND job_id = ?2 AND level = ?3",
                )?;
                let mut totals: HashMap<(i64, i64), i64> = HashMap::new();
                for ((hour, job, level), n) in &counts {
                    down.execute(params![hour, job, level, n])?;
                    *totals.entry((*job, *level)).or_default() += n;
                }
                let mut down_total = tx.prepare_cached(
                    "UPDATE job_levels SET n = n - ?3 WHERE job_id = ?1 AND level = ?2",
                )?;
                for ((job, level), n) in &totals {
                    down_total.execute(params![job, level, n])?;
                }
                tx.execute_batch(
                    "DELETE FROM stats_hourly WHERE n <= 0;
                     DELETE FROM job_levels WHERE n <= 0;
                     DELETE FROM time_index WHERE hour NOT IN (SELECT DISTINCT hour FROM stats_hourly);",
                )?;
            }
            tx.commit()?;
            Ok(rows)
        })?;
        let n = rows.len();
        if n > 0 {
            self.fts.remove(rows)?;
        }
        Ok(n)
    }

    /// Folds the write-ahead log into the file as far as readers allow.
    pub fn checkpoint(&mut self) -> Result<()> {
        retry(|| {
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        })?;
        Ok(())
    }

    /// Gives up to `pages` free pages back to the file system, when at least a tenth of the file
    /// is free. Returns the pages freed.
    pub fn give_back_space(&mut self, pages: i64) -> Result<i64> {
        let (free, total): (i64, i64) = retry(|| {
            Ok((
                self.conn
                    .query_row("PRAGMA freelist_count", [], |r| r.get(0))?,
                self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?,
            ))
        })?;
        if total == 0 || free * 10 < total {
            return Ok(0);
        }
        let n = free.min(pages);
        retry(|| {
            self.conn
                .execute_batch(&format!("PRAGMA incremental_vacuum({n})"))
        })?;
        Ok(n)
    }

    /// Asks the word index to fold some of its segments together.
    pub fn merge_words(&mut self, pages: i64) -> Result<()> {
        self.fts.merge(pages)
    }

    /// Rebuilds both files compactly (word index optimised, free pages gone). Returns the total
    /// size before and after.
    pub fn vacuum(self) -> Result<(u64, u64)> {
        let main = self.path().to_path_buf();
        let fts = self.fts_path.clone();
        let before = file_size(&main) + file_size(&fts);
        let IngestWriter {
            conn,
            fts: handle,
            _lock,
            ..
        } = self;
        handle.finish()?;
        let words = super::connection::open_fts_writer(&fts)?;
        retry(|| words.execute_batch("INSERT INTO log_fts(log_fts) VALUES('optimize')"))?;
        retry(|| words.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);"))?;
        retry(|| conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);"))?;
        drop(words);
        drop(conn);
        drop(_lock);
        Ok((before, file_size(&main) + file_size(&fts)))
    }
}

impl Store {
    /// A consistent copy of both files taken while indexing goes on (SQLite's online backup,
    /// one step each, so a writer cannot make it start over). The word index is copied first:
    /// its copy is then never ahead of the main copy, and a writer opening the copy re-feeds
    /// whatever it lacks.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dest_fts = fts_path_for(dest);
        copy_db(self.fts_path(), &dest_fts)?;
        copy_db(self.path(), dest)?;
        Ok(())
    }
}

/// SQLite's and FTS5's checks of the database at `main` and its word index, without opening it
/// as a store (which a damaged file may not allow).
pub fn integrity_of(main: &Path) -> Result<Integrity> {
    let fts_path = fts_path_for(main);
    let main = check_file(main, Schema::Main)?;
    let mut words = match check_file(&fts_path, Schema::Fts) {
        Err(StoreError::Missing { .. }) => {
            vec!["the word index file is missing (the next run that indexes rebuilds it)".into()]
        }
        other => other?,
    };
    if words.is_empty() {
        let c = Connection::open_with_flags(&fts_path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        c.busy_timeout(super::connection::BUSY_TIMEOUT)?;
        if let Err(e) = retry(|| {
            c.execute(
                "INSERT INTO log_fts(log_fts, rank) VALUES('integrity-check', 0)",
                [],
            )
        }) {
            words.push(format!("word index: {e}"));
        }
    }
    Ok(Integrity { main, words })
}

fn copy_db(src: &Path, dest: &Path) -> Result<()> {
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    from.busy_timeout(super::connection::BUSY_TIMEOUT)?;
    let _ = std::fs::remove_file(dest);
    let mut to = Connection::open(dest)?;
    // A new file needs no journal while it is filled: if the copy fails it is removed. It is
    // made durable once, at the end, instead of at every step.
    to.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    let copied = retry(|| {
        let backup = rusqlite::backup::Backup::new(&from, &mut to)?;
        backup.step(-1).map(|_| ())
    })
    .and_then(|()| {
        // A backup is a single file: no write-ahead log beside it.
        to.execute_batch("PRAGMA journal_mode = DELETE;")
    });
    drop(to);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(dest);
        return Err(e.into());
    }
    std::fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
    Ok(())
}

/// `PRAGMA integrity_check` of one file, as a list of problems (empty: healthy). A file that is
/// not a database at all is one problem.
pub fn check_file(path: &Path, schema: Schema) -> Result<Vec<String>> {
    if let Err(e) = migrate::check_version(path, schema) {
        return match e {
            StoreError::Corrupt { detail, .. } => Ok(vec![detail]),
            StoreError::TooNew { .. } | StoreError::TooOld { .. } | StoreError::Missing { .. } => {
                Err(e)
            }
            other => Ok(vec![other.to_string()]),
        };
    }
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    c.busy_timeout(super::connection::BUSY_TIMEOUT)?;
    let lines: rusqlite::Result<Vec<String>> = retry(|| {
        let mut st = c.prepare("PRAGMA integrity_check(20)")?;
        st.query_map([], |r| r.get::<_, String>(0))?.collect()
    });
    Ok(match lines {
        Ok(l) if l.len() == 1 && l[0] == "ok" => Vec::new(),
        Ok(l) => l,
        Err(e) => vec![e.to_string()],
    })
}
