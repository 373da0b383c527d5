//! Keeping the view live. With sources to index, a thread owns the store's writer: a first pass
//! indexes what the files hold (its end is signalled), then the ingest follower reads what they
//! gain, through rotation and truncation, and each commit is signalled. Without sources — or
//! when another process holds the writer — a thread watches the database for commits by other
//! connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, IndexerSignal};
use crate::ingest::discover::expand;
use crate::ingest::follow::{FollowOptions, Follower, SourcePattern};
use crate::ingest::{IndexEvent, IndexOptions, LogIndexer, SourceSpec};
use crate::store::{Store, StoreError};

/// How often the database is checked for other processes' commits.
const POLL: Duration = Duration::from_millis(500);

/// What to index and follow, and how.
pub struct IndexJob {
    pub patterns: Vec<SourcePattern>,
    pub options: IndexOptions,
    pub follow: FollowOptions,
}

/// Stops the background thread when dropped (at its next look; the process may end first,
/// which loses nothing: a batch cut short is rolled back and indexed again next time).
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
    let spawned = std::thread::Builder::new()
        .name("logdex-indexer".into())
        .spawn(move || match job {
            Some(job) => {
                if let Err(e) = index_and_follow(&store, job, &tx, &flag) {
                    let busy = matches!(e, Failure::Store(StoreError::WriterBusy { .. }));
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

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
}

/// The files the patterns name now.
fn specs(patterns: &[SourcePattern]) -> Vec<SourceSpec> {
    let mut out = Vec::new();
    for p in patterns {
        let (mut files, mut skipped) = (Vec::new(), Vec::new());
        expand(&p.pattern, p.recursive, &mut files, &mut skipped);
        out.extend(files.into_iter().map(|path| SourceSpec {
            path,
            job: p.job.clone(),
            format: p.format.clone(),
        }));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

fn index_and_follow(
    store: &Store,
    job: IndexJob,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    let mut writer = store.writer()?;
    let send = |s: IndexerSignal| {
        let _ = tx.send(Action::Indexer(s));
    };
    // The first pass, with progress: what the files hold now.
    let started = Instant::now();
    let summary = LogIndexer::new(&mut writer, job.options.clone()).index(
        &specs(&job.patterns),
        &mut |ev| match ev {
            IndexEvent::Planned { files, bytes } => send(IndexerSignal::Planned { files, bytes }),
            IndexEvent::Progress { bytes, entries } => send(IndexerSignal::Committed {
                entries,
                bytes,
                rate: entries as f64 / started.elapsed().as_secs_f64().max(1e-3),
            }),
            IndexEvent::Skipped(s) => send(IndexerSignal::Skipped(s)),
            IndexEvent::Committed { .. } => {}
        },
    )?;
    send(IndexerSignal::Finished {
        entries: summary.entries,
        files: summary.files,
    });
    // Then what they gain, for as long as the browser runs.
    let mut entries = 0u64;
    Follower::new(&mut writer, job.options, job.follow, job.patterns).run(
        &|| stop.load(Ordering::SeqCst),
        &mut |ev| {
            if let IndexEvent::Committed { count, .. } = ev
                && count > 0
            {
                entries += count as u64;
                send(IndexerSignal::Committed {
                    entries,
                    bytes: 0,
                    rate: 0.0,
                });
            }
        },
    )?;
    writer.finish()?;
    Ok(())
}

fn watch(store: &Store, tx: &UnboundedSender<Action>, stop: &AtomicBool) {
    let Ok(mut changes) = store.changes() else {
        return;
    };
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        if let Ok(true) = changes.changed()
            && tx.send(Action::DataChanged).is_err()
        {
            return;
        }
    }
}
