//! The real binary in a pseudo-terminal, read back through a terminal emulator (vt100): open a
//! directory of logs, search, toggle a level, open an entry, export, follow a file that grows,
//! and quit with the terminal as it was. Every wait polls the screen with a deadline.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 110;
const PATIENCE: Duration = Duration::from_secs(20);

/// What the program asked the terminal to do besides drawing.
#[derive(Default)]
struct Seen {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
    bells: usize,
}

impl vt100::Callbacks for Seen {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

type Term = Arc<Mutex<vt100::Parser<Seen>>>;

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    term: Term,
    dir: tempfile::TempDir,
}

impl Session {
    /// `logdex ARGS…` in a fresh home, followed by `stty -a` so the test can see the terminal
    /// modes logdex left behind.
    fn start(dir: tempfile::TempDir, args: &[&str]) -> Session {
        Session::start_as(dir, "\"$0\" \"$@\"", args)
    }

    /// `script` run by `sh -c` with the binary as `$0` and `args` as `$@`, then the same
    /// epilogue as [`Session::start`].
    fn start_as(dir: tempfile::TempDir, script: &str, args: &[&str]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        std::fs::write(dir.path().join("config.toml"), "timezone = \"UTC\"\n").expect("config");
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(format!(
            "{script}; echo \"exit=$?\"; stty -a; echo END-OF-SESSION; sleep 30"
        ));
        cmd.arg(env!("CARGO_BIN_EXE_logdex"));
        cmd.args(args);
        cmd.cwd(dir.path());
        cmd.env("LOGDEX_DB", dir.path().join("logdex.db"));
        cmd.env("LOGDEX_CONFIG", dir.path().join("config.toml"));
        cmd.env("HOME", dir.path());
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let rows = std::num::NonZeroU16::new(ROWS).expect("rows");
        let cols = std::num::NonZeroU16::new(COLS).expect("cols");
        let term: Term = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            rows,
            cols,
            0,
            Seen::default(),
        )));
        let sink = term.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("term").process(&buf[..n]);
            }
        });
        Session {
            child,
            writer,
            term,
            dir,
        }
    }

    fn screen(&self) -> String {
        self.term.lock().expect("term").screen().contents()
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Waits until the screen satisfies `ok`; fails with the screen when it does not in time.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// Quits and checks that the terminal is as it was: main screen, cursor shown, no mouse or
    /// paste reporting, canonical mode and echo back on.
    fn quit_and_check_restored(mut self) {
        self.keys("q");
        let screen = self.wait_text("END-OF-SESSION");
        assert!(screen.contains("exit=0"), "{screen}");
        let term = self.term.lock().expect("term");
        let s = term.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste still on");
        assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        let words: Vec<&str> = screen.split_whitespace().collect();
        assert!(
            words.contains(&"icanon") && words.contains(&"echo"),
            "raw mode left on: {screen}"
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_logs(dir: &Path) -> PathBuf {
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).expect("logs dir");
    let mut backup = String::new();
    let mut etl = String::new();
    for i in 0..60 {
        let (m, s) = (i / 60, i % 60);
        let level = match i % 10 {
            0 => "ERROR",
            1 => "WARNING",
            2 | 3 => "DEBUG",
            _ => "INFO",
        };
        backup.push_str(&format!(
            "2026-11-02 10:{m:02}:{s:02},000 {level} [main] backup step {i} copied files\n"
        ));
        let level = if i % 7 == 0 { "ERROR" } else { "INFO " };
        etl.push_str(&format!(
            "2026-11-02T10:{m:02}:{s:02}.500Z {level} loader: batch {i} loaded rows\n"
        ));
    }
    etl.push_str("2026-11-02T10:01:00.000Z ERROR loader: upstream timeout after 30s\n");
    etl.push_str("Traceback (most recent call last):\n  File \"load.py\", line 3, in run\nTimeoutError: upstream\n");
    etl.push_str("2026-11-02T10:01:01.000Z WARN  loader: hostile \x1b[2J\x1b[H\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x07 end\n");
    std::fs::write(logs.join("backup.log"), backup).expect("backup.log");
    std::fs::write(logs.join("etl.log"), etl).expect("etl.log");
    logs
}

/// The row with the selection marker.
fn selected_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or("")
        .to_string()
}

fn append(path: &Path, line: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open for append");
    writeln!(f, "{line}").expect("append");
}

#[test]
fn search_filter_detail_export_and_quit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = write_logs(dir.path());
    let mut s = Session::start(dir, &[logs.to_str().expect("utf-8 path")]);
    s.wait_for("the entries and the watcher", |t| {
        t.contains("watching 2 files") && t.contains("hostile")
    });
    // The hostile line is shown as text and did nothing to the terminal.
    let screen = s.screen();
    assert!(screen.contains("hostile ^[[2J^[[H^[]0;pwned^G"), "{screen}");
    {
        let term = s.term.lock().expect("term");
        let seen = term.callbacks();
        assert!(seen.titles.is_empty() && seen.clipboard.is_empty() && seen.bells == 0);
    }

    // Search as you type: the list narrows to the matches.
    s.keys("/upstream timeout");
    s.wait_text("1 match");
    s.keys("\r");
    s.keys("\x1b");
    s.wait_text("122 entries");

    // Hide INFO in the filters pane: two jobs, then FATAL, ERROR, WARN, INFO.
    s.keys("f");
    s.wait_text("[x] etl");
    s.keys("jjjjj ");
    let screen = s.wait_text(" of 122");
    assert!(
        !screen.contains("INFO  etl") && !screen.contains("INFO  backup"),
        "{screen}"
    );
    // Esc and the next key must not arrive together (they would read as alt-E).
    s.keys("\x1b");
    s.wait_text("enter detail");

    // The previous error, in full, with its source.
    s.keys("E");
    s.wait_for("the error selected", |t| {
        selected_row(t).contains("upstream timeout")
    });
    s.keys("\r");
    let screen = s.wait_text("TimeoutError: upstream");
    assert!(screen.contains("etl.log:61"), "{screen}");
    s.keys("\x1b");
    s.wait_text("Logs ·");

    // Export what is shown.
    s.keys("x");
    s.wait_text("export ndjson");
    s.keys("\r");
    let screen = s.wait_text("exported ");
    let exported = std::fs::read_dir(s.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .unwrap_or_else(|| panic!("no export file; {screen}"));
    let text = std::fs::read_to_string(&exported).expect("export");
    assert!(text.lines().count() > 10 && !text.contains("\"level\":\"info\""));
    s.quit_and_check_restored();
}

#[test]
fn follows_a_file_that_grows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = write_logs(dir.path());
    let mut s = Session::start(dir, &[logs.to_str().expect("utf-8 path")]);
    s.wait_text("watching 2 files");
    let etl = logs.join("etl.log");
    append(
        &etl,
        "2026-11-02T11:00:00.000Z INFO  loader: first late arrival",
    );
    let screen = s.wait_text("first late arrival");
    assert!(screen.contains("● follow"), "{screen}");
    // Scrolling away pauses; new entries do not move the view.
    s.keys("kk");
    s.wait_text("‖ paused");
    let held = selected_row(&s.screen());
    assert!(held.contains("upstream timeout"), "{held}");
    append(
        &etl,
        "2026-11-02T11:00:01.000Z INFO  loader: second late arrival",
    );
    s.wait_text("124 entries");
    assert!(selected_row(&s.screen()).contains("upstream timeout"));
    // F resumes: the newest entry is selected.
    s.keys("F");
    let screen = s.wait_for("the newest selected", |t| {
        selected_row(t).contains("second late arrival")
    });
    assert!(screen.contains("● follow"), "{screen}");
    s.quit_and_check_restored();
}

