//! Entries in the order they reach the database, for followers (`tail`): the ids after a
//! cursor, plus the late entries (placed below the cursor because their time is older; see the
//! `late_entries` table). Each call reads one snapshot, so nothing is printed twice or skipped.

use std::ops::Deref;

use rusqlite::Connection;

use super::Result;
use super::logs::{LogRepository, fetch, page_in};
use crate::model::LogEntry;
use crate::query::{Cursor, Filter, Order, PageRequest};

/// Where a follower is: every entry up to `after` and every late entry up to `late_seq` has
/// been seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArrivalCursor {
    after: Option<i64>,
    late_seq: i64,
}

fn newest_id(c: &Connection) -> rusqlite::Result<Option<i64>> {
    c.query_row("SELECT max(id) FROM log_entries", [], |r| r.get(0))
}

fn newest_late(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT coalesce(max(seq), 0) FROM late_entries", [], |r| {
        r.get(0)
    })
}

impl<C: Deref<Target = Connection>> LogRepository<C> {
    /// The last `n` entries the filter keeps, oldest first, and the cursor just after everything
    /// stored now: what `tail -n N` prints before it follows.
    pub fn follow_from(&self, filter: &Filter, n: usize) -> Result<(Vec<LogEntry>, ArrivalCursor)> {
        self.read(|c| {
            let at = ArrivalCursor {
                after: newest_id(c)?,
                late_seq: newest_late(c)?,
            };
            let mut last = Vec::new();
            if n > 0 {
                let req = PageRequest {
                    filter: filter.clone(),
                    order: Order::NewestFirst,
                    cursor: None,
                    limit: n,
                };
                last = page_in(c, &req, false)?.0.entries;
                last.reverse();
            }
            Ok((last, at))
        })
    }

    /// Up to about `limit` entries that the filter keeps and that arrived after `at`, in
    /// arrival order, and whether more are waiting. Moves `at` past what it returns (and past
    /// entries the filter leaves out).
    pub fn arrivals(
        &self,
        filter: &Filter,
        at: &mut ArrivalCursor,
        limit: usize,
    ) -> Result<(Vec<LogEntry>, bool)> {
        let limit = limit.max(1);
        let (out, next, more) = self.read(|c| {
            let mut next = *at;
            // Late entries first: while some remain, the id cursor must not move, or a late
            // entry between the old and the new cursor would be printed twice.
            let late: Vec<(i64, i64)> = c
                .prepare_cached(
                    "SELECT seq, id FROM late_entries WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                )?
                .query_map(rusqlite::params![at.late_seq, limit as i64 + 1], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let late_more = late.len() > limit;
            let late = &late[..late.len().min(limit)];
            if let Some((seq, _)) = late.last() {
                next.late_seq = *seq;
            }
            // Late ids above the cursor are still ahead of it: the walk below meets them.
            let below: Vec<i64> = late
                .iter()
                .map(|(_, id)| *id)
                .filter(|id| at.after.is_some_and(|a| *id <= a))
                .collect();
            let mut out: Vec<LogEntry> = fetch(c, &below)?
                .into_iter()
                .filter(|e| filter.keeps(e))
                .collect();
            if late_more {
                return Ok((out, next, true));
            }
            let horizon = newest_id(c)?;
            let req = PageRequest {
                filter: filter.clone(),
                order: Order::OldestFirst,
                cursor: at.after.map(Cursor::After),
                limit,
            };
            let page = page_in(c, &req, false)?.0;
            let more = page.next.is_some();
            next.after = if more {
                page.entries.last().map(|e| e.id).or(at.after)
            } else {
                // Entries the filter leaves out move the cursor too, up to this snapshot.
                at.after.max(horizon)
            };
            out.extend(page.entries);
            Ok((out, next, more))
        })?;
        *at = next;
        Ok((out, more))
    }
}
