//! The full-text index lives in its own file and is written by its own thread, so that indexing
//! uses both cores. The two files do not commit together, so the index keeps a high-water mark:
//! the last main-file batch (`fts_queue.seq`) it holds. The main file lists every batch the index
//! may lack; readers scan those few entries directly (see `plan`), and a writer that starts after
//! a crash first re-feeds them, skipping entries the index already has.
//!
//! Beside the message, each document carries private-use tokens naming the entry's job and its
//! level (except info, which most entries have), so "word AND level AND job" — and a job or
//! level filter alone — is answered inside FTS5 by walking or intersecting posting lists.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use super::connection::{open_fts_writer, retry};
use super::{Result, StoreError};
use crate::model::Level;

/// Rows per full-text transaction: large transactions make fewer, larger segments.
const MAX_TXN_ROWS: usize = 400_000;
/// Batches the writer may run ahead of the full-text thread before it waits (backpressure).
/// Kept small: every entry committed but not yet in the word index is scanned by each search
/// while indexing runs (see `plan`), so the lag is what a search pays on top of its page.
const QUEUE_DEPTH: usize = 1;

/// Marks the tokens logdex adds; a private-use character no log writes in practice.
const META: char = '\u{F8FF}';

pub fn level_token(level: Option<Level>) -> String {
    format!("{META}l{}", level.map_or(0, Level::code))
}

/// Levels whose token is in the index: all but info, which most entries have.
pub fn level_indexed(level: Option<Level>) -> bool {
    level != Some(Level::Info)
}

pub fn job_token(job_id: i64) -> String {
    format!("{META}j{job_id}")
}

/// An FTS5 string literal.
pub fn quote(token: &str) -> String {
    format!("\"{}\"", token.replace('"', "\"\""))
}

/// Which of `rows` (id, job id) the index holds. Every document carries exactly one job token,
/// so one ranged lookup per job answers for all of that job's rows. Asked before any change in
/// the transaction: a lookup makes FTS5 write out what it holds in memory, and one per row would
/// leave a segment per row — and deleted rows pile up as markers that every later lookup of the
/// same job walks, so per-row lookups grow slower as a prune goes on.
fn held(tx: &Connection, rows: impl Iterator<Item = (i64, i64)>) -> rusqlite::Result<HashSet<i64>> {
    let mut spans: HashMap<i64, (i64, i64)> = HashMap::new();
    for (id, job_id) in rows {
        let span = spans.entry(job_id).or_insert((id, id));
        span.0 = span.0.min(id);
        span.1 = span.1.max(id);
    }
    let mut st = tx.prepare_cached(
        "SELECT rowid FROM log_fts WHERE log_fts MATCH ?1 AND rowid >= ?2 AND rowid <= ?3",
    )?;
    let mut out = HashSet::new();
    for (job_id, (lo, hi)) in spans {
        let ids = st.query_map(params![quote(&job_token(job_id)), lo, hi], |r| r.get(0))?;
        for id in ids {
            out.insert(id?);
        }
    }
    Ok(out)
}

#[derive(Debug)]
pub(super) struct FtsRow {
    pub id: i64,
    pub job_id: i64,
    pub level: Option<Level>,
    pub message: String,
}

fn meta(job_id: i64, level: Option<Level>) -> String {
    if level_indexed(level) {
        format!("{} {}", job_token(job_id), level_token(level))
    } else {
        job_token(job_id)
    }
}

/// Meta strings are few (jobs × levels): build each once.
#[derive(Default)]
struct MetaCache(HashMap<(i64, Option<Level>), String>);

impl MetaCache {
    fn get(&mut self, job_id: i64, level: Option<Level>) -> &str {
        self.0
            .entry((job_id, level))
            .or_insert_with(|| meta(job_id, level))
    }
}

enum Work {
    /// Entries of main-file batch `seq`, to add.
    Add { seq: i64, rows: Vec<FtsRow> },
    /// Entries deleted from the main file (retention), to remove.
    Remove(Vec<FtsRow>),
    /// Fold segments together, at most `pages` pages of work (an idle moment's maintenance).
    Merge { pages: i64 },
}

