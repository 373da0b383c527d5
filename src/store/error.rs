//! Errors of the store, with the variants callers act on: busy, damaged, too new, a bad search.

use std::path::PathBuf;

use crate::query::SearchError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} does not exist")]
    Missing { path: PathBuf },
    #[error("{path} is damaged or is not a logdex database: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer logdex (schema version {found}; this one knows up to {known}): upgrade logdex or choose another database with --db"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} was written by an older logdex (schema version {found}; this one needs {known}) and cannot be upgraded here: open it once with write access"
    )]
    TooOld {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("another logdex process is indexing {path}{holder}")]
    WriterBusy { path: PathBuf, holder: String },
    #[error(
        "the database is busy (locked by another connection) and stayed so after retrying: {0}"
    )]
    Busy(rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("database connection pool: {0}")]
    Pool(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => StoreError::Busy(e),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// True for errors that say the file itself is unusable (damaged, not a database).
    pub fn is_corruption(&self) -> bool {
        match self {
            StoreError::Corrupt { .. } => true,
            StoreError::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ),
            _ => false,
        }
    }
}
