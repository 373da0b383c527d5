//! Follow-mode latency of the browser, release build, the real binary in a pseudo-terminal:
//!
//!   cargo bench --bench tui_follow -- [--count 1000] [--rate 20] [--burst 1000000]
//!
//! Lines are appended to a log file at `rate` per second; the time from each write until the
//! browser's screen shows that line is recorded. Twice: once with the browser indexing the file
//! itself (`logdex FILE`), once with another process indexing (`logdex index --follow`) and the
//! browser only watching the database. Prints p50/p95/max for each.
//!
//! Then a burst: `burst` lines appended in one write to the file the browser indexes; prints
//! how long until the last of them is on screen, and the time from a keypress (`?`, the help)
//! to the frame that answers it, sampled while the burst is being indexed. It asserts nothing.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

mod common;

use common::pct;

const ROWS: u16 = 48;
const COLS: u16 = 160;

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Line `n`, one 50 ms step after line `n - 1`, so the newest is always last.
fn line(n: u64) -> String {
    let ms = n * 50;
    let (s, ms) = (ms / 1000, ms % 1000);
    format!(
        "2026-11-02 {:02}:{:02}:{:02},{ms:03} INFO [main] event {n} done\n",
        10 + s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// The event numbers on a screen.
fn events_on(screen: &str) -> Vec<u64> {
    screen
        .split("event ")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[digits.len()..]
                .starts_with(" done")
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// When the help overlay came into view, each time it did.
type Shown = Arc<Mutex<Vec<Instant>>>;

/// Kills the browser and any helper process when dropped.
struct Session {
    browser: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    helper: Option<Child>,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.writer.write_all(b"q");
        let _ = self.writer.flush();
        std::thread::sleep(Duration::from_millis(300));
        let _ = self.browser.kill();
        let _ = self.browser.wait();
        if let Some(h) = &mut self.helper {
            let _ = Command::new("kill")
                .args(["-TERM", &h.id().to_string()])
                .status();
            let _ = h.wait();
        }
    }
}

/// A browser on a new database in a pseudo-terminal, with what its screen shows.
struct Watched {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
    session: Session,
    seen: Arc<Mutex<HashMap<u64, Instant>>>,
    help: Shown,
}

/// One run; returns the latencies (ms) of the lines that appeared, and how many were sent.
fn run(other_writer: bool, count: u64, rate: f64) -> Result<(Vec<f64>, u64), String> {
    // `_dir` is bound so that the directory lives until the end of the run.
    let Watched {
        _dir,
        file,
        session,
        seen,
        ..
    } = open(other_writer)?;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .map_err(|e| e.to_string())?;
    let mut sent = HashMap::new();
    let period = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    for n in 1..=count {
        let due = start + period * n as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        f.write_all(line(n).as_bytes()).map_err(|e| e.to_string())?;
        sent.insert(n, Instant::now());
    }
    std::thread::sleep(Duration::from_secs(2));
    let seen = seen.lock().map_err(|e| e.to_string())?;
    let mut lat: Vec<f64> = sent
        .iter()
        .filter_map(|(n, t)| {
            seen.get(n)
                .map(|a| a.saturating_duration_since(*t).as_secs_f64() * 1000.0)
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    drop(session);
    Ok((lat, count))
}

/// `count` lines in one write; returns the seconds until the last is on screen and the
/// keypress-to-frame times (ms) sampled meanwhile.
fn burst(count: u64) -> Result<(f64, Vec<f64>), String> {
    let Watched {
        _dir,
        file,
        mut session,
        seen,
        help,
    } = open(false)?;
    let text: String = (1..=count).map(line).collect();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .map_err(|e| e.to_string())?;
    f.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut keys = Vec::new();
    let last_seen = || seen.lock().ok().and_then(|s| s.get(&count).copied());
    while last_seen().is_none() {
        if start.elapsed() > Duration::from_secs(300) {
            return Err("the last line of the burst never appeared".into());
        }
        // Open the help and time its frame; close it again.
        let shown_before = help.lock().map_err(|e| e.to_string())?.len();
        let pressed = Instant::now();
        session.press(b"?")?;
        let mut answered = None;
        while pressed.elapsed() < Duration::from_secs(5) {
            if let Some(t) = help
                .lock()
                .map_err(|e| e.to_string())?
                .get(shown_before)
                .copied()
            {
                answered = Some(t);
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if let Some(t) = answered {
            keys.push(t.saturating_duration_since(pressed).as_secs_f64() * 1000.0);
        }
        session.press(b"\x1b")?;
        std::thread::sleep(Duration::from_millis(200));
        // A closed help lets the list show again, so the last line can be seen.
        if last_seen().is_none() {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let took = last_seen().map_or(f64::NAN, |t| {
        t.saturating_duration_since(start).as_secs_f64()
    });
    keys.sort_by(f64::total_cmp);
    drop(session);
    Ok((took, keys))
}

impl Session {
    fn press(&mut self, key: &[u8]) -> Result<(), String> {
        self.writer.write_all(key).map_err(|e| e.to_string())?;
        self.writer.flush().map_err(|e| e.to_string())
    }
}

/// Starts the browser (indexing the file itself, or watching another process index it) and
/// waits until the file's first line is on screen.
fn open(other_writer: bool) -> Result<Watched, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let d = dir.path();
    let file = d.join("app.log");
    std::fs::write(&file, line(0)).map_err(|e| e.to_string())?;
    let config = d.join("config.toml");
    std::fs::write(&config, "timezone = \"UTC\"\n").map_err(|e| e.to_string())?;
    let db = d.join("follow.db");

    let helper = if other_writer {
        let child = Command::new(env!("CARGO_BIN_EXE_logdex"))
            .arg("--db")
            .arg(&db)
            .arg("--config")
            .arg(&config)
            .args(["index", "--follow", "--quiet"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        // Let it create the database and index line 0 before the browser opens it.
        let started = Instant::now();
        while !db.exists() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        Some(child)
    } else {
        None
    };

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_logdex"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.arg("--config");
    cmd.arg(&config);
    if !other_writer {
        cmd.arg(&file);
    }
    cmd.env("HOME", d);
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(d);
    let browser = pty.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().map_err(|e| e.to_string())?;
    let writer = pty.master.take_writer().map_err(|e| e.to_string())?;
    let session = Session {
        browser,
        writer,
        helper,
    };

    // The reader notes when each event number is first on screen.
    let seen: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
    let sink = seen.clone();
    let help: Shown = Arc::default();
    let help_sink = help.clone();
    std::thread::spawn(move || {
        let _master = pty.master;
        let (Some(rows), Some(cols)) = (NonZeroU16::new(ROWS), NonZeroU16::new(COLS)) else {
            return;
        };
        let mut screen = vt100::Parser::new(rows, cols, 0);
        let mut was_showing = false;
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            screen.process(&buf[..n]);
            let now = Instant::now();
            let contents = screen.screen().contents();
            let on = events_on(&contents);
            // Each time the help comes into view (it is closed between samples).
            let showing = contents.contains("Keys · ");
            if showing
                && !was_showing
                && let Ok(mut h) = help_sink.lock()
            {
                h.push(now);
            }
            was_showing = showing;
            if let Ok(mut seen) = sink.lock() {
                for e in on {
                    seen.entry(e).or_insert(now);
                }
            }
        }
    });

    let started = Instant::now();
    while !seen.lock().map_err(|e| e.to_string())?.contains_key(&0) {
        if started.elapsed() > Duration::from_secs(30) {
            return Err("the first line never appeared on screen".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_secs(1));
    Ok(Watched {
        _dir: dir,
        file,
        session,
        seen,
        help,
    })
}

fn report(label: &str, rate: f64, result: Result<(Vec<f64>, u64), String>) {
    match result {
        Ok((lat, count)) => println!(
            "follow latency, {label}, {count} appends at {rate}/s: {} shown, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            lat.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.95),
            lat.last().copied().unwrap_or(f64::NAN)
        ),
        Err(e) => println!("follow latency, {label}: failed: {e}"),
    }
}

fn main() {
    let count = arg("--count", 1000.0) as u64;
    let rate = arg("--rate", 20.0);
    let burst_lines = arg("--burst", 1_000_000.0) as u64;
    report("browser indexing", rate, run(false, count, rate));
    report("another process indexing", rate, run(true, count, rate));
    match burst(burst_lines) {
        Ok((took, keys)) => println!(
            "burst of {burst_lines} lines in one write: the last on screen after {took:.2} s; keypress to frame meanwhile ({} samples) p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            keys.len(),
            pct(&keys, 0.5),
            pct(&keys, 0.95),
            keys.last().copied().unwrap_or(f64::NAN)
        ),
        Err(e) => println!("burst: failed: {e}"),
    }
}
