//! `logdex tail` prints entries as they are indexed, whether another process indexes or tail
//! does it itself; `logdex index -` indexes standard input as it arrives.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::{Killed, Scratch};

fn config(s: &Scratch, sources: &str) {
    std::fs::write(
        s.path("config.toml"),
        format!(
            "timezone = \"UTC\"\n[watch]\npoll_interval = \"200ms\"\nsettle = \"50ms\"\n{sources}"
        ),
    )
    .unwrap();
}

fn lines_of(child: &mut Child) -> Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    rx
}

/// Every line up to and including the first that contains `needle`.
fn until(rx: &Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => {
                let done = l.contains(needle);
                seen.push(l);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no line with {needle:?} in time; saw {seen:?}"),
        }
    }
}

fn expect(rx: &Receiver<String>, needle: &str) -> String {
    until(rx, needle).pop().unwrap_or_default()
}

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn tail_follows_another_processs_indexing_with_filters() {
    let s = Scratch::new();
    config(&s, "");
    let log = s.path("app.log");
    append(
        &log,
        "2026-11-02 10:00:00,000 ERROR [main] old error\n2026-11-02 10:00:01,000 INFO [main] old info\n",
    );
    let indexer = s
        .command()
        .args(["index", "--follow", log.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut guard = Killed(vec![indexer]);
    // Wait for the initial content, then tail the errors.
    let start = Instant::now();
    while s
        .logdex()
        .args(["stats", "--json"])
        .output()
        .map(|o| !String::from_utf8_lossy(&o.stdout).contains("\"total\": 2"))
        .unwrap_or(true)
    {
        assert!(start.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut tail = s
        .command()
        .args(["tail", "--no-index", "-n", "5", "--level", "error"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut tail);
    guard.0.push(tail);
    let first = until(&rx, "old error");
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].starts_with("2026-11-02 10:00:00.000 ERROR app"));
    append(
        &log,
        "2026-11-02 10:00:02,000 INFO [main] new info\n2026-11-02 10:00:03,000 ERROR [main] new error\n",
    );
    let next = until(&rx, "new error");
    assert_eq!(next.len(), 1, "only errors are printed: {next:?}");
}

#[test]
fn tail_indexes_the_configured_sources_when_nobody_else_does() {
    let s = Scratch::new();
    let dir = s.path("logs");
    std::fs::create_dir(&dir).unwrap();
    config(
        &s,
        &format!("[[sources]]\npath = \"{}/*.log\"\n", dir.display()),
    );
    append(
        &dir.join("a.log"),
        "2026-11-02 10:00:00,000 INFO [main] first\n",
    );
    let mut tail = s
        .command()
        .args(["tail", "-n", "1", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut tail);
    let _guard = Killed(vec![tail]);
    append(
        &dir.join("b.log"),
        "2026-11-02 10:00:01,000 WARNING [main] second\n",
    );
    let l = expect(&rx, "second");
    let v: serde_json::Value = serde_json::from_str(&l).unwrap();
    assert_eq!(v["job"], "b");
    assert_eq!(v["level"], "warn");
}

#[test]
fn standard_input_is_indexed_as_a_job() {
    let s = Scratch::new();
    config(&s, "");
    let mut child = s
        .command()
        .args(["index", "-", "--job", "nightly-export"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"2026-11-02 10:00:00,000 INFO [main] exporting\n2026-11-02 10:00:01,000 ERROR [main] failed\nTraceback (most recent call last):\n  File \"x.py\"\n")
        .unwrap();
    stdin.flush().unwrap();
    // Committed while the pipe is still open.
    let start = Instant::now();
    loop {
        let n = rusqlite::Connection::open(s.db())
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM log_entries", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap_or(0);
        if n == 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "entries not committed while the pipe is open"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats = s.stats(&[]);
    assert_eq!(stats["jobs"]["nightly-export"], 2);
    let failed = s.export(&["--level", "error"]);
    assert!(failed[0]["message"].as_str().unwrap().contains("Traceback"));
}
