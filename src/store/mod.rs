//! SQLite, and the only module that speaks SQL: connection setup, migrations, the single writer
//! (`IngestWriter`) and its full-text companion, and the repositories that read (`LogRepository`,
//! `SourceRepository`, `JobRepository`).
//!
//! A database is two files: the main file (entries, sources, jobs, statistics) and a full-text
//! index beside it (`<name>.fts.db`), written by its own thread. See `fts` for how they stay in step.

mod arrivals;
mod checkpointer;
mod connection;
mod error;
mod fts;
mod functions;
pub mod ids;
mod job_defs;
mod job_summary;
mod jobs;
mod logs;
mod maintain;
pub mod migrate;
mod pair;
mod plan;
mod sources;
mod stats;
mod writer;

use std::path::{Path, PathBuf};

use r2d2_sqlite::SqliteConnectionManager;

pub use arrivals::ArrivalCursor;
pub use connection::retry;
pub use error::StoreError;
pub use job_defs::JobRecord;
pub use job_summary::{Activity, JobSummary, RECENT_HOURS, window_start};
pub use jobs::{JobCount, JobRepository};
pub use logs::{Interrupt, LogRepository, Page};
pub use maintain::{Integrity, check_file, file_size, integrity_of};
pub use migrate::Schema;
pub use sources::{SourceRecord, SourceRepository};
pub use stats::{Bucket, Stats, bucket_width, fill_gaps};
pub use writer::{Batch, Checkpoint, Committed, IngestWriter, NewEntry, NewSource, Registration};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

type Pool = r2d2::Pool<SqliteConnectionManager>;
type PooledConnection = r2d2::PooledConnection<SqliteConnectionManager>;

/// The log repository on a pooled connection, as [`Store::logs`] returns it.
pub type PooledLogs = LogRepository<PooledConnection>;

/// An open database: its paths and a pool of read connections. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    main_path: PathBuf,
    fts_path: PathBuf,
    pool: Pool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.main_path)
            .finish_non_exhaustive()
    }
}

/// Memory map for processes that read while another writes (see [`Store::map_reads`]).
pub const READ_MAP: u64 = 64 << 20;

/// The full-text index file that belongs to a main database file.
pub fn fts_path_for(main: &Path) -> PathBuf {
    let name = main
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "logdex.db".into());
    let stem = name.strip_suffix(".db").unwrap_or(&name);
    main.with_file_name(format!("{stem}.fts.db"))
}

impl Store {
    /// Opens (creating if needed) the database at `path`, bringing both files to the current
    /// schema. Needs write access.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let fts_path = fts_path_for(path);
        migrate::prepare(path, migrate::Schema::Main)?;
        migrate::prepare(&fts_path, migrate::Schema::Fts)?;
        pair::ensure(path, &fts_path)?;
        Store::with_pool(path, fts_path)
    }

    /// Opens an existing database without writing to it (a second process, a read-only disk).
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let fts_path = fts_path_for(path);
        let mut upgraded = false;
        for (file, schema) in [
            (path, migrate::Schema::Main),
            (fts_path.as_path(), migrate::Schema::Fts),
        ] {
            match migrate::check_version(file, schema) {
                // A file from an older logdex is brought up to date when it can be written.
                Err(StoreError::TooOld { .. }) => {
                    if migrate::prepare(file, schema).is_err() {
                        migrate::check_version(file, schema)?;
                    }
                    upgraded = true;
                }
                other => {
                    other?;
                }
            }
        }
        if upgraded {
            pair::ensure(path, &fts_path)?;
        }
        Store::with_pool(path, fts_path)
    }

    fn with_pool(main: &Path, fts_path: PathBuf) -> Result<Store> {
        Store::pooled(main, fts_path, 0)
    }

    /// The same database, read through memory maps of up to `bytes` per file. For processes
    /// that read while another writes (the browser, `tail`): a writer's commit empties every
    /// reader's page cache, and mapped pages need no copying back in. Mapped pages count towards
    /// the process's resident memory, so one-off commands do without.
    pub fn map_reads(self, bytes: u64) -> Result<Store> {
        Store::pooled(&self.main_path, self.fts_path.clone(), bytes)
    }

    fn pooled(main: &Path, fts_path: PathBuf, map: u64) -> Result<Store> {
        let init_fts = fts_path.clone();
        let manager = SqliteConnectionManager::file(main)
            .with_init(move |c| connection::init_reader(c, &init_fts, map));
        let pool = r2d2::Pool::builder()
            .max_size(16)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(manager)
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        Ok(Store {
            main_path: main.to_path_buf(),
            fts_path,
            pool,
        })
    }

    pub fn path(&self) -> &Path {
        &self.main_path
    }

    pub fn fts_path(&self) -> &Path {
        &self.fts_path
    }

    fn conn(&self) -> Result<PooledConnection> {
        self.pool.get().map_err(|e| StoreError::Pool(e.to_string()))
    }

    pub fn logs(&self) -> Result<LogRepository<PooledConnection>> {
        Ok(LogRepository::new(self.conn()?))
    }

    pub fn sources(&self) -> Result<SourceRepository<PooledConnection>> {
        Ok(SourceRepository::new(self.conn()?))
    }

    pub fn jobs(&self) -> Result<JobRepository<PooledConnection>> {
        Ok(JobRepository::new(self.conn()?))
    }

    /// A job repository on a connection of its own that may write job definitions (entries
    /// are written by the [`IngestWriter`] alone, and pooled connections only read).
    pub fn jobs_mut(&self) -> Result<JobRepository<Box<rusqlite::Connection>>> {
        Ok(JobRepository::new(Box::new(connection::open_writer(
            &self.main_path,
        )?)))
    }

    /// The single writer. Fails with [`StoreError::WriterBusy`] while another writer holds the
    /// database (in this process or another).
    pub fn writer(&self) -> Result<IngestWriter> {
        IngestWriter::open(&self.main_path, &self.fts_path)
    }

    /// Notices commits by other connections (any process) to the main file, cheaply enough to
    /// ask many times a second (`PRAGMA data_version` on a connection of its own: the number is
    /// only comparable on one connection).
    pub fn changes(&self) -> Result<Changes> {
        let conn = self.conn()?;
        let version = retry(|| conn.query_row("PRAGMA data_version", [], |r| r.get(0)))?;
        Ok(Changes { conn, version })
    }
}

