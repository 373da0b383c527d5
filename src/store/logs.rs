//! `LogRepository`: pages of entries for a filter, counts, single entries and their context.
//! Every call costs a page (plus, for text, the not-yet-indexed tail), never the history.

use std::ops::Deref;

use rusqlite::{Connection, OptionalExtension, Row};

use super::Result;
use super::connection::retry;
use super::plan::{self, Plan, Span, Walk};
use crate::model::{Level, LogEntry};
use crate::query::{Cursor, Filter, Order, PageRequest};

/// One page in display order, with the cursors to the pages on either side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub entries: Vec<LogEntry>,
    /// Continues past the last entry, in display order; None when nothing is there.
    pub next: Option<Cursor>,
    /// Goes back before the first entry; None when this is the first page.
    pub prev: Option<Cursor>,
}

pub struct LogRepository<C> {
    conn: C,
}

/// Stops what a repository's connection is running: the statement fails with an interrupt
/// error. Used to abandon a query whose answer is no longer wanted. Does nothing when the
/// connection is idle.
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

const ENTRY_COLUMNS: &str = "e.id, e.ts, e.level, e.level_raw, j.name, s.path, e.line_no, e.byte_offset, e.message, e.fields";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<LogEntry> {
    Ok(LogEntry {
        id: r.get(0)?,
        ts: r.get(1)?,
        level: r.get::<_, Option<i64>>(2)?.and_then(Level::from_code),
        level_raw: r.get(3)?,
        job: r.get(4)?,
        source: r.get(5)?,
        line: r.get::<_, i64>(6)? as u64,
        offset: r.get::<_, i64>(7)? as u64,
        message: r.get(8)?,
        fields: r.get(9)?,
    })
}

/// The walk and id bound for a page request, and whether the walk runs against display order.
fn walk_for(order: Order, cursor: Option<Cursor>) -> (Walk, Span, bool) {
    let forward = match order {
        Order::NewestFirst => Walk::Desc,
        Order::OldestFirst => Walk::Asc,
    };
    match cursor {
        None => (forward, Span::ALL, false),
        Some(Cursor::Before(c)) => (
            Walk::Desc,
            Span {
                lo: i64::MIN,
                hi: c.saturating_sub(1),
            },
            forward != Walk::Desc,
        ),
        Some(Cursor::After(c)) => (
            Walk::Asc,
            Span {
                lo: c.saturating_add(1),
                hi: i64::MAX,
            },
            forward != Walk::Asc,
        ),
    }
}

fn cursor_past(walk_of_display: Walk, id: i64) -> Cursor {
    match walk_of_display {
        Walk::Desc => Cursor::Before(id),
        Walk::Asc => Cursor::After(id),
    }
}

impl<C: Deref<Target = Connection>> LogRepository<C> {
    pub fn new(conn: C) -> Self {
        LogRepository { conn }
    }

    /// Runs `f` inside one read transaction, so that every arm of a plan sees one snapshot.
    pub(super) fn read<T>(&self, f: impl Fn(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        Ok(retry(|| {
            let tx = self.conn.unchecked_transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })?)
    }

    /// A handle that interrupts this repository's connection from another thread.
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }

    pub fn plan(&self, filter: &Filter) -> Result<Plan> {
        self.read(|c| plan::plan(c, filter))
    }

    pub fn page(&self, req: &PageRequest) -> Result<Page> {
        self.page_from(req, false).map(|(page, _)| page)
    }

    /// A page of what the full-text index already holds, and whether entries may be missing
    /// from it (those committed but not yet in the index, which [`page`](Self::page) finds by
    /// scanning: slow while an indexer runs ahead of the index). A quick first answer.
    pub fn page_indexed(&self, req: &PageRequest) -> Result<(Page, bool)> {
        self.page_from(req, true)
    }

    fn page_from(&self, req: &PageRequest, indexed_only: bool) -> Result<(Page, bool)> {
        self.read(|c| page_in(c, req, indexed_only))
    }

    /// How many entries the filter keeps.
    pub fn count(&self, filter: &Filter) -> Result<u64> {
        self.read(|c| {
            let plan = plan::plan(c, filter)?;
            if filter.text.is_none() {
                super::stats::count_structured(c, filter, &plan)
            } else {
                plan.count(c)
            }
        })
    }

