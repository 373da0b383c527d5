//! When the database cannot be used, search and export read the log files directly and say so.

mod common;

use common::Scratch;

fn setup() -> Scratch {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(
        logs.join("app.log"),
        "2026-11-02 10:00:00,000 INFO [main] started\n2026-11-02 10:00:01,000 ERROR [main] disk full on /data\n",
    )
    .unwrap();
    std::fs::write(
        logs.join("etl.log"),
        "2026-11-02 10:00:02,000 WARNING [main] slow batch\n2026-11-02 10:00:03,000 ERROR [main] disk quota exceeded\n",
    )
    .unwrap();
    std::fs::write(
        s.path("config.toml"),
        format!(
            "timezone = \"UTC\"\n[[sources]]\npath = \"{}/*.log\"\n",
            logs.display()
        ),
    )
    .unwrap();
    s
}

fn degraded(s: &Scratch, args: &[&str]) -> (String, String) {
    let out = s.logdex().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    (String::from_utf8(out.stdout).unwrap(), err)
}

#[test]
fn a_damaged_database_falls_back_to_the_files() {
    let s = setup();
    s.run(&["index"]);
    std::fs::write(s.db(), vec![0x13u8; 100_000]).unwrap();
    let (out, err) = degraded(&s, &["search", "disk", "--level", "error"]);
    assert!(err.contains("degraded: reading files directly"), "{err}");
    assert!(err.contains("damaged"), "the banner says why: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("disk quota exceeded") && lines[0].contains(" etl "),
        "{out}"
    );
    assert!(lines[1].contains("disk full"));
    let (csv, _) = degraded(&s, &["export", "--format", "csv"]);
    assert_eq!(
        csv.lines().count(),
        5,
        "header and four entries, oldest first: {csv}"
    );
    assert!(csv.lines().nth(1).unwrap().contains("started"));
}

#[test]
fn a_missing_database_falls_back_to_the_files() {
    let s = setup();
    let (out, err) = degraded(&s, &["search", "slow"]);
    assert!(
        err.contains("degraded: reading files directly — no database at"),
        "{err}"
    );
    assert!(out.contains("slow batch"), "{out}");
}

#[test]
fn an_unreadable_database_directory_falls_back_to_the_files() {
    let s = setup();
    std::fs::create_dir(s.path("blocked")).unwrap();
    // A database path under a regular file cannot be opened at all.
    std::fs::write(s.path("blocked/not-a-dir"), "x").unwrap();
    let out = s
        .logdex()
        .env("LOGDEX_DB", s.path("blocked/not-a-dir/logdex.db"))
        .args(["search", "started"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("degraded"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("started"));
}
