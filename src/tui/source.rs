//! Where the browser's entries come from: the database, or — when it cannot be used (locked,
//! damaged beyond recovery, on a read-only or full disk, in a directory that cannot be
//! written) — the log files themselves. Then the newest part of each file is read once, off the
//! UI thread, into memory merged by time ([`Snapshot`]), and every request the worker gets is
//! answered from there with the same filters. Nothing changes it afterwards: there is no
//! indexing, and following shows the newest of what was read.

use std::convert::Infallible;
use std::io::BufWriter;
use std::sync::{Arc, OnceLock};

use super::action::{Action, Loaded, Placement, Selection};
use super::effect::{Anchor, Effect};
use super::worker::{anchored, failed, next_hit};
use crate::export::{EntryWriter, ExportError};
use crate::ingest::snapshot::Snapshot;
use crate::ingest::{IndexOptions, SourceSpec};
use crate::query::{Cursor, Filter, Order, PageRequest};
use crate::store::{Page, Store};

/// Bytes read from the end of each file when the database cannot be used.
pub const DEGRADED_TAIL: u64 = 16 << 20;
/// Entries kept in memory at most (the newest), whatever the files hold.
pub const DEGRADED_ENTRIES: usize = 500_000;

/// The browser's data.
#[derive(Clone)]
pub enum Source {
    Store(Store),
    /// The files read directly, and why.
    Files(Files),
}

impl From<Store> for Source {
    fn from(store: Store) -> Source {
        Source::Store(store)
    }
}

impl Source {
    /// Why the files are read instead of the database, if they are.
    pub fn degraded(&self) -> Option<&str> {
        match self {
            Source::Store(_) => None,
            Source::Files(f) => Some(&f.reason),
        }
    }
}

/// Log files read into memory on first use.
#[derive(Clone)]
pub struct Files {
    specs: Arc<[SourceSpec]>,
    opts: IndexOptions,
    tail_bytes: u64,
    loaded: Arc<OnceLock<Snapshot>>,
    /// Why the database is not used.
    pub reason: String,
}

impl Files {
    pub fn new(specs: Vec<SourceSpec>, opts: IndexOptions, reason: impl Into<String>) -> Files {
        Files {
            specs: specs.into(),
            opts,
            tail_bytes: DEGRADED_TAIL,
            loaded: Arc::new(OnceLock::new()),
            reason: reason.into(),
        }
    }

    /// Entries already read (tests, and callers that have them at hand).
    pub fn from_snapshot(snapshot: Snapshot, reason: impl Into<String>) -> Files {
        let loaded = OnceLock::new();
        let _ = loaded.set(snapshot);
        Files {
            specs: Vec::new().into(),
            opts: IndexOptions::default(),
            tail_bytes: DEGRADED_TAIL,
            loaded: Arc::new(loaded),
            reason: reason.into(),
        }
    }

    /// The entries, read on the first call (which blocks: a worker thread's call, never the UI
    /// thread's; others asking meanwhile wait for the same read).
    pub fn snapshot(&self) -> &Snapshot {
        self.loaded.get_or_init(|| {
            Snapshot::read(&self.specs, &self.opts, self.tail_bytes, DEGRADED_ENTRIES)
        })
    }

