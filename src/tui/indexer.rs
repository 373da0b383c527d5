//! Keeping the view live. With paths to index, a thread owns the store's writer: a first pass
//! indexes everything, later passes pick up what the files gained (new files of a glob too), and
//! each commit is signalled. Without one — or when another process holds the writer — a thread
//! polls the database for commits by other connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, IndexerSignal};
use crate::ingest::{IndexEvent, IndexOptions, LogIndexer, SourceSpec};
use crate::store::{Store, StoreError};

/// How often files are checked for new lines after the first pass.
const RESCAN: Duration = Duration::from_millis(500);
/// How often the database is checked for other processes' commits.
const POLL: Duration = Duration::from_millis(500);

/// What to index: the files (recomputed each pass, so globs pick up new files) and how.
pub struct IndexJob {
    pub specs: Box<dyn Fn() -> Vec<SourceSpec> + Send>,
    pub options: IndexOptions,
}

/// Stops the background threads when dropped.
pub struct Background {
    stop: Arc<AtomicBool>,
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Starts indexing `job` (or only watching) and reports to `tx`.
pub fn start(store: Store, job: Option<IndexJob>, tx: UnboundedSender<Action>) -> Background {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let report = tx.clone();
    let spawn = std::thread::Builder::new().name("logdex-indexer".into());
    let spawned = spawn.spawn(move || match job {
        Some(job) => {
            if let Err(e) = index_forever(&store, job, &tx, &flag) {
                let busy = matches!(e, StoreError::WriterBusy { .. });
                let _ = tx.send(Action::Indexer(IndexerSignal::Failed(e.to_string())));
                if busy {
                    watch(&store, &tx, &flag);
                }
            }
        }
        None => watch(&store, &tx, &flag),
    });
    if let Err(e) = spawned {
        let failed = IndexerSignal::Failed(format!("cannot start the indexer thread: {e}"));
        let _ = report.send(Action::Indexer(failed));
    }
    Background { stop }
}

fn index_forever(
    store: &Store,
    job: IndexJob,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
) -> Result<(), StoreError> {
    let mut writer = store.writer()?;
    let mut first = true;
    while !stop.load(Ordering::SeqCst) {
        let specs = (job.specs)();
        let started = Instant::now();
        let mut committed = 0u64;
        let result = LogIndexer::new(&mut writer, job.options.clone()).index(&specs, &mut |ev| {
            let signal = match ev {
                IndexEvent::Planned { files, bytes } if first => {
                    IndexerSignal::Planned { files, bytes }
                }
                IndexEvent::Committed { count, .. } => {
                    committed += count as u64;
                    return;
                }
                // Sent right after each commit, with the bytes read so far.
                IndexEvent::Progress { bytes, entries } => {
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    IndexerSignal::Committed {
                        entries,
                        bytes,
                        rate: entries as f64 / secs,
                    }
                }
                IndexEvent::Skipped(s) if first => IndexerSignal::Skipped(s),
                IndexEvent::Planned { .. } | IndexEvent::Skipped(_) => return,
            };
            let _ = tx.send(Action::Indexer(signal));
        });
        match result {
            Ok(summary) => {
                if first || committed > 0 {
                    let _ = tx.send(Action::Indexer(IndexerSignal::Finished {
                        entries: summary.entries,
                        files: summary.files,
                    }));
                }
            }
            Err(e) => {
                let _ = tx.send(Action::Indexer(IndexerSignal::Failed(e.to_string())));
                return Ok(());
            }
        }
        first = false;
        sleep_unless_stopped(RESCAN, stop);
    }
    writer.finish()
}

fn watch(store: &Store, tx: &UnboundedSender<Action>, stop: &AtomicBool) {
    let Ok(mut watch) = store.data_watch() else {
        return;
    };
    while !stop.load(Ordering::SeqCst) {
        sleep_unless_stopped(POLL, stop);
        if let Ok(true) = watch.changed()
            && tx.send(Action::DataChanged).is_err()
        {
            return;
        }
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        slept += step;
    }
}
