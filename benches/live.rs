//! Live figures, release build, whole processes where a user would run them:
//!
//!   cargo bench --bench live -- latency   [--count 1000] [--rate 20]
//!   cargo bench --bench live -- load      [--lines 1000000] [--readers 16] [--think-ms 100]
//!   cargo bench --bench live -- sustained [--rate 50000] [--seconds 60]
//!
//! latency: lines appended to a watched file at `rate` per second while `logdex tail` runs (and
//!   indexes); prints p50/p95/max from the write to tail's output.
//! load: `readers` threads run searches, filters, cursor walks and stats (one every `think-ms`)
//!   against the database while a genlogs corpus is indexed at full speed; prints failed
//!   queries, first-page latency percentiles, and indexing throughput with and without readers.
//! sustained: `rate` lines per second appended for `seconds` to files followed by
//!   `logdex index --follow`, with `logdex tail` printing; prints the lag at the end and whether
//!   tail printed every line. It asserts nothing.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use logdex::ingest::{IndexOptions, LogIndexer, SourceSpec};
use logdex::model::Level;
use logdex::query::{Filter, LevelSet, Order, PageRequest, SearchMode, TextQuery};
use logdex::store::Store;

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

mod common;

use common::pct;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_logdex")
}

fn logdex(dir: &Path) -> Command {
    let mut c = Command::new(exe());
    c.env("LOGDEX_DB", dir.join("live.db"))
        .env("LOGDEX_CONFIG", dir.join("config.toml"));
    c
}

struct Reaped(Vec<Child>);

impl Drop for Reaped {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let _ = c.wait();
        }
    }
}

fn line(n: u64) -> String {
    format!("2026-11-02 10:00:00,000 INFO [main] event {n} done\n")
}

