//! Upkeep figures on a large database, release build:
//!
//!   cargo bench --bench upkeep -- --db PATH_TO_INDEXED.db
//!
//! Copies the database (both files) with `cp` and times that, times `logdex backup` of it as a
//! whole process, then prunes the oldest tenth of its entries while a reader pages
//! continuously and reports how long the reader was ever held up. Without --db it indexes a
//! 1M-line genlogs corpus first. It asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod common;

use logdex::maintenance::retention::{Cutoff, prune};
use logdex::query::{Cursor, Filter, Order, PageRequest};
use logdex::store::{Store, fts_path_for};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let work = tempfile::tempdir().expect("tempdir");
    let exe = env!("CARGO_BIN_EXE_logdex");
    let source: PathBuf = match arg("--db") {
        Some(p) => PathBuf::from(p),
        None => {
            let files = common::genlogs(&work.path().join("corpus"), 1_000_000, 12, 1);
            let db = work.path().join("src.db");
            common::index(&db, &files);
            db
        }
    };
    let bytes = size(&source) + size(&fts_path_for(&source));
    // cp, three times, median.
    let db = work.path().join("bench.db");
    let mut cp = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for (from, to) in [
            (source.clone(), db.clone()),
            (fts_path_for(&source), fts_path_for(&db)),
        ] {
            let ok = Command::new("cp")
                .arg(&from)
                .arg(&to)
                .status()
                .expect("cp")
                .success();
            assert!(ok);
        }
        cp.push(t.elapsed().as_secs_f64());
    }
    let mut backup = Vec::new();
    for i in 0..3 {
        let dest = work.path().join(format!("backup{i}.db"));
        let t = Instant::now();
        let ok = Command::new(exe)
            .args([
                "--db",
                db.to_str().expect("path"),
                "backup",
                dest.to_str().expect("path"),
            ])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("backup")
            .success();
        assert!(ok);
        backup.push(t.elapsed().as_secs_f64());
        let _ = std::fs::remove_file(&dest);
        let _ = std::fs::remove_file(fts_path_for(&dest));
    }
    let (cp, backup) = (median(cp), median(backup));
    println!(
        "{:.0} MB: cp {cp:.2} s, logdex backup {backup:.2} s ({:.2}x cp), medians of 3",
        bytes as f64 / 1e6,
        backup / cp
    );

    // Prune the oldest tenth while a reader pages.
    let store = Store::open(&db).expect("open");
    let stats = store
        .logs()
        .expect("repo")
        .stats(&Filter::default(), 1000)
        .expect("stats");
    let tenth = stats.total / 10;
    let mut seen = 0;
    let mut cutoff = stats.first_ts.unwrap_or(0);
    for b in &stats.buckets {
        if seen + b.total() > tenth {
            break;
        }
        seen += b.total();
        cutoff = b.start + stats.bucket_ms;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (store, stop) = (store.clone(), stop.clone());
        std::thread::spawn(move || {
            let repo = store.logs().expect("repo");
            let mut worst = 0f64;
            let mut times = Vec::new();
            let mut cursor: Option<Cursor> = None;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let page = repo
                    .page(&PageRequest {
                        filter: Filter::default(),
                        order: Order::NewestFirst,
                        cursor,
                        limit: 100,
                    })
                    .expect("page");
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                worst = worst.max(ms);
                times.push(ms);
                cursor = if times.len() % 50 == 0 {
                    None
                } else {
                    page.next
                };
            }
            (worst, times)
        })
    };
    let started = Instant::now();
    let mut writer = store.writer().expect("writer");
    let (removed, _) = prune(
        &mut writer,
        &[Cutoff {
            before: cutoff,
            sources: None,
        }],
        None,
    )
    .expect("prune");
    writer.finish().expect("finish");
    let took = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let (worst, mut times) = reader.join().expect("reader");
    times.sort_by(f64::total_cmp);
    println!(
        "pruned {removed} of {} entries in {took:.1} s while a reader paged: {} pages, p99 {:.2} ms, worst {worst:.2} ms",
        stats.total,
        times.len(),
        times[(times.len() as f64 * 0.99) as usize]
    );
}
