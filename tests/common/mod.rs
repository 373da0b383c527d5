//! Helpers shared by the integration tests: a scratch database and config, running the binary,
//! and locating the shared corpus (skipped with a notice where it is absent).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("config.toml"), "timezone = \"UTC\"\n").expect("config");
        Scratch { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("logdex.db")
    }

    /// `logdex` with this scratch database and a UTC config, isolated from the user's files.
    pub fn logdex(&self) -> Command {
        Command::from_std(self.command())
    }

    /// The same as a plain `std::process::Command`, for tests that spawn and kill it.
    pub fn command(&self) -> std::process::Command {
        self.command_through(&[])
    }

    /// [`command`](Self::command) run through `wrapper` (a program and its arguments, which
    /// then runs logdex), such as `setpriv` to run it as another user.
    pub fn command_through(&self, wrapper: &[&str]) -> std::process::Command {
        let logdex = assert_cmd::cargo::cargo_bin("logdex");
        let mut c = match wrapper.split_first() {
            None => std::process::Command::new(logdex),
            Some((program, args)) => {
                let mut c = std::process::Command::new(program);
                c.args(args).arg(logdex);
                c
            }
        };
        c.env("LOGDEX_DB", self.db())
            .env("LOGDEX_CONFIG", self.path("config.toml"))
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("conf"))
            .env("NO_COLOR", "1");
        c
    }

    /// Runs logdex and returns stdout, panicking with stderr on failure.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.logdex().args(args).output().expect("run logdex");
        assert!(
            out.status.success(),
            "logdex {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    pub fn stats(&self, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["stats", "--json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.run(&args)).expect("stats json")
    }

    /// Every entry, oldest first, as JSON objects.
    pub fn export(&self, extra: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["export", "--format", "ndjson"];
        args.extend_from_slice(extra);
        self.run(&args)
            .lines()
            .map(|l| serde_json::from_str(l).expect("ndjson line"))
            .collect()
    }
}

/// Child processes killed when this is dropped, so that a failing test leaves none running.
pub struct Killed(pub Vec<std::process::Child>);

impl Drop for Killed {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `../shared/<sub>` when present; otherwise prints why the test does nothing.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("notice: {} is absent; skipping this test", p.display());
        None
    }
}

/// Runs `genlogs.py` into `out` and returns its JSON summary, or None (with a notice) when
/// python3 or the generator is missing.
pub fn genlogs(out: &Path, args: &[&str]) -> Option<serde_json::Value> {
    let script = shared("bench/genlogs.py")?;
    let res = std::process::Command::new("python3")
        .arg(script)
        .arg("--out")
        .arg(out)
        .args(args)
        .output();
    match res {
        Ok(o) if o.status.success() => {
            Some(serde_json::from_slice(&o.stdout).expect("genlogs json"))
        }
        Ok(o) => panic!("genlogs failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("notice: cannot run python3 ({e}); skipping this test");
            None
        }
    }
}
