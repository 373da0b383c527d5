//! Runs the queries the app asks for on blocking tasks, each with a pooled read connection, and
//! sends the replies back as actions. Queries go in lanes (the list, the counts, the rest), one
//! at a time per lane, so a slow count never holds up the list and a burst of requests never
//! opens a connection each. A request superseded before it starts is skipped; one superseded
//! while it runs is interrupted; one that finishes late is dropped by the app (generations).
//! The UI thread never waits on SQLite. When the database cannot be used, the same requests are
//! answered from the log files read into memory (see [`super::source`]).

use std::io::BufWriter;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Loaded, Placement, Selection};
use super::app::cursor_above;
use super::effect::{Anchor, Effect, Gen, Kind};
use super::source::Source;
use crate::export::{EntryWriter, ExportError};
use crate::query::{Cursor, Filter, Order, PageRequest};
use crate::store::{Interrupt, Page, PooledLogs, Store, StoreError};

/// A query being run, and how to stop it.
struct Running {
    token: u64,
    kind: Kind,
    seq: Gen,
    stop: Interrupt,
}

#[derive(Clone)]
pub struct Worker {
    /// Replaced when the indexer recovers a damaged database.
    source: Arc<RwLock<Source>>,
    replies: UnboundedSender<Action>,
    latest: Arc<[AtomicU64; Kind::COUNT]>,
    running: Arc<Mutex<Vec<Running>>>,
    tokens: Arc<AtomicU64>,
    lanes: Arc<[Arc<Semaphore>; 3]>,
}

/// The lane of an effect: 0 the list, 1 the counts, 2 everything else.
fn lane(effect: &Effect) -> usize {
    match effect.generation() {
        Some((Kind::Window, _)) => 0,
        Some((Kind::Stats | Kind::Matches, _)) => 1,
        _ => 2,
    }
}

impl Worker {
    /// A worker over the database, or over the files (`Source::Files`).
    pub fn new(source: impl Into<Source>, replies: UnboundedSender<Action>) -> Worker {
        Worker {
            source: Arc::new(RwLock::new(source.into())),
            replies,
            latest: Arc::new(std::array::from_fn(|_| AtomicU64::new(0))),
            running: Arc::new(Mutex::new(Vec::new())),
            tokens: Arc::new(AtomicU64::new(0)),
            lanes: Arc::new(std::array::from_fn(|_| Arc::new(Semaphore::new(1)))),
        }
    }

    /// Reads from `store` from now on (the database was recovered into a new file).
    pub fn use_store(&self, store: Store) {
        let store = store
            .clone()
            .map_reads(crate::store::READ_MAP)
            .unwrap_or(store);
        if let Ok(mut source) = self.source.write() {
            *source = Source::Store(store);
        }
    }

    /// Queues a query in its lane; the reply arrives as an action.
    pub fn submit(&self, effect: Effect) {
        let generation = effect.generation();
        if let Some((kind, seq)) = generation {
            self.latest[kind.index()].fetch_max(seq, Ordering::AcqRel);
            if let Ok(running) = self.running.lock() {
                for r in running.iter().filter(|r| r.kind == kind && r.seq < seq) {
                    r.stop.interrupt();
                }
            }
        }
        let lane = self.lanes[lane(&effect)].clone();
        let this = self.clone();
        tokio::spawn(async move {
            let Ok(_turn) = lane.acquire_owned().await else {
                return;
            };
            let _ = tokio::task::spawn_blocking(move || this.run(effect)).await;
        });
    }

    fn stale(&self, generation: Option<(Kind, Gen)>) -> bool {
        generation
            .is_some_and(|(kind, seq)| self.latest[kind.index()].load(Ordering::Acquire) != seq)
    }

