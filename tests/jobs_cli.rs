//! `logdex jobs` as a user runs it: import, dry run, export → import → export byte for byte,
//! list (with jobs only seen in logs), every problem of a bad file on stderr with exit code 1,
//! usage errors with 2, and defined jobs' log paths indexed as sources of their job (also when
//! an import defines them while a follower runs).

mod common;

use std::path::{Path, PathBuf};

use common::Scratch;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jobs")
        .join(name)
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Makes a file look finished (idle), so its last line is indexed at once.
fn old(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn export_import_export_is_byte_identical_in_both_formats() {
    let s = Scratch::new();
    let out = s.run(&["jobs", "import", arg(&fixture("realistic.yaml"))]);
    assert!(
        out.ends_with("realistic.yaml: imported 50 jobs: 50 added, 0 updated, 0 unchanged\n"),
        "{out}"
    );
    for format in ["yaml", "json"] {
        let first = s.path(&format!("first.{format}"));
        let second = s.path(&format!("second.{format}"));
        s.logdex()
            .args(["jobs", "export", "--format", format, "-o", arg(&first)])
            .assert()
            .success()
            .stderr(predicate::str::contains("exported 50 jobs to"));
        // Into a fresh database, and back out.
        let t = Scratch::new();
        let out = t.run(&["jobs", "import", arg(&first)]);
        assert!(out.contains("50 added"), "{out}");
        t.run(&["jobs", "export", "--format", format, "-o", arg(&second)]);
        let (a, b) = (
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
        );
        assert!(a == b, "{format} exports differ");
        // And into the same database: nothing changes.
        let out = s.run(&["jobs", "import", arg(&first)]);
        assert!(out.contains("0 added, 0 updated, 50 unchanged"), "{out}");
        // Standard output carries the same bytes as the file.
        assert_eq!(
            s.run(&["jobs", "export", "--format", format]).as_bytes(),
            &a[..]
        );
    }
}

#[test]
fn a_dry_run_says_what_would_change_and_changes_nothing() {
    let s = Scratch::new();
    s.run(&["jobs", "import", arg(&fixture("small_list.yaml"))]);
    let before = s.run(&["jobs", "export"]);
    let edited = s.path("edited.yaml");
    std::fs::write(
        &edited,
        "jobs:\n  - id: backup\n    schedule: \"30 2 * * *\"\n    command: /opt/backup/run\n\
         \x20 - id: cleanup\n    schedule: \"@hourly\"\n    command: find /tmp -delete\n",
    )
    .unwrap();
    let out = s.run(&["jobs", "import", "--dry-run", "--prune", arg(&edited)]);
    insta::assert_snapshot!(out.replace(arg(&edited), "edited.yaml"), @r"
    add      cleanup
    update   backup (name, schedule, log_path, tags)
    remove   report
    edited.yaml: 2 jobs valid; importing would add 1, update 1, leave 0 unchanged, remove 1 (dry run: nothing written)
    ");
    assert_eq!(s.run(&["jobs", "export"]), before);
    let out = s.run(&["jobs", "import", "--prune", arg(&edited)]);
    assert!(out.contains("removed  report"), "{out}");
    assert!(!s.run(&["jobs", "export"]).contains("id: report"));
}

#[test]
fn a_bad_file_reports_every_problem_and_imports_nothing() {
    let s = Scratch::new();
    s.run(&["jobs", "import", arg(&fixture("small_list.yaml"))]);
    let before = s.run(&["jobs", "export"]);
    let bad = fixture("bad/everything.yaml");
    let out = s
        .logdex()
        .args(["jobs", "import", arg(&bad)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stderr = stderr.replace(arg(&bad), "everything.yaml");
    insta::assert_snapshot!(stderr, @r#"
    everything.yaml:6:5: job "backup": unknown field `tag`; did you mean `tags`?
    everything.yaml:8:24: job "report": schedule "0 7 * * 8": the day-of-week field "8" is not valid (0-7 or SUN-SAT; number out of bounds)
    everything.yaml:10:14: job "report": `enabled` must be true or false, not "no"
    everything.yaml:11:9: duplicate id "backup" (first defined at line 3, column 9)
    everything.yaml:14:5: job "cleanup": missing required field `schedule`
    everything.yaml:16:15: job "cleanup": `log_path` "tmp.log" must be absolute (start with /) so that it means the same file wherever logdex runs
    logdex: error: everything.yaml: 6 problems; nothing was imported
    "#);
    assert_eq!(s.run(&["jobs", "export"]), before);
    // A dry run of a bad file fails the same way, and no database is created for it.
    let t = Scratch::new();
    t.logdex()
        .args(["jobs", "import", "--dry-run", arg(&bad)])
        .assert()
        .code(1);
    assert!(!t.db().exists());
}

#[test]
fn usage_errors_exit_2_and_missing_things_exit_1() {
    let s = Scratch::new();
    s.logdex().args(["jobs", "import"]).assert().code(2);
    s.logdex()
        .args(["jobs", "export", "--format", "xml"])
        .assert()
        .code(2);
    s.logdex().args(["jobs", "frobnicate"]).assert().code(2);
    s.logdex()
        .args(["jobs", "export"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no database at"));
    s.logdex()
        .args(["jobs", "import", arg(&s.path("nope.yaml"))])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read").and(predicate::str::contains("nope.yaml")));
}

#[test]
fn standard_input_can_be_imported() {
    let s = Scratch::new();
    let yaml = std::fs::read(fixture("small_top_level.yaml")).unwrap();
    s.logdex()
        .args(["jobs", "import", "-"])
        .write_stdin(yaml)
        .assert()
        .success()
        .stdout(predicate::str::contains("<stdin>: imported 2 jobs"));
}

#[test]
fn list_shows_defined_jobs_and_jobs_only_seen_in_logs() {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    let now = jiff::Timestamp::now();
    let stamp = |ago_s: i64| {
        (now - jiff::SignedDuration::from_secs(ago_s))
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    for (file, lines) in [
        (
            "backup.log",
            vec![
                format!("{} INFO backup started", stamp(600)),
                format!("{} WARN slow disk", stamp(500)),
                format!("{} ERROR disk full on /backup", stamp(400)),
            ],
        ),
        (
            "legacy-sync.log",
            vec![format!("{} INFO still here", stamp(300))],
        ),
    ] {
        let p = logs.join(file);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        old(&p);
    }
    s.run(&["index", arg(&logs)]);
    s.run(&["jobs", "import", arg(&fixture("small_list.yaml"))]);

    let table = s.run(&["jobs", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(lines[0].starts_with("JOB "), "{table}");
    let row = |name: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in\n{table}"))
    };
    let backup: Vec<&str> = row("backup").split_whitespace().collect();
    assert_eq!(&backup[1..6], ["0", "2", "*", "*", "*"], "{table}");
    assert_eq!(backup[6], "yes");
    assert_eq!(&backup[9..12], ["3", "1", "1"], "{table}");
    assert!(row("backup").ends_with("disk full on /backup"), "{table}");
    assert!(row("legacy-sync").contains("(undefined)"), "{table}");
    assert!(row("report").contains(" no "), "{table}");

    let json: serde_json::Value =
        serde_json::from_str(&s.run(&["jobs", "list", "--json"])).unwrap();
    let items = json.as_array().unwrap();
    let find = |id: &str| items.iter().find(|j| j["id"] == id).unwrap();
    assert_eq!(find("backup")["defined"], true);
    assert_eq!(find("backup")["errors_24h"], 1);
    assert_eq!(find("backup")["warnings_24h"], 1);
    assert_eq!(find("backup")["entries_24h"], 3);
    assert_eq!(find("backup")["last_error"]["level"], "error");
    assert_eq!(find("legacy-sync")["defined"], false);
    assert_eq!(find("legacy-sync")["schedule"], serde_json::Value::Null);
    assert_eq!(find("report")["last_entry"], serde_json::Value::Null);
}

#[test]
fn defined_log_paths_become_sources_of_their_job_when_the_config_says_so() {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    let out = logs.join("nightly-output.log");
    std::fs::write(
        &out,
        "2026-11-02T02:00:00Z INFO orders loaded\n2026-11-02T02:00:05Z ERROR 3 rows rejected\n",
    )
    .unwrap();
    old(&out);
    let jobs = s.path("jobs.yaml");
    std::fs::write(
        &jobs,
        format!(
            "jobs:\n  - id: etl-orders\n    schedule: \"0 2 * * *\"\n    command: /opt/etl/run\n    log_path: {}/nightly-*.log\n",
            logs.display()
        ),
    )
    .unwrap();
    s.run(&["jobs", "import", arg(&jobs)]);
    // Off by default: nothing is configured, so there is nothing to index.
    s.logdex()
        .args(["index"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing to index"));
    std::fs::write(
        s.path("config.toml"),
        "timezone = \"UTC\"\n[jobs]\nfollow_log_paths = true\n",
    )
    .unwrap();
    s.run(&["index"]);
    let entries = s.export(&[]);
    assert_eq!(entries.len(), 2);
    assert!(
        entries.iter().all(|e| e["job"] == "etl-orders"),
        "{entries:?}"
    );
    let config = s.run(&["config"]);
    assert!(config.contains("nightly-*.log"), "{config}");
}

#[test]
fn a_follower_takes_in_log_paths_that_an_import_defines_while_it_runs() {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    let configured = logs.join("configured.log");
    std::fs::write(&configured, "2026-11-02T01:00:00Z INFO configured source\n").unwrap();
    std::fs::write(
        s.path("config.toml"),
        format!(
            "timezone = \"UTC\"\n[watch]\npoll_interval = \"200ms\"\nsettle = \"50ms\"\n\
             [jobs]\nfollow_log_paths = true\n[[sources]]\npath = \"{}\"\n",
            configured.display()
        ),
    )
    .unwrap();
    let mut follower = common::Killed(vec![
        s.command()
            .args(["index", "--follow", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    ]);
    let wait_for = |what: &dyn Fn(&[serde_json::Value]) -> bool| {
        let start = std::time::Instant::now();
        loop {
            let out = s
                .logdex()
                .args(["export", "--format", "ndjson"])
                .output()
                .unwrap();
            let entries: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            if what(&entries) {
                return entries;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "never came: {entries:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait_for(&|e| e.len() == 1);

    let later = logs.join("nightly-output.log");
    std::fs::write(&later, "2026-11-02T02:00:00Z INFO orders loaded\n").unwrap();
    let jobs = s.path("jobs.yaml");
    std::fs::write(
        &jobs,
        format!(
            "jobs:\n  - id: etl-orders\n    schedule: \"0 2 * * *\"\n    command: /opt/etl/run\n    log_path: {}\n",
            later.display()
        ),
    )
    .unwrap();
    s.run(&["jobs", "import", arg(&jobs)]);
    let entries = wait_for(&|e| e.len() == 2);
    assert_eq!(entries[1]["job"], "etl-orders", "{entries:?}");
    // And it is followed from then on, not read once.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&later)
        .unwrap();
    std::io::Write::write_all(&mut f, b"2026-11-02T02:00:05Z ERROR 3 rows rejected\n").unwrap();
    let entries = wait_for(&|e| e.len() == 3);
    assert_eq!(entries[2]["job"], "etl-orders");
    let follower = &mut follower.0[0];
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &follower.id().to_string()])
        .status();
    assert!(follower.wait().unwrap().success());
}