/// Sends `signal` to logdex (the child of the shell the session started) and checks that the
/// terminal comes back.
fn signal_restores_the_terminal(signal: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = write_logs(dir.path());
    let s = Session::start(dir, &[logs.to_str().expect("utf-8 path")]);
    s.wait_text("watching 2 files");
    let shell = s.child.process_id().expect("shell pid");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("children of the shell");
    let pid = children.split_whitespace().next().expect("logdex pid");
    let status = std::process::Command::new("kill")
        .args([signal, pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let screen = s.wait_text("END-OF-SESSION");
    let term = s.term.lock().expect("term");
    assert!(!term.screen().alternate_screen(), "{screen}");
    assert!(!term.screen().hide_cursor(), "{screen}");
    assert!(screen.split_whitespace().any(|w| w == "icanon"), "{screen}");
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("-TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("-HUP");
}

/// Three jobs' logs from the last hour: `etl` with the most errors, `backup` with a few,
/// `cleanup` with none (and no definition); `report` is defined but has no logs.
fn write_recent_logs(dir: &Path) -> PathBuf {
    let logs = dir.join("recent");
    std::fs::create_dir_all(&logs).expect("logs dir");
    let start = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(40);
    let at = |i: i64| {
        (start + jiff::SignedDuration::from_secs(i * 30))
            .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    };
    let (mut etl, mut backup, mut cleanup) = (String::new(), String::new(), String::new());
    for i in 0..30 {
        let level = if i % 3 == 0 { "ERROR" } else { "INFO " };
        etl.push_str(&format!("{} {level} etl batch {i} loaded\n", at(i)));
        let level = if i % 10 == 0 { "ERROR" } else { "INFO " };
        backup.push_str(&format!("{} {level} backup step {i} copied\n", at(i)));
    }
    for i in 0..10 {
        let level = if i == 4 { "WARN " } else { "INFO " };
        cleanup.push_str(&format!("{} {level} cleanup pass {i} done\n", at(i)));
    }
    std::fs::write(logs.join("etl.log"), etl).expect("etl.log");
    std::fs::write(logs.join("backup.log"), backup).expect("backup.log");
    std::fs::write(logs.join("cleanup.log"), cleanup).expect("cleanup.log");
    logs
}

#[test]
fn the_job_with_the_most_errors_comes_first_and_enter_shows_only_its_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = write_recent_logs(dir.path());
    let defs = dir.path().join("jobs.yaml");
    std::fs::write(
        &defs,
        "jobs:\n\
         \x20 - id: etl\n    schedule: \"*/15 * * * *\"\n    command: /opt/etl/run\n\
         \x20 - id: backup\n    schedule: \"0 2 * * *\"\n    command: /opt/backup/run\n\
         \x20 - id: report\n    schedule: \"0 7 * * MON-FRI\"\n    command: /opt/report/run\n    enabled: false\n",
    )
    .expect("jobs.yaml");
    std::fs::write(dir.path().join("config.toml"), "timezone = \"UTC\"\n").expect("config");
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_logdex"))
        .args(["jobs", "import", defs.to_str().expect("utf-8 path")])
        .env("LOGDEX_DB", dir.path().join("logdex.db"))
        .env("LOGDEX_CONFIG", dir.path().join("config.toml"))
        .env("HOME", dir.path())
        .output()
        .expect("logdex jobs import");
    assert!(import.status.success(), "{import:?}");

    let mut s = Session::start(dir, &[logs.to_str().expect("utf-8 path")]);
    s.wait_text("watching 3 files");
    s.keys("J");
    let screen = s.wait_for("the jobs pane", |t| {
        t.contains("Jobs · 4 (1 undefined)") && t.contains("cleanup")
    });
    // Most errors first, and selected.
    let rows: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("ERRORS"))
        .skip(1)
        .take(4)
        .collect();
    let first = rows[0];
    assert!(first.starts_with('▶') && first.contains("etl"), "{screen}");
    assert!(first.split_whitespace().any(|w| w == "10"), "{screen}");
    let row = |name: &str| {
        rows.iter()
            .find(|r| {
                r.get(1..)
                    .is_some_and(|r| r.starts_with(&format!("{name} ")))
            })
            .copied()
            .unwrap_or_else(|| panic!("no row for {name}: {screen}"))
    };
    assert!(row("cleanup").contains("undefined"), "{screen}");
    assert!(row("report").contains("off"), "{screen}");
    assert!(row("backup").contains(" on "), "{screen}");

    s.keys("\r");
    let screen = s.wait_for("only etl's entries", |t| {
        t.contains("showing only etl") && t.contains("[ ] backup") && t.contains("etl batch 29")
    });
    let shown = screen.lines().filter(|l| l.contains("etl batch")).count();
    assert!(shown >= 10, "{screen}");
    assert!(
        !screen.contains("backup step") && !screen.contains("cleanup pass"),
        "{screen}"
    );
    assert!(
        screen.contains("[x] etl") && screen.contains(" of "),
        "{screen}"
    );
    s.quit_and_check_restored();
}

#[test]
fn an_unusable_database_shows_the_files_under_a_banner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = write_logs(dir.path());
    // A database path under a regular file: nothing can open or create it.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a directory").expect("blocker");
    let db = blocker.join("logdex.db");
    let mut s = Session::start(
        dir,
        &[
            "--db",
            db.to_str().expect("utf-8 path"),
            logs.to_str().expect("utf-8 path"),
        ],
    );
    let screen = s.wait_for("the files' entries under the banner", |t| {
        t.contains("degraded: reading files directly") && t.contains("hostile")
    });
    assert!(
        screen.contains("blocker"),
        "the banner says where: {screen}"
    );
    // Searching scans what was read.
    s.keys("/upstream timeout");
    s.wait_text("1 match");
    s.keys("\r");
    s.wait_for("the match in the list", |t| {
        selected_row(t).contains("upstream timeout after 30s")
    });
    assert!(!db.exists());
    s.quit_and_check_restored();
}

