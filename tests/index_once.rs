//! Exactly once: indexing again adds nothing, a process killed mid-index resumes without loss
//! or duplicates, and multi-line entries (tracebacks) stay whole.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::{Scratch, genlogs};

/// A python-logging style file with a traceback every 97 entries; returns (entries, lines).
fn write_log(path: &std::path::Path, entries: usize) -> (usize, usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut lines = 0;
    for i in 0..entries {
        let secs = i as i64 / 4;
        let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
        let level = ["INFO", "DEBUG", "WARNING", "ERROR"][i % 4];
        writeln!(
            f,
            "2026-11-{:02} {h:02}:{m:02}:{s:02},{:03} {level} [worker-{}] step {i} done",
            1 + secs / 86400,
            i % 1000,
            i % 7
        )
        .unwrap();
        lines += 1;
        if i % 97 == 0 {
            writeln!(f, "Traceback (most recent call last):\n  File \"job.py\", line 3, in run\nValueError: bad row {i}").unwrap();
            lines += 3;
        }
    }
    f.flush().unwrap();
    (entries, lines)
}

fn old_mtime(path: &std::path::Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn indexing_twice_adds_nothing() {
    let s = Scratch::new();
    let log = s.path("backup.log");
    let (entries, _) = write_log(&log, 5_000);
    old_mtime(&log);
    let p = log.to_str().unwrap();
    s.run(&["index", p]);
    assert_eq!(s.stats(&[])["total"], entries as u64);
    s.run(&["index", p]);
    assert_eq!(s.stats(&[])["total"], entries as u64);
    // Appending indexes only what is new.
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    writeln!(f, "2026-11-30 00:00:00,000 ERROR [main] appended later").unwrap();
    drop(f);
    old_mtime(&log);
    s.run(&["index", p]);
    assert_eq!(s.stats(&[])["total"], entries as u64 + 1);
    let errors = s.stats(&["--level", "error"]);
    assert_eq!(errors["total"], (entries / 4) as u64 + 1);
}

#[test]
fn a_killed_index_resumes_to_the_counts_of_a_clean_run() {
    let s = Scratch::new();
    let log = s.path("etl.log");
    let (entries, _) = write_log(&log, 200_000);
    old_mtime(&log);
    let p = log.to_str().unwrap();
    let mut child = s
        .command()
        .args(["index", "--quiet", p])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill without warning as soon as the first batches are committed.
    let start = Instant::now();
    let committed = loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "indexing ended before it could be killed"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no batch committed in time"
        );
        let n = rusqlite::Connection::open(s.db())
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM log_entries", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap_or(0);
        if n > 0 {
            child.kill().unwrap();
            let _ = child.wait();
            break n;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        (committed as usize) < entries,
        "killed after {committed} of {entries}"
    );
    s.run(&["index", p]);
    let resumed = s.stats(&[]);
    let clean = Scratch::new();
    clean.run(&["index", p]);
    let want = clean.stats(&[]);
    assert_eq!(resumed["total"], entries as u64);
    assert_eq!(resumed["levels"], want["levels"]);
    assert_eq!(resumed["jobs"], want["jobs"]);
    // And the entries themselves, not just their counts: no line twice, none missing.
    let lines: Vec<u64> = s
        .export(&[])
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), entries, "distinct entries after resuming");
}

#[test]
fn genlogs_corpus_counts_match_its_summary_with_tracebacks_inside_entries() {
    let s = Scratch::new();
    let out = s.path("corpus");
    let Some(summary) = genlogs(
        &out,
        &[
            "--lines",
            "60000",
            "--jobs",
            "6",
            "--seed",
            "3",
            "--tb-rate",
            "0.3",
        ],
    ) else {
        return;
    };
    s.run(&["index", out.to_str().unwrap()]);
    let stats = s.stats(&[]);
    assert_eq!(stats["total"], summary["entries"]);
    let want = &summary["levels"];
    let got = &stats["levels"];
    for (ours, theirs) in [
        ("debug", "DEBUG"),
        ("info", "INFO"),
        ("warn", "WARN"),
        ("error", "ERROR"),
        ("fatal", "CRITICAL"),
    ] {
        assert_eq!(got[ours], want[theirs], "{ours}");
    }
    for f in summary["files"].as_array().unwrap() {
        let job = f["job"].as_str().unwrap();
        assert_eq!(stats["jobs"][job], f["entries"], "entries of {job}");
    }
    assert!(summary["tracebacks"].as_u64().unwrap() > 0);
    let traced = s.export(&["--query", "\"most recent call last\""]);
    assert_eq!(traced.len() as u64, summary["tracebacks"].as_u64().unwrap());
    for e in &traced {
        assert_eq!(e["level"], "error", "{e}");
        let m = e["message"].as_str().unwrap();
        assert!(
            m.contains("\nTraceback (most recent call last):\n  File \""),
            "{m}"
        );
    }
}
