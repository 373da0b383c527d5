//! Keeping the view live. With sources to index, a thread takes the store's writer the way
//! `index --follow` does: while another process holds it, the thread watches that process's
//! commits and takes over when it ends (or hands the database over when a one-off command asks
//! for it); after a writer that died, the files are checked and recovered first (the browser
//! then reads the recovered database). A first pass indexes what the files hold (its end is
//! signalled), then the ingest follower reads what they gain, through rotation and truncation,
//! with the maintenance schedule (retention, checkpoints, tidying, backups) between rounds; each
//! commit is signalled. Standard input, when it is the source, is read to its end instead; on
//! quitting, the lines already read from it are committed before the process ends (what is
//! still unread in the pipe stays there: the writer upstream gets SIGPIPE when it writes next).
//! Without sources a thread only watches the database for other processes' commits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, IndexerSignal};
use crate::config::Config;
use crate::ingest::discover::expand;
use crate::ingest::follow::{FollowOptions, Follower, SourcePattern, job_log_patterns};
use crate::ingest::{IndexEvent, IndexOptions, LogIndexer, SourceSpec};
use crate::maintenance::{Schedule, recover};
use crate::store::{Changes, IngestWriter, Store, StoreError};

/// How often the database is checked for other processes' commits (a cheap read of
/// `PRAGMA data_version`; `tail` looks as often).
const POLL: Duration = Duration::from_millis(25);

/// What to index and follow, and how.
pub struct IndexJob {
    pub patterns: Vec<SourcePattern>,
    pub options: IndexOptions,
    pub follow: FollowOptions,
    /// The database file (for recovery and hand-overs) and the config (retention, backups).
    pub db: PathBuf,
    pub config: Config,
    /// Read standard input as this job (instead of the patterns).
    pub stdin: Option<String>,
    /// Follow the log paths that job definitions gain while the browser runs.
    pub job_paths: bool,
}