impl Work {
    fn rows(&self) -> usize {
        match self {
            Work::Add { rows, .. } | Work::Remove(rows) => rows.len(),
            Work::Merge { .. } => 0,
        }
    }
}

pub(super) struct FtsHandle {
    tx: Option<SyncSender<Work>>,
    thread: Option<JoinHandle<()>>,
    failure: Arc<Mutex<Option<String>>>,
}

impl FtsHandle {
    /// Catches the index up with what the main file says it lacks, then starts the thread.
    pub fn start(fts_path: &Path, main: &Connection, done: Arc<AtomicI64>) -> Result<FtsHandle> {
        let conn = open_fts_writer(fts_path)?;
        let seq = catch_up(&conn, main)?;
        done.store(seq, Ordering::Release);
        let (tx, rx) = sync_channel(QUEUE_DEPTH);
        let failure = Arc::new(Mutex::new(None));
        let fail = failure.clone();
        let thread = std::thread::Builder::new()
            .name("logdex-fts".into())
            .spawn(move || {
                crate::priority::background_thread();
                if let Err(e) = run(&conn, rx, &done)
                    && let Ok(mut slot) = fail.lock()
                {
                    *slot = Some(e.to_string());
                }
            })
            .map_err(|source| StoreError::Io {
                path: fts_path.to_path_buf(),
                source,
            })?;
        Ok(FtsHandle {
            tx: Some(tx),
            thread: Some(thread),
            failure,
        })
    }

    fn failed(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|s| s.clone())
    }

    pub fn send(&self, seq: i64, rows: Vec<FtsRow>) -> Result<()> {
        self.submit(Work::Add { seq, rows })
    }

    /// Removes deleted entries from the index (their message, job and level must be as stored).
    pub fn remove(&self, rows: Vec<FtsRow>) -> Result<()> {
        self.submit(Work::Remove(rows))
    }

    /// Merges index segments for a bounded amount of work.
    pub fn merge(&self, pages: i64) -> Result<()> {
        self.submit(Work::Merge { pages })
    }

    fn submit(&self, work: Work) -> Result<()> {
        let sent = self.tx.as_ref().map(|tx| tx.send(work));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(StoreError::Pool(format!(
                "the full-text indexer stopped: {}",
                self.failed().unwrap_or_else(|| "unknown reason".into())
            ))),
        }
    }

    /// Waits until every batch sent so far is in the index.
    pub fn finish(mut self) -> Result<()> {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        match self.failed() {
            Some(e) => Err(StoreError::Pool(format!(
                "the full-text indexer stopped: {e}"
            ))),
            None => Ok(()),
        }
    }
}

impl Drop for FtsHandle {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(conn: &Connection, rx: Receiver<Work>, done: &AtomicI64) -> rusqlite::Result<()> {
    let mut metas = MetaCache::default();
    while let Ok(first) = rx.recv() {
        let mut works = vec![first];
        let mut n = works[0].rows();
        while n < MAX_TXN_ROWS {
            match rx.try_recv() {
                Ok(w) => {
                    n += w.rows();
                    works.push(w);
                }
                Err(_) => break,
            }
        }
        let seq = works.iter().rev().find_map(|w| match w {
            Work::Add { seq, .. } => Some(*seq),
            _ => None,
        });
        retry(|| {
            let tx = conn.unchecked_transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO log_fts(rowid, message, meta) VALUES (?1, ?2, ?3)",
                )?;
                let mut delete = tx.prepare_cached(
                    "INSERT INTO log_fts(log_fts, rowid, message, meta) VALUES ('delete', ?1, ?2, ?3)",
                )?;
                for w in &works {
                    match w {
                        Work::Add { rows, .. } => {
                            for r in rows {
                                insert.execute(params![
                                    r.id,
                                    r.message,
                                    metas.get(r.job_id, r.level)
                                ])?;
                            }
                        }
                        Work::Remove(rows) => {
                            // A contentless index must be told exactly what it holds: only rows
                            // it has are removed.
                            let has = held(&tx, rows.iter().map(|r| (r.id, r.job_id)))?;
                            for r in rows.iter().filter(|r| has.contains(&r.id)) {
                                delete.execute(params![
                                    r.id,
                                    r.message,
                                    metas.get(r.job_id, r.level)
                                ])?;
                            }
                        }
                        Work::Merge { pages } => {
                            tx.execute(
                                "INSERT INTO log_fts(log_fts, rank) VALUES ('merge', ?1)",
                                [pages],
                            )?;
                        }
                    }
                }
                if let Some(seq) = seq {
                    tx.execute("UPDATE fts_state SET seq = ?1 WHERE id = 1", [seq])?;
                }
            }
            tx.commit()
        })?;
        if let Some(seq) = seq {
            done.store(seq, Ordering::Release);
        }
    }
    retry(|| conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))?;
    Ok(())
}

