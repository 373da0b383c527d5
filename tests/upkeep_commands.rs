//! The upkeep and export commands as a user runs them: `export -o` in each format, `vacuum`,
//! `backup` keeping the newest N, and `check` naming damage without touching the file.

mod common;

use std::io::{Seek, SeekFrom, Write};

use common::Scratch;

/// A log of `n` entries, every fifth an error, one with a comma, a quote and a newline.
fn indexed(s: &Scratch, n: usize) {
    let mut text = String::new();
    for i in 0..n {
        let level = if i % 5 == 0 { "ERROR" } else { "INFO" };
        text.push_str(&format!(
            "2026-11-02 10:{:02}:{:02},000 {level} [main] step {i}, \"quoted\"\n  detail of {i}\n",
            (i / 60) % 60,
            i % 60
        ));
    }
    let log = s.path("job.log");
    std::fs::write(&log, text).unwrap();
    s.run(&["index", log.to_str().unwrap()]);
}

#[test]
fn export_writes_each_format_to_a_file() {
    let s = Scratch::new();
    indexed(&s, 200);
    let out = |format: &str| {
        let path = s.path(&format!("errors.{format}"));
        s.run(&[
            "export",
            "--level",
            "error",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        std::fs::read_to_string(path).unwrap()
    };

    let csv_text = out("csv");
    let mut rows = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["id", "ts", "level", "job", "source", "line", "message"]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 40);
    assert!(records.iter().all(|r| &r[2] == "error"));
    // The message keeps its comma, quotes and continuation line through CSV quoting.
    assert_eq!(&records[0][6], "[main] step 0, \"quoted\"\n  detail of 0");

    let json: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 40);
    assert_eq!(
        list[1]["message"],
        "[main] step 5, \"quoted\"\n  detail of 5"
    );

    let ndjson = out("ndjson");
    assert_eq!(ndjson.lines().count(), 40);
    assert!(
        ndjson
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );

    let text = out("text");
    assert!(text.contains("step 195"), "{text}");
    assert_eq!(text.matches("[main] step").count(), 40);
}

#[test]
fn vacuum_reports_sizes_and_keeps_every_entry() {
    let s = Scratch::new();
    // Half of the entries 60 days old, half from today: pruning 30 days frees half the pages.
    let now = jiff::Timestamp::now();
    let mut text = String::new();
    for i in 0..6000i64 {
        let age = if i < 3000 { 60 * 86_400 } else { 3600 } - i;
        let t = now - jiff::SignedDuration::from_secs(age);
        text.push_str(&format!(
            "{} INFO [main] step {i} with some words to index\n",
            t.strftime("%Y-%m-%d %H:%M:%S,000")
        ));
    }
    let log = s.path("job.log");
    std::fs::write(&log, text).unwrap();
    s.run(&["index", log.to_str().unwrap()]);
    assert!(
        s.run(&["prune", "--older-than", "30d"])
            .contains("deleted 3000 entries")
    );
    let out = s.run(&["vacuum"]);
    let sizes: Vec<f64> = out
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(sizes.len(), 2, "{out}");
    assert!(sizes[1] < sizes[0], "{out}");
    assert_eq!(s.stats(&[])["total"], 3000);
    assert_eq!(
        s.run(&["search", "words", "-n", "5000"]).lines().count(),
        3000
    );
    assert!(s.run(&["check"]).contains("integrity:  ok"));
}

#[test]
fn backups_keep_the_newest_n() {
    let s = Scratch::new();
    std::fs::write(
        s.path("config.toml"),
        "timezone = \"UTC\"\n[backup]\nkeep = 2\n",
    )
    .unwrap();
    indexed(&s, 10);
    let dir = s.path("backups");
    let mut made = Vec::new();
    for _ in 0..4 {
        let out = s.run(&["backup", dir.to_str().unwrap()]);
        let path = out
            .strip_prefix("backup written to ")
            .and_then(|r| r.split(" (").next())
            .unwrap()
            .to_string();
        made.push(path);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| !p.ends_with(".fts.db"))
        .collect();
    left.sort();
    assert_eq!(left, made[2..], "the two newest are kept");
    let other = Scratch::new();
    other.run(&["restore", &made[3]]);
    assert_eq!(other.stats(&[])["total"], 10);
}

#[test]
fn check_names_damage_and_leaves_the_file_alone() {
    let s = Scratch::new();
    indexed(&s, 3000);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(s.db())
        .unwrap();
    let len = f.metadata().unwrap().len();
    for page in [2, len / 16384 / 2, len / 16384 - 1] {
        f.seek(SeekFrom::Start(page * 16384)).unwrap();
        f.write_all(&[0xa5; 8192]).unwrap();
    }
    drop(f);
    let before = std::fs::read(s.db()).unwrap();
    let out = s.logdex().arg("check").output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("damage in the database"),
        "{stdout}{stderr}"
    );
    assert!(stderr.contains("the database is damaged"), "{stderr}");
    assert_eq!(std::fs::read(s.db()).unwrap(), before, "check only reads");
}
