//! Backups: taken online, named by time, the newest N kept; and restore, which checks a file
//! before it replaces anything and keeps the replaced database aside.

use std::path::{Path, PathBuf};

use crate::display::format_ts_utc;
use crate::store::{self, Schema, Store, StoreError, check_file, fts_path_for};

/// `logdex-20261203T190500.123Z.db`: sorts by time.
pub fn name_for(now_ms: i64) -> String {
    let ts = format_ts_utc(now_ms).replace([':', '-'], "");
    format!("logdex-{ts}.db")
}

/// Backups in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with("logdex-") && n.ends_with(".db") && !n.ends_with(".fts.db")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.reverse();
    found
}

fn remove_pair(main: &Path) {
    let _ = std::fs::remove_file(main);
    let _ = std::fs::remove_file(fts_path_for(main));
}

/// Takes a backup into `dir` and removes all but the newest `keep`. Returns its path.
pub fn take(store: &Store, dir: &Path, keep: usize) -> Result<PathBuf, StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let dest = dir.join(name_for(crate::query::time::now_ms()));
    if let Err(e) = store.backup_to(&dest) {
        remove_pair(&dest);
        return Err(e);
    }
    for old in list(dir).into_iter().skip(keep.max(1)) {
        remove_pair(&old);
    }
    Ok(dest)
}

/// Problems of a backup file (empty: usable). Its word index may be missing: a writer rebuilds
/// it then.
pub fn problems(file: &Path) -> Result<Vec<String>, StoreError> {
    let mut out = check_file(file, Schema::Main)?;
    let words = fts_path_for(file);
    if words.exists() {
        out.extend(
            check_file(&words, Schema::Fts)?
                .into_iter()
                .map(|p| format!("word index: {p}")),
        );
    }
    Ok(out)
}

/// The newest backup in `dir` that passes its checks.
pub fn newest_good(dir: &Path) -> Option<PathBuf> {
    list(dir)
        .into_iter()
        .find(|b| problems(b).is_ok_and(|p| p.is_empty()))
}

/// Moves a database (both files, with their logs) aside under `suffix`; returns the new main path.
pub fn move_aside(db: &Path, suffix: &str) -> Result<PathBuf, StoreError> {
    let moved = with_suffix(db, suffix);
    for (from, to) in [
        (db.to_path_buf(), moved.clone()),
        (fts_path_for(db), with_suffix(&fts_path_for(db), suffix)),
    ] {
        for ext in ["", "-wal", "-shm"] {
            let f = with_ext(&from, ext);
            if f.exists() {
                std::fs::rename(&f, with_ext(&to, ext)).map_err(|source| StoreError::Io {
                    path: f.clone(),
                    source,
                })?;
            }
        }
    }
    Ok(moved)
}

fn with_ext(p: &Path, ext: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    with_ext(p, &format!(".{suffix}"))
}

/// Copies a backup into place as the database `db`.
pub fn install(file: &Path, db: &Path) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    std::fs::copy(file, db).map_err(io(db))?;
    let words = fts_path_for(file);
    if words.exists() {
        std::fs::copy(&words, fts_path_for(db)).map_err(io(&fts_path_for(db)))?;
    }
    Ok(())
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the database that was replaced now is (None: there was none).
    pub replaced: Option<PathBuf>,
}

/// Replaces the database `db` with the backup `file`, after checking the backup and while
/// holding the writer lock.
pub fn restore(db: &Path, file: &Path) -> Result<Restored, StoreError> {
    let problems = problems(file)?;
    if !problems.is_empty() {
        return Err(StoreError::Corrupt {
            path: file.to_path_buf(),
            detail: problems.join("; "),
        });
    }
    let _lock = store::lock_writer(db)?;
    let replaced = if db.exists() {
        let stamp = format_ts_utc(crate::query::time::now_ms()).replace([':', '-'], "");
        Some(move_aside(db, &format!("replaced-{stamp}"))?)
    } else {
        None
    };
    install(file, db)?;
    Ok(Restored { replaced })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time() {
        let a = name_for(1_793_620_800_000);
        let b = name_for(1_793_620_800_001);
        assert_eq!(a, "logdex-20261102T120000.000Z.db");
        assert!(a < b);
    }
}
