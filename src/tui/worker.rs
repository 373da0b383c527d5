//! Runs the queries the app asks for on blocking tasks, each with a pooled read connection, and
//! sends the replies back as actions. A request that a newer one of its kind has superseded
//! before it started is skipped; one that finishes late is dropped by the app (generations).
//! The UI thread never waits on SQLite.

use std::io::BufWriter;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Loaded, Placement, Selection};
use super::app::cursor_above;
use super::effect::{Anchor, Effect, Kind};
use crate::export::{EntryWriter, ExportError};
use crate::query::{Cursor, Filter, Order, PageRequest};
use crate::store::{Page, Store, StoreError};

#[derive(Clone)]
pub struct Worker {
    store: Store,
    replies: UnboundedSender<Action>,
    latest: Arc<[AtomicU64; Kind::COUNT]>,
}

impl Worker {
    pub fn new(store: Store, replies: UnboundedSender<Action>) -> Worker {
        Worker {
            store,
            replies,
            latest: Arc::new(std::array::from_fn(|_| AtomicU64::new(0))),
        }
    }

    /// Starts a query on a blocking task; the reply arrives as an action.
    pub fn submit(&self, effect: Effect) {
        let generation = effect.generation();
        if let Some((kind, seq)) = generation {
            self.latest[kind.index()].fetch_max(seq, Ordering::AcqRel);
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            if let Some((kind, seq)) = generation
                && this.latest[kind.index()].load(Ordering::Acquire) != seq
            {
                return;
            }
            let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                perform(&this.store, effect)
            }))
            .unwrap_or_else(|p| {
                let what = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".into());
                let (kind, seq) = generation.map_or((None, 0), |(k, g)| (Some(k), g));
                Some(Action::Loaded(Loaded::Failed {
                    kind,
                    seq,
                    message: format!("internal error: {what}"),
                }))
            });
            if let Some(a) = reply {
                let _ = this.replies.send(a);
            }
        });
    }
}

/// Runs one effect to its reply, on the calling thread. Effects that are not queries give None.
pub fn perform(store: &Store, effect: Effect) -> Option<Action> {
    let generation = effect.generation();
    let result: Result<Loaded, String> = match effect {
        Effect::LoadWindow {
            seq,
            filter,
            order,
            anchor,
            limit,
            placement,
        } => window(store, &filter, order, anchor, limit)
            .map(|page| Loaded::PageLoaded {
                seq,
                placement,
                page,
            })
            .map_err(text),
        Effect::FindNext {
            seq,
            find,
            filter,
            order,
            from,
            newer,
            limit,
        } => find_next(store, *find, &filter, order, from, newer, limit, seq).map_err(text),
        Effect::LoadStats {
            seq,
            filter,
            buckets,
        } => store
            .logs()
            .and_then(|r| r.stats(&filter, buckets))
            .map(|s| Loaded::StatsLoaded {
                seq,
                stats: Box::new(s),
            })
            .map_err(text),
        Effect::CountMatches { seq, filter } => store
            .logs()
            .and_then(|r| r.count(&filter))
            .map(|count| Loaded::MatchesCounted { seq, count })
            .map_err(text),
        Effect::LoadJobs { seq } => store
            .jobs()
            .and_then(|j| j.list())
            .map(|jobs| Loaded::JobsLoaded { seq, jobs })
            .map_err(text),
        Effect::LoadContext {
            seq,
            id,
            before,
            after,
        } => store
            .logs()
            .and_then(|r| r.context(id, before, after))
            .map(|entries| Loaded::ContextLoaded { seq, entries })
            .map_err(text),
        Effect::Export {
            filter,
            order,
            format,
            path,
            zone,
        } => export(store, &filter, order, format, &path, zone)
            .map(|count| Loaded::Exported {
                path: path.display().to_string(),
                count,
            })
            .map_err(|e| format!("export to {} failed: {e}", path.display())),
        Effect::Copy(_) | Effect::Schedule { .. } | Effect::Quit => return None,
    };
    Some(Action::Loaded(result.unwrap_or_else(|message| {
        let (kind, seq) = generation.map_or((None, 0), |(k, g)| (Some(k), g));
        Loaded::Failed { kind, seq, message }
    })))
}

fn text(e: StoreError) -> String {
    e.to_string()
}

/// The rows of a window request.
fn window(
    store: &Store,
    filter: &Filter,
    order: Order,
    anchor: Anchor,
    limit: usize,
) -> Result<Page, StoreError> {
    let repo = store.logs()?;
    let page = |cursor: Option<Cursor>, limit: usize| {
        repo.page(&PageRequest {
            filter: filter.clone(),
            order,
            cursor,
            limit,
        })
    };
    match (anchor, order) {
        (Anchor::Newest, Order::NewestFirst) | (Anchor::Oldest, Order::OldestFirst) => {
            page(None, limit)
        }
        (Anchor::Newest, Order::OldestFirst) => page(Some(Cursor::Before(i64::MAX)), limit),
        (Anchor::Oldest, Order::NewestFirst) => page(Some(Cursor::After(i64::MIN)), limit),
        (Anchor::Below(c) | Anchor::Above(c), _) => page(Some(c), limit),
        (Anchor::Around(id), _) => {
            let half = (limit / 2).max(1);
            let above = page(Some(cursor_above(order, id)), half)?;
            // Just past the entry on the other side, so that it is included.
            let through = match order {
                Order::NewestFirst => Cursor::Before(id.saturating_add(1)),
                Order::OldestFirst => Cursor::After(id.saturating_sub(1)),
            };
            let below = page(Some(through), limit - half)?;
            let mut entries = above.entries;
            entries.extend(below.entries);
            Ok(Page {
                entries,
                next: below.next,
                prev: above.prev,
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn find_next(
    store: &Store,
    find: Filter,
    filter: &Filter,
    order: Order,
    from: i64,
    newer: bool,
    limit: usize,
    seq: u64,
) -> Result<Loaded, StoreError> {
    let hit = store.logs()?.page(&PageRequest {
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
    })?;
    let Some(id) = hit.entries.first().map(|e| e.id) else {
        return Ok(Loaded::MatchMissing { seq });
    };
    let page = window(store, filter, order, Anchor::Around(id), limit)?;
    Ok(Loaded::PageLoaded {
        seq,
        placement: Placement::Replace(Selection::Entry(id)),
        page,
    })
}

fn export(
    store: &Store,
    filter: &Filter,
    order: Order,
    format: crate::export::Format,
    path: &std::path::Path,
    zone: jiff::tz::TimeZone,
) -> Result<u64, ExportError> {
    let file = std::fs::File::create(path)?;
    let mut w = EntryWriter::new(format, BufWriter::new(file), zone, false)?;
    store.logs()?.for_each(filter, order, |e| w.write(&e))?;
    w.finish()
}
