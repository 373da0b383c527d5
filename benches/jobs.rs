//! The per-job summary (`JobRepository::summaries`: last entry, entries, errors and warnings
//! in the last 24 hours, last error, for every job) on a large database, release build:
//!
//!   cargo bench --bench jobs -- --db PATH [--runs 200]
//!   cargo bench --bench jobs -- --lines 5000000 [--jobs 12]   (generates and indexes a corpus)
//!
//! A database given with --db is copied to a scratch directory first (opening it applies pending
//! migrations); its word index file (`NAME.fts.db`) must sit beside it. The 50 definitions of
//! `tests/fixtures/jobs/realistic.yaml` are imported, "now" is the newest entry's time (so the
//! 24-hour window is full), and the summary is timed cold (first call) and warm. Prints the
//! median and spread; asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use logdex::ingest::discover::expand;
use logdex::ingest::{IndexOptions, LogIndexer, SourceSpec};
use logdex::query::{Filter, Order, PageRequest};
use logdex::store::{Store, fts_path_for};

struct Args {
    db: Option<PathBuf>,
    lines: u64,
    jobs: u32,
    runs: usize,
}

fn args() -> Args {
    let mut a = Args {
        db: None,
        lines: 1_000_000,
        jobs: 12,
        runs: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--db" => a.db = it.next().map(PathBuf::from),
            "--lines" => a.lines = it.next().and_then(|v| v.parse().ok()).expect("--lines N"),
            "--jobs" => a.jobs = it.next().and_then(|v| v.parse().ok()).expect("--jobs N"),
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            _ => {}
        }
    }
    a
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Copies a database and its word index into `dir`.
fn copy_db(src: &Path, dir: &Path) -> PathBuf {
    let dst = dir.join("bench.db");
    std::fs::copy(src, &dst).expect("copy the database");
    std::fs::copy(fts_path_for(src), fts_path_for(&dst)).expect("copy the word index");
    dst
}

/// Generates a genlogs corpus and indexes it into `dir`.
fn build_db(a: &Args, dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/genlogs.py");
    let status = Command::new("python3")
        .arg(script)
        .args(["--out", corpus.to_str().expect("path")])
        .args([
            "--lines",
            &a.lines.to_string(),
            "--jobs",
            &a.jobs.to_string(),
        ])
        .args(["--seed", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 genlogs.py");
    assert!(status.success(), "genlogs failed");
    let mut files = Vec::new();
    expand(
        corpus.to_str().expect("path"),
        false,
        &mut files,
        &mut Vec::new(),
    );
    let db = dir.join("bench.db");
    let store = Store::open(&db).expect("open");
    let mut writer = store.writer().expect("writer");
    let specs: Vec<SourceSpec> = files
        .into_iter()
        .map(|path| SourceSpec {
            path,
            job: None,
            format: None,
        })
        .collect();
    let opts = IndexOptions {
        zone: jiff::tz::TimeZone::UTC,
        idle_flush: Duration::ZERO,
        ..IndexOptions::default()
    };
    LogIndexer::new(&mut writer, opts)
        .index(&specs, &mut |_| {})
        .expect("index");
    writer.finish().expect("finish");
    db
}

fn main() {
    let a = args();
    let work = tempfile::tempdir().expect("tempdir");
    let db = match &a.db {
        Some(src) => copy_db(src, work.path()),
        None => build_db(&a, work.path()),
    };
    let store = Store::open(&db).expect("open (and migrate) the copy");
    let defs = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jobs/realistic.yaml"),
    )
    .expect("fixture");
    let defs = logdex::jobs::parse(&defs).expect("fixture parses");
    store
        .jobs_mut()
        .expect("jobs")
        .upsert(&defs, false, 0)
        .expect("import");

    let logs = store.logs().expect("logs");
    let total = logs.count(&Filter::default()).expect("count");
    let newest = logs
        .page(&PageRequest {
            filter: Filter::default(),
            order: Order::NewestFirst,
            cursor: None,
            limit: 1,
        })
        .expect("page")
        .entries
        .first()
        .map(|e| e.ts)
        .expect("a non-empty database");
    drop(logs);

    let repo = store.jobs().expect("jobs");
    let started = Instant::now();
    let first = repo.summaries(newest).expect("summary");
    let cold = started.elapsed();
    let mut times = Vec::with_capacity(a.runs);
    for _ in 0..a.runs.max(1) {
        let t = Instant::now();
        let s = repo.summaries(newest).expect("summary");
        times.push(t.elapsed());
        assert_eq!(s.len(), first.len());
    }
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let with_logs = first
        .iter()
        .filter(|s| s.activity.last_entry.is_some())
        .count();
    let errors: u64 = first.iter().map(|s| s.activity.errors).sum();
    println!(
        "database: {total} entries; {} jobs listed ({} defined, {with_logs} with entries); {errors} errors in the window",
        first.len(),
        first.iter().filter(|s| s.job.definition.is_some()).count(),
    );
    println!(
        "per-job summary over {} runs: median {}  p90 {}  min {}  max {}  (first call {})",
        times.len(),
        ms(pick(0.5)),
        ms(pick(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        ms(cold),
    );
}
