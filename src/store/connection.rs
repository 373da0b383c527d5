//! How every connection is set up (pragmas, the attached full-text file, SQL functions) and the
//! retry with backoff that turns a transient "database is locked" into a short wait.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode};

use super::functions;

/// How long SQLite itself waits on a lock before reporting busy.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long [`retry`] keeps trying after SQLite gave up.
const RETRY_FOR: Duration = Duration::from_secs(20);

/// Pragmas shared by readers and writers. `journal_mode=WAL` is persistent and set by migrations.
fn common(c: &Connection, cache_kib: i64) -> rusqlite::Result<()> {
    c.busy_timeout(BUSY_TIMEOUT)?;
    c.execute_batch(&format!(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = OFF;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -{cache_kib};"
    ))
}

/// A pooled read connection: the main file with the full-text file attached as `fts`, read
/// through a memory map of up to `map` bytes per file when asked (see `Store::map_reads`).
pub fn init_reader(c: &mut Connection, fts: &Path, map: u64) -> rusqlite::Result<()> {
    common(c, 16 * 1024)?;
    c.execute("ATTACH DATABASE ?1 AS fts", [fts.to_string_lossy()])?;
    c.execute_batch(&format!(
        "PRAGMA fts.cache_size = -8192; PRAGMA query_only = ON;
         PRAGMA mmap_size = {map}; PRAGMA fts.mmap_size = {map};"
    ))?;
    functions::register(c)
}

/// The writer's connection to the main file.
pub fn open_writer(main: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(main)?;
    common(&c, 32 * 1024)?;
    // Checkpoints run on a thread of their own (see `checkpointer`): done by the writer after
    // a commit, they stall it whenever readers keep the log from being reset.
    c.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
    functions::register(&c)?;
    Ok(c)
}

/// The full-text thread's connection to its own file.
pub fn open_fts_writer(fts: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(fts)?;
    common(&c, 32 * 1024)?;
    c.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
    Ok(c)
}

fn is_transient(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Runs `op` again with growing pauses while it fails with busy/locked, up to ~20 s.
pub fn retry<T>(mut op: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match op() {
            Err(e) if is_transient(&e) && start.elapsed() < RETRY_FOR => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn retry_waits_out_busy_and_passes_other_errors() {
        let calls = Cell::new(0);
        let busy = || {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )
        };
        let r = retry(|| {
            calls.set(calls.get() + 1);
            if calls.get() < 3 { Err(busy()) } else { Ok(7) }
        });
        assert_eq!(r.unwrap(), 7);
        assert_eq!(calls.get(), 3);
        calls.set(0);
        let r: rusqlite::Result<()> = retry(|| {
            calls.set(calls.get() + 1);
            Err(rusqlite::Error::InvalidQuery)
        });
        assert!(r.is_err());
        assert_eq!(calls.get(), 1);
    }
}