fn latency() {
    let count = arg("--count", 1000.0) as u64;
    let rate = arg("--rate", 20.0);
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).expect("dir");
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "timezone = \"UTC\"\n[[sources]]\npath = \"{}/*.log\"\n",
            logs.display()
        ),
    )
    .expect("config");
    let file = logs.join("app.log");
    std::fs::write(&file, line(0)).expect("log");
    let mut tail = logdex(dir.path())
        .args(["tail", "-n", "0", "--format", "ndjson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tail");
    let out = tail.stdout.take().expect("stdout");
    let _reap = Reaped(vec![tail]);
    let arrived: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
    let sink = arrived.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(n) = l
                .split("event ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
            {
                sink.lock().expect("lock").insert(n, Instant::now());
            }
        }
    });
    std::thread::sleep(Duration::from_secs(2));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .expect("open");
    let mut sent = HashMap::new();
    let period = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    for n in 1..=count {
        let due = start + period * n as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        f.write_all(line(n).as_bytes()).expect("write");
        sent.insert(n, Instant::now());
    }
    std::thread::sleep(Duration::from_secs(2));
    let arrived = arrived.lock().expect("lock");
    let mut lat: Vec<f64> = sent
        .iter()
        .filter_map(|(n, t)| {
            arrived
                .get(n)
                .map(|a| a.duration_since(*t).as_secs_f64() * 1000.0)
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    println!(
        "tail latency over {count} appends at {rate}/s: {} arrived, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        lat.len(),
        pct(&lat, 0.5),
        pct(&lat, 0.95),
        lat.last().copied().unwrap_or(f64::NAN)
    );
}

fn load() {
    let lines = arg("--lines", 1_000_000.0) as u64;
    let readers = arg("--readers", 16.0) as usize;
    let think = Duration::from_millis(arg("--think-ms", 100.0) as u64);
    let dir = tempfile::tempdir().expect("tempdir");
    // A month of history already indexed, then the next month indexed at full speed: the same
    // appending work with and without readers.
    let history = common::genlogs_ending(
        &dir.path().join("history"),
        lines / 5,
        12,
        3,
        "2026-11-01T00:00:00Z",
    );
    let files = common::genlogs(&dir.path().join("corpus"), lines, 12, 4);
    let alone_db = dir.path().join("alone.db");
    common::index(&alone_db, &history);
    let (alone, summary) = common::index(&alone_db, &files);
    let (alone, n) = (alone.as_secs_f64(), summary.entries);
    println!(
        "indexing alone: {n} entries in {alone:.2} s = {:.0} lines/s",
        lines as f64 / alone
    );
    let db = dir.path().join("loaded.db");
    common::index(&db, &history);
    let tail = &files[..];
    let store = Store::open(&db)
        .and_then(|s| s.map_reads(256 << 20))
        .expect("open");
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let ops = Arc::new(AtomicU64::new(0));
    let first_pages: Arc<Mutex<Vec<f64>>> = Arc::default();
    let by_kind: Arc<Mutex<std::collections::BTreeMap<String, Vec<f64>>>> = Arc::default();
    let mut handles = Vec::new();
    for r in 0..readers {
        let (store, stop, failed, ops, first_pages, by_kind) = (
            store.clone(),
            stop.clone(),
            failed.clone(),
            ops.clone(),
            first_pages.clone(),
            by_kind.clone(),
        );
        handles.push(std::thread::spawn(move || {
            let words = |q: &str| Some(TextQuery::parse(SearchMode::Words, q).expect("query"));
            let filters = [
                Filter {
                    text: words("zyxwvut"),
                    ..Filter::default()
                },
                Filter {
                    text: words("lock"),
                    ..Filter::default()
                },
                Filter {
                    levels: LevelSet::at_least(Level::Error),
                    ..Filter::default()
                },
                Filter {
                    jobs: Some(vec!["backup".into()]),
                    ..Filter::default()
                },
                Filter {
                    text: words("failed"),
                    levels: LevelSet::at_least(Level::Warn),
                    jobs: Some(vec!["etl-orders".into()]),
                    ..Filter::default()
                },
            ];
            let mut i = r;
            while !stop.load(Ordering::Relaxed) {
                let f = &filters[i % filters.len()];
                let t = Instant::now();
                let res = store.logs().and_then(|repo| {
                    let req = |cursor| PageRequest {
                        filter: f.clone(),
                        order: Order::NewestFirst,
                        cursor,
                        limit: 100,
                    };
                    let page = repo.page(&req(None))?;
                    let first = t.elapsed().as_secs_f64() * 1000.0;
                    first_pages.lock().expect("lock").push(first);
                    by_kind
                        .lock()
                        .expect("lock")
                        .entry(format!("first page (filter {})", i % filters.len()))
                        .or_default()
                        .push(first);
                    let t = Instant::now();
                    let kind = match i % 4 {
                        0 => {
                            let mut c = page.next;
                            for _ in 0..10 {
                                let Some(at) = c else { break };
                                c = repo.page(&req(Some(at)))?.next;
                            }
                            "walk of 10 pages"
                        }
                        1 => {
                            repo.stats(f, 100)?;
                            "stats"
                        }
                        2 => {
                            repo.count(f)?;
                            "count"
                        }
                        _ => "first page only",
                    };
                    let key = format!("{kind} (filter {})", i % filters.len());
                    by_kind
                        .lock()
                        .expect("lock")
                        .entry(key)
                        .or_default()
                        .push(t.elapsed().as_secs_f64() * 1000.0);
                    Ok(())
                });
                if let Err(e) = res {
                    eprintln!("query failed: {e}");
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                ops.fetch_add(1, Ordering::Relaxed);
                i += 1;
                std::thread::sleep(think);
            }
        }));
    }
    let store_w = store.clone();
    let started = Instant::now();
    let mut w = store_w.writer().expect("writer");
    let specs: Vec<SourceSpec> = tail
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
    let s = LogIndexer::new(&mut w, opts)
        .index(&specs, &mut |_| {})
        .expect("index");
    w.finish().expect("finish");
    let loaded = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        let _ = h.join();
    }
    let tail_lines = common::count_lines(tail);
    // Times of the first page, and of each kind of work after it.
    for (kind, times) in by_kind.lock().expect("lock").iter_mut() {
        times.sort_by(f64::total_cmp);
        println!(
            "  {kind}: {} times, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            pct(times, 0.5),
            pct(times, 0.99),
            times.last().copied().unwrap_or(f64::NAN),
        );
    }
    let mut pages = first_pages.lock().expect("lock").clone();
    pages.sort_by(f64::total_cmp);
    let alone_rate = lines as f64 / alone;
    let loaded_rate = tail_lines as f64 / loaded;
    println!(
        "with {readers} readers ({} operations, {} failed): indexing {} entries at {loaded_rate:.0} lines/s ({:.0}% of alone); first page p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ops.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        s.entries,
        loaded_rate * 100.0 / alone_rate,
        pct(&pages, 0.5),
        pct(&pages, 0.99),
        pages.last().copied().unwrap_or(f64::NAN),
    );
}

fn sustained() {
    let rate = arg("--rate", 50_000.0);
    let seconds = arg("--seconds", 60.0);
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).expect("dir");
    std::fs::write(dir.path().join("config.toml"), "timezone = \"UTC\"\n").expect("config");
    for j in 0..4 {
        std::fs::write(logs.join(format!("job{j}.log")), "").expect("log");
    }
    let indexer = logdex(dir.path())
        .args(["index", "--follow", logs.to_str().expect("path")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("indexer");
    std::thread::sleep(Duration::from_secs(1));
    let mut tail = logdex(dir.path())
        .args(["tail", "--no-index", "-n", "0", "--format", "ndjson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tail");
    let out = tail.stdout.take().expect("stdout");
    let _reap = Reaped(vec![tail, indexer]);
    let printed = Arc::new(AtomicU64::new(0));
    let counter = printed.clone();
    std::thread::spawn(move || {
        for _ in BufReader::new(out).lines().map_while(Result::ok) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    std::thread::sleep(Duration::from_secs(1));
    let mut files: Vec<std::fs::File> = (0..4)
        .map(|j| {
            std::fs::OpenOptions::new()
                .append(true)
                .open(logs.join(format!("job{j}.log")))
                .expect("open")
        })
        .collect();
    let start = Instant::now();
    let total = (rate * seconds) as u64;
    let tick = Duration::from_millis(10);
    let per_tick = (rate / 100.0) as u64;
    let mut written = 0u64;
    let mut buf = String::new();
    while written < total {
        let due = start + tick * (written / per_tick.max(1)) as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        buf.clear();
        let n = per_tick.min(total - written);
        for k in 0..n {
            let secs = (written + k) / 1000;
            buf.push_str(&format!(
                "2026-11-02 {:02}:{:02}:{:02},{:03} INFO [worker-{}] processed batch {} in 12 ms\n",
                secs / 3600 % 24,
                secs / 60 % 60,
                secs % 60,
                (written + k) % 1000,
                k % 8,
                written + k
            ));
        }
        files[(written / per_tick.max(1)) as usize % 4]
            .write_all(buf.as_bytes())
            .expect("write");
        written += n;
    }
    let wrote_for = start.elapsed().as_secs_f64();
    let end = Instant::now();
    let db = dir.path().join("live.db");
    let count = || {
        rusqlite::Connection::open(&db)
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM log_entries", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap_or(0) as u64
    };
    while count() < total && end.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let lag = end.elapsed().as_secs_f64();
    let indexed = count();
    let tail_deadline = Instant::now() + Duration::from_secs(30);
    while printed.load(Ordering::Relaxed) < total && Instant::now() < tail_deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "sustained: wrote {total} lines in {wrote_for:.1} s ({:.0}/s); indexed {indexed}, lag at the end {lag:.2} s; tail printed {} of {total}",
        total as f64 / wrote_for,
        printed.load(Ordering::Relaxed)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let modes: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| ["latency", "load", "sustained"].contains(a))
        .collect();
    if modes.is_empty() || modes.contains(&"latency") {
        latency();
    }
    if modes.is_empty() || modes.contains(&"load") {
        load();
    }
    if modes.is_empty() || modes.contains(&"sustained") {
        sustained();
    }
}
