//! The main file and its word index belong together: the main file's `meta.words_pair` number
//! is stamped in the word index. A word index with another number was built from another
//! database (the main file was deleted, or replaced by hand, and the index stayed); its rowids
//! would name the wrong entries, so it is replaced by an empty one that the next writer fills.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::connection::{BUSY_TIMEOUT, retry};
use super::migrate::{self, Schema};
use super::{Result, StoreError};

/// Makes sure the word index at `words` belongs to the main file at `main`, replacing it when
/// it does not. Both files exist and are migrated; needs write access to both.
pub(super) fn ensure(main: &Path, words: &Path) -> Result<()> {
    let ours = {
        let c = Connection::open(main)?;
        c.busy_timeout(BUSY_TIMEOUT)?;
        retry(|| {
            c.query_row("SELECT value FROM meta WHERE key = 'words_pair'", [], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
        })?
    };
    let Some(ours) = ours else {
        return Ok(());
    };
    let c = Connection::open(words)?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    let (theirs, mark): (Option<i64>, i64) = retry(|| {
        c.query_row("SELECT pair, seq FROM fts_state WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    })?;
    match theirs {
        Some(p) if p == ours => return Ok(()),
        // A new index is adopted. One from before indexes carried the number holds entry ids
        // from before they counted from 1970 (migration 0005), so it is replaced like a stranger.
        None if mark == 0 => {}
        _ => {
            drop(c);
            tracing::warn!(
                index = %words.display(),
                "the word index belongs to another database; replacing it"
            );
            for ext in ["-wal", "-shm", ""] {
                let mut p = words.as_os_str().to_owned();
                p.push(ext);
                match std::fs::remove_file(&p) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(StoreError::Io {
                            path: p.into(),
                            source: e,
                        });
                    }
                    _ => {}
                }
            }
            migrate::prepare(words, Schema::Fts)?;
            return ensure(main, words);
        }
    }
    retry(|| {
        c.execute(
            "UPDATE fts_state SET pair = ?1 WHERE id = 1 AND pair IS NULL",
            [ours],
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::query::{Filter, Order, PageRequest, SearchMode, TextQuery};
    use crate::store::{Batch, NewEntry, Store};

    /// 2020's first second times 16 id slots: what migration 0005 adds to every id.
    const SHIFT: i64 = 1_577_836_800 * 16;

    fn words(store: &Store, q: &str) -> Vec<i64> {
        let page = store
            .logs()
            .unwrap()
            .page(&PageRequest {
                filter: Filter {
                    text: Some(TextQuery::parse(SearchMode::Words, q).unwrap()),
                    ..Filter::default()
                },
                order: Order::OldestFirst,
                cursor: None,
                limit: 100,
            })
            .unwrap();
        page.entries.iter().map(|e| e.id).collect()
    }

    #[test]
    fn a_database_with_ids_from_2020_moves_them_and_rebuilds_its_word_index() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let store = Store::open(&db).unwrap();
        let mut w = store.writer().unwrap();
        let src = crate::store::writer::tests::source(&mut w);
        let entries = (0..20)
            .map(|i| NewEntry {
                source_id: src,
                job: None,
                ts: 1_793_577_600_000 + i * 1000,
                level: Some(Level::Info),
                level_raw: None,
                message: format!("alpha {i}"),
                fields: None,
                line: i as u64 + 1,
                offset: 0,
            })
            .collect();
        w.commit(Batch {
            entries,
            checkpoints: Vec::new(),
        })
        .unwrap();
        w.finish().unwrap();
        let ids = words(&store, "alpha");
        assert_eq!(ids.len(), 20);
        drop(store);

        // Back to what a logdex of schema 3 wrote: ids from 2020, a word index without a pair.
        let main = Connection::open(&db).unwrap();
        main.execute_batch(&format!(
            "UPDATE log_entries SET id = id - {SHIFT};
             UPDATE time_index SET min_id = min_id - {SHIFT}, max_id = max_id - {SHIFT};
             UPDATE fts_queue SET lo_id = lo_id - {SHIFT}, hi_id = hi_id - {SHIFT};
             DELETE FROM meta WHERE key = 'words_pair';
             PRAGMA user_version = 3;"
        ))
        .unwrap();
        let fts = Connection::open(crate::store::fts_path_for(&db)).unwrap();
        fts.execute_batch("INSERT INTO log_fts(log_fts) VALUES('delete-all')")
            .unwrap();
        for id in &ids {
            fts.execute(
                "INSERT INTO log_fts(rowid, message, meta) VALUES (?1, 'alpha', ?2)",
                rusqlite::params![id - SHIFT, super::super::fts::job_token(1)],
            )
            .unwrap();
        }
        fts.execute_batch("ALTER TABLE fts_state DROP COLUMN pair; PRAGMA user_version = 1;")
            .unwrap();
        drop((main, fts));

        let store = Store::open(&db).unwrap();
        // The old index is gone at once: nothing it says names the moved entries.
        store.writer().unwrap().finish().unwrap();
        assert_eq!(words(&store, "alpha"), ids);
        assert_eq!(words(&store, "alpha 7").len(), 1);
    }
}
