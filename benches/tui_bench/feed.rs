//! Keeps an indexer busy while keys are timed: rounds of fresh genlogs files, each dated after
//! the last, indexed back to back by `LogIndexer` into a scratch copy of the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use logdex::ingest::{IndexOptions, LogIndexer, SourceSpec};
use logdex::store::Store;

const LINES_PER_ROUND: &str = "1000000";

pub struct ScratchCopy {
    dir: tempfile::TempDir,
}

impl ScratchCopy {
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("bench.db")
    }
}

/// Copies the database (both files) so the feed does not grow the original.
pub fn scratch_copy(db: &Path) -> Result<ScratchCopy, String> {
    let parent = super::bench_dir();
    std::fs::create_dir_all(&parent).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir_in(&parent).map_err(|e| e.to_string())?;
    let fts = logdex::store::fts_path_for(db);
    let copy = ScratchCopy { dir };
    let target = copy.db();
    for (from, to) in [
        (db.to_path_buf(), target.clone()),
        (fts, logdex::store::fts_path_for(&target)),
    ] {
        std::fs::copy(&from, &to).map_err(|e| format!("copy {}: {e}", from.display()))?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", from.display()));
            if side.exists() {
                let to = PathBuf::from(format!("{}{suffix}", to.display()));
                std::fs::copy(&side, &to).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(copy)
}

pub struct Feed {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
    _files: tempfile::TempDir,
}

impl Feed {
    /// Stops after the round in progress; returns how many entries were written while running.
    pub fn stop(self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        let n = self.written.load(Ordering::SeqCst);
        let _ = self.thread.join();
        n
    }
}

/// Generates `rounds` corpora, then starts indexing them one after another.
pub fn start(store: &Store, rounds: usize) -> Result<Feed, String> {
    let last = store
        .logs()
        .and_then(|l| l.stats(&Default::default(), 1))
        .map_err(|e| e.to_string())?
        .last_ts
        .unwrap_or(0);
    let files = tempfile::tempdir_in(super::bench_dir()).map_err(|e| e.to_string())?;
    let mut dirs = Vec::new();
    eprintln!("generating {rounds} rounds of {LINES_PER_ROUND} lines for the indexer…");
    for round in 0..rounds {
        let end = jiff::Timestamp::from_millisecond(last + (round as i64 + 2) * 86_400_000)
            .map_err(|e| e.to_string())?
            .strftime("%Y-%m-%dT00:00:00Z")
            .to_string();
        let dir = files.path().join(format!("round-{round}"));
        let status = std::process::Command::new("python3")
            .arg(super::shared("bench/genlogs.py"))
            .arg("--out")
            .arg(&dir)
            .args(["--lines", LINES_PER_ROUND, "--jobs", "4", "--days", "1"])
            .args(["--seed", &format!("feed{round}"), "--end", &end])
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("genlogs: {e}"))?;
        if !status.success() {
            return Err("genlogs failed".into());
        }
        dirs.push(dir);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let (stop2, written2, store) = (stop.clone(), written.clone(), store.clone());
    let thread = std::thread::spawn(move || {
        let mut writer = match store.writer() {
            Ok(w) => w,
            Err(e) => {
                eprintln!("the feed cannot take the writer: {e}");
                return;
            }
        };
        let opts = IndexOptions {
            zone: jiff::tz::TimeZone::UTC,
            ..IndexOptions::default()
        };
        for dir in dirs {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let mut specs: Vec<SourceSpec> = Vec::new();
            let (mut paths, mut skipped) = (Vec::new(), Vec::new());
            logdex::ingest::discover::expand(
                &dir.to_string_lossy(),
                false,
                &mut paths,
                &mut skipped,
            );
            specs.extend(paths.into_iter().map(|path| SourceSpec {
                path,
                job: None,
                format: None,
            }));
            let mut indexer = LogIndexer::new(&mut writer, opts.clone());
            let _ = indexer.index(&specs, &mut |ev| {
                if let logdex::ingest::IndexEvent::Committed { count, .. } = ev
                    && !stop2.load(Ordering::SeqCst)
                {
                    written2.fetch_add(count as u64, Ordering::SeqCst);
                }
            });
        }
    });
    Ok(Feed {
        stop,
        written,
        thread,
        _files: files,
    })
}
