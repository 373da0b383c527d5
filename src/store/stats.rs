//! Statistics for a filter: counts per level and per job, first and last time, and a histogram
//! whose bucket width follows the range. Without a text search they come from the hourly counts
//! kept at indexing time (only partial boundary hours are counted from entries); with one, from a
//! single pass over the matches.

use std::collections::HashMap;
use std::ops::Deref;

use rusqlite::{Connection, params};

use super::Result;
use super::logs::LogRepository;
use super::plan::{self, Plan, Span, Walk};
use crate::model::Level;
use crate::query::Filter;

const HOUR_MS: i64 = 3_600_000;
/// Ranges with at most this many entries get buckets finer than an hour, counted from entries.
const FINE_SCAN_LIMIT: u64 = 250_000;

/// Bucket widths a histogram may use, in ms.
const WIDTHS: &[i64] = &[
    1_000,
    5_000,
    10_000,
    30_000,
    60_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    HOUR_MS,
    2 * HOUR_MS,
    3 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    24 * HOUR_MS,
    2 * 24 * HOUR_MS,
    7 * 24 * HOUR_MS,
    30 * 24 * HOUR_MS,
    365 * 24 * HOUR_MS,
];

/// Counts per level in one histogram bucket; index 0 is "unknown level", 1..=6 the levels.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bucket {
    pub start: i64,
    pub counts: [u64; 7],
}

impl Bucket {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub total: u64,
    /// Index 0 is unknown level, 1..=6 the levels in order of severity.
    pub levels: [u64; 7],
    /// Job name and count, largest first.
    pub jobs: Vec<(String, u64)>,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub bucket_ms: i64,
    pub buckets: Vec<Bucket>,
}

impl Stats {
    pub fn level_count(&self, level: Option<Level>) -> u64 {
        self.levels[level.map_or(0, |l| l.code() as usize)]
    }
}

/// The smallest listed width that splits `span_ms` into at most `max` buckets.
fn width_for(span_ms: i64, max: usize, at_least: i64) -> i64 {
    let max = max.max(1) as i64;
    WIDTHS
        .iter()
        .copied()
        .find(|w| *w >= at_least && span_ms / w < max)
        .unwrap_or(*WIDTHS.last().unwrap_or(&HOUR_MS))
}

struct Acc {
    levels: [u64; 7],
    jobs: HashMap<i64, u64>,
    buckets: HashMap<i64, [u64; 7]>,
    width: i64,
}

impl Acc {
    fn new(width: i64) -> Acc {
        Acc {
            levels: [0; 7],
            jobs: HashMap::new(),
            buckets: HashMap::new(),
            width,
        }
    }

    fn add(&mut self, ts: i64, job: i64, level: i64, n: u64) {
        let l = level.clamp(0, 6) as usize;
        self.levels[l] += n;
        *self.jobs.entry(job).or_default() += n;
        let start = ts.div_euclid(self.width) * self.width;
        self.buckets.entry(start).or_insert([0; 7])[l] += n;
    }
}

