//! Retention, backup and restore, and recovery from damaged database files.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Scratch;

/// Lines at `n` minutes ago, for n in `ages`; old ones say "ancient", recent ones "fresh".
fn write_aged(path: &Path, ages_minutes: &[i64], cutoff_minutes: i64) {
    std::fs::write(path, aged_text(ages_minutes, cutoff_minutes)).unwrap();
    settle(path);
}

/// Dates the file a minute back, so that it is not taken for one still being written.
fn settle(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
        .unwrap();
}

/// The lines [`write_aged`] writes.
fn aged_text(ages_minutes: &[i64], cutoff_minutes: i64) -> String {
    let now = jiff::Timestamp::now();
    let mut text = String::new();
    for (i, age) in ages_minutes.iter().enumerate() {
        let t = now - jiff::SignedDuration::from_mins(*age);
        let stamp = t.strftime("%Y-%m-%d %H:%M:%S,%3f");
        let word = if *age > cutoff_minutes {
            "ancient"
        } else {
            "fresh"
        };
        let level = ["INFO", "WARNING", "ERROR"][i % 3];
        text.push_str(&format!("{stamp} {level} [main] entry {i} {word}\n"));
    }
    text
}

#[test]
fn retention_removes_exactly_what_is_older_with_its_words_and_counts() {
    let s = Scratch::new();
    let log = s.path("app.log");
    // Oldest first: 40 days back to now, every 7 hours.
    let ages: Vec<i64> = (0..140).rev().map(|k| k * 7 * 60 + 3).collect();
    let cutoff_min = 20 * 24 * 60;
    write_aged(&log, &ages, cutoff_min);
    s.run(&["index", log.to_str().unwrap()]);
    assert_eq!(s.stats(&[])["total"], 140);
    let keep = ages.iter().filter(|a| **a <= cutoff_min).count() as u64;
    let dry = s.run(&["prune", "--older-than", "20d", "--dry-run"]);
    assert!(
        dry.contains(&format!("would delete {} entries in all", 140 - keep)),
        "{dry}"
    );
    assert_eq!(s.stats(&[])["total"], 140, "a dry run deletes nothing");
    let out = s.run(&["prune", "--older-than", "20d"]);
    assert!(
        out.contains(&format!("deleted {} entries", 140 - keep)),
        "{out}"
    );
    let stats = s.stats(&[]);
    assert_eq!(stats["total"], keep);
    // Statistics agree with the entries left, level by level.
    let left = s.export(&[]);
    assert_eq!(left.len() as u64, keep);
    for level in ["info", "warn", "error"] {
        let n = left.iter().filter(|e| e["level"] == level).count() as u64;
        assert_eq!(stats["levels"][level], n, "{level}");
    }
    assert!(
        left.iter()
            .all(|e| e["message"].as_str().unwrap().ends_with("fresh"))
    );
    // The word index forgot them too (after its thread caught up), and is healthy.
    assert_eq!(s.run(&["search", "ancient"]), "");
    assert_eq!(
        s.run(&["search", "fresh", "-n", "1000"]).lines().count() as u64,
        keep
    );
    let check = s.run(&["check"]);
    assert!(check.contains("integrity:  ok"), "{check}");
}

