//! Tells the follower when to look at its files: file-system events (inotify through `notify`)
//! where the kernel delivers them, polling where it does not (network file systems, FUSE), and a
//! steady poll under both so that a missed event costs a poll interval, never a line. The only
//! module that uses `notify`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

/// How changes are noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    /// Events where the file system delivers them, polling elsewhere.
    #[default]
    Auto,
    /// Always file-system events (with the steady poll underneath).
    Events,
    /// Only polling.
    Poll,
}

/// Why the follower woke up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Data changed in a file.
    Data,
    /// Files appeared, disappeared or were renamed: look for new ones.
    Files,
    /// Asked to stop (or to look again) from outside.
    Nudge,
}

/// A running watch. Dropping it stops the events.
pub struct Watch {
    watcher: Option<Box<dyn Watcher + Send>>,
    rx: Receiver<Wake>,
    tx: Sender<Wake>,
    /// `"events"` or `"poll"`: what is in use.
    pub kind: &'static str,
}

/// File systems whose changes made on other machines produce no local events.
fn remote_fs(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        const CIFS: i64 = 0xFF53_4D42;
        const SMB2: i64 = 0xFE53_4D42;
        use nix::sys::statfs::{FUSE_SUPER_MAGIC, NFS_SUPER_MAGIC, SMB_SUPER_MAGIC, statfs};
        if let Ok(st) = statfs(path) {
            let t = st.filesystem_type();
            #[allow(clippy::unnecessary_cast)]
            let raw = t.0 as i64;
            return t == NFS_SUPER_MAGIC
                || t == SMB_SUPER_MAGIC
                || t == FUSE_SUPER_MAGIC
                || raw == CIFS
                || raw == SMB2;
        }
        false
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}

impl Watch {
    /// Watches `dirs` (each non-recursively unless listed in `recursive`).
    pub fn start(dirs: &[PathBuf], recursive: &[PathBuf], mode: WatchMode) -> Watch {
        let (tx, rx) = channel();
        let use_events = match mode {
            WatchMode::Poll => false,
            WatchMode::Events => true,
            WatchMode::Auto => !dirs.iter().chain(recursive).any(|d| remote_fs(d)),
        };
        let mut kind = "poll";
        let mut watcher: Option<Box<dyn Watcher + Send>> = None;
        if use_events {
            let events = tx.clone();
            let made = notify::RecommendedWatcher::new(
                move |res: notify::Result<notify::Event>| {
                    if let Ok(ev) = res {
                        let wake = match ev.kind {
                            EventKind::Create(_) | EventKind::Remove(_) => Wake::Files,
                            EventKind::Modify(notify::event::ModifyKind::Name(_)) => Wake::Files,
                            EventKind::Access(_) => return,
                            _ => Wake::Data,
                        };
                        let _ = events.send(wake);
                    }
                },
                notify::Config::default(),
            );
            if let Ok(mut w) = made {
                let mut ok = true;
                for d in dirs {
                    ok &= w.watch(d, RecursiveMode::NonRecursive).is_ok();
                }
                for d in recursive {
                    ok &= w.watch(d, RecursiveMode::Recursive).is_ok();
                }
                if ok || mode == WatchMode::Events {
                    kind = "events";
                    watcher = Some(Box::new(w));
                }
            }
        }
        Watch {
            watcher,
            rx,
            tx,
            kind,
        }
    }

    /// Watches one more directory (non-recursively), when events are in use; a polling watch
    /// finds what is new there anyway.
    pub fn add(&mut self, dir: &Path) {
        if let Some(w) = &mut self.watcher {
            let _ = w.watch(dir, RecursiveMode::NonRecursive);
        }
    }

    /// A handle that wakes the follower from another thread.
    pub fn waker(&self) -> Sender<Wake> {
        self.tx.clone()
    }

    /// Waits up to `timeout` for something to happen; returns what did (all pending wakes
    /// folded: `Files` wins over `Data`), or None on timeout.
    pub fn wait(&self, timeout: Duration) -> Option<Wake> {
        let first = match self.rx.recv_timeout(timeout) {
            Ok(w) => w,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => return Some(Wake::Nudge),
        };
        let mut wake = first;
        while let Ok(w) = self.rx.try_recv() {
            if w == Wake::Files || wake == Wake::Data {
                wake = w;
            }
        }
        Some(wake)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_arrive_for_new_and_grown_files() {
        let dir = tempfile::tempdir().unwrap();
        let w = Watch::start(&[dir.path().to_path_buf()], &[], WatchMode::Events);
        assert_eq!(w.kind, "events");
        std::fs::write(dir.path().join("a.log"), "x\n").unwrap();
        assert!(w.wait(Duration::from_secs(5)).is_some());
        let polled = Watch::start(&[dir.path().to_path_buf()], &[], WatchMode::Poll);
        assert_eq!(polled.kind, "poll");
        assert_eq!(polled.wait(Duration::from_millis(20)), None);
        polled.waker().send(Wake::Nudge).unwrap();
        assert_eq!(polled.wait(Duration::from_millis(20)), Some(Wake::Nudge));
    }
}
