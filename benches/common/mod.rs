//! Helpers shared by the benchmarks: generating a genlogs corpus and indexing it in process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use logdex::ingest::discover::expand;
use logdex::ingest::{IndexOptions, IndexSummary, LogIndexer, SourceSpec};
use logdex::store::Store;

/// The word planted in a few entries of generated corpora.
pub const RARE: &str = "zyxwvut";

/// Runs `../shared/bench/genlogs.py` into `out` and returns the files it wrote.
pub fn genlogs(out: &Path, lines: u64, jobs: u32, seed: u32) -> Vec<PathBuf> {
    genlogs_ending(out, lines, jobs, seed, "2026-12-01T00:00:00Z")
}

/// Like [`genlogs`], for the 30 days before `end` (an RFC 3339 time in UTC).
pub fn genlogs_ending(out: &Path, lines: u64, jobs: u32, seed: u32, end: &str) -> Vec<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/genlogs.py");
    let ok = Command::new("python3")
        .arg(script)
        .arg("--out")
        .arg(out)
        .args(["--lines", &lines.to_string(), "--jobs", &jobs.to_string()])
        .args([
            "--seed",
            &seed.to_string(),
            "--rare",
            RARE,
            "--rare-count",
            "40",
        ])
        .args(["--end", end])
        .stdout(Stdio::null())
        .status()
        .expect("python3 genlogs.py")
        .success();
    assert!(ok, "genlogs failed");
    files_in(out)
}

/// The files of a corpus directory.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    expand(
        dir.to_str().expect("utf-8 path"),
        false,
        &mut files,
        &mut Vec::new(),
    );
    files
}

/// Physical lines of the files.
pub fn count_lines(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .map(|f| std::fs::read(f).map_or(0, |b| memchr::memchr_iter(b'\n', &b).count() as u64))
        .sum()
}

/// Indexes `files` into the database `db` in this process; returns the time and the summary.
pub fn index(db: &Path, files: &[PathBuf]) -> (Duration, IndexSummary) {
    let store = Store::open(db).expect("open");
    let started = Instant::now();
    let mut writer = store.writer().expect("writer");
    let specs: Vec<SourceSpec> = files
        .iter()
        .map(|p| SourceSpec {
            path: p.clone(),
            job: None,
            format: None,
        })
        .collect();
    let opts = IndexOptions {
        zone: jiff::tz::TimeZone::UTC,
        idle_flush: Duration::ZERO,
        ..IndexOptions::default()
    };
    let summary = LogIndexer::new(&mut writer, opts)
        .index(&specs, &mut |_| {})
        .expect("index");
    writer.finish().expect("finish");
    (started.elapsed(), summary)
}

/// The `p` quantile of sorted values.
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}