    /// How many entries are older than `before` (of `sources`, or of all): what retention
    /// would delete.
    pub fn count_older(&self, before: i64, sources: Option<&[i64]>) -> Result<u64> {
        let only = match sources {
            Some([]) => return Ok(0),
            Some(ids) => format!(
                " AND source_id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            None => String::new(),
        };
        self.read(|c| {
            let range = crate::query::TimeRange {
                since: None,
                until: Some(before),
            };
            let Some(span) = plan::time_span(c, &range)? else {
                return Ok(0);
            };
            let n: i64 = c
                .prepare_cached(&format!(
                    "SELECT count(*) FROM log_entries WHERE id <= ?1 AND ts < ?2{only}"
                ))?
                .query_row(rusqlite::params![span.hi, before], |r| r.get(0))?;
            Ok(n as u64)
        })
    }

    pub fn entry(&self, id: i64) -> Result<Option<LogEntry>> {
        Ok(retry(|| {
            self.conn
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM log_entries e JOIN jobs j ON j.id = e.job_id
                     JOIN sources s ON s.id = e.source_id WHERE e.id = ?1"
                ))?
                .query_row([id], entry_from_row)
                .optional()
        })?)
    }

    /// Up to `before` and `after` entries of the same source around entry `id`, in id order,
    /// the entry itself included.
    pub fn context(&self, id: i64, before: usize, after: usize) -> Result<Vec<LogEntry>> {
        self.read(|c| {
            let Some(source): Option<i64> = c
                .prepare_cached("SELECT source_id FROM log_entries WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
            else {
                return Ok(Vec::new());
            };
            let mut ids: Vec<i64> = c
                .prepare_cached(
                    "SELECT id FROM log_entries WHERE id < ?1 AND source_id = ?2 ORDER BY id DESC LIMIT ?3",
                )?
                .query_map(rusqlite::params![id, source, before as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.reverse();
            ids.push(id);
            let later: Vec<i64> = c
                .prepare_cached(
                    "SELECT id FROM log_entries WHERE id > ?1 AND source_id = ?2 ORDER BY id ASC LIMIT ?3",
                )?
                .query_map(rusqlite::params![id, source, after as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.extend(later);
            fetch(c, &ids)
        })
    }

    /// Streams every entry the filter keeps, a page at a time: memory stays flat however many.
    pub fn for_each<E: From<super::StoreError>>(
        &self,
        filter: &Filter,
        order: Order,
        mut f: impl FnMut(LogEntry) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let mut cursor = None;
        let mut n = 0;
        loop {
            let page = self.page(&PageRequest {
                filter: filter.clone(),
                order,
                cursor,
                limit: 2000,
            })?;
            for e in page.entries {
                f(e)?;
                n += 1;
            }
            match page.next {
                Some(c) => cursor = Some(c),
                None => return Ok(n),
            }
        }
    }

    /// `EXPLAIN QUERY PLAN` of each arm of a filter's plan, for tests that pin the indexes used.
    pub fn explain(&self, filter: &Filter) -> Result<Vec<String>> {
        self.read(|c| {
            let plan = plan::plan(c, filter)?;
            let mut out = Vec::new();
            for arm in &plan.arms {
                let sql = format!("EXPLAIN QUERY PLAN {}", arm.sql(Walk::Desc));
                let mut st = c.prepare(&sql)?;
                let n = st.parameter_count();
                let params: Vec<rusqlite::types::Value> =
                    (0..n).map(|_| rusqlite::types::Value::Null).collect();
                let lines: Vec<String> = st
                    .query_map(rusqlite::params_from_iter(params), |r| {
                        r.get::<_, String>(3)
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                out.push(lines.join("\n"));
            }
            Ok(out)
        })
    }
}

/// A page for `req` inside the caller's read transaction, and whether it is partial (see
/// [`LogRepository::page_indexed`]).
pub(super) fn page_in(
    c: &Connection,
    req: &PageRequest,
    indexed_only: bool,
) -> rusqlite::Result<(Page, bool)> {
    let (walk, bound, backward) = walk_for(req.order, req.cursor);
    let limit = req.limit.max(1);
    let mut plan = plan::plan(c, &req.filter)?;
    let partial = indexed_only && !plan.pending.is_empty();
    if partial {
        plan = plan.indexed_only();
    }
    let mut ids = plan.ids(c, walk, bound, limit + 1)?;
    let more = ids.len() > limit;
    ids.truncate(limit);
    let mut entries = fetch(c, &ids)?;
    if backward {
        entries.reverse();
    }
    let display = match req.order {
        Order::NewestFirst => Walk::Desc,
        Order::OldestFirst => Walk::Asc,
    };
    let opposite = match display {
        Walk::Desc => Walk::Asc,
        Walk::Asc => Walk::Desc,
    };
    let (has_next, has_prev) = if backward {
        (true, more)
    } else {
        (more, req.cursor.is_some())
    };
    let next = entries
        .last()
        .filter(|_| has_next)
        .map(|e| cursor_past(display, e.id));
    let prev = entries
        .first()
        .filter(|_| has_prev)
        .map(|e| cursor_past(opposite, e.id));
    Ok((
        Page {
            entries,
            next,
            prev,
        },
        partial,
    ))
}

/// Full rows for ids, in the order given.
pub(super) fn fetch(c: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<LogEntry>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM log_entries e JOIN jobs j ON j.id = e.job_id
         JOIN sources s ON s.id = e.source_id WHERE e.id = ?1"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(e) = st.query_row([id], entry_from_row).optional()? {
            out.push(e);
        }
    }
    Ok(out)
}
