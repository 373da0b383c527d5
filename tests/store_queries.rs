//! The repository against brute force: every filter, cursor walk, count and statistic on a
//! synthetic database must equal what a plain scan of all entries says.

use logdex::model::{Level, LogEntry};
use logdex::query::{
    Cursor, Filter, LevelSet, Order, PageRequest, SearchMode, TextQuery, TimeRange,
};
use logdex::store::{Batch, Checkpoint, NewEntry, Store, StoreError};

mod writing;

use writing::{Lcg, entry_at, source};

const T0: i64 = 1_793_577_600_000; // 2026-11-02T00:00:00Z

fn entry(source_id: i64, ts: i64, level: Option<Level>, message: &str, line: u64) -> NewEntry {
    entry_at(source_id, ts, level, message, line, 10)
}

/// Three sources (two jobs), 3,000 entries over 3 days with skewed levels, committed in batches.
fn fixture() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut w = store.writer().unwrap();
    let a = source(&mut w, "/logs/backup.log", "backup");
    let b = source(&mut w, "/logs/etl.log", "etl");
    let c = source(&mut w, "/logs/etl.log.1", "etl");
    let mut rng = Lcg(7);
    let mut ts = T0;
    let mut batch = Batch::default();
    for i in 0..3_000u64 {
        ts += (rng.next() % 170_000) as i64;
        let level = match rng.next() % 100 {
            0..=19 => Some(Level::Debug),
            20..=84 => Some(Level::Info),
            85..=93 => Some(Level::Warn),
            94..=97 => Some(Level::Error),
            98 => Some(Level::Fatal),
            _ => None,
        };
        let src = [a, b, c][(rng.next() % 3) as usize];
        let words = [
            "upstream timeout",
            "disk full",
            "retrying upstream",
            "done",
            "user-42 logged in",
        ];
        let text = format!("message {i} {}", words[(rng.next() % 5) as usize]);
        batch.entries.push(entry(src, ts, level, &text, i + 1));
        if batch.entries.len() == 700 {
            batch.checkpoints.push(Checkpoint {
                source_id: a,
                offset: i * 10,
                line: i,
                last_ts: Some(ts),
                format: Some("test".into()),
                size: 0,
                mtime: 0,
            });
            w.commit(std::mem::take(&mut batch)).unwrap();
        }
    }
    w.commit(batch).unwrap();
    w.finish().unwrap();
    (dir, store)
}

fn all_entries(store: &Store) -> Vec<LogEntry> {
    walk(store, &Filter::default(), Order::OldestFirst, 1_000)
}