impl<C: Deref<Target = Connection>> LogRepository<C> {
    /// Statistics of the entries a filter keeps, with at most `max_buckets` histogram buckets.
    pub fn stats(&self, filter: &Filter, max_buckets: usize) -> Result<Stats> {
        self.read(|c| {
            let plan = plan::plan(c, filter)?;
            let first = plan.ids(c, Walk::Asc, Span::ALL, 1)?;
            let last = plan.ids(c, Walk::Desc, Span::ALL, 1)?;
            let (Some(first), Some(last)) = (first.first(), last.first()) else {
                return Ok(Stats {
                    bucket_ms: HOUR_MS,
                    ..Stats::default()
                });
            };
            let ts_of = |id: &i64| -> rusqlite::Result<i64> {
                c.prepare_cached("SELECT ts FROM log_entries WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
            };
            let (first_ts, last_ts) = (ts_of(first)?, ts_of(last)?);
            let span_ms = last_ts - first_ts + 1;
            let acc = if filter.text.is_some() {
                let mut acc = Acc::new(width_for(span_ms, max_buckets, 1_000));
                from_matches(c, &plan, &mut acc)?;
                acc
            } else {
                from_hours(c, filter, &plan, span_ms, max_buckets)?
            };
            let names: HashMap<i64, String> = c
                .prepare_cached("SELECT id, name FROM jobs")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut jobs: Vec<(String, u64)> = acc
                .jobs
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(id, n)| {
                    (
                        names.get(id).cloned().unwrap_or_else(|| format!("#{id}")),
                        *n,
                    )
                })
                .collect();
            jobs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let mut buckets: Vec<Bucket> = acc
                .buckets
                .into_iter()
                .map(|(start, counts)| Bucket { start, counts })
                .collect();
            buckets.sort_by_key(|b| b.start);
            let buckets = fill_gaps(buckets, acc.width);
            Ok(Stats {
                total: acc.levels.iter().sum(),
                levels: acc.levels,
                jobs,
                first_ts: Some(first_ts),
                last_ts: Some(last_ts),
                bucket_ms: acc.width,
                buckets,
            })
        })
    }
}

/// The width of the histogram buckets for entries spread over `span_ms`, at most `max` buckets
/// (for statistics counted outside the database, like the database counts them).
pub fn bucket_width(span_ms: i64, max: usize) -> i64 {
    width_for(span_ms, max, 1_000)
}

/// Adds empty buckets so the histogram has no holes between its first and last bucket.
pub fn fill_gaps(buckets: Vec<Bucket>, width: i64) -> Vec<Bucket> {
    let (Some(first), Some(last)) = (buckets.first(), buckets.last()) else {
        return buckets;
    };
    let n = ((last.start - first.start) / width + 1) as usize;
    if n > 10_000 {
        return buckets;
    }
    let mut out: Vec<Bucket> = (0..n)
        .map(|i| Bucket {
            start: first.start + i as i64 * width,
            counts: [0; 7],
        })
        .collect();
    let base = first.start;
    for b in buckets {
        let i = ((b.start - base) / width) as usize;
        out[i] = b;
    }
    out
}

/// One pass over every match (text searches), each arm restricted so nothing is counted twice.
fn from_matches(c: &Connection, plan: &Plan, acc: &mut Acc) -> rusqlite::Result<()> {
    let mut seen = std::collections::HashSet::new();
    for arm in &plan.arms {
        let sql = arm
            .sql(Walk::Asc)
            .replacen(
                "SELECT e.id FROM",
                "SELECT e.id, e.ts, e.job_id, coalesce(e.level, 0) FROM",
                1,
            )
            .replacen(
                "SELECT f.rowid FROM",
                "SELECT e.id, e.ts, e.job_id, coalesce(e.level, 0) FROM",
                1,
            );
        let mut st = c.prepare_cached(&sql)?;
        let params = arm.params(arm.span().intersect(plan.span), -1);
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let in_pending = plan.pending.iter().any(|p| id >= p.lo && id <= p.hi);
            // The full-text arm and the pending-range arms may both see an entry of a pending range.
            if in_pending && !seen.insert(id) {
                continue;
            }
            acc.add(r.get(1)?, r.get(2)?, r.get(3)?, 1);
        }
    }
    Ok(())
}

