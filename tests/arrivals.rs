//! Entries arriving while someone reads: a follower (`tail`) sees the entries after its cursor
//! and late ones (older than what is stored, so placed below the cursor) exactly once, and a
//! reader paging through history neither repeats nor skips an entry.

use std::collections::BTreeMap;

use logdex::model::Level;
use logdex::query::{Cursor, Filter, LevelSet, Order, PageRequest};
use logdex::store::{ArrivalCursor, Batch, IngestWriter, NewEntry, Store};

mod writing;

use writing::{entry_at, source};

const T0: i64 = 1_793_577_600_000; // 2026-11-02T00:00:00Z

fn entry(source_id: i64, ts: i64, level: Level, message: String) -> NewEntry {
    entry_at(source_id, ts, Some(level), &message, 1, 0)
}

fn commit(w: &mut IngestWriter, entries: Vec<NewEntry>) {
    w.commit(Batch {
        entries,
        checkpoints: Vec::new(),
    })
    .unwrap();
}

/// Every arrival after `at`, in calls of `limit`, as messages.
fn drain(store: &Store, filter: &Filter, at: &mut ArrivalCursor, limit: usize) -> Vec<String> {
    let repo = store.logs().unwrap();
    let mut out = Vec::new();
    loop {
        let (entries, more) = repo.arrivals(filter, at, limit).unwrap();
        out.extend(entries.into_iter().map(|e| e.message));
        if !more {
            return out;
        }
    }
}

/// A new database with its writer and one source (`/logs/a.log`, job `a`).
fn new_store() -> (tempfile::TempDir, Store, IngestWriter, i64) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut w = store.writer().unwrap();
    let src = source(&mut w, "/logs/a.log", "a");
    (dir, store, w, src)
}

#[test]
fn late_entries_reach_a_follower_once_and_in_arrival_order() {
    let (_dir, store, mut w, src) = new_store();
    commit(
        &mut w,
        (0..10)
            .map(|i| entry(src, T0 + i * 60_000, Level::Info, format!("old {i}")))
            .collect(),
    );
    let (last, mut at) = store
        .logs()
        .unwrap()
        .follow_from(&Filter::default(), 2)
        .unwrap();
    let last: Vec<_> = last.into_iter().map(|e| e.message).collect();
    assert_eq!(last, ["old 8", "old 9"]);
    assert!(drain(&store, &Filter::default(), &mut at, 3).is_empty());

    // One batch: a new entry, and two that belong an hour back (a job that flushed late).
    commit(
        &mut w,
        vec![
            entry(src, T0 + 20 * 60_000, Level::Warn, "new".into()),
            entry(src, T0 + 30_000, Level::Error, "late 1".into()),
            entry(src, T0 + 90_000, Level::Info, "late 2".into()),
        ],
    );
    let got = drain(&store, &Filter::default(), &mut at, 1);
    assert_eq!(got, ["late 1", "late 2", "new"]);
    assert!(drain(&store, &Filter::default(), &mut at, 1).is_empty());

    // The filter applies to late entries as to the others.
    let errors = Filter {
        levels: LevelSet::at_least(Level::Error),
        ..Filter::default()
    };
    commit(
        &mut w,
        vec![
            entry(src, T0 + 45_000, Level::Error, "late error".into()),
            entry(src, T0 + 46_000, Level::Info, "late info".into()),
            entry(src, T0 + 21 * 60_000, Level::Error, "new error".into()),
        ],
    );
    assert_eq!(
        drain(&store, &errors, &mut at, 10),
        ["late error", "new error"]
    );
    w.finish().unwrap();
}

#[test]
fn a_follower_behind_many_batches_of_late_and_new_entries_sees_each_once() {
    let (_dir, store, mut w, src) = new_store();
    let mut newest = T0 + 3_600_000;
    commit(
        &mut w,
        vec![entry(src, newest, Level::Info, "start".into())],
    );
    let (_, mut at) = store
        .logs()
        .unwrap()
        .follow_from(&Filter::default(), 0)
        .unwrap();
    let mut expected = Vec::new();
    let mut n = 0;
    for round in 0..20 {
        let mut batch = Vec::new();
        for k in 0..7 {
            n += 1;
            // Alternate entries far in the past with entries at the head.
            let (ts, label) = if (round + k) % 3 == 0 {
                (T0 + n * 1_000, format!("late {n}"))
            } else {
                newest += 500;
                (newest, format!("new {n}"))
            };
            expected.push(label.clone());
            batch.push(entry(src, ts, Level::Info, label));
        }
        commit(&mut w, batch);
    }
    let got = drain(&store, &Filter::default(), &mut at, 4);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &got {
        *counts.entry(m.as_str()).or_default() += 1;
    }
    assert!(
        counts.values().all(|c| *c == 1),
        "printed twice: {counts:?}"
    );
    let mut got_sorted = got.clone();
    got_sorted.sort();
    expected.sort();
    assert_eq!(got_sorted, expected);
    w.finish().unwrap();
}

#[test]
fn pages_walked_while_entries_arrive_neither_repeat_nor_skip() {
    let (_dir, store, mut w, src) = new_store();
    commit(
        &mut w,
        (0..500)
            .map(|i| entry(src, T0 + i * 1000, Level::Info, format!("old {i}")))
            .collect(),
    );
    let repo = store.logs().unwrap();
    let page = |order, cursor| {
        repo.page(&PageRequest {
            filter: Filter::default(),
            order,
            cursor,
            limit: 60,
        })
        .unwrap()
    };
    let mut walked = Vec::new();
    let mut pages = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut round = 0;
    loop {
        let p = page(Order::NewestFirst, cursor);
        walked.extend(p.entries.iter().map(|e| (e.id, e.message.clone())));
        pages.push(p.entries.iter().map(|e| e.id).collect::<Vec<_>>());
        // Between pages: newer entries, and late ones among those not yet reached and among
        // those already passed.
        round += 1;
        commit(
            &mut w,
            vec![
                entry(
                    src,
                    T0 + (600 + round) * 1000,
                    Level::Warn,
                    format!("new {round}"),
                ),
                entry(
                    src,
                    T0 + 10_500 + round * 7,
                    Level::Error,
                    format!("late low {round}"),
                ),
                entry(
                    src,
                    T0 + 480_500 + round * 7,
                    Level::Error,
                    format!("late high {round}"),
                ),
            ],
        );
        match p.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let ids: Vec<i64> = walked.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.windows(2).all(|p| p[0] > p[1]),
        "newest first, no repeat"
    );
    let olds: Vec<&str> = walked
        .iter()
        .map(|(_, m)| m.as_str())
        .filter(|m| m.starts_with("old "))
        .collect();
    assert_eq!(olds.len(), 500, "every entry that was there, once");
    // Nothing newer than the first page's top appears; late entries below the cursor do.
    assert!(walked.iter().all(|(_, m)| !m.starts_with("new ")));
    assert!(walked.iter().any(|(_, m)| m.starts_with("late low")));

    // Back up the way we came: the page above the last one holds what was shown there, with
    // the late entries that landed among it since.
    let last = pages.len() - 1;
    let back = page(Order::NewestFirst, Some(Cursor::After(pages[last][0])));
    let before: Vec<i64> = back.entries.iter().map(|e| e.id).collect();
    assert_eq!(before.len(), 60);
    assert!(before.iter().all(|id| *id > pages[last][0]));
    let top = *before.iter().max().unwrap();
    assert!(
        pages[last - 1]
            .iter()
            .filter(|id| **id <= top)
            .all(|id| before.contains(id)),
        "the page above holds what was shown there"
    );
    w.finish().unwrap();
}
