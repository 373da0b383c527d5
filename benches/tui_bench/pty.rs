//! The real binary in a pseudo-terminal: time to the first frame with data, and the peak
//! memory of a browsing session.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Running {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    started: Instant,
    _home: tempfile::TempDir,
}

impl Running {
    fn start(db: &Path) -> Result<Running, String> {
        let home = tempfile::tempdir().map_err(|e| e.to_string())?;
        let config = home.path().join("config.toml");
        std::fs::write(&config, "timezone = \"UTC\"\n").map_err(|e| e.to_string())?;
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 48,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| e.to_string())?;
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_logdex"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.arg("--config");
        cmd.arg(&config);
        cmd.env("HOME", home.path());
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(home.path());
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().map_err(|e| e.to_string())?;
        let writer = pty.master.take_writer().map_err(|e| e.to_string())?;
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(48).ok_or("rows")?,
            std::num::NonZeroU16::new(160).ok_or("cols")?,
            0,
        )));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = sink.lock() {
                    s.process(&buf[..n]);
                }
            }
        });
        Ok(Running {
            child,
            writer,
            screen,
            started,
            _home: home,
        })
    }

    fn contents(&self) -> String {
        self.screen
            .lock()
            .map(|s| s.screen().contents())
            .unwrap_or_default()
    }

    /// Time from spawn until the screen shows `text`.
    fn wait_for(&self, text: &str) -> Result<Duration, String> {
        let deadline = Duration::from_secs(60);
        loop {
            if self.contents().contains(text) {
                return Ok(self.started.elapsed());
            }
            if self.started.elapsed() > deadline {
                return Err(format!("no {text:?} on screen:\n{}", self.contents()));
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    fn keys(&mut self, keys: &str) -> Result<(), String> {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|_| self.writer.flush())
            .map_err(|e| e.to_string())
    }

    fn peak_rss_kib(&self) -> Result<u64, String> {
        let pid = self.child.process_id().ok_or("no pid")?;
        let status =
            std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| "no VmHWM".to_string())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawn-to-first-entry times of `runs` starts, sorted.
pub fn first_frames(db: &Path, runs: usize) -> Result<Vec<Duration>, String> {
    let mut out = Vec::new();
    for _ in 0..runs {
        let mut r = Running::start(db)?;
        // The selection marker is drawn only once a page of entries is on screen.
        out.push(r.wait_for("▶")?);
        r.keys("q")?;
        let _ = r.child.wait();
    }
    out.sort();
    Ok(out)
}

/// VmHWM (KiB) after scrolling, paging, toggling levels, searching and opening panes.
pub fn peak_rss_while_browsing(db: &Path) -> Result<u64, String> {
    let mut r = Running::start(db)?;
    r.wait_for("▶")?;
    let pause = |ms| std::thread::sleep(Duration::from_millis(ms));
    r.keys("g")?;
    pause(300);
    for _ in 0..60 {
        r.keys("\x1b[6~")?; // page down
        pause(20);
    }
    for k in ["G", "+", "+", "+", "-", "-", "-", "o", "o", "E", "E", "e"] {
        r.keys(k)?;
        pause(150);
    }
    for c in "/timeout upstream".chars() {
        r.keys(&c.to_string())?;
        pause(80);
    }
    r.keys("\r")?;
    pause(500);
    for k in ["N", "N", "\r", "c"] {
        r.keys(k)?;
        pause(300);
    }
    r.keys("\x1b")?;
    pause(200);
    r.keys("\x1b")?;
    pause(200);
    for k in ["s", "l", "l", "l", "\t", " ", "\t", "\t"] {
        r.keys(k)?;
        pause(200);
    }
    pause(1000);
    let rss = r.peak_rss_kib()?;
    r.keys("q")?;
    Ok(rss)
}