/// Empties the word index and feeds it every entry again, then sets its mark to `seq`.
pub(super) fn rebuild(fts: &Connection, main: &Connection, seq: i64) -> Result<()> {
    fts.execute_batch("INSERT INTO log_fts(log_fts) VALUES('delete-all')")?;
    let mut metas = MetaCache::default();
    let mut after = i64::MIN;
    loop {
        let tx = fts.unchecked_transaction()?;
        let mut last = None;
        {
            let mut rows = main.prepare_cached(
                "SELECT id, job_id, level, message FROM log_entries WHERE id > ?1 ORDER BY id LIMIT 100000",
            )?;
            let mut insert =
                tx.prepare_cached("INSERT INTO log_fts(rowid, message, meta) VALUES (?1, ?2, ?3)")?;
            let mut q = rows.query([after])?;
            while let Some(r) = q.next()? {
                let id: i64 = r.get(0)?;
                let level = r.get::<_, Option<i64>>(2)?.and_then(Level::from_code);
                let message: String = r.get(3)?;
                insert.execute(params![id, message, metas.get(r.get(1)?, level)])?;
                last = Some(id);
            }
        }
        match last {
            Some(id) => {
                tx.commit()?;
                after = id;
            }
            None => {
                tx.execute("UPDATE fts_state SET seq = ?1 WHERE id = 1", [seq])?;
                tx.commit()?;
                return Ok(());
            }
        }
    }
}

/// Re-feeds the batches the main file committed but the index did not. Returns the new mark.
fn catch_up(fts: &Connection, main: &Connection) -> Result<i64> {
    let mut seq: i64 = fts.query_row("SELECT seq FROM fts_state WHERE id = 1", [], |r| r.get(0))?;
    let pruned: i64 = main.query_row(
        "SELECT value FROM meta WHERE key = 'fts_pruned_seq'",
        [],
        |r| r.get(0),
    )?;
    if seq < pruned {
        tracing::warn!(
            index_mark = seq,
            forgotten = pruned,
            "the word index lacks batches the database no longer lists; rebuilding it"
        );
        rebuild(fts, main, pruned)?;
        seq = pruned;
    }
    let pending: Vec<(i64, i64, i64)> = {
        let mut st =
            main.prepare("SELECT seq, lo_id, hi_id FROM fts_queue WHERE seq > ?1 ORDER BY seq")?;
        st.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (batch, lo, hi) in pending {
        let tx = fts.unchecked_transaction()?;
        {
            let mut rows = main.prepare(
                "SELECT id, job_id, level, message FROM log_entries WHERE id BETWEEN ?1 AND ?2",
            )?;
            let mut insert =
                tx.prepare("INSERT INTO log_fts(rowid, message, meta) VALUES (?1, ?2, ?3)")?;
            let batch_rows: Vec<(i64, i64, Option<Level>, String)> = rows
                .query_map(params![lo, hi], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get::<_, Option<i64>>(2)?.and_then(Level::from_code),
                        r.get(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            // Entries the index already has (its commit raced the crash) are not fed twice.
            let has = held(&tx, batch_rows.iter().map(|r| (r.0, r.1)))?;
            for (id, job_id, level, message) in batch_rows {
                if !has.contains(&id) {
                    insert.execute(params![id, message, meta(job_id, level)])?;
                }
            }
            tx.execute("UPDATE fts_state SET seq = ?1 WHERE id = 1", [batch])?;
        }
        tx.commit()?;
        seq = batch;
    }
    Ok(seq)
}