fn walk(store: &Store, filter: &Filter, order: Order, limit: usize) -> Vec<LogEntry> {
    let repo = store.logs().unwrap();
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = repo
            .page(&PageRequest {
                filter: filter.clone(),
                order,
                cursor,
                limit,
            })
            .unwrap();
        assert!(page.entries.len() <= limit);
        out.extend(page.entries);
        match page.next {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

fn brute(all: &[LogEntry], filter: &Filter) -> Vec<i64> {
    all.iter()
        .filter(|e| filter.text.as_ref().is_none_or(|t| t.matches(&e.message)))
        .filter(|e| filter.levels.contains(e.level))
        .filter(|e| filter.jobs.as_ref().is_none_or(|j| j.contains(&e.job)))
        .filter(|e| filter.time.contains(e.ts))
        .map(|e| e.id)
        .collect()
}

fn filters() -> Vec<Filter> {
    let span = |a: i64, b: i64| TimeRange {
        since: Some(T0 + a),
        until: Some(T0 + b),
    };
    let mut out = vec![Filter::default()];
    for levels in [
        LevelSet::all(),
        LevelSet::at_least(Level::Warn),
        LevelSet::at_least(Level::Error),
        {
            let mut s = LevelSet::none();
            s.insert(None);
            s
        },
        {
            let mut s = LevelSet::none();
            s.insert(Some(Level::Debug));
            s.insert(Some(Level::Fatal));
            s
        },
    ] {
        for jobs in [
            None,
            Some(vec!["etl".to_string()]),
            Some(vec!["nope".to_string()]),
        ] {
            for time in [
                TimeRange::all(),
                span(3_600_000 + 1_234, 30 * 3_600_000 + 999),
                TimeRange {
                    since: Some(T0 + 50 * 3_600_000),
                    until: None,
                },
                span(10_000_000_000, 20_000_000_000),
                // Whole hours, most of the history: counted as the total less what is outside.
                span(3_600_000, 65 * 3_600_000),
                span(2 * 3_600_000 + 17, 71 * 3_600_000 + 5),
            ] {
                out.push(Filter {
                    text: None,
                    jobs: jobs.clone(),
                    levels,
                    time,
                });
            }
        }
    }
    out
}

#[test]
fn entries_come_back_in_time_order_with_ids_that_sort_like_time() {
    let (_d, store) = fixture();
    let all = all_entries(&store);
    assert_eq!(all.len(), 3_000);
    assert!(
        all.windows(2)
            .all(|w| w[0].id < w[1].id && w[0].ts <= w[1].ts)
    );
    assert!(all[0].message.starts_with("message 0 "), "{:?}", &all[..2]);
}

fn text_filters() -> Vec<Filter> {
    let q = |mode, s: &str| Some(TextQuery::parse(mode, s).unwrap());
    let mut out = Vec::new();
    for text in [
        q(SearchMode::Words, "upstream"),
        q(SearchMode::Words, "\"upstream timeout\""),
        q(SearchMode::Words, "user-42"),
        q(SearchMode::Words, "disk OR done"),
        q(SearchMode::Words, "upstream -timeout"),
        q(SearchMode::Words, "-upstream"),
        q(SearchMode::Words, "retry*"),
        q(SearchMode::Regex, "message 1\\d{2} "),
        q(SearchMode::Regex, "upstream (timeout|x)"),
    ] {
        for levels in [LevelSet::all(), LevelSet::at_least(Level::Warn)] {
            for jobs in [None, Some(vec!["backup".to_string()])] {
                out.push(Filter {
                    text: text.clone(),
                    jobs: jobs.clone(),
                    levels,
                    time: TimeRange {
                        since: Some(T0 + 7_200_000 + 17),
                        until: None,
                    },
                });
                out.push(Filter {
                    text: text.clone(),
                    jobs,
                    levels,
                    time: TimeRange::all(),
                });
            }
        }
    }
    out
}

fn assert_text_filters(store: &Store, all: &[LogEntry], what: &str) {
    let repo = store.logs().unwrap();
    let mut nonempty = 0;
    for f in text_filters().into_iter().chain(filters()) {
        let want = brute(all, &f);
        nonempty += usize::from(!want.is_empty());
        let mut rev = want.clone();
        rev.reverse();
        let got: Vec<i64> = walk(store, &f, Order::NewestFirst, 33)
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(got, rev, "{what}: walk of {f:?}");
        assert_eq!(
            repo.count(&f).unwrap(),
            want.len() as u64,
            "{what}: count of {f:?}"
        );
        let stats = repo.stats(&f, 40).unwrap();
        assert_eq!(stats.total, want.len() as u64, "{what}: stats of {f:?}");
    }
    assert!(nonempty >= 100, "only {nonempty} filters match anything");
}

#[test]
fn text_searches_match_brute_force_whether_the_word_index_is_current_or_behind() {
    let (dir, store) = fixture();
    let all = all_entries(&store);
    assert_text_filters(&store, &all, "current index");
    // The word index lags: every batch still listed as pending, so entries are both in the
    // index and scanned. Nothing may be counted twice.
    let fts = rusqlite::Connection::open(store.fts_path()).unwrap();
    let main = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
    main.execute_batch(
        "DELETE FROM fts_queue; INSERT INTO fts_queue(seq, lo_id, hi_id) SELECT 1000, min(id), max(id) FROM log_entries;",
    )
    .unwrap();
    fts.execute_batch("UPDATE fts_state SET seq = 999").unwrap();
    assert_text_filters(&store, &all, "index behind");
    // The word index lost everything: answers come from scanning alone.
    fts.execute_batch("INSERT INTO log_fts(log_fts) VALUES('delete-all')")
        .unwrap();
    assert_text_filters(&store, &all, "index empty");
    // A writer starting after a crash re-feeds what the index lacks.
    drop(store.writer().unwrap());
    let seq: i64 = fts
        .query_row("SELECT seq FROM fts_state", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seq, 1000);
    main.execute_batch("DELETE FROM fts_queue").unwrap();
    assert_text_filters(&store, &all, "index rebuilt by catch-up");
}

#[test]
fn every_filter_pages_counts_and_stats_like_brute_force() {
    let (_d, store) = fixture();
    let all = all_entries(&store);
    let repo = store.logs().unwrap();
    for f in filters() {
        let want = brute(&all, &f);
        let newest: Vec<i64> = walk(&store, &f, Order::NewestFirst, 97)
            .iter()
            .map(|e| e.id)
            .collect();
        let mut rev = want.clone();
        rev.reverse();
        assert_eq!(newest, rev, "newest-first walk of {f:?}");
        let oldest: Vec<i64> = walk(&store, &f, Order::OldestFirst, 250)
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(oldest, want, "oldest-first walk of {f:?}");
        assert_eq!(repo.count(&f).unwrap(), want.len() as u64, "count of {f:?}");
        let stats = repo.stats(&f, 50).unwrap();
        assert_eq!(stats.total, want.len() as u64, "stats total of {f:?}");
        let bucket_sum: u64 = stats.buckets.iter().map(|b| b.total()).sum();
        assert_eq!(bucket_sum, stats.total, "histogram of {f:?}");
        assert!(stats.buckets.len() <= 51, "{} buckets", stats.buckets.len());
        for level in std::iter::once(None).chain(Level::ALL.map(Some)) {
            let n = all
                .iter()
                .filter(|e| want.contains(&e.id) && e.level == level)
                .count() as u64;
            assert_eq!(stats.level_count(level), n, "{level:?} in {f:?}");
        }
        if let (Some(first), Some(last)) = (want.first(), want.last()) {
            let ts = |id: &i64| all.iter().find(|e| e.id == *id).unwrap().ts;
            assert_eq!(stats.first_ts, Some(ts(first)));
            assert_eq!(stats.last_ts, Some(ts(last)));
        }
    }
}

#[test]
fn cursors_walk_back_the_way_they_came() {
    let (_d, store) = fixture();
    let repo = store.logs().unwrap();
    let req = |cursor| PageRequest {
        filter: Filter::default(),
        order: Order::NewestFirst,
        cursor,
        limit: 40,
    };
    let p1 = repo.page(&req(None)).unwrap();
    assert!(p1.prev.is_none());
    let p2 = repo.page(&req(p1.next)).unwrap();
    let p3 = repo.page(&req(p2.next)).unwrap();
    let back = repo.page(&req(p3.prev)).unwrap();
    assert_eq!(back.entries, p2.entries);
    let back = repo.page(&req(back.prev)).unwrap();
    assert_eq!(back.entries, p1.entries);
    // Deep pages cost what the first costs: a cursor is an id, not an offset.
    let deep = repo
        .page(&req(Some(Cursor::Before(p3.entries[5].id))))
        .unwrap();
    assert_eq!(deep.entries[0].id, p3.entries[6].id);
}

#[test]
fn late_entries_sort_into_their_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut w = store.writer().unwrap();
    let s = source(&mut w, "/x.log", "x");
    let mut batch = Batch::default();
    for i in 0..10 {
        batch.entries.push(entry(
            s,
            T0 + i * 10_000,
            Some(Level::Info),
            "on time",
            i as u64,
        ));
    }
    w.commit(batch).unwrap();
    let mut late = Batch::default();
    late.entries
        .push(entry(s, T0 + 45_000, Some(Level::Warn), "late", 99));
    late.entries
        .push(entry(s, T0 - 5_000, Some(Level::Warn), "early", 100));
    w.commit(late).unwrap();
    drop(w);
    let all = all_entries(&store);
    assert_eq!(all.len(), 12);
    assert!(
        all.windows(2).all(|p| p[0].ts <= p[1].ts),
        "{:?}",
        all.iter().map(|e| e.ts).collect::<Vec<_>>()
    );
    assert_eq!(all[0].message, "early");
}

#[test]
fn one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let w = store.writer().unwrap();
    match store.writer() {
        Err(StoreError::WriterBusy { holder, .. }) => {
            assert_eq!(holder, format!(" (pid {})", std::process::id()))
        }
        other => panic!("second writer: {other:?}"),
    }
    drop(w);
    assert!(store.writer().is_ok());
}

#[test]
fn query_plans_use_the_intended_indexes() {
    let (_d, store) = fixture();
    let repo = store.logs().unwrap();
    // Fatal entries are 1 % of the fixture: one index walk per (job, level).
    let errors = Filter {
        levels: LevelSet::at_least(Level::Fatal),
        ..Filter::default()
    };
    let plans = repo.explain(&errors).unwrap();
    insta::assert_snapshot!(plans.join("\n---\n"));
    let all = repo.explain(&Filter::default()).unwrap();
    insta::assert_snapshot!(all.join("\n---\n"));
}