    /// Answers one request of the worker; None for effects that are not queries.
    pub fn answer(&self, effect: Effect) -> Option<Action> {
        let generation = effect.generation();
        let s = self.snapshot();
        let loaded = match effect {
            Effect::LoadWindow {
                seq,
                filter,
                order,
                anchor,
                limit,
                placement,
            } => {
                let Ok((page, _)) = anchored(order, anchor, limit, &pages(s, &filter, order));
                Loaded::PageLoaded {
                    seq,
                    placement,
                    page,
                    partial: false,
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
            } => match s.page(&next_hit(*find, from, newer)).entries.first() {
                None => Loaded::MatchMissing { seq },
                Some(hit) => {
                    let id = hit.id;
                    let around = Anchor::Around(id);
                    let Ok((page, _)) = anchored(order, around, limit, &pages(s, &filter, order));
                    Loaded::PageLoaded {
                        seq,
                        placement: Placement::Replace(Selection::Entry(id)),
                        page,
                        partial: false,
                    }
                }
            },
            Effect::LoadStats {
                seq,
                filter,
                buckets,
            } => Loaded::StatsLoaded {
                seq,
                stats: Box::new(s.stats(&filter, buckets)),
            },
            Effect::CountMatches { seq, filter } => Loaded::MatchesCounted {
                seq,
                count: s.count(&filter),
            },
            Effect::LoadJobs { seq } => Loaded::JobsLoaded {
                seq,
                jobs: s.jobs(),
            },
            Effect::LoadSummaries { seq, now_ms } => Loaded::SummariesLoaded {
                seq,
                jobs: s.summaries(now_ms),
            },
            Effect::LoadContext {
                seq,
                id,
                before,
                after,
            } => Loaded::ContextLoaded {
                seq,
                entries: s.context(id, before, after),
            },
            Effect::Export {
                filter,
                order,
                format,
                path,
                zone,
            } => {
                let written = (|| -> Result<u64, ExportError> {
                    let file = std::fs::File::create(&path)?;
                    let mut w = EntryWriter::new(format, BufWriter::new(file), zone, false)?;
                    s.for_each(&filter, order, |e| w.write(e))?;
                    w.finish()
                })();
                match written {
                    Ok(count) => Loaded::Exported {
                        path: path.display().to_string(),
                        count,
                    },
                    Err(e) => {
                        let message = format!("export to {} failed: {e}", path.display());
                        return Some(failed(generation, message));
                    }
                }
            }
            Effect::Copy(_) | Effect::Schedule { .. } | Effect::Quit => return None,
        };
        Some(Action::Loaded(loaded))
    }
}

/// Pages of `filter` in `order`, as the window logic asks for them.
fn pages<'a>(
    s: &'a Snapshot,
    filter: &'a Filter,
    order: Order,
) -> impl Fn(Option<Cursor>, usize) -> Result<(Page, bool), Infallible> + 'a {
    move |cursor, limit| {
        let req = PageRequest {
            filter: filter.clone(),
            order,
            cursor,
            limit,
        };
        Ok((s.page(&req), false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Level, LogEntry};
    use crate::query::{SearchMode, TextQuery};

    fn files() -> Files {
        let entries = (0..20)
            .map(|i| LogEntry {
                id: 0,
                ts: i * 60_000,
                level: Some(if i % 5 == 0 {
                    Level::Error
                } else {
                    Level::Info
                }),
                level_raw: None,
                job: if i < 10 { "etl" } else { "web" }.into(),
                source: format!("/logs/{}.log", if i < 10 { "etl" } else { "web" }),
                line: 0,
                offset: 0,
                message: format!("step {i} done"),
                fields: None,
            })
            .collect();
        Files::from_snapshot(Snapshot::from_entries(entries), "locked")
    }

    fn window(f: &Files, filter: Filter, anchor: Anchor) -> Vec<i64> {
        let reply = f.answer(Effect::LoadWindow {
            seq: 3,
            filter,
            order: Order::OldestFirst,
            anchor,
            limit: 6,
            placement: Placement::Replace(Selection::Last),
        });
        match reply {
            Some(Action::Loaded(Loaded::PageLoaded { seq: 3, page, .. })) => {
                page.entries.iter().map(|e| e.id).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn windows_come_from_the_files_at_every_anchor() {
        let f = files();
        let all = Filter::default;
        assert_eq!(window(&f, all(), Anchor::Newest), [15, 16, 17, 18, 19, 20]);
        assert_eq!(window(&f, all(), Anchor::Oldest), [1, 2, 3, 4, 5, 6]);
        assert_eq!(window(&f, all(), Anchor::Around(10)), [7, 8, 9, 10, 11, 12]);
        let errors = Filter {
            levels: crate::query::LevelSet::at_least(Level::Error),
            ..Filter::default()
        };
        assert_eq!(window(&f, errors, Anchor::Newest), [1, 6, 11, 16]);
    }

    #[test]
    fn searches_counts_jobs_and_neighbours_are_answered() {
        let f = files();
        let find = Filter {
            text: Some(TextQuery::parse(SearchMode::Regex, r"step 1[2-9]").unwrap()),
            ..Filter::default()
        };
        let next = f.answer(Effect::FindNext {
            seq: 1,
            find: Box::new(find.clone()),
            filter: Filter::default(),
            order: Order::OldestFirst,
            from: 3,
            newer: true,
            limit: 4,
        });
        assert!(
            matches!(
                next,
                Some(Action::Loaded(Loaded::PageLoaded {
                    placement: Placement::Replace(Selection::Entry(13)),
                    ..
                }))
            ),
            "{next:?}"
        );
        let count = f.answer(Effect::CountMatches {
            seq: 2,
            filter: find,
        });
        assert_eq!(
            count,
            Some(Action::Loaded(Loaded::MatchesCounted { seq: 2, count: 8 }))
        );
        let Some(Action::Loaded(Loaded::JobsLoaded { jobs, .. })) =
            f.answer(Effect::LoadJobs { seq: 1 })
        else {
            panic!("no jobs");
        };
        assert_eq!(jobs.iter().map(|j| j.entries).sum::<u64>(), 20);
        let Some(Action::Loaded(Loaded::ContextLoaded { entries, .. })) =
            f.answer(Effect::LoadContext {
                seq: 1,
                id: 10,
                before: 2,
                after: 2,
            })
        else {
            panic!("no context");
        };
        // The neighbours stop at the end of entry 10's file.
        let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        assert_eq!(ids, [8, 9, 10]);
    }

    #[test]
    fn exports_write_what_was_read() {
        let f = files();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ndjson");
        let reply = f.answer(Effect::Export {
            filter: Filter::default(),
            order: Order::OldestFirst,
            format: crate::export::Format::Ndjson,
            path: path.clone(),
            zone: jiff::tz::TimeZone::UTC,
        });
        assert!(
            matches!(
                reply,
                Some(Action::Loaded(Loaded::Exported { count: 20, .. }))
            ),
            "{reply:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 20);
        let bad = f.answer(Effect::Export {
            filter: Filter::default(),
            order: Order::OldestFirst,
            format: crate::export::Format::Ndjson,
            path: dir.path().join("missing/out.ndjson"),
            zone: jiff::tz::TimeZone::UTC,
        });
        assert!(
            matches!(&bad, Some(Action::Loaded(Loaded::Failed { message, .. })) if message.contains("missing")),
            "{bad:?}"
        );
    }
}