/// See [`Store::changes`].
pub struct Changes {
    conn: PooledConnection,
    version: i64,
}

impl Changes {
    /// True when something was committed since the last call (or since creation).
    pub fn changed(&mut self) -> Result<bool> {
        let v: i64 = retry(|| self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)))?;
        let changed = v != self.version;
        self.version = v;
        Ok(changed)
    }
}

fn want_path(main: &Path) -> PathBuf {
    let mut s = main.as_os_str().to_owned();
    s.push(".lock.want");
    PathBuf::from(s)
}

/// A standing request for the writer lock (see [`writer_wanted`]); withdrawn when dropped.
pub struct WriterRequest(PathBuf);

impl Drop for WriterRequest {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Asks whoever holds the writer lock of `main` to hand it over for a while: a long-running
/// follower commits, lets go, and takes it back once the request is withdrawn. Used by one-off
/// indexing (imports), so that it neither waits forever nor indexes beside the follower.
pub fn request_writer(main: &Path) -> Result<WriterRequest> {
    let path = want_path(main);
    std::fs::write(&path, std::process::id().to_string()).map_err(|source| StoreError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(WriterRequest(path))
}

/// True while another process asks for the writer lock (and is still alive).
pub fn writer_wanted(main: &Path) -> bool {
    let Ok(pid) = std::fs::read_to_string(want_path(main)) else {
        return false;
    };
    match pid.trim().parse::<u32>() {
        Ok(pid) if pid == std::process::id() => false,
        Ok(pid) => !cfg!(target_os = "linux") || Path::new(&format!("/proc/{pid}")).exists(),
        Err(_) => false,
    }
}

/// Holds the writer lock of a database without opening it (for restoring or recovering a file),
/// waiting for no one: fails with [`StoreError::WriterBusy`] while a writer works.
pub fn lock_writer(main: &Path) -> Result<impl Drop> {
    writer::take_lock(main).map(|(lock, _)| lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_noticed_from_other_connections() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let mut changes = store.changes().unwrap();
        assert!(!changes.changed().unwrap());
        let mut w = store.writer().unwrap();
        w.job_id("x").unwrap();
        assert!(changes.changed().unwrap());
        assert!(!changes.changed().unwrap());
    }

    #[test]
    fn fts_file_sits_beside_the_main_file() {
        assert_eq!(
            fts_path_for(Path::new("/a/logdex.db")),
            PathBuf::from("/a/logdex.fts.db")
        );
        assert_eq!(fts_path_for(Path::new("x")), PathBuf::from("x.fts.db"));
    }
}