    fn run(&self, effect: Effect) {
        let generation = effect.generation();
        if self.stale(generation) {
            return;
        }
        let source = match self.source.read() {
            Ok(s) => s.clone(),
            Err(_) => return,
        };
        let store = match &source {
            Source::Store(store) => store,
            Source::Files(files) => {
                let reply =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| files.answer(effect)))
                        .unwrap_or_else(|p| {
                            Some(failed(
                                generation,
                                format!("internal error: {}", panic_text(&p)),
                            ))
                        });
                if let Some(a) = reply.filter(|_| !self.stale(generation)) {
                    let _ = self.replies.send(a);
                }
                return;
            }
        };
        let reply = match store.logs() {
            Ok(repo) => {
                let token = self.tokens.fetch_add(1, Ordering::Relaxed);
                if let (Some((kind, seq)), Ok(mut running)) = (generation, self.running.lock()) {
                    running.push(Running {
                        token,
                        kind,
                        seq,
                        stop: repo.interrupt_handle(),
                    });
                }
                let mut early = |a: Action| {
                    if !self.stale(generation) {
                        let _ = self.replies.send(a);
                    }
                };
                let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    perform_on(store, &repo, effect, &mut early)
                }))
                .unwrap_or_else(|p| {
                    Some(failed(
                        generation,
                        format!("internal error: {}", panic_text(&p)),
                    ))
                });
                if let Ok(mut running) = self.running.lock() {
                    running.retain(|r| r.token != token);
                }
                reply
            }
            Err(e) => Some(failed(generation, e.to_string())),
        };
        // A superseded query's answer (or its interruption) is of no use to anyone.
        if let Some(a) = reply.filter(|_| !self.stale(generation)) {
            let _ = self.replies.send(a);
        }
    }
}

/// What a caught panic said.
pub(super) fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

pub(super) fn failed(generation: Option<(Kind, Gen)>, message: String) -> Action {
    let (kind, seq) = generation.map_or((None, 0), |(k, g)| (Some(k), g));
    Action::Loaded(Loaded::Failed { kind, seq, message })
}

/// Runs one effect on the calling thread (tests use it directly) and returns its replies: a
/// quick partial one first when there is one, then the answer. Effects that are not queries
/// give none.
pub fn perform(store: &Store, effect: Effect) -> Vec<Action> {
    let mut out = Vec::new();
    let last = match store.logs() {
        Ok(repo) => perform_on(store, &repo, effect, &mut |a| out.push(a)),
        Err(e) => Some(failed(effect.generation(), e.to_string())),
    };
    out.extend(last);
    out
}

/// Runs one effect and returns its answer; `early` gets a first, partial answer of a new
/// window while the full-text index lags behind the entries (the rest needs a slow scan).
fn perform_on(
    store: &Store,
    repo: &PooledLogs,
    effect: Effect,
    early: &mut dyn FnMut(Action),
) -> Option<Action> {
    let generation = effect.generation();
    let result: Result<Loaded, String> = match effect {
        Effect::LoadWindow {
            seq,
            filter,
            order,
            anchor,
            limit,
            placement,
        } => {
            let loaded = |page, partial| Loaded::PageLoaded {
                seq,
                placement,
                page,
                partial,
            };
            let quick = matches!(placement, Placement::Replace(_));
            match window(repo, &filter, order, anchor, limit, quick) {
                Ok((page, true)) => {
                    early(Action::Loaded(loaded(page, true)));
                    window(repo, &filter, order, anchor, limit, false)
                        .map(|(page, _)| loaded(page, false))
                        .map_err(text)
                }
                Ok((page, false)) => Ok(loaded(page, false)),
                Err(e) => Err(text(e)),
            }
        }
        Effect::FindNext {
            seq,
            find,
            filter,
            order,
            from,
            newer,
            limit,
        } => find_next(repo, *find, &filter, order, from, newer, limit, seq).map_err(text),
        Effect::LoadStats {
            seq,
            filter,
            buckets,
        } => repo
            .stats(&filter, buckets)
            .map(|s| Loaded::StatsLoaded {
                seq,
                stats: Box::new(s),
            })
            .map_err(text),
        Effect::CountMatches { seq, filter } => repo
            .count(&filter)
            .map(|count| Loaded::MatchesCounted { seq, count })
            .map_err(text),
        Effect::LoadJobs { seq } => store
            .jobs()
            .and_then(|j| j.list())
            .map(|jobs| Loaded::JobsLoaded { seq, jobs })
            .map_err(text),
        Effect::LoadSummaries { seq, now_ms } => store
            .jobs()
            .and_then(|j| j.summaries(now_ms))
            .map(|jobs| Loaded::SummariesLoaded { seq, jobs })
            .map_err(text),
        Effect::LoadContext {
            seq,
            id,
            before,
            after,
        } => repo
            .context(id, before, after)
            .map(|entries| Loaded::ContextLoaded { seq, entries })
            .map_err(text),
        Effect::Export {
            filter,
            order,
            format,
            path,
            zone,
        } => export(repo, &filter, order, format, &path, zone)
            .map(|count| Loaded::Exported {
                path: path.display().to_string(),
                count,
            })
            .map_err(|e| format!("export to {} failed: {e}", path.display())),
        Effect::Copy(_) | Effect::Schedule { .. } | Effect::Quit => return None,
    };
    Some(match result {
        Ok(l) => Action::Loaded(l),
        Err(message) => failed(generation, message),
    })
}