/// Stops the background thread when dropped (at its next look; the process may end first,
/// which loses nothing: a batch cut short is rolled back and indexed again next time).
pub struct Background {
    stop: Arc<AtomicBool>,
    /// Joined by [`Background::finish`] when what it holds cannot be read again (a pipe).
    must_finish: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Stops the thread; waits for it when it reads a pipe, so what it read is committed.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.must_finish.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Told the store to read from after the indexer recovered the database.
pub type Reopen = Box<dyn Fn(Store) + Send>;

/// Starts indexing `job` (or only watching) and reports to `tx`.
pub fn start(
    store: Store,
    job: Option<IndexJob>,
    tx: UnboundedSender<Action>,
    reopen: Reopen,
) -> Background {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let report = tx.clone();
    let pipe = job.as_ref().is_some_and(|j| j.stdin.is_some());
    let spawned = std::thread::Builder::new()
        .name("logdex-indexer".into())
        .spawn(move || {
            let run = std::panic::AssertUnwindSafe(|| match job {
                Some(job) => keep_indexed(store, &job, &tx, &flag, &reopen),
                None => watch(store.changes().ok().as_mut(), &tx, &flag, None),
            });
            // A bug here must not end indexing unseen: the screen says so.
            if let Err(p) = std::panic::catch_unwind(run) {
                let why = super::worker::panic_text(&p);
                signal(&tx, IndexerSignal::Failed(format!("internal error: {why}")));
            }
        });
    let must_finish = match spawned {
        Ok(h) => pipe.then_some(h),
        Err(e) => {
            let failed = IndexerSignal::Failed(format!("cannot start the indexer thread: {e}"));
            let _ = report.send(Action::Indexer(failed));
            None
        }
    };
    Background { stop, must_finish }
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
}

fn signal(tx: &UnboundedSender<Action>, s: IndexerSignal) {
    let _ = tx.send(Action::Indexer(s));
}

/// Indexes and follows `job` whenever this process may write, until `stop`.
pub fn keep_indexed(
    mut store: Store,
    job: &IndexJob,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
    reopen: &dyn Fn(Store),
) {
    let mut checked = false;
    let mut told = false;
    let mut changes = store.changes().ok();
    while !stop.load(Ordering::SeqCst) {
        let writer = match store.writer() {
            Ok(w) => w,
            Err(StoreError::WriterBusy { holder, .. }) => {
                // Another process indexes: show its commits, and try again in a while.
                if !told {
                    signal(tx, IndexerSignal::Waiting(holder));
                    told = true;
                }
                watch(changes.as_mut(), tx, stop, Some(Duration::from_secs(1)));
                continue;
            }
            Err(e) => {
                signal(tx, IndexerSignal::Failed(e.to_string()));
                return watch(changes.as_mut(), tx, stop, None);
            }
        };
        told = false;
        if !writer.previous_shutdown_clean() && !checked {
            // The writer before this one died: check the files before adding to them.
            checked = true;
            drop(writer);
            let backups = job.config.backup.dir_for(&job.db);
            match recover::open(&job.db, &backups, true) {
                Ok((fresh, recovered)) => {
                    if let Some(r) = recovered {
                        signal(tx, IndexerSignal::Recovered(r.to_string()));
                        reopen(fresh.clone());
                        let _ = tx.send(Action::DataChanged);
                    }
                    store = fresh;
                    changes = store.changes().ok();
                }
                Err(e) => {
                    signal(tx, IndexerSignal::Failed(e.to_string()));
                    return watch(changes.as_mut(), tx, stop, None);
                }
            }
            continue;
        }
        if let Some(name) = &job.stdin {
            let input = Box::new(std::io::stdin());
            if let Err(e) = read_pipe(writer, input, name, job, tx, stop) {
                signal(tx, IndexerSignal::Failed(e.to_string()));
            }
            return watch(changes.as_mut(), tx, stop, None);
        }
        match index_and_follow(&store, writer, job, tx, stop) {
            Ok(false) => return,
            // A one-off command asked for the database: wait until it is done.
            Ok(true) => {
                signal(tx, IndexerSignal::Waiting(" (handed over)".into()));
                told = true;
                while crate::store::writer_wanted(&job.db) && !stop.load(Ordering::SeqCst) {
                    watch(changes.as_mut(), tx, stop, Some(Duration::from_secs(1)));
                }
            }
            Err(e) => {
                signal(tx, IndexerSignal::Failed(e.to_string()));
                return watch(changes.as_mut(), tx, stop, None);
            }
        }
    }
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

/// Indexes, then follows until stopped; true when another process asked for the writer.
fn index_and_follow(
    store: &Store,
    mut writer: IngestWriter,
    job: &IndexJob,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
) -> Result<bool, Failure> {
    let send = |s: IndexerSignal| signal(tx, s);
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
    // Then what they gain, for as long as the browser runs, with the upkeep on schedule.
    let mut entries = 0u64;
    let mut schedule = Schedule::new(&job.config, &job.db);
    let wanted = AtomicBool::new(false);
    {
        let mut follower = Follower::new(
            &mut writer,
            job.options.clone(),
            job.follow.clone(),
            job.patterns.clone(),
        );
        if job.job_paths {
            follower = follower.with_more_patterns(Box::new(|| job_log_patterns(store)));
        }
        follower.run_maintained(
            &|| {
                if crate::store::writer_wanted(&job.db) {
                    wanted.store(true, Ordering::SeqCst);
                }
                stop.load(Ordering::SeqCst) || wanted.load(Ordering::SeqCst)
            },
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
            &mut |w, quiet| {
                for said in schedule.tick(w, store, quiet)? {
                    send(IndexerSignal::Said(said));
                }
                Ok(())
            },
        )?;
    }
    writer.finish()?;
    // What retention removed shows too.
    let _ = tx.send(Action::DataChanged);
    Ok(wanted.load(Ordering::SeqCst))
}

/// Indexes `input` as job `name` until it ends or `stop`, committing all it read.
fn read_pipe(
    mut writer: IngestWriter,
    input: Box<dyn std::io::Read + Send>,
    name: &str,
    job: &IndexJob,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    let send = |s: IndexerSignal| signal(tx, s);
    send(IndexerSignal::Planned { files: 1, bytes: 0 });
    let mut entries = 0u64;
    let total = crate::ingest::pipe::index_stream(
        &mut writer,
        input,
        name,
        &job.options,
        job.follow.settle,
        &|| stop.load(Ordering::SeqCst),
        &mut |ev| match ev {
            IndexEvent::Committed { count, .. } if count > 0 => {
                entries += count as u64;
                send(IndexerSignal::Committed {
                    entries,
                    bytes: 0,
                    rate: 0.0,
                });
            }
            IndexEvent::Skipped(s) => send(IndexerSignal::Skipped(s)),
            _ => {}
        },
    )?;
    writer.finish()?;
    send(IndexerSignal::Finished {
        entries: total,
        files: 1,
    });
    let _ = tx.send(Action::DataChanged);
    Ok(())
}

/// Signals other processes' commits until `stop`, or for `only` at most.
fn watch(
    mut changes: Option<&mut Changes>,
    tx: &UnboundedSender<Action>,
    stop: &AtomicBool,
    only: Option<Duration>,
) {
    let until = only.map(|d| Instant::now() + d);
    while !stop.load(Ordering::SeqCst) && until.is_none_or(|u| Instant::now() < u) {
        std::thread::sleep(POLL);
        if let Some(Ok(true)) = changes.as_deref_mut().map(Changes::changed)
            && tx.send(Action::DataChanged).is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Filter, Order, PageRequest};
    use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

    const PATIENCE: Duration = Duration::from_secs(20);

    fn job(dir: &std::path::Path, db: &std::path::Path, retention_days: Option<u32>) -> IndexJob {
        IndexJob {
            patterns: vec![SourcePattern {
                pattern: dir.join("*.log").display().to_string(),
                job: None,
                format: None,
                recursive: false,
            }],
            options: IndexOptions {
                zone: jiff::tz::TimeZone::UTC,
                ..IndexOptions::default()
            },
            follow: FollowOptions {
                poll_interval: Duration::from_millis(50),
                settle: Duration::from_millis(20),
                ..FollowOptions::default()
            },
            db: db.to_path_buf(),
            config: Config {
                retention_days,
                ..Config::default()
            },
            stdin: None,
            job_paths: false,
        }
    }

    fn messages(store: &Store) -> Vec<String> {
        let page = store
            .logs()
            .unwrap()
            .page(&PageRequest {
                filter: Filter::default(),
                order: Order::OldestFirst,
                cursor: None,
                limit: 100,
            })
            .unwrap();
        page.entries.into_iter().map(|e| e.message).collect()
    }

    /// Waits for a signal that `ok` accepts; fails with what came instead.
    fn expect(rx: &mut UnboundedReceiver<Action>, what: &str, ok: impl Fn(&IndexerSignal) -> bool) {
        let start = Instant::now();
        let mut seen = Vec::new();
        while start.elapsed() < PATIENCE {
            match rx.try_recv() {
                Ok(Action::Indexer(s)) if ok(&s) => return,
                Ok(other) => seen.push(other),
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        panic!("no {what}; got {seen:?}");
    }

    #[test]
    fn the_browsers_indexer_prunes_by_the_retention() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let now = crate::query::time::now_ms();
        let line = |ts: i64, m: &str| format!("{} INFO {m}\n", crate::display::format_ts_utc(ts));
        std::fs::write(
            dir.path().join("app.log"),
            line(now - 40 * 86_400_000, "ancient") + &line(now - 1000, "recent"),
        )
        .unwrap();
        let store = Store::open(&db).unwrap();
        let (tx, mut rx) = unbounded_channel();
        let stop = AtomicBool::new(false);
        let job = job(dir.path(), &db, Some(7));
        std::thread::scope(|s| {
            s.spawn(|| keep_indexed(store.clone(), &job, &tx, &stop, &|_| {}));
            expect(&mut rx, "first pass", |s| {
                matches!(s, IndexerSignal::Finished { .. })
            });
            let start = Instant::now();
            while messages(&store).len() != 1 && start.elapsed() < PATIENCE {
                std::thread::sleep(Duration::from_millis(20));
            }
            stop.store(true, Ordering::SeqCst);
        });
        assert_eq!(messages(&store), ["recent"]);
    }

    #[test]
    fn another_writer_is_waited_for_and_then_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        std::fs::write(
            dir.path().join("app.log"),
            "2026-11-02T10:00:00.000Z INFO one\n2026-11-02T10:00:01.000Z INFO two\n",
        )
        .unwrap();
        let store = Store::open(&db).unwrap();
        let held = store.writer().unwrap();
        let (tx, mut rx) = unbounded_channel();
        let stop = AtomicBool::new(false);
        let job = job(dir.path(), &db, None);
        std::thread::scope(|s| {
            s.spawn(|| keep_indexed(store.clone(), &job, &tx, &stop, &|_| {}));
            expect(&mut rx, "waiting", |s| {
                matches!(s, IndexerSignal::Waiting(_))
            });
            assert!(messages(&store).is_empty());
            held.finish().unwrap();
            expect(&mut rx, "the take-over", |s| {
                matches!(s, IndexerSignal::Finished { entries: 2, .. })
            });
            stop.store(true, Ordering::SeqCst);
        });
        assert_eq!(messages(&store), ["one", "two"]);
    }
}
