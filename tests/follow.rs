//! Following files while they grow, rotate and get truncated: after each case the entries in the
//! database are exactly the lines written, once each.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::Scratch;

const CONFIG: &str = "timezone = \"UTC\"\n[watch]\npoll_interval = \"200ms\"\nidle_flush = \"1s\"\nsettle = \"50ms\"\n";

struct Followed {
    s: Scratch,
    dir: PathBuf,
    child: Option<Child>,
    next: usize,
}

fn line(n: usize, tag: &str) -> String {
    format!(
        "2026-11-02 10:{:02}:{:02},000 INFO [main] line {n} {tag}\n",
        n / 60 % 60,
        n % 60
    )
}

impl Followed {
    fn start(extra: &[&str]) -> Followed {
        let s = Scratch::new();
        std::fs::write(s.path("config.toml"), CONFIG).unwrap();
        let dir = s.path("logs");
        std::fs::create_dir(&dir).unwrap();
        let mut f = Followed {
            s,
            dir,
            child: None,
            next: 0,
        };
        f.write("app.log", 3, "initial");
        f.spawn(extra);
        f.wait_for(3);
        f
    }

    fn spawn(&mut self, extra: &[&str]) {
        let mut args = vec!["index", "--follow"];
        args.extend_from_slice(extra);
        let dir = self.dir.display().to_string();
        args.push(&dir);
        let child = self
            .s
            .command()
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Appends `n` new, numbered lines to `name`.
    fn write(&mut self, name: &str, n: usize, tag: &str) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path(name))
            .unwrap();
        for _ in 0..n {
            f.write_all(line(self.next, tag).as_bytes()).unwrap();
            self.next += 1;
        }
    }

    fn count(&self) -> i64 {
        rusqlite::Connection::open(self.s.db())
            .and_then(|c| c.query_row("SELECT count(*) FROM log_entries", [], |r| r.get(0)))
            .unwrap_or(0)
    }

    fn wait_for(&self, n: usize) {
        let start = Instant::now();
        while self.count() < n as i64 {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {n} entries, have {}",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the follower with SIGTERM and checks that every line written is there once.
    fn finish(mut self) {
        // Time for late reads (renamed files finish after `idle_flush`).
        std::thread::sleep(Duration::from_millis(1600));
        let mut child = self.child.take().unwrap();
        signal(&child, "TERM");
        let status = child.wait().unwrap();
        assert!(status.success(), "follower exited with {status}");
        let mut got: Vec<usize> = self
            .s
            .export(&[])
            .iter()
            .map(|e| {
                let m = e["message"].as_str().unwrap();
                m.split_whitespace().nth(2).unwrap().parse().unwrap()
            })
            .collect();
        got.sort_unstable();
        let want: Vec<usize> = (0..self.next).collect();
        assert_eq!(got, want, "every line once");
    }
}

impl Drop for Followed {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn signal(child: &Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn settle() {
    std::thread::sleep(Duration::from_millis(400));
}

#[test]
fn appended_lines_and_new_files_are_indexed() {
    let mut f = Followed::start(&[]);
    f.write("app.log", 5, "appended");
    f.wait_for(8);
    f.write("other.log", 4, "new file");
    f.wait_for(12);
    f.finish();
}

#[test]
fn the_polling_fallback_keeps_working() {
    let mut f = Followed::start(&["--poll"]);
    f.write("app.log", 5, "appended");
    f.write("other.log", 4, "new file");
    f.wait_for(12);
    f.finish();
}

#[test]
fn rename_and_create_finishes_the_old_file_and_starts_the_new() {
    let mut f = Followed::start(&[]);
    f.write("app.log", 2, "before");
    f.wait_for(5);
    std::fs::rename(f.path("app.log"), f.path("app.log.1")).unwrap();
    // The job still holds the old file for a moment.
    f.write("app.log.1", 2, "late in the old file");
    f.write("app.log", 3, "new file");
    f.wait_for(10);
    f.finish();
}

#[test]
fn a_rotated_file_compressed_later_is_recognised() {
    let mut f = Followed::start(&[]);
    f.write("app.log", 20, "filler so the file has a real fingerprint");
    f.wait_for(23);
    std::fs::rename(f.path("app.log"), f.path("app.log.1")).unwrap();
    f.write("app.log", 1, "new file");
    f.wait_for(24);
    // After the old file was finished (idle), it is compressed and removed, like logrotate.
    std::thread::sleep(Duration::from_millis(1500));
    let data = std::fs::read(f.path("app.log.1")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&data).unwrap();
    std::fs::write(f.path("app.log.1.gz"), gz.finish().unwrap()).unwrap();
    std::fs::remove_file(f.path("app.log.1")).unwrap();
    settle();
    f.write("app.log", 1, "after compression");
    f.wait_for(25);
    f.finish();
}

#[test]
fn copytruncate_indexes_the_new_content_and_nothing_twice() {
    let mut f = Followed::start(&[]);
    f.write("app.log", 20, "before the copy");
    f.wait_for(23);
    std::fs::copy(f.path("app.log"), f.path("app.log.1")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(f.path("app.log"))
        .unwrap();
    f.write("app.log", 3, "after truncation");
    f.wait_for(26);
    f.finish();
}

#[test]
fn truncation_alone_starts_the_file_afresh() {
    let mut f = Followed::start(&[]);
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(f.path("app.log"))
        .unwrap();
    settle();
    f.write("app.log", 2, "after truncation");
    f.wait_for(5);
    f.finish();
}

#[test]
fn deleted_and_recreated_or_replaced_files_keep_their_entries() {
    let mut f = Followed::start(&[]);
    std::fs::remove_file(f.path("app.log")).unwrap();
    settle();
    f.write("app.log", 2, "recreated");
    f.wait_for(5);
    // Replaced by a different file moved over it.
    f.write("staging.tmp", 3, "replacement");
    std::fs::rename(f.path("staging.tmp"), f.path("app.log")).unwrap();
    f.wait_for(8);
    f.finish();
}

#[test]
fn a_half_written_line_waits_for_its_newline_or_for_the_file_to_go_quiet() {
    let mut f = Followed::start(&[]);
    let path = f.path("app.log");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let full = line(f.next, "split write");
    f.next += 1;
    let (a, b) = full.split_at(20);
    file.write_all(a.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        f.count(),
        3,
        "a line without its newline is not indexed yet"
    );
    file.write_all(b.as_bytes()).unwrap();
    f.wait_for(4);
    // Without a newline and then quiet for longer than idle_flush: indexed once, as it is.
    let last = line(f.next, "never finished");
    f.next += 1;
    file.write_all(last.trim_end().as_bytes()).unwrap();
    f.wait_for(5);
    f.finish();
}

#[test]
fn two_indexers_on_the_same_files_index_each_line_once() {
    let s = Scratch::new();
    std::fs::write(s.path("config.toml"), CONFIG).unwrap();
    let dir = s.path("logs");
    std::fs::create_dir(&dir).unwrap();
    for j in 0..3 {
        let mut text = String::new();
        for n in 0..20_000 {
            text.push_str(&line(j * 20_000 + n, "bulk"));
        }
        let p = dir.join(format!("job{j}.log"));
        std::fs::write(&p, text).unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
            .unwrap();
    }
    let spawn = || {
        s.command()
            .args(["index", dir.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for c in [a, b] {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("error"), "{err}");
    }
    assert_eq!(s.stats(&[])["total"], 60_000);
}

#[test]
fn a_standby_follower_takes_over_when_the_writer_dies() {
    let mut f = Followed::start(&[]);
    let mut first = f.child.take().unwrap();
    f.spawn(&[]);
    f.write("app.log", 2, "while the first runs");
    f.wait_for(5);
    first.kill().unwrap();
    first.wait().unwrap();
    f.write("app.log", 3, "after the first died");
    f.wait_for(8);
    f.finish();
}

#[test]
fn an_import_while_following_gets_the_database_and_the_follower_resumes() {
    let mut f = Followed::start(&[]);
    let history = f.s.path("history");
    std::fs::create_dir(&history).unwrap();
    // Rotated history: a compressed older file and a plain one, in a nested directory.
    let mut old = String::new();
    for _ in 0..50 {
        old.push_str(&line(f.next, "history gz"));
        f.next += 1;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(old.as_bytes()).unwrap();
    std::fs::create_dir(history.join("2026")).unwrap();
    std::fs::write(history.join("2026/app.log.2.gz"), gz.finish().unwrap()).unwrap();
    let mut recent = String::new();
    for _ in 0..30 {
        recent.push_str(&line(f.next, "history plain"));
        f.next += 1;
    }
    std::fs::write(history.join("2026/app.log.1"), recent).unwrap();
    let started = Instant::now();
    let out =
        f.s.logdex()
            .args(["import", history.to_str().unwrap()])
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the follower handed over"
    );
    f.wait_for(83);
    // Importing again adds nothing.
    f.s.run(&["import", history.to_str().unwrap()]);
    // The follower took the database back.
    f.write("app.log", 2, "after the import");
    f.wait_for(85);
    f.finish();
}
