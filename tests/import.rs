//! `logdex import`: a history of current, rotated and compressed logs comes in once, in time
//! order, and an interrupted import resumes without losing or repeating an entry.

mod common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::Scratch;

const T0: i64 = 1_793_577_600; // 2026-11-02T00:00:00Z

/// `n` lines of `job`'s generation `generation` (0 = current, higher = older), one a second.
fn lines(job: &str, generation: i64, n: i64) -> String {
    let start = T0 - generation * n;
    (0..n)
        .map(|i| {
            let ts = jiff::Timestamp::from_second(start + i).unwrap();
            let level = if i % 97 == 0 { "ERROR" } else { "INFO" };
            format!(
                "{} {level} [{job}] record {i} of generation {generation}\n",
                ts.strftime("%Y-%m-%d %H:%M:%S,000")
            )
        })
        .collect()
}

fn gz(path: &Path, text: &str) {
    let f = std::fs::File::create(path).unwrap();
    let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap();
}

/// A tree of two jobs' logs, current and rotated, some compressed; returns the entry count.
fn history(root: &Path, per_file: i64) -> u64 {
    let app = root.join("app");
    let db = root.join("db");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::create_dir_all(&db).unwrap();
    std::fs::write(app.join("app.log"), lines("app", 0, per_file)).unwrap();
    std::fs::write(app.join("app.log.1"), lines("app", 1, per_file)).unwrap();
    gz(&app.join("app.log.2.gz"), &lines("app", 2, per_file));
    gz(&app.join("app.log.3.gz"), &lines("app", 3, per_file));
    std::fs::write(db.join("db.log"), lines("db", 0, per_file)).unwrap();
    gz(&db.join("db.log.1.gz"), &lines("db", 1, per_file));
    6 * per_file as u64
}

fn entries(s: &Scratch) -> Vec<serde_json::Value> {
    s.export(&[])
}

/// Every entry once, each job's in time order with its generations in turn.
fn check_history(s: &Scratch, total: u64) {
    let all = entries(s);
    assert_eq!(all.len() as u64, total);
    let mut seen = std::collections::HashSet::new();
    for e in &all {
        let key = (
            e["source"].as_str().unwrap().to_string(),
            e["line"].as_u64().unwrap(),
        );
        assert!(seen.insert(key.clone()), "{key:?} twice");
    }
    for job in ["app", "db"] {
        let times: Vec<&str> = all
            .iter()
            .filter(|e| e["job"] == job)
            .map(|e| e["ts"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{job} out of order");
        let messages: Vec<&str> = all
            .iter()
            .filter(|e| e["job"] == job)
            .map(|e| e["message"].as_str().unwrap())
            .collect();
        let first = messages.first().unwrap();
        let last = messages.last().unwrap();
        let oldest = if job == "app" { 3 } else { 1 };
        assert!(
            first.ends_with(&format!("record 0 of generation {oldest}")),
            "{first}"
        );
        assert!(last.contains("of generation 0"), "{last}");
    }
}

#[test]
fn a_history_imports_once_in_time_order() {
    let s = Scratch::new();
    let root = s.path("archive");
    let total = history(&root, 500);
    s.run(&["import", root.to_str().unwrap()]);
    check_history(&s, total);
    let jobs = s.stats(&[])["jobs"].clone();
    assert_eq!(jobs["app"], 2000);
    assert_eq!(jobs["db"], 1000);

    let again = s.logdex().args(["import"]).arg(&root).output().unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{err}");
    assert!(err.contains("indexed 0 entries"), "{err}");
    check_history(&s, total);
}

#[test]
fn an_interrupted_import_resumes() {
    let s = Scratch::new();
    let root = s.path("archive");
    let total = history(&root, 40_000);
    let mut child = s
        .command()
        .args(["import", "--quiet"])
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let stored = || {
        s.logdex()
            .args(["stats", "--json"])
            .output()
            .ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .and_then(|v| v["total"].as_u64())
            .unwrap_or(0)
    };
    let at_kill = loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "nothing stored");
        let n = stored();
        if n > 0 {
            child.kill().unwrap();
            let _ = child.wait();
            break n;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(at_kill < total, "interrupted after {at_kill} of {total}");
    s.run(&["import", root.to_str().unwrap()]);
    check_history(&s, total);
}