/// Structured filters: hourly counts for whole hours, entries for the partial hours at the edges
/// (or for the whole range when it is short enough to want buckets finer than an hour).
fn from_hours(
    c: &Connection,
    filter: &Filter,
    plan: &Plan,
    span_ms: i64,
    max_buckets: usize,
) -> rusqlite::Result<Acc> {
    let keep = keeper(c, filter, plan)?;
    let fine = width_for(span_ms, max_buckets, 1_000);
    // Total of the range, to decide whether counting entries one by one is affordable.
    let range_total: u64 = {
        let (a, b) = hour_bounds(filter);
        let mut st = c.prepare_cached(
            "SELECT job_id, level, n FROM stats_hourly WHERE hour BETWEEN ?1 AND ?2",
        )?;
        let mut rows = st.query(params![a, b])?;
        let mut t = 0u64;
        while let Some(r) = rows.next()? {
            if keep(r.get(0)?, r.get(1)?) {
                t += r.get::<_, i64>(2)? as u64;
            }
        }
        t
    };
    if fine < HOUR_MS && range_total <= FINE_SCAN_LIMIT {
        let mut acc = Acc::new(fine);
        scan_entries(c, plan.span, &mut acc, &keep)?;
        return Ok(acc);
    }
    let mut acc = Acc::new(width_for(span_ms, max_buckets, HOUR_MS));
    let (since_hour, until_hour) = hour_bounds(filter);
    // Partial hours at the edges are counted from entries; whole hours from the counts.
    let (partial_first, partial_last) = partial_hours(filter);
    {
        let mut st = c.prepare_cached(
            "SELECT hour, job_id, level, n FROM stats_hourly WHERE hour BETWEEN ?1 AND ?2",
        )?;
        let mut rows = st.query(params![since_hour, until_hour])?;
        while let Some(r) = rows.next()? {
            let hour: i64 = r.get(0)?;
            if Some(hour) == partial_first || Some(hour) == partial_last {
                continue;
            }
            let (job, level): (i64, i64) = (r.get(1)?, r.get(2)?);
            if keep(job, level) {
                acc.add(hour * HOUR_MS, job, level, r.get::<_, i64>(3)? as u64);
            }
        }
    }
    scan_partial_hours(c, (partial_first, partial_last), plan, &mut acc, &keep)?;
    Ok(acc)
}

/// How many entries a filter without text keeps, from the pre-aggregated counts: the totals per
/// job and level, less the whole hours outside the range (or the whole hours inside it, when
/// fewer), plus the partial hours at the edges counted from entries. Costs hours, not entries.
pub(super) fn count_structured(
    c: &Connection,
    filter: &Filter,
    plan: &Plan,
) -> rusqlite::Result<u64> {
    let keep = keeper(c, filter, plan)?;
    let sum = |sql: &str, args: &[i64]| -> rusqlite::Result<i64> {
        let mut st = c.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        let mut t = 0i64;
        while let Some(r) = rows.next()? {
            if keep(r.get(0)?, r.get(1)?) {
                t += r.get::<_, i64>(2)?;
            }
        }
        Ok(t)
    };
    let all = sum("SELECT job_id, level, n FROM job_levels", &[])?;
    if filter.time.is_all() {
        return Ok(all.max(0) as u64);
    }
    let (Some(first), Some(last)) =
        c.query_row("SELECT min(hour), max(hour) FROM time_index", [], |r| {
            Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?))
        })?
    else {
        return Ok(0);
    };
    let (since_hour, until_hour) = hour_bounds(filter);
    // Whole hours only: a partial hour at an edge is counted from its entries below.
    let (partial_first, partial_last) = partial_hours(filter);
    let lo = since_hour
        .saturating_add(i64::from(partial_first.is_some()))
        .max(first);
    let hi = until_hour
        .saturating_sub(i64::from(partial_last.is_some()))
        .min(last);
    let per_hour = "SELECT job_id, level, n FROM stats_hourly WHERE hour BETWEEN ?1 AND ?2";
    let mut total = if lo > hi {
        0
    } else if hi - lo <= (lo - first) + (last - hi) {
        sum(per_hour, &[lo, hi])?
    } else {
        all - sum(per_hour, &[first, lo - 1])? - sum(per_hour, &[hi + 1, last])?
    };
    let mut acc = Acc::new(HOUR_MS);
    scan_partial_hours(c, (partial_first, partial_last), plan, &mut acc, &keep)?;
    total += acc.levels.iter().sum::<u64>() as i64;
    Ok(total.max(0) as u64)
}