#[test]
fn a_pipe_is_indexed_live_and_kept_when_the_browser_quits_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Outlives the session.
    let keep = tempfile::tempdir().expect("tempdir");
    let db = keep.path().join("piped.db");
    std::fs::write(keep.path().join("config.toml"), "timezone = \"UTC\"\n").expect("config");
    // The pipe stays open after its lines (a command still running); it ends at the first write
    // after the browser has gone.
    let script = "{ printf '%s\\n' \
        '2026-11-02T10:00:00.000Z INFO nightly step one' \
        '2026-11-02T10:00:01.000Z ERROR nightly step two failed' \
        '2026-11-02T10:00:02.000Z INFO nightly step three'; \
        while sleep 0.2; do echo 2026-11-02T10:00:03.000Z DEBUG tick || exit; done; } \
        | \"$0\" \"$@\"";
    let mut s = Session::start_as(
        dir,
        script,
        &["--db", db.to_str().expect("utf-8 path"), "--job", "nightly"],
    );
    s.wait_for("the piped lines", |t| {
        t.contains("nightly step three") && t.contains("step two failed")
    });
    // Keys come from the terminal, not from the pipe.
    s.keys("/three");
    s.wait_text("1 match");
    s.keys("\r");
    s.wait_text("? help");
    s.quit_and_check_restored();
    let home = keep.path();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_logdex"))
        .args(["search", "step", "--job", "nightly", "--oldest-first"])
        .env("LOGDEX_DB", &db)
        .env("LOGDEX_CONFIG", home.join("config.toml"))
        .env("HOME", home)
        .output()
        .expect("search");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].contains("step one") && lines[2].contains("step three"),
        "{text}"
    );
}

