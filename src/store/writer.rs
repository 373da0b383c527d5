//! The single writer: registers sources, gives entries their ids, inserts them with their
//! statistics and their sources' checkpoints in one transaction per batch, and hands the
//! committed entries to the full-text thread. Only one writer may hold a database at a time
//! (an OS lock on `<db>.lock`), whichever process it lives in.

use foldhash::{HashMap, HashMapExt};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use super::connection::{open_writer, retry};
use super::fts::{FtsHandle, FtsRow};
use super::ids::IdAllocator;
use super::sources::SourceRecord;
use super::{Result, StoreError};
use crate::model::Level;

const HOUR_MS: i64 = 3_600_000;
/// How many late entries stay announced: a follower further behind than this misses some.
const LATE_KEPT: i64 = 100_000;
/// Files must share at least this many first bytes to be taken for copies of each other.
const MIN_FINGERPRINT: usize = 64;

/// What registering a file found.
#[derive(Debug, Clone, PartialEq)]
pub enum Registration {
    /// Index this source from its checkpoint.
    Ready(SourceRecord),
    /// The file is a copy of `original`, which is still being indexed where it is.
    CopyOfActive { original: String },
}

enum Earlier {
    Gone(SourceRecord),
    StillThere(SourceRecord),
}

/// A file to index, as the indexer found it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub path: String,
    pub job: String,
    pub format: Option<String>,
    pub dev: Option<u64>,
    pub inode: Option<u64>,
    pub fingerprint: Vec<u8>,
    pub compressed: bool,
    pub size: u64,
    pub mtime: i64,
}

/// An entry ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub source_id: i64,
    /// A job named by the line itself (JSON/logfmt `job` field); else the source's job.
    pub job: Option<String>,
    pub ts: i64,
    pub level: Option<Level>,
    pub level_raw: Option<String>,
    pub message: String,
    pub fields: Option<String>,
    pub line: u64,
    pub offset: u64,
}

/// Where a source's indexing stands after a batch: the end of its last complete entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub source_id: i64,
    pub offset: u64,
    pub line: u64,
    pub last_ts: Option<i64>,
    pub format: Option<String>,
    pub size: u64,
    pub mtime: i64,
}

#[derive(Debug, Default)]
pub struct Batch {
    pub entries: Vec<NewEntry>,
    pub checkpoints: Vec<Checkpoint>,
}

/// What a commit stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub count: usize,
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
}

pub struct IngestWriter {
    pub(super) conn: Connection,
    path: PathBuf,
    pub(super) fts_path: PathBuf,
    pub(super) _lock: WriterLock,
    ids: IdAllocator,
    jobs: HashMap<String, i64>,
    source_jobs: HashMap<i64, i64>,
    pub(super) fts: FtsHandle,
    fts_done: Arc<AtomicI64>,
    pruned_to: i64,
    previous_clean: bool,
    _checkpointer: super::checkpointer::Checkpointer,
}

/// The held writer lock. Released when dropped, after noting that this writer ended normally.
pub(super) struct WriterLock(File);

impl Drop for WriterLock {
    fn drop(&mut self) {
        use std::io::Seek;
        let _ = self.0.rewind();
        let _ = self.0.set_len(0);
        let _ = self.0.write_all(CLEAN.as_bytes());
    }
}

impl std::fmt::Debug for IngestWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngestWriter")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn lock_path(main: &Path) -> PathBuf {
    let mut s = main.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// What the lock file says when the last writer ended normally.
const CLEAN: &str = "clean";

