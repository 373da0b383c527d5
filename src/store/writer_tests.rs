//! The writer's bookkeeping with the full-text thread, seen from inside.

use std::time::{Duration, Instant};

use super::*;
use crate::store::Store;

/// Registers `/logs/a.log` for job `a`; returns its id.
pub(in crate::store) fn source(w: &mut IngestWriter) -> i64 {
    let reg = w
        .register_source(&NewSource {
            path: "/logs/a.log".into(),
            job: "a".into(),
            format: None,
            dev: None,
            inode: None,
            fingerprint: b"a".to_vec(),
            compressed: false,
            size: 0,
            mtime: 0,
        })
        .unwrap();
    match reg {
        Registration::Ready(rec) => rec.id,
        other => panic!("{other:?}"),
    }
}

fn one_entry(source_id: i64, ts: i64) -> Batch {
    Batch {
        entries: vec![NewEntry {
            source_id,
            job: None,
            ts,
            level: Some(Level::Info),
            level_raw: None,
            message: format!("entry at {ts}"),
            fields: None,
            line: 1,
            offset: 0,
        }],
        checkpoints: Vec::new(),
    }
}

fn newest_batch(w: &IngestWriter) -> i64 {
    w.conn
        .query_row("SELECT coalesce(max(seq), 0) FROM fts_queue", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn wait_for_words(w: &IngestWriter, seq: i64) {
    let started = Instant::now();
    while w.fts_done.load(Ordering::Acquire) < seq {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the word index never took batch {seq}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn batch_numbers_keep_growing_after_the_word_index_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut w = store.writer().unwrap();
    let src = source(&mut w);
    let mut seen = 0;
    for round in 0..3 {
        w.commit(one_entry(src, 1_793_577_600_000 + round * 1000))
            .unwrap();
        let seq = newest_batch(&w);
        assert!(seq > seen, "batch {seq} after batch {seen}");
        seen = seq;
        wait_for_words(&w, seq);
        // A batch with nothing to index (a checkpoint only) is where the queue got emptied.
        w.commit(Batch::default()).unwrap();
    }
    w.finish().unwrap();

    // The index's mark is the last batch, not below what the queue forgot: no rebuild is due.
    let main = Connection::open(dir.path().join("t.db")).unwrap();
    main.execute("ATTACH ?1 AS fts", [store.fts_path().to_str().unwrap()])
        .unwrap();
    let (mark, forgotten): (i64, i64) = main
        .query_row(
            "SELECT (SELECT seq FROM fts.fts_state), (SELECT value FROM meta WHERE key = 'fts_pruned_seq')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(mark, seen);
    assert!(forgotten <= mark, "forgot {forgotten}, index at {mark}");
}