fn text(e: StoreError) -> String {
    e.to_string()
}

/// The rows of a window request, and whether some may be missing (`indexed_only`: what the
/// full-text index holds, without scanning what it does not hold yet).
fn window(
    repo: &PooledLogs,
    filter: &Filter,
    order: Order,
    anchor: Anchor,
    limit: usize,
    indexed_only: bool,
) -> Result<(Page, bool), StoreError> {
    anchored(order, anchor, limit, &|cursor, limit| {
        let req = PageRequest {
            filter: filter.clone(),
            order,
            cursor,
            limit,
        };
        if indexed_only {
            repo.page_indexed(&req)
        } else {
            repo.page(&req).map(|p| (p, false))
        }
    })
}

/// A page fetched from a cursor: the page, and whether entries may be missing from it.
pub(super) type PageAt<'a, E> = dyn Fn(Option<Cursor>, usize) -> Result<(Page, bool), E> + 'a;

/// The rows of a window at `anchor`, whatever the pages come from.
pub(super) fn anchored<E>(
    order: Order,
    anchor: Anchor,
    limit: usize,
    page: &PageAt<'_, E>,
) -> Result<(Page, bool), E> {
    match (anchor, order) {
        (Anchor::Newest, Order::NewestFirst) | (Anchor::Oldest, Order::OldestFirst) => {
            page(None, limit)
        }
        (Anchor::Newest, Order::OldestFirst) => page(Some(Cursor::Before(i64::MAX)), limit),
        (Anchor::Oldest, Order::NewestFirst) => page(Some(Cursor::After(i64::MIN)), limit),
        (Anchor::Below(c) | Anchor::Above(c), _) => page(Some(c), limit),
        (Anchor::Around(id), _) => {
            let half = (limit / 2).max(1);
            let (above, partial_above) = page(Some(cursor_above(order, id)), half)?;
            // Just past the entry on the other side, so that it is included.
            let through = match order {
                Order::NewestFirst => Cursor::Before(id.saturating_add(1)),
                Order::OldestFirst => Cursor::After(id.saturating_sub(1)),
            };
            let (below, partial_below) = page(Some(through), limit - half)?;
            let mut entries = above.entries;
            entries.extend(below.entries);
            let page = Page {
                entries,
                next: below.next,
                prev: above.prev,
            };
            Ok((page, partial_above || partial_below))
        }
    }
}

/// The request for the first entry of `find` past entry `from`.
pub(super) fn next_hit(find: Filter, from: i64, newer: bool) -> PageRequest {
    PageRequest {
        filter: find,
        order: if newer {
            Order::OldestFirst
        } else {
            Order::NewestFirst
        },
        cursor: Some(if newer {
            Cursor::After(from)
        } else {
            Cursor::Before(from)
        }),
        limit: 1,
    }
}

#[allow(clippy::too_many_arguments)]
fn find_next(
    repo: &PooledLogs,
    find: Filter,
    filter: &Filter,
    order: Order,
    from: i64,
    newer: bool,
    limit: usize,
    seq: u64,
) -> Result<Loaded, StoreError> {
    let hit = repo.page(&next_hit(find, from, newer))?;
    let Some(id) = hit.entries.first().map(|e| e.id) else {
        return Ok(Loaded::MatchMissing { seq });
    };
    let (page, _) = window(repo, filter, order, Anchor::Around(id), limit, false)?;
    Ok(Loaded::PageLoaded {
        seq,
        placement: Placement::Replace(Selection::Entry(id)),
        page,
        partial: false,
    })
}

fn export(
    repo: &PooledLogs,
    filter: &Filter,
    order: Order,
    format: crate::export::Format,
    path: &std::path::Path,
    zone: jiff::tz::TimeZone,
) -> Result<u64, ExportError> {
    let file = std::fs::File::create(path)?;
    let mut w = EntryWriter::new(format, BufWriter::new(file), zone, false)?;
    repo.for_each(filter, order, |e| w.write(&e))?;
    w.finish()
}