/// Takes the writer lock, recording our pid for the message another process will show.
/// Returns the lock and whether the writer before ended normally.
pub(super) fn take_lock(main: &Path) -> Result<(WriterLock, bool)> {
    let path = lock_path(main);
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match f.try_lock() {
        Ok(()) => {
            let before = std::fs::read_to_string(&path).unwrap_or_default();
            let clean = before.is_empty() || before.trim() == CLEAN;
            f.set_len(0).map_err(io)?;
            writeln!(f, "{}", std::process::id()).map_err(io)?;
            Ok((WriterLock(f), clean))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .map(|pid| format!(" (pid {pid})"))
                .unwrap_or_default();
            Err(StoreError::WriterBusy {
                path: main.to_path_buf(),
                holder,
            })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

impl IngestWriter {
    pub(super) fn open(main: &Path, fts: &Path) -> Result<IngestWriter> {
        let (lock, previous_clean) = take_lock(main)?;
        let conn = open_writer(main)?;
        let newest = conn
            .query_row(
                "SELECT id, ts FROM log_entries ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut jobs = HashMap::new();
        {
            let mut st = conn.prepare("SELECT name, id FROM jobs")?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (name, id) = row?;
                jobs.insert(name, id);
            }
        }
        let fts_done = Arc::new(AtomicI64::new(0));
        let handle = FtsHandle::start(fts, &conn, fts_done.clone())?;
        Ok(IngestWriter {
            conn,
            path: main.to_path_buf(),
            fts_path: fts.to_path_buf(),
            _lock: lock,
            ids: IdAllocator::new(newest),
            jobs,
            source_jobs: HashMap::new(),
            fts: handle,
            fts_done,
            pruned_to: 0,
            previous_clean,
            _checkpointer: super::checkpointer::Checkpointer::start(vec![
                main.to_path_buf(),
                fts.to_path_buf(),
            ]),
        })
    }

    /// False when the writer before this one was killed or crashed (its lock file still names
    /// it): a reason to check the files.
    pub fn previous_shutdown_clean(&self) -> bool {
        self.previous_clean
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The id of a job name, created on first use.
    pub fn job_id(&mut self, name: &str) -> Result<i64> {
        if let Some(id) = self.jobs.get(name) {
            return Ok(*id);
        }
        let id = retry(|| {
            self.conn.execute(
                "INSERT INTO jobs(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
                [name],
            )?;
            self.conn
                .query_row("SELECT id FROM jobs WHERE name = ?1", [name], |r| r.get(0))
        })?;
        self.jobs.insert(name.to_string(), id);
        Ok(id)
    }

    /// Finds the source a file continues, or creates one:
    /// - the active source of the same path, if it is still the same file (grown or not);
    ///   otherwise that source is retired (its entries stay) and the file starts afresh;
    /// - a source seen under another name with the same first bytes whose file is gone from
    ///   there (renamed, compressed, copied before a truncation): the file continues it from its
    ///   checkpoint, so nothing is indexed twice;
    /// - [`Registration::CopyOfActive`] when that source's file is still in place: this file is a
    ///   copy of one being indexed, and indexing it would duplicate every entry.
    pub fn register_source(&mut self, s: &NewSource) -> Result<Registration> {
        let job_id = self.job_id(&s.job)?;
        let now = crate::query::time::now_ms();
        let mut replaced = None;
        if let Some(rec) = super::sources::active_by_path(&self.conn, &s.path)? {
            if rec.same_file(s) {
                self.conn.execute(
                    "UPDATE sources SET job_id = ?1, dev = ?2, inode = ?3, fingerprint = ?4, updated_at = ?5 WHERE id = ?6",
                    params![job_id, s.dev.map(|d| d as i64), s.inode.map(|i| i as i64), longer(&rec.fingerprint, &s.fingerprint), now, rec.id],
                )?;
                self.source_jobs.insert(rec.id, job_id);
                return Ok(Registration::Ready(SourceRecord {
                    job_id,
                    job: s.job.clone(),
                    ..rec
                }));
            }
            self.retire(rec.id, "replaced")?;
            replaced = Some(rec.id);
        }
        match self.earlier_copy(s, replaced)? {
            Some(Earlier::Gone(rec)) => {
                self.conn.execute(
                    "UPDATE sources SET path = ?1, state = 'active', dev = ?2, inode = ?3, compressed = ?4,
                            fingerprint = ?5, updated_at = ?6 WHERE id = ?7",
                    params![
                        s.path,
                        s.dev.map(|d| d as i64),
                        s.inode.map(|i| i as i64),
                        s.compressed,
                        longer(&rec.fingerprint, &s.fingerprint),
                        now,
                        rec.id
                    ],
                )?;
                self.source_jobs.insert(rec.id, rec.job_id);
                return Ok(Registration::Ready(SourceRecord {
                    path: s.path.clone(),
                    dev: s.dev,
                    inode: s.inode,
                    compressed: s.compressed,
                    state: "active".into(),
                    ..rec
                }));
            }
            Some(Earlier::StillThere(rec)) => {
                return Ok(Registration::CopyOfActive { original: rec.path });
            }
            None => {}
        }
        self.conn.execute(
            "INSERT INTO sources(path, job_id, format, dev, inode, fingerprint, compressed, size, mtime, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                s.path,
                job_id,
                s.format,
                s.dev.map(|d| d as i64),
                s.inode.map(|i| i as i64),
                s.fingerprint,
                s.compressed,
                s.size as i64,
                s.mtime,
                now
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.source_jobs.insert(id, job_id);
        Ok(Registration::Ready(SourceRecord {
            id,
            path: s.path.clone(),
            job_id,
            job: s.job.clone(),
            format: s.format.clone(),
            dev: s.dev,
            inode: s.inode,
            fingerprint: s.fingerprint.clone(),
            compressed: s.compressed,
            offset: 0,
            line: 0,
            last_ts: None,
            size: s.size,
            mtime: s.mtime,
            state: "active".into(),
        }))
    }

    /// Marks a source as no longer followed (`rotated`, `deleted`, `replaced`, `truncated`).
    /// Its entries stay.
    pub fn retire(&mut self, source_id: i64, state: &str) -> Result<()> {
        retry(|| {
            self.conn.execute(
                "UPDATE sources SET state = ?1, updated_at = ?2 WHERE id = ?3",
                params![state, crate::query::time::now_ms(), source_id],
            )
        })?;
        Ok(())
    }

    /// Stores a longer first-bytes fingerprint for a file that grew past its old one.
    pub fn refresh_fingerprint(&mut self, source_id: i64, fingerprint: &[u8]) -> Result<()> {
        retry(|| {
            self.conn.execute(
                "UPDATE sources SET fingerprint = ?1 WHERE id = ?2 AND length(coalesce(fingerprint, x'')) < length(?1)",
                params![fingerprint, source_id],
            )
        })?;
        Ok(())
    }

    /// Records where a followed file went after a rename (for a later compressed copy to find).
    pub fn moved(&mut self, source_id: i64, new_path: &str) -> Result<()> {
        retry(|| {
            self.conn.execute(
                "UPDATE sources SET path = ?1, updated_at = ?2 WHERE id = ?3",
                params![new_path, crate::query::time::now_ms(), source_id],
            )
        })?;
        Ok(())
    }

    /// A source with the same first bytes as `s` that it may continue (not the one `s` just
    /// replaced at its path).
    fn earlier_copy(&self, s: &NewSource, replaced: Option<i64>) -> Result<Option<Earlier>> {
        if s.fingerprint.is_empty() {
            return Ok(None);
        }
        let candidates =
            super::sources::by_fingerprint_prefix(&self.conn, &s.fingerprint, MIN_FINGERPRINT)?;
        for rec in candidates.into_iter().rev() {
            if Some(rec.id) == replaced {
                continue;
            }
            if rec.state != "active" {
                return Ok(Some(Earlier::Gone(rec)));
            }
            let in_place = crate::ingest::reader::probe(std::path::Path::new(&rec.path))
                .ok()
                .map(|p| NewSource {
                    fingerprint: p.fingerprint(),
                    compressed: p.compressed,
                    size: p.size,
                    dev: p.dev,
                    inode: p.inode,
                    ..s.clone()
                })
                .is_some_and(|now| rec.same_file(&now));
            return Ok(Some(if in_place {
                Earlier::StillThere(rec)
            } else {
                Earlier::Gone(rec)
            }));
        }
        Ok(None)
    }

    /// Stores a batch in one transaction: entries, statistics, checkpoints, and the note that the
    /// full-text index has these ids still to do.
    pub fn commit(&mut self, batch: Batch) -> Result<Committed> {
        let done = self.fts_done.load(Ordering::Acquire);
        let ((committed, seq), mut rows) = retry(|| self.try_commit(&batch, done))?;
        if done > self.pruned_to {
            self.pruned_to = done;
        }
        if let Some(seq) = seq {
            for (row, e) in rows.iter_mut().zip(batch.entries) {
                row.message = e.message;
            }
            self.fts.send(seq, rows)?;
        }
        Ok(committed)
    }

    #[allow(clippy::type_complexity)]
    fn try_commit(
        &mut self,
        batch: &Batch,
        fts_done: i64,
    ) -> rusqlite::Result<((Committed, Option<i64>), Vec<FtsRow>)> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Ids are only final once the transaction commits: allocate on a copy.
        let mut ids = self.ids.clone();
        // Readers have seen at most this id; entries placed below it must be announced apart.
        let seen = ids.newest();
        let mut late = Vec::new();
        let mut stats: HashMap<(i64, i64, i64), i64> = HashMap::new();
        let mut hours: HashMap<i64, (i64, i64)> = HashMap::new();
        let mut rows = Vec::with_capacity(batch.entries.len());
        let mut new_jobs: Vec<(String, i64)> = Vec::new();
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO log_entries(id, ts, job_id, level, source_id, line_no, byte_offset, message, level_raw, fields)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut probe = tx
                .prepare_cached("SELECT id FROM log_entries WHERE id >= ?1 ORDER BY id LIMIT ?2")?;
            for e in &batch.entries {
                let job_id = match &e.job {
                    None => self.source_jobs.get(&e.source_id).copied().ok_or_else(|| {
                        rusqlite::Error::InvalidParameterName(format!(
                            "entry of unregistered source {}",
                            e.source_id
                        ))
                    })?,
                    Some(name) => match self.jobs.get(name) {
                        Some(id) => *id,
                        None => {
                            tx.execute(
                                "INSERT INTO jobs(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
                                [name],
                            )?;
                            let id: i64 =
                                tx.query_row("SELECT id FROM jobs WHERE name = ?1", [name], |r| {
                                    r.get(0)
                                })?;
                            self.jobs.insert(name.clone(), id);
                            new_jobs.push((name.clone(), id));
                            id
                        }
                    },
                };
                let id = ids.next(e.ts, |from| first_free(&mut probe, from))?;
                if id <= seen {
                    late.push(id);
                }
                let level = e.level.map(Level::code);
                insert.execute(params![
                    id,
                    e.ts,
                    job_id,
                    level,
                    e.source_id,
                    e.line as i64,
                    e.offset as i64,
                    e.message,
                    e.level_raw,
                    e.fields
                ])?;
                lo = lo.min(id);
                hi = hi.max(id);
                let hour = e.ts.div_euclid(HOUR_MS);
                *stats
                    .entry((hour, job_id, level.unwrap_or(0) as i64))
                    .or_default() += 1;
                let h = hours.entry(hour).or_insert((id, id));
                h.0 = h.0.min(id);
                h.1 = h.1.max(id);
                // The message moves in after the commit (a retried transaction needs the batch whole).
                rows.push(FtsRow {
                    id,
                    job_id,
                    level: e.level,
                    message: String::new(),
                });
            }
            let mut up_stats = tx.prepare_cached(
                "INSERT INTO stats_hourly(hour, job_id, level, n) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(hour, job_id, level) DO UPDATE SET n = n + excluded.n",
            )?;
            let mut totals: HashMap<(i64, i64), i64> = HashMap::new();
            for ((hour, job, level), n) in &stats {
                up_stats.execute(params![hour, job, level, n])?;
                *totals.entry((*job, *level)).or_default() += n;
            }
            let mut up_totals = tx.prepare_cached(
                "INSERT INTO job_levels(job_id, level, n) VALUES (?1, ?2, ?3)
                 ON CONFLICT(job_id, level) DO UPDATE SET n = n + excluded.n",
            )?;
            for ((job, level), n) in &totals {
                up_totals.execute(params![job, level, n])?;
            }
            let mut up_time = tx.prepare_cached(
                "INSERT INTO time_index(hour, min_id, max_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT(hour) DO UPDATE SET min_id = min(min_id, excluded.min_id), max_id = max(max_id, excluded.max_id)",
            )?;
            for (hour, (a, b)) in &hours {
                up_time.execute(params![hour, a, b])?;
            }
            if !late.is_empty() {
                let mut note = tx.prepare_cached("INSERT INTO late_entries(id) VALUES (?1)")?;
                for id in &late {
                    note.execute([id])?;
                }
                tx.execute(
                    "DELETE FROM late_entries WHERE seq <= ?1",
                    [tx.last_insert_rowid() - LATE_KEPT],
                )?;
            }
            let mut up_src = tx.prepare_cached(
                "UPDATE sources SET byte_offset = ?1, line_no = ?2, last_ts = coalesce(?3, last_ts),
                        format = coalesce(?4, format), size = ?5, mtime = ?6, updated_at = ?7
                 WHERE id = ?8",
            )?;
            let now = crate::query::time::now_ms();
            for c in &batch.checkpoints {
                up_src.execute(params![
                    c.offset as i64,
                    c.line as i64,
                    c.last_ts,
                    c.format,
                    c.size as i64,
                    c.mtime,
                    now,
                    c.source_id
                ])?;
            }
        }
        let seq = if rows.is_empty() {
            None
        } else {
            tx.execute(
                "INSERT INTO fts_queue(lo_id, hi_id) VALUES (?1, ?2)",
                params![lo, hi],
            )?;
            Some(tx.last_insert_rowid())
        };
        if fts_done > self.pruned_to {
            // The newest row stays: batch numbers come from the largest one left, and a number
            // handed out again would sit below the word index's mark.
            tx.execute(
                "DELETE FROM fts_queue WHERE seq <= ?1 AND seq < (SELECT max(seq) FROM fts_queue)",
                [fts_done],
            )?;
            tx.execute(
                "UPDATE meta SET value = max(value, ?1) WHERE key = 'fts_pruned_seq'",
                [fts_done],
            )?;
        }
        match tx.commit() {
            Ok(()) => {}
            Err(e) => {
                for (name, _) in new_jobs {
                    self.jobs.remove(&name);
                }
                return Err(e);
            }
        }
        self.ids = ids;
        let committed = Committed {
            count: rows.len(),
            first_id: (lo != i64::MAX).then_some(lo),
            last_id: (hi != i64::MIN).then_some(hi),
        };
        Ok(((committed, seq), rows))
    }

    /// Waits for the full-text thread to catch up, then folds both write-ahead logs into their
    /// files so that they do not linger at their peak size.
    pub fn finish(self) -> Result<()> {
        let IngestWriter { conn, fts, .. } = self;
        fts.finish()?;
        retry(|| conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))?;
        Ok(())
    }
}

/// The smallest id at or after `from` that no entry holds. Usually the first id looked at is
/// free (seconds hold few entries), so the first look reads one row; runs of taken ids are then
/// read in growing windows.
fn first_free(probe: &mut rusqlite::CachedStatement<'_>, from: i64) -> rusqlite::Result<i64> {
    let mut want = from;
    let mut window = 1i64;
    loop {
        let mut rows = probe.query(rusqlite::params![want, window])?;
        let mut seen = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if id != want {
                return Ok(want);
            }
            want += 1;
            seen += 1;
        }
        if seen < window {
            return Ok(want);
        }
        window = (window * 8).min(1024);
    }
}

/// Keeps the longer of two fingerprints when one extends the other (a file that grew).
fn longer(old: &[u8], new: &[u8]) -> Vec<u8> {
    if new.len() >= old.len() {
        new.to_vec()
    } else {
        old.to_vec()
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
pub(super) mod tests;