/// Whether an hourly count of (job id, level code) belongs to what `filter` keeps.
fn keeper(
    c: &Connection,
    filter: &Filter,
    plan: &Plan,
) -> rusqlite::Result<impl Fn(i64, i64) -> bool> {
    let jobs: Option<Vec<i64>> = match &filter.jobs {
        None => None,
        Some(_) => Some(plan_jobs(plan, filter, c)?),
    };
    let levels = filter.levels;
    Ok(move |job: i64, level: i64| {
        jobs.as_ref().is_none_or(|j| j.contains(&job))
            && levels.contains(if level == 0 {
                None
            } else {
                Level::from_code(level)
            })
    })
}

/// The hours that the time range cuts through at its start and at its end, if it does.
fn partial_hours(filter: &Filter) -> (Option<i64>, Option<i64>) {
    let first = filter
        .time
        .since
        .filter(|s| s.rem_euclid(HOUR_MS) != 0)
        .map(|s| s.div_euclid(HOUR_MS));
    let last = filter
        .time
        .until
        .filter(|u| u.rem_euclid(HOUR_MS) != 0)
        .map(|u| (u - 1).div_euclid(HOUR_MS));
    (first, last)
}

/// Counts the entries of the partial hours into `acc`, one by one (the range's own bounds
/// apply through `plan.span`).
fn scan_partial_hours(
    c: &Connection,
    (first, last): (Option<i64>, Option<i64>),
    plan: &Plan,
    acc: &mut Acc,
    keep: &dyn Fn(i64, i64) -> bool,
) -> rusqlite::Result<()> {
    let mut edges: Vec<i64> = first.into_iter().chain(last).collect();
    edges.dedup();
    for hour in edges {
        let ids: Option<(i64, i64)> = {
            use rusqlite::OptionalExtension;
            c.prepare_cached("SELECT min_id, max_id FROM time_index WHERE hour = ?1")?
                .query_row([hour], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
        };
        if let Some((lo, hi)) = ids {
            scan_entries(c, Span { lo, hi }.intersect(plan.span), acc, keep)?;
        }
    }
    Ok(())
}

fn hour_bounds(filter: &Filter) -> (i64, i64) {
    (
        filter
            .time
            .since
            .map_or(i64::MIN, |s| s.div_euclid(HOUR_MS)),
        filter
            .time
            .until
            .map_or(i64::MAX, |u| (u - 1).div_euclid(HOUR_MS)),
    )
}

fn plan_jobs(_plan: &Plan, filter: &Filter, c: &Connection) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM jobs WHERE name = ?1")?;
    let mut out = Vec::new();
    for name in filter.jobs.iter().flatten() {
        use rusqlite::OptionalExtension;
        out.extend(st.query_row([name], |r| r.get::<_, i64>(0)).optional()?);
    }
    Ok(out)
}

fn scan_entries(
    c: &Connection,
    span: Span,
    acc: &mut Acc,
    keep: &dyn Fn(i64, i64) -> bool,
) -> rusqlite::Result<()> {
    if span.is_empty() {
        return Ok(());
    }
    let mut st = c.prepare_cached(
        "SELECT ts, job_id, coalesce(level, 0) FROM log_entries WHERE id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = st.query(params![span.lo, span.hi])?;
    while let Some(r) = rows.next()? {
        let (ts, job, level): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if keep(job, level) {
            acc.add(ts, job, level, 1);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_width_follows_the_range() {
        assert_eq!(width_for(24 * HOUR_MS, 100, 1_000), 900_000);
        assert_eq!(width_for(30 * 24 * HOUR_MS, 100, 1_000), 12 * HOUR_MS);
        assert_eq!(width_for(60_000, 100, 1_000), 1_000);
        assert_eq!(width_for(60_000, 100, HOUR_MS), HOUR_MS);
    }

    #[test]
    fn gaps_are_filled_with_empty_buckets() {
        let b = |start, n| Bucket {
            start,
            counts: [n, 0, 0, 0, 0, 0, 0],
        };
        let out = fill_gaps(vec![b(0, 1), b(30, 2)], 10);
        assert_eq!(
            out.iter().map(|b| b.start).collect::<Vec<_>>(),
            vec![0, 10, 20, 30]
        );
        assert_eq!(out.iter().map(Bucket::total).sum::<u64>(), 3);
    }
}
