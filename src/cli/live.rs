//! Commands that run until stopped: `index --follow`, `index -` (standard input) and `tail`.
//! SIGINT, SIGTERM and SIGHUP end them cleanly: the batch in hand is committed first.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};

use super::Ctx;
use super::args::{IndexArgs, OutputFormat, TailArgs};
use super::filters;
use crate::export::EntryWriter;
use crate::ingest::follow::{FollowOptions, Follower, SourcePattern, job_log_patterns};
use crate::ingest::watcher::{Wake, WatchMode};
use crate::ingest::{IndexEvent, IndexOptions};
use crate::maintenance::{Schedule, recover};
use crate::store::{IngestWriter, Store, StoreError};

/// A flag raised by SIGINT, SIGTERM or SIGHUP.
pub fn stop_flag() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, stop.clone()).context("installing a signal handler")?;
    }
    Ok(stop)
}

/// How a command waits for the writer lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// A one-off command: say so, and ask a follower holding the lock to hand it over.
    Ask,
    /// A follower: wait quietly (it takes over when the holder ends).
    Wait,
    /// A follower that says it is waiting.
    WaitAndSay,
}

/// Takes the writer, waiting while another process holds it; None when stopped first.
pub fn wait_for_writer(
    store: &Store,
    stop: &AtomicBool,
    turn: Turn,
) -> Result<Option<IngestWriter>> {
    let mut told = false;
    let say = turn != Turn::Wait;
    let mut _request = None;
    loop {
        match store.writer() {
            Ok(w) => return Ok(Some(w)),
            Err(StoreError::WriterBusy { holder, .. }) => {
                if say && !told {
                    eprintln!(
                        "logdex: another logdex process{holder} is indexing this database; waiting for it to hand over…"
                    );
                    told = true;
                }
                if turn == Turn::Ask && _request.is_none() {
                    _request = Some(crate::store::request_writer(store.path())?);
                }
            }
            Err(e) => return Err(e.into()),
        }
        for _ in 0..10 {
            if stop.load(Ordering::Relaxed) {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Opens the database to write: recovers it first when it is damaged (telling what was done),
/// waits for the writer lock, and checks the files when the writer before died.
pub fn open_for_writing(
    ctx: &Ctx,
    stop: &AtomicBool,
    turn: Turn,
) -> Result<Option<(Store, IngestWriter)>> {
    let backups = ctx.config.backup.dir_for(&ctx.paths.db);
    let (store, recovered) = recover::open(&ctx.paths.db, &backups, false)?;
    if let Some(r) = recovered {
        eprintln!("logdex: {r}");
    }
    let Some(writer) = wait_for_writer(&store, stop, turn)? else {
        return Ok(None);
    };
    if writer.previous_shutdown_clean() {
        return Ok(Some((store, writer)));
    }
    // The writer before this one died: check the files before adding to them.
    drop(writer);
    drop(store);
    let (store, recovered) = recover::open(&ctx.paths.db, &backups, true)?;
    if let Some(r) = recovered {
        eprintln!("logdex: {r}");
    }
    Ok(wait_for_writer(&store, stop, turn)?.map(|w| (store, w)))
}

pub fn index_options(ctx: &Ctx) -> IndexOptions {
    IndexOptions {
        zone: ctx.config.zone(),
        custom: ctx.config.custom_formats(),
        batch_size: ctx.config.index.batch_size,
        idle_flush: ctx.config.watch.idle_flush(),
    }
}

pub fn follow_options(ctx: &Ctx, force_poll: bool) -> FollowOptions {
    FollowOptions {
        mode: if force_poll {
            WatchMode::Poll
        } else {
            ctx.config.watch.mode
        },
        poll_interval: ctx.config.watch.poll_interval(),
        settle: ctx.config.watch.settle(),
    }
}

/// What to follow: the paths given, else the configured sources.
pub fn patterns(ctx: &Ctx, a: &IndexArgs) -> Vec<SourcePattern> {
    if a.paths.is_empty() {
        ctx.config
            .sources
            .iter()
            .map(|s| SourcePattern {
                pattern: s.path.clone(),
                job: s.job.clone(),
                format: s.format.clone(),
                recursive: a.recursive,
            })
            .collect()
    } else {
        a.paths
            .iter()
            .map(|p| SourcePattern {
                pattern: p.clone(),
                job: a.job.clone(),
                format: a.format.clone(),
                recursive: a.recursive,
            })
            .collect()
    }
}

fn warn_skipped(ev: IndexEvent) {
    if let IndexEvent::Skipped(s) = ev {
        eprintln!("logdex: warning: {}: {}", s.path, s.reason);
    }
}

/// Runs a follower on `patterns` until `stop`, waiting for the writer first; used by
/// `index --follow` and by `tail` when nothing else indexes. With `job_paths`, log paths that
/// job definitions gain meanwhile are followed too.
fn follow(
    ctx: &Ctx,
    patterns: Vec<SourcePattern>,
    force_poll: bool,
    stop: &AtomicBool,
    say: bool,
    job_paths: bool,
) -> Result<()> {
    loop {
        let handed_over = follow_once(ctx, &patterns, force_poll, stop, say, job_paths)?;
        if !handed_over || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Another process asked for the database (an import): wait until it is done.
        if say {
            eprintln!("logdex: handing the database over to another logdex process for a while");
        }
        while crate::store::writer_wanted(&ctx.paths.db) && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Follows until stopped or until another process asks for the writer (then returns true).
fn follow_once(
    ctx: &Ctx,
    patterns: &[SourcePattern],
    force_poll: bool,
    stop: &AtomicBool,
    say: bool,
    job_paths: bool,
) -> Result<bool> {
    let patterns = patterns.to_vec();
    let turn = if say { Turn::WaitAndSay } else { Turn::Wait };
    let Some((store, mut writer)) = open_for_writing(ctx, stop, turn)? else {
        return Ok(false);
    };
    let mut schedule = Schedule::new(&ctx.config, &ctx.paths.db);
    let wanted = AtomicBool::new(false);
    {
        let mut follower = Follower::new(
            &mut writer,
            index_options(ctx),
            follow_options(ctx, force_poll),
            patterns,
        );
        if job_paths {
            follower = follower.with_more_patterns(Box::new(|| job_log_patterns(&store)));
        }
        if say {
            eprintln!(
                "logdex: following {} (watching by {}); stop with Ctrl-C",
                ctx.paths.db.display(),
                follower.watch_kind()
            );
        }
        // Wake the follower as soon as a signal arrives, not at its next poll.
        let waker = follower.waker();
        let done = AtomicBool::new(false);
        let stopping = std::thread::scope(|scope| -> Result<()> {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) && !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                let _ = waker.send(Wake::Nudge);
            });
            let res = follower.run_maintained(
                &|| {
                    if crate::store::writer_wanted(&ctx.paths.db) {
                        wanted.store(true, Ordering::Relaxed);
                    }
                    stop.load(Ordering::Relaxed) || wanted.load(Ordering::Relaxed)
                },
                &mut warn_skipped,
                &mut |w, quiet| {
                    for said in schedule.tick(w, &store, quiet)? {
                        eprintln!("logdex: {said}");
                    }
                    Ok(())
                },
            );
            done.store(true, Ordering::Relaxed);
            res.map_err(Into::into)
        });
        stopping?;
    }
    writer.finish()?;
    Ok(wanted.load(Ordering::Relaxed))
}

pub fn index_follow(ctx: &Ctx, a: &IndexArgs) -> Result<()> {
    let patterns = patterns(ctx, a);
    if patterns.is_empty() {
        anyhow::bail!(
            "nothing to follow: name files, directories or globs, or add [[sources]] to the config"
        );
    }
    let stop = stop_flag()?;
    let job_paths = a.paths.is_empty() && ctx.config.jobs.follow_log_paths;
    follow(ctx, patterns, a.poll, &stop, true, job_paths)?;
    eprintln!("logdex: stopped; everything read is committed");
    Ok(())
}

pub fn index_stdin(ctx: &Ctx, a: &IndexArgs) -> Result<()> {
    let stop = stop_flag()?;
    let Some((_store, mut writer)) = open_for_writing(ctx, &stop, Turn::Ask)? else {
        return Ok(());
    };
    let job = a.job.clone().unwrap_or_else(|| "stdin".into());
    let n = crate::ingest::pipe::index_stream(
        &mut writer,
        Box::new(std::io::stdin()),
        &job,
        &index_options(ctx),
        ctx.config.watch.settle(),
        &|| stop.load(Ordering::Relaxed),
        &mut warn_skipped,
    )?;
    writer.finish()?;
    eprintln!("indexed {n} entries from standard input as job {job}");
    Ok(())
}

/// The newest entry id, or None for an empty database.
pub use crate::store::READ_MAP;

pub fn tail(ctx: &Ctx, a: &TailArgs) -> Result<()> {
    let filter = filters::build(&a.query, &a.filter, &ctx.zone)?;
    let stop = stop_flag()?;
    let store = Store::open(&ctx.paths.db)?.map_reads(READ_MAP)?;
    let format = match a.format {
        OutputFormat::Json => OutputFormat::Ndjson,
        f => f,
    };
    let stdout = std::io::stdout();
    let escape = format == OutputFormat::Text || stdout.is_terminal();
    let mut out = EntryWriter::new(
        format,
        std::io::LineWriter::new(stdout.lock()),
        ctx.zone.clone(),
        escape,
    )?;
    let mut changes = store.changes()?;
    let repo = store.logs()?;
    // Start with the last N matches, oldest first, like tail.
    let (last, mut at) = repo.follow_from(&filter, a.lines)?;
    for e in &last {
        out.write(e)?;
    }
    out.flush()?;
    std::thread::scope(|scope| -> Result<()> {
        // Index the configured sources unless another process does (or takes over if it dies).
        let indexer = (!a.no_index && !ctx.config.sources.is_empty()).then(|| {
            let patterns = patterns(
                ctx,
                &IndexArgs {
                    paths: Vec::new(),
                    follow: true,
                    poll: false,
                    job: None,
                    format: None,
                    recursive: false,
                    quiet: true,
                },
            );
            let stop = &stop;
            let job_paths = ctx.config.jobs.follow_log_paths;
            scope.spawn(move || follow(ctx, patterns, false, stop, false, job_paths))
        });
        while !stop.load(Ordering::Relaxed) {
            if changes.changed()? {
                loop {
                    let (entries, more) = repo.arrivals(&filter, &mut at, 1000)?;
                    for e in &entries {
                        out.write(e)?;
                    }
                    out.flush()?;
                    if !more {
                        break;
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        if let Some(h) = indexer {
            h.join()
                .map_err(|_| anyhow::anyhow!("the indexing thread panicked"))??;
        }
        Ok(())
    })
}