#[test]
fn a_backup_taken_while_indexing_restores_everything_committed_before_it() {
    let s = Scratch::new();
    std::fs::write(
        s.path("config.toml"),
        "timezone = \"UTC\"\n[watch]\npoll_interval = \"100ms\"\nsettle = \"20ms\"\n",
    )
    .unwrap();
    let log = s.path("busy.log");
    std::fs::write(&log, "").unwrap();
    let mut follower = s
        .command()
        .args(["index", "--follow", log.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let count = || {
        rusqlite::Connection::open(s.db())
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM log_entries", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap_or(0)
    };
    // A writer keeps appending while the backup is taken.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let appender = {
        let (log, stop) = (log.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for _ in 0..200 {
                    writeln!(f, "2026-11-02 10:00:00,000 INFO [main] line {n}").unwrap();
                    n += 1;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let start = Instant::now();
    while count() < 5_000 {
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = count();
    let dest = s.path("snap.db");
    s.run(&["backup", dest.to_str().unwrap()]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    appender.join().unwrap();
    let _ = follower.kill();
    let _ = follower.wait();
    let other = Scratch::new();
    other.run(&["restore", dest.to_str().unwrap()]);
    assert!(other.run(&["check"]).contains("integrity:  ok"));
    let restored = other.stats(&[])["total"].as_i64().unwrap();
    assert!(
        restored >= before,
        "restored {restored} < {before} committed before the backup"
    );
    // And the word index came along: the newest lines are searchable.
    assert!(!other.run(&["search", "line"]).is_empty());
}

#[test]
fn restore_refuses_damaged_or_newer_files_and_keeps_the_replaced_database() {
    let s = Scratch::new();
    let log = s.path("a.log");
    write_aged(&log, &[5, 4, 3], 100);
    s.run(&["index", log.to_str().unwrap()]);
    let garbage = s.path("garbage.db");
    std::fs::write(&garbage, vec![0x42u8; 65536]).unwrap();
    let out = s
        .logdex()
        .args(["restore", garbage.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged or is not a logdex database"));
    let newer = s.path("newer.db");
    s.run(&["backup", newer.to_str().unwrap()]);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let out = s
        .logdex()
        .args(["restore", newer.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer logdex"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.stats(&[])["total"], 3, "nothing was replaced");
    let good = s.path("good.db");
    s.run(&["backup", good.to_str().unwrap()]);
    let out = s.run(&["restore", good.to_str().unwrap()]);
    assert!(out.contains("the database it replaced is kept at"), "{out}");
    let kept = std::fs::read_dir(s.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".replaced-"))
        .count();
    assert!(kept >= 2, "the replaced files are kept aside");
}

/// Indexes the same files into a damaged database and into a clean one: same counts, and the
/// damaged run says what it did. With a backup, the files grow after it is taken, so the backup
/// lacks their second halves and those must be read again from the files.
fn recovers(damage: impl Fn(&Path), with_backup: bool) {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    let mut rest = Vec::new();
    for j in 0..3 {
        let ages: Vec<i64> = (0..400).rev().map(|k| k * 3 + j).collect();
        let text = aged_text(&ages, 10_000);
        let half = text[..text.len() / 2].rfind('\n').unwrap() + 1;
        let path = logs.join(format!("job{j}.log"));
        std::fs::write(&path, &text[..half]).unwrap();
        settle(&path);
        rest.push((path, text[half..].to_string()));
    }
    let dir = logs.to_str().unwrap();
    s.run(&["index", dir]);
    if with_backup {
        s.run(&["backup"]);
    }
    for (path, text) in &rest {
        let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        drop(f);
        settle(path);
    }
    s.run(&["index", dir]);
    damage(&s.db());
    let out = s.logdex().args(["index", dir]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("damaged") && err.contains("moved to"), "{err}");
    if with_backup {
        assert!(err.contains("restored the backup"), "{err}");
    } else {
        assert!(err.contains("indexed again from their start"), "{err}");
    }
    let clean = Scratch::new();
    clean.run(&["index", dir]);
    let (got, want) = (s.stats(&[]), clean.stats(&[]));
    assert_eq!(got["total"], 1200, "{err}");
    assert_eq!(got["total"], want["total"], "{err}");
    assert_eq!(got["levels"], want["levels"]);
    assert_eq!(
        s.run(&["search", "entry", "-n", "5000"]).lines().count(),
        1200,
        "searchable again"
    );
    assert!(s.run(&["check"]).contains("integrity:  ok"));
}

fn overwrite_pages(db: &Path) {
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    let len = f.metadata().unwrap().len();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..6 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let page = 1 + seed % (len / 16384).max(2);
        f.seek(SeekFrom::Start(page * 16384)).unwrap();
        f.write_all(&[0xa5; 4096]).unwrap();
    }
}

fn truncate(db: &Path) {
    let f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(len / 3).unwrap();
}

fn garbage(db: &Path) {
    std::fs::write(db, b"this is not a database at all\n".repeat(3000)).unwrap();
}

#[test]
fn overwritten_pages_are_recovered() {
    recovers(overwrite_pages, false);
    recovers(overwrite_pages, true);
}

#[test]
fn a_truncated_file_is_recovered() {
    recovers(truncate, false);
    recovers(truncate, true);
}

#[test]
fn garbage_in_place_of_the_database_is_recovered() {
    recovers(garbage, false);
    recovers(garbage, true);
}

/// Starts `logdex index` of `log` and returns once its write-ahead log holds something.
fn index_until_the_log_fills(s: &Scratch, log: &Path) -> std::process::Child {
    let child = s
        .command()
        .args(["index", "--quiet", log.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wal = s.path("logdex.db-wal");
    let start = Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0 {
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn remove_logs(s: &Scratch) {
    let _ = std::fs::remove_file(s.path("logdex.db-wal"));
    let _ = std::fs::remove_file(s.path("logdex.fts.db-wal"));
}

fn holds_every_line_once(s: &Scratch, log: &Path, lines: usize) {
    s.run(&["index", log.to_str().unwrap()]);
    assert_eq!(s.stats(&[])["total"], lines);
    assert_eq!(
        s.run(&["search", "entry", "-n", "100000"]).lines().count(),
        lines
    );
    assert!(s.run(&["check"]).contains("integrity:  ok"));
}

#[test]
fn a_write_ahead_log_deleted_under_a_running_writer_loses_nothing() {
    let s = Scratch::new();
    let log = s.path("big.log");
    let ages: Vec<i64> = (0..60_000).rev().map(|k| k / 10).collect();
    write_aged(&log, &ages, 1_000_000);
    let mut child = index_until_the_log_fills(&s, &log);
    remove_logs(&s);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    holds_every_line_once(&s, &log, 60_000);
}

#[test]
fn a_write_ahead_log_deleted_mid_write_loses_nothing() {
    let s = Scratch::new();
    let log = s.path("big.log");
    let ages: Vec<i64> = (0..60_000).rev().map(|k| k / 10).collect();
    write_aged(&log, &ages, 1_000_000);
    let mut child = index_until_the_log_fills(&s, &log);
    child.kill().unwrap();
    child.wait().unwrap();
    remove_logs(&s);
    holds_every_line_once(&s, &log, 60_000);
}
