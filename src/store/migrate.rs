//! Schema migrations: numbered SQL files under `migrations/`, embedded at build time, applied in
//! order, each in its own transaction, the version kept in `PRAGMA user_version`. A file from a
//! newer logdex is refused rather than guessed at.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Result, StoreError};

pub struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

/// Append-only: never edit or reorder a migration that has shipped; add a new file.
pub const MAIN: &[Migration] = &[
    Migration {
        name: "0001_init",
        sql: include_str!("../../migrations/main/0001_init.sql"),
    },
    Migration {
        name: "0002_job_definitions",
        sql: include_str!("../../migrations/main/0002_job_definitions.sql"),
    },
    Migration {
        name: "0003_late_entries",
        sql: include_str!("../../migrations/main/0003_late_entries.sql"),
    },
    Migration {
        name: "0004_word_index_pair",
        sql: include_str!("../../migrations/main/0004_word_index_pair.sql"),
    },
    Migration {
        name: "0005_ids_from_1970",
        sql: include_str!("../../migrations/main/0005_ids_from_1970.sql"),
    },
];

pub const FTS: &[Migration] = &[
    Migration {
        name: "0001_init",
        sql: include_str!("../../migrations/fts/0001_init.sql"),
    },
    Migration {
        name: "0002_pair",
        sql: include_str!("../../migrations/fts/0002_pair.sql"),
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Main,
    Fts,
}

impl Schema {
    pub fn migrations(self) -> &'static [Migration] {
        match self {
            Schema::Main => MAIN,
            Schema::Fts => FTS,
        }
    }

    /// Stamped in `PRAGMA application_id` so a foreign SQLite file is recognised.
    fn application_id(self) -> i64 {
        match self {
            Schema::Main => 0x4c47_4458, // "LGDX"
            Schema::Fts => 0x4c47_4446,  // "LGDF"
        }
    }

    fn page_size(self) -> i64 {
        16384
    }
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Creates the file if needed, sets WAL and applies pending migrations.
pub fn prepare(path: &Path, schema: Schema) -> Result<()> {
    let c = Connection::open(path).map_err(|e| open_error(path, e))?;
    c.busy_timeout(super::connection::BUSY_TIMEOUT)?;
    let version = read_version(&c, path, schema)?;
    if version == 0 {
        // page_size and auto_vacuum only take effect before the first table exists (and
        // page_size before WAL). Incremental vacuum lets retention give space back in steps.
        c.execute_batch(&format!(
            "PRAGMA page_size = {}; PRAGMA auto_vacuum = INCREMENTAL;",
            schema.page_size()
        ))?;
    }
    let mode: String = super::retry(|| c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(format!("cannot switch to WAL mode (got {mode})")),
        });
    }
    for (i, m) in schema
        .migrations()
        .iter()
        .enumerate()
        .skip(version as usize)
    {
        let target = i as i64 + 1;
        super::retry(|| c.execute_batch("BEGIN IMMEDIATE"))?;
        let applied = (|| -> Result<()> {
            // Another process may have migrated while we waited for the lock.
            let now: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now >= target {
                return Ok(());
            }
            c.execute_batch(m.sql).map_err(|e| StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("migration {} failed: {e}", m.name),
            })?;
            c.execute_batch(&format!(
                "PRAGMA user_version = {target}; PRAGMA application_id = {};",
                schema.application_id()
            ))?;
            Ok(())
        })();
        match applied {
            Ok(()) => c.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = c.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Refuses files that are not ours or are newer than this build; opens read-only.
pub fn check_version(path: &Path, schema: Schema) -> Result<i64> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(path, e))?;
    c.busy_timeout(super::connection::BUSY_TIMEOUT)?;
    let v = read_version(&c, path, schema)?;
    if v < schema.migrations().len() as i64 {
        return Err(StoreError::TooOld {
            path: path.to_path_buf(),
            found: v,
            known: schema.migrations().len() as i64,
        });
    }
    Ok(v)
}

fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(
                "cannot open the file (missing directory or no permission)",
            ),
        },
        _ => StoreError::from(e),
    }
}

fn read_version(c: &Connection, path: &Path, schema: Schema) -> Result<i64> {
    let read = || -> rusqlite::Result<(i64, i64, i64)> {
        let v = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app = c.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables = c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok((v, app, tables))
    };
    let (version, app, tables) = super::retry(read).map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            corrupt(path, e)
        }
        _ => StoreError::from(e),
    })?;
    if version == 0 && tables > 0 {
        return Err(corrupt(
            path,
            "it holds tables but no logdex schema version",
        ));
    }
    if version > 0 && app != schema.application_id() {
        return Err(corrupt(path, "it is an SQLite file of another application"));
    }
    let known = schema.migrations().len() as i64;
    if version > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(dir: &str) -> Vec<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .map(|n| n.trim_end_matches(".sql").to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_migration_file_is_embedded_in_order() {
        for (dir, list) in [("main", MAIN), ("fts", FTS)] {
            let embedded: Vec<String> = list.iter().map(|m| m.name.to_string()).collect();
            assert_eq!(embedded, listed(dir), "migrations/{dir}");
            for (i, m) in list.iter().enumerate() {
                let number: usize = m.name[..4].parse().unwrap();
                assert_eq!(number, i + 1, "{} is out of sequence", m.name);
            }
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        prepare(&p, Schema::Main).unwrap();
        prepare(&p, Schema::Main).unwrap();
        assert_eq!(check_version(&p, Schema::Main).unwrap(), MAIN.len() as i64);
        let c = Connection::open(&p).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(c);
        let err = prepare(&p, Schema::Main).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("newer logdex"));
    }

    #[test]
    fn foreign_files_are_not_taken_for_ours() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("g.db");
        std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
        assert!(prepare(&garbage, Schema::Main).unwrap_err().is_corruption());
        let other = dir.path().join("o.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        assert!(prepare(&other, Schema::Main).unwrap_err().is_corruption());
    }
}
