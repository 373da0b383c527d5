//! Folds the write-ahead logs into their files from a thread of its own, so that the writer
//! never waits for it: with readers always present a log cannot be reset often, and a writer
//! that checkpointed after its commits would pay for every attempt.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// Logs larger than this are folded in.
const FOLD_ABOVE: u64 = 32 << 20;
const EVERY: Duration = Duration::from_millis(250);

pub(super) struct Checkpointer {
    /// Dropped to stop the thread at once, not at its next look.
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

fn wal_size(db: &Path) -> u64 {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    std::fs::metadata(PathBuf::from(s)).map_or(0, |m| m.len())
}

impl Checkpointer {
    pub fn start(files: Vec<PathBuf>) -> Checkpointer {
        let (stop, stopped) = channel::<()>();
        let thread = std::thread::Builder::new()
            .name("logdex-checkpoint".into())
            .spawn(move || {
                crate::priority::background_thread();
                let conns: Vec<(PathBuf, Connection)> = files
                    .into_iter()
                    .filter_map(|f| {
                        let c = Connection::open(&f).ok()?;
                        c.busy_timeout(Duration::from_millis(100)).ok()?;
                        Some((f, c))
                    })
                    .collect();
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    for (path, c) in &conns {
                        if wal_size(path) > FOLD_ABOVE {
                            // PASSIVE: copies what no reader still needs; never blocks anyone.
                            let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                        }
                    }
                }
            })
            .ok();
        Checkpointer {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
