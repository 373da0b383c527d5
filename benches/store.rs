//! Indexing and query figures on a genlogs corpus, release build:
//!
//!   cargo bench --bench store -- [--lines 1000000] [--jobs 12] [--corpus DIR] [--keep FILE.db]
//!
//! Generates the corpus with ../shared/bench/genlogs.py unless --corpus names one, indexes it
//! in process (lines/s, peak memory, database size against the raw bytes; `--keep` keeps the
//! database at FILE.db for the other benchmarks), then times the
//! first page of typical searches, a deep cursor page, statistics, and `logdex search` and
//! `logdex export` as whole processes. Prints medians; it asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use logdex::model::Level;
use logdex::query::{
    Cursor, Filter, LevelSet, Order, PageRequest, SearchMode, TextQuery, TimeRange,
};
use logdex::store::Store;

mod common;

use common::RARE;

struct Args {
    lines: u64,
    jobs: u32,
    corpus: Option<PathBuf>,
    keep: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        lines: 1_000_000,
        jobs: 12,
        corpus: None,
        keep: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--lines" => a.lines = it.next().and_then(|v| v.parse().ok()).expect("--lines N"),
            "--jobs" => a.jobs = it.next().and_then(|v| v.parse().ok()).expect("--jobs N"),
            "--corpus" => a.corpus = it.next().map(PathBuf::from),
            "--keep" => a.keep = it.next().map(PathBuf::from),
            _ => {}
        }
    }
    a
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let a = args();
    let work = tempfile::tempdir().expect("tempdir");
    let corpus = match &a.corpus {
        Some(c) => c.clone(),
        None => {
            let out = work.path().join("corpus");
            common::genlogs(&out, a.lines, a.jobs, 1);
            out
        }
    };
    let files = common::files_in(&corpus);
    let raw: u64 = files.iter().map(|f| file_size(f)).sum();
    let lines = common::count_lines(&files);
    let db = match &a.keep {
        Some(p) => p.clone(),
        None => work.path().join("bench.db"),
    };
    println!(
        "corpus {} files, {lines} lines, {:.1} MB",
        files.len(),
        raw as f64 / 1e6
    );

    // Indexing.
    let (took, summary) = common::index(&db, &files);
    let store = Store::open(&db).expect("open");
    let secs = took.as_secs_f64();
    let size = file_size(&db) + file_size(store.fts_path());
    println!(
        "index: {} entries in {secs:.2} s = {:.0} lines/s, peak RSS {:.0} MB, database {:.1} MB = {:.2}x raw (main {:.2}x, words {:.2}x)",
        summary.entries,
        lines as f64 / secs,
        peak_rss_mb(),
        size as f64 / 1e6,
        size as f64 / raw as f64,
        file_size(&db) as f64 / raw as f64,
        file_size(store.fts_path()) as f64 / raw as f64,
    );

    // The same corpus through the binary, as a user runs it: `logdex index DIR` into a new file.
    let fresh = work.path().join("process-index.db");
    let mut index = Command::new(env!("CARGO_BIN_EXE_logdex"));
    index
        .args(["--db", fresh.to_str().expect("path"), "index"])
        .arg(&corpus);
    let (took, peak_mb) = run_with_peak(&mut index);
    println!(
        "process `logdex index`: {:.2} s = {:.0} lines/s, peak RSS {peak_mb:.0} MB",
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64(),
    );
    for f in [fresh.clone(), logdex::store::fts_path_for(&fresh)] {
        let _ = std::fs::remove_file(&f);
    }

    // Queries, first page of 100 newest.
    let repo = store.logs().expect("repo");
    let words = |q: &str| Some(TextQuery::parse(SearchMode::Words, q).expect("query"));
    let total = repo.count(&Filter::default()).expect("count");
    let common = [
        "completed",
        "processed",
        "failed",
        "task",
        "worker",
        "bytes",
        "lock",
        "rows",
        "file",
        "started",
    ]
    .into_iter()
    .map(|w| {
        let n = repo
            .count(&Filter {
                text: words(w),
                ..Filter::default()
            })
            .expect("count");
        (w, n)
    })
    .min_by(|x, y| {
        let dx = (x.1 as f64 / total as f64 - 0.1).abs();
        let dy = (y.1 as f64 / total as f64 - 0.1).abs();
        dx.total_cmp(&dy)
    })
    .expect("candidates");
    let stats = repo.stats(&Filter::default(), 100).expect("stats");
    let biggest = stats.jobs.first().map(|j| j.0.clone()).expect("a job");
    let end = stats.last_ts.expect("entries");
    let day = TimeRange {
        since: Some(end - 86_400_000),
        until: None,
    };
    println!(
        "{total} entries; common word {:?} in {:.1}% of entries; biggest job {biggest}",
        common.0,
        common.1 as f64 * 100.0 / total as f64
    );
    let cases: Vec<(&str, Filter)> = vec![
        (
            "rare word",
            Filter {
                text: words(RARE),
                ..Filter::default()
            },
        ),
        (
            "~10% word",
            Filter {
                text: words(common.0),
                ..Filter::default()
            },
        ),
        (
            "level = error",
            Filter {
                levels: {
                    let mut s = LevelSet::none();
                    s.insert(Some(Level::Error));
                    s
                },
                ..Filter::default()
            },
        ),
        (
            "one job + last 24 h",
            Filter {
                jobs: Some(vec![biggest.clone()]),
                time: day,
                ..Filter::default()
            },
        ),
        (
            "word + level + job",
            Filter {
                text: words(common.0),
                jobs: Some(vec![biggest.clone()]),
                levels: LevelSet::at_least(Level::Warn),
                ..Filter::default()
            },
        ),
    ];
    for (name, filter) in &cases {
        let req = PageRequest {
            filter: filter.clone(),
            order: Order::NewestFirst,
            cursor: None,
            limit: 100,
        };
        let (t, page) = time(21, || repo.page(&req).expect("page"));
        println!(
            "first page, {name}: {} ({} rows)",
            ms(t),
            page.entries.len()
        );
    }
    // Cursor walk: page 1,000 against page 1.
    let req = |cursor| PageRequest {
        filter: Filter::default(),
        order: Order::NewestFirst,
        cursor,
        limit: 100,
    };
    let (first, _) = time(21, || repo.page(&req(None)).expect("page"));
    let mut cursor: Option<Cursor> = None;
    for _ in 0..999 {
        cursor = repo.page(&req(cursor)).expect("page").next;
    }
    let (deep, _) = time(21, || repo.page(&req(cursor)).expect("page"));
    println!(
        "cursor walk: page 1 {}, page 1000 {} ({:.2}x)",
        ms(first),
        ms(deep),
        deep.as_secs_f64() / first.as_secs_f64()
    );
    let (t, s) = time(11, || repo.stats(&Filter::default(), 100).expect("stats"));
    println!(
        "stats over all {} entries (levels, jobs, {} buckets): {}",
        s.total,
        s.buckets.len(),
        ms(t)
    );

    // Whole processes.
    let exe = env!("CARGO_BIN_EXE_logdex");
    let (t, out) = time(11, || {
        Command::new(exe)
            .args([
                "--db",
                db.to_str().expect("path"),
                "search",
                RARE,
                "--limit",
                "100",
            ])
            .output()
            .expect("run logdex")
    });
    println!(
        "process `logdex search {RARE}`: {} ({} lines of output)",
        ms(t),
        String::from_utf8_lossy(&out.stdout).lines().count()
    );
    let mut export = Command::new(exe);
    export
        .args([
            "--db",
            db.to_str().expect("path"),
            "export",
            "--format",
            "ndjson",
            "-o",
        ])
        .arg(work.path().join("export.ndjson"));
    let (took, peak_mb) = run_with_peak(&mut export);
    println!(
        "process `logdex export` of all entries: {:.2} s, {:.1} MB written, peak RSS {peak_mb:.0} MB",
        took.as_secs_f64(),
        file_size(&work.path().join("export.ndjson")) as f64 / 1e6,
    );
}

/// Runs a command to its end (output discarded); returns its wall time and peak RSS in MB.
fn run_with_peak(cmd: &mut Command) -> (Duration, f64) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run logdex");
    // VmHWM only grows: its last reading before exit is the child's peak.
    let mut peak_kb = 0u64;
    while child.try_wait().expect("wait").is_none() {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        if let Some(kb) = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (started.elapsed(), peak_kb as f64 / 1024.0)
}