#[test]
fn the_demo_browses_its_sample_logs_in_the_default_database_with_their_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("logdex.db");
    let mut s = Session::start(dir, &["demo"]);
    s.wait_text("demo-live");
    s.keys("J");
    let screen = s.wait_for("the jobs pane", |t| t.contains("Jobs · 7 (1 undefined)"));
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| {
                l.get(1..)
                    .is_some_and(|l| l.starts_with(&format!("{name} ")))
            })
            .unwrap_or_else(|| panic!("no row for {name}: {screen}"))
            .to_string()
    };
    assert!(row("api-gateway").contains("undefined"), "{screen}");
    assert!(row("backup").contains("30 1 * * *"), "{screen}");
    assert!(row("report-daily").contains("off"), "{screen}");
    // The demo's entries are in the database in use (read while it runs), beside the logs it wrote.
    let stats = std::process::Command::new(env!("CARGO_BIN_EXE_logdex"))
        .args(["--db", db.to_str().expect("utf-8 path"), "stats", "--json"])
        .output()
        .expect("logdex stats");
    assert!(stats.status.success(), "{stats:?}");
    let text = String::from_utf8_lossy(&stats.stdout);
    for job in [
        "api-gateway",
        "backup",
        "billing-sync",
        "etl-orders",
        "ingest-events",
    ] {
        assert!(text.contains(job), "{job} not in {text}");
    }
    assert!(
        db.with_file_name("logdex-demo")
            .join("logs")
            .join("backup.log")
            .exists()
    );
    s.quit_and_check_restored();
}
