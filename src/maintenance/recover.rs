//! Opening a database for writing when it may be damaged: a file that is corrupt or not a
//! database is moved aside (never deleted), the newest good backup takes its place if there is
//! one, and indexing then re-reads from the log files whatever that lacks — the sources'
//! checkpoints say where. A damaged word index alone is set aside and rebuilt from the entries.

use std::path::{Path, PathBuf};

use super::backup::{install, move_aside, newest_good};
use crate::display::format_ts_utc;
use crate::store::{Schema, Store, StoreError, check_file, file_size, fts_path_for};

/// Databases up to this size are checked whenever a writer opens them (a check of a large one
/// takes seconds, so those are checked only after a writer died).
const ALWAYS_CHECK_BELOW: u64 = 64 << 20;

/// What was done to get a usable database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Where the damaged file was moved.
    pub damaged: PathBuf,
    /// The backup restored, if any.
    pub restored_from: Option<PathBuf>,
    /// What was wrong.
    pub problem: String,
    /// Only the word index was damaged (the entries are intact; it is rebuilt from them).
    pub words_only: bool,
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.words_only {
            return write!(
                f,
                "the word index was damaged ({}); it was moved to {} and is rebuilt from the entries",
                self.problem,
                self.damaged.display()
            );
        }
        write!(
            f,
            "the database was damaged ({}); it was moved to {}",
            self.problem,
            self.damaged.display()
        )?;
        match &self.restored_from {
            Some(b) => write!(
                f,
                "; restored the backup {} and re-reading what it lacks from the log files",
                b.display()
            ),
            None => write!(
                f,
                "; no usable backup, so the log files are indexed again from their start"
            ),
        }
    }
}

fn stamp() -> String {
    format_ts_utc(crate::query::time::now_ms()).replace([':', '-'], "")
}

/// Opens `db`, recovering first when it is damaged. `check` asks for a full integrity check
/// even of a large file (after an unclean shutdown).
pub fn open(
    db: &Path,
    backups: &Path,
    check: bool,
) -> Result<(Store, Option<Recovery>), StoreError> {
    let problem = match Store::open(db) {
        Ok(store) => {
            let small = file_size(db) < ALWAYS_CHECK_BELOW;
            if !(check || small) {
                return Ok((store, None));
            }
            let main = check_file(db, Schema::Main)?;
            let words = check_file(&fts_path_for(db), Schema::Fts)?;
            if main.is_empty() && words.is_empty() {
                return Ok((store, None));
            }
            drop(store);
            if main.is_empty() {
                return recover_words(db, &words.join("; "));
            }
            main.join("; ")
        }
        Err(e) if e.is_corruption() => {
            if check_file(db, Schema::Main).is_ok_and(|p| p.is_empty()) {
                return recover_words(db, &e.to_string());
            }
            e.to_string()
        }
        Err(e) => return Err(e),
    };
    let damaged = move_aside(db, &format!("damaged-{}", stamp()))?;
    let restored_from = newest_good(backups);
    if let Some(b) = &restored_from {
        install(b, db)?;
    }
    let store = Store::open(db)?;
    Ok((
        store,
        Some(Recovery {
            damaged,
            restored_from,
            problem,
            words_only: false,
        }),
    ))
}

/// Sets a damaged word index aside; the writer that opens next feeds the new one every entry
/// (the batches it lacks are listed in the main file, or it finds it is behind and rebuilds).
fn recover_words(db: &Path, problem: &str) -> Result<(Store, Option<Recovery>), StoreError> {
    let words = fts_path_for(db);
    let damaged = words.with_file_name(format!(
        "{}.damaged-{}",
        words
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        stamp()
    ));
    for ext in ["", "-wal", "-shm"] {
        let mut from = words.as_os_str().to_owned();
        from.push(ext);
        let mut to = damaged.as_os_str().to_owned();
        to.push(ext);
        if Path::new(&from).exists() {
            std::fs::rename(&from, &to).map_err(|source| StoreError::Io {
                path: PathBuf::from(&from),
                source,
            })?;
        }
    }
    let store = Store::open(db)?;
    Ok((
        store,
        Some(Recovery {
            damaged,
            restored_from: None,
            problem: problem.to_string(),
            words_only: true,
        }),
    ))
}
