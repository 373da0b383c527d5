//! Turns a [`Filter`] into arms that each walk one ordered run of ids — the primary key, or the
//! word index (which also holds job and level tokens) — so that a page costs its own size, not
//! the history. The page is the merge of the arms' first ids.

use rusqlite::{Connection, OptionalExtension, params_from_iter, types::Value};

use super::fts::{job_token, level_indexed, level_token, quote};
use super::functions::{MATCH_FN, encode_query};
use crate::query::{Filter, TimeRange};

const HOUR_MS: i64 = 3_600_000;
/// Above this share of all entries, walking the primary key and testing each row is about as
/// fast as asking the word index.
const SCAN_SHARE: f64 = 0.04;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Desc,
    Asc,
}

/// Inclusive id bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: i64,
    pub hi: i64,
}

impl Span {
    pub const ALL: Span = Span {
        lo: i64::MIN,
        hi: i64::MAX,
    };

    pub fn is_empty(self) -> bool {
        self.lo > self.hi
    }

    pub fn intersect(self, o: Span) -> Span {
        Span {
            lo: self.lo.max(o.lo),
            hi: self.hi.min(o.hi),
        }
    }
}

/// Row conditions tested while walking the primary key.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub jobs: Option<Vec<i64>>,
    pub levels: Option<Vec<Option<u8>>>,
    /// `logdex_match` argument.
    pub text: Option<String>,
}

impl Conditions {
    fn sql(&self) -> String {
        let mut s = String::new();
        if let Some(jobs) = &self.jobs {
            s.push_str(&format!(
                " AND e.job_id IN ({})",
                join(jobs.iter().map(i64::to_string))
            ));
        }
        if let Some(levels) = &self.levels {
            let known: Vec<String> = levels.iter().flatten().map(u8::to_string).collect();
            let unknown = levels.iter().any(Option::is_none);
            let mut parts = Vec::new();
            if !known.is_empty() {
                parts.push(format!("e.level IN ({})", known.join(",")));
            }
            if unknown {
                parts.push("e.level IS NULL".to_string());
            }
            if parts.is_empty() {
                parts.push("0".into());
            }
            s.push_str(&format!(" AND ({})", parts.join(" OR ")));
        }
        if self.text.is_some() {
            s.push_str(&format!(" AND {MATCH_FN}(e.message, ?4)"));
        }
        s
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(",")
}

#[derive(Debug, Clone)]
pub enum Arm {
    /// Walk the primary key, testing each row.
    Rows { span: Span, cond: Conditions },
    /// Walk the full-text index; `verify` re-checks each candidate's message and `levels`
    /// its level (for levels the index holds no token for).
    Fts {
        span: Span,
        expr: String,
        verify: Option<String>,
        levels: Option<Vec<Option<u8>>>,
    },
}

impl Arm {
    pub fn span(&self) -> Span {
        match self {
            Arm::Rows { span, .. } | Arm::Fts { span, .. } => *span,
        }
    }

    /// The SQL of this arm; parameters: ?1 lo, ?2 hi, ?3 limit, ?4 text (when used).
    pub fn sql(&self, walk: Walk) -> String {
        let dir = match walk {
            Walk::Desc => "DESC",
            Walk::Asc => "ASC",
        };
        match self {
            Arm::Rows { cond, .. } => format!(
                "SELECT e.id FROM log_entries e NOT INDEXED WHERE e.id BETWEEN ?1 AND ?2{} ORDER BY e.id {dir} LIMIT ?3",
                cond.sql()
            ),
            Arm::Fts { verify, levels, .. } => {
                let mut check = Conditions {
                    levels: levels.clone(),
                    ..Conditions::default()
                }
                .sql();
                if verify.is_some() {
                    check.push_str(&format!(" AND {MATCH_FN}(e.message, ?4)"));
                }
                format!(
                    "SELECT f.rowid FROM fts.log_fts f JOIN log_entries e ON e.id = f.rowid
                     WHERE f.log_fts MATCH ?5 AND f.rowid BETWEEN ?1 AND ?2{check} ORDER BY f.rowid {dir} LIMIT ?3"
                )
            }
        }
    }

    /// Parameters for [`Arm::sql`]; a negative `limit` means none.
    pub fn params(&self, span: Span, limit: i64) -> Vec<Value> {
        let mut p = vec![
            Value::Integer(span.lo),
            Value::Integer(span.hi),
            Value::Integer(limit),
        ];
        match self {
            Arm::Rows { cond, .. } => {
                if let Some(t) = &cond.text {
                    p.push(Value::Text(t.clone()));
                }
            }
            Arm::Fts { expr, verify, .. } => {
                p.push(Value::Text(verify.clone().unwrap_or_default()));
                p.push(Value::Text(expr.clone()));
            }
        }
        p
    }

    /// Up to `limit` ids of this arm strictly inside `bound`, in `walk` order.
    pub fn ids(
        &self,
        c: &Connection,
        walk: Walk,
        bound: Span,
        limit: usize,
    ) -> rusqlite::Result<Vec<i64>> {
        let span = self.span().intersect(bound);
        if span.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let sql = self.sql(walk);
        let mut st = c.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(self.params(span, limit as i64)), |r| {
            r.get(0)
        })?;
        rows.collect()
    }

    /// How many rows of this arm lie inside `bound`.
    pub fn count(&self, c: &Connection, bound: Span) -> rusqlite::Result<u64> {
        let span = self.span().intersect(bound);
        if span.is_empty() {
            return Ok(0);
        }
        let sql = format!("SELECT count(*) FROM ({})", self.sql(Walk::Asc));
        // LIMIT -1 is no limit.
        let p = self.params(span, 0);
        let p: Vec<Value> = p
            .into_iter()
            .enumerate()
            .map(|(i, v)| if i == 2 { Value::Integer(-1) } else { v })
            .collect();
        let n: i64 = c
            .prepare_cached(&sql)?
            .query_row(params_from_iter(p), |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// What a filter resolves to before any page is read.
#[derive(Debug, Clone)]
pub struct Plan {
    pub arms: Vec<Arm>,
    pub span: Span,
    /// Id ranges the full-text index may lack (searched by the `Rows` arms instead).
    pub pending: Vec<Span>,
}

impl Plan {
    /// The plan without its scans of the ranges the full-text index may lack: only what the
    /// index holds now. A quick, possibly incomplete answer while an indexer runs ahead of it.
    pub fn indexed_only(mut self) -> Plan {
        let pending = std::mem::take(&mut self.pending);
        self.arms
            .retain(|a| !matches!(a, Arm::Rows { span, .. } if pending.contains(span)));
        self
    }

    fn rows(span: Span, cond: Conditions) -> Plan {
        Plan {
            arms: vec![Arm::Rows { span, cond }],
            span,
            pending: Vec::new(),
        }
    }

    fn empty() -> Plan {
        Plan {
            arms: Vec::new(),
            span: Span { lo: 1, hi: 0 },
            pending: Vec::new(),
        }
    }

    /// How many entries the filter keeps. Arms are disjoint except the full-text arm and the
    /// pending ranges, which are counted apart.
    pub fn count(&self, c: &Connection) -> rusqlite::Result<u64> {
        let mut total = 0;
        for arm in &self.arms {
            match arm {
                Arm::Fts {
                    verify: None,
                    levels: None,
                    expr,
                    span,
                } => {
                    for part in subtract(span.intersect(self.span), &self.pending) {
                        let n: i64 = c
                            .prepare_cached(
                                "SELECT count(*) FROM fts.log_fts WHERE log_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3",
                            )?
                            .query_row(rusqlite::params![expr, part.lo, part.hi], |r| r.get(0))?;
                        total += n as u64;
                    }
                }
                Arm::Fts { .. } => {
                    for part in subtract(self.span, &self.pending) {
                        total += arm.count(c, part)?;
                    }
                }
                _ => total += arm.count(c, self.span)?,
            }
        }
        Ok(total)
    }

    /// The first `limit` ids after `bound` (exclusive cursor folded into it), merged and deduplicated.
    pub fn ids(
        &self,
        c: &Connection,
        walk: Walk,
        bound: Span,
        limit: usize,
    ) -> rusqlite::Result<Vec<i64>> {
        let bound = bound.intersect(self.span);
        let mut all = Vec::new();
        for arm in &self.arms {
            all.extend(arm.ids(c, walk, bound, limit)?);
        }
        all.sort_unstable();
        all.dedup();
        if walk == Walk::Desc {
            all.reverse();
        }
        all.truncate(limit);
        Ok(all)
    }
}

/// Resolves a filter against the database: job names to ids, time to ids, and the arms.
///
/// The word index answers whatever it can: the text, the jobs (every entry has a job token) and
/// the levels when each selected level has a token. Filters that keep a large share of the
/// entries walk the primary key instead, testing each row, which is as fast and needs no index.
pub fn plan(c: &Connection, filter: &Filter) -> rusqlite::Result<Plan> {
    let Some(span) = time_span(c, &filter.time)? else {
        return Ok(Plan::empty());
    };
    if filter.levels.is_empty() {
        return Ok(Plan::empty());
    }
    let jobs = match &filter.jobs {
        None => None,
        Some(names) => {
            let ids = job_ids(c, names)?;
            if ids.is_empty() {
                return Ok(Plan::empty());
            }
            Some(ids)
        }
    };
    let levels: Option<Vec<Option<u8>>> = (!filter.levels.is_all()).then(|| {
        filter
            .levels
            .members()
            .map(|l| l.map(|l| l.code()))
            .collect()
    });
    let level_tokens = levels.is_some() && filter.levels.members().all(level_indexed);
    let cond = Conditions {
        jobs: jobs.clone(),
        levels: levels.clone(),
        text: filter.text.as_ref().map(encode_query),
    };
    let text_expr = match &filter.text {
        Some(t) => match t.fts_expression() {
            Some(e) => Some(e),
            // Pure negations and the like: only a walk can answer them.
            None => return Ok(Plan::rows(span, cond)),
        },
        None => None,
    };
    let use_index = text_expr.is_some()
        || ((jobs.is_some() || level_tokens) && selective(c, jobs.as_deref(), levels.as_deref())?);
    if !use_index {
        return Ok(Plan::rows(span, cond));
    }
    let mut parts: Vec<String> = text_expr.into_iter().collect();
    if level_tokens {
        let toks: Vec<String> = filter
            .levels
            .members()
            .map(|l| quote(&level_token(l)))
            .collect();
        parts.push(toks.join(" OR "));
    }
    if let Some(jobs) = &jobs {
        let toks: Vec<String> = jobs.iter().map(|j| quote(&job_token(*j))).collect();
        parts.push(toks.join(" OR "));
    }
    let expr = parts
        .iter()
        .map(|p| format!("({p})"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let verify = filter
        .text
        .as_ref()
        .filter(|t| !t.fts_is_exact())
        .and(cond.text.clone());
    let mut arms = vec![Arm::Fts {
        span,
        expr,
        verify,
        levels: if level_tokens { None } else { levels },
    }];
    let pending: Vec<Span> = merge_spans(pending_spans(c)?)
        .into_iter()
        .map(|p| p.intersect(span))
        .filter(|p| !p.is_empty())
        .collect();
    arms.extend(pending.iter().map(|p| Arm::Rows {
        span: *p,
        cond: cond.clone(),
    }));
    Ok(Plan {
        arms,
        span,
        pending,
    })
}

/// True when a structured filter keeps a small enough share of the entries that the word
/// index's job and level tokens beat walking every row.
fn selective(
    c: &Connection,
    jobs: Option<&[i64]>,
    levels: Option<&[Option<u8>]>,
) -> rusqlite::Result<bool> {
    let mut st = c.prepare_cached("SELECT job_id, level, n FROM job_levels WHERE n > 0")?;
    let mut rows = st.query([])?;
    let (mut all, mut kept) = (0i64, 0i64);
    while let Some(r) = rows.next()? {
        let (job, level, n): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let level = (level > 0).then_some(level as u8);
        all += n;
        if jobs.is_none_or(|js| js.contains(&job)) && levels.is_none_or(|ls| ls.contains(&level)) {
            kept += n;
        }
    }
    Ok(all > 0 && (kept as f64) < SCAN_SHARE * all as f64)
}

fn job_ids(c: &Connection, names: &[String]) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM jobs WHERE name = ?1")?;
    let mut out = Vec::new();
    for n in names {
        if let Some(id) = st.query_row([n], |r| r.get(0)).optional()? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Sorts and merges overlapping or touching spans.
fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| s.lo);
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.lo <= last.hi.saturating_add(1) => last.hi = last.hi.max(s.hi),
            _ => out.push(s),
        }
    }
    out
}

/// `span` minus sorted, disjoint `holes`.
fn subtract(span: Span, holes: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut lo = span.lo;
    for h in holes {
        if h.hi < lo || h.lo > span.hi {
            continue;
        }
        if h.lo > lo {
            out.push(Span { lo, hi: h.lo - 1 });
        }
        lo = lo.max(h.hi.saturating_add(1));
    }
    if lo <= span.hi {
        out.push(Span { lo, hi: span.hi });
    }
    out
}

/// Id ranges committed to the main file that the full-text index may not hold yet.
pub fn pending_spans(c: &Connection) -> rusqlite::Result<Vec<Span>> {
    let mut st = c.prepare_cached(
        "SELECT lo_id, hi_id FROM fts_queue WHERE seq > (SELECT seq FROM fts.fts_state WHERE id = 1) ORDER BY seq",
    )?;
    st.query_map([], |r| {
        Ok(Span {
            lo: r.get(0)?,
            hi: r.get(1)?,
        })
    })?
    .collect()
}

/// The id range holding the entries of a time range; None when no entry can be in it.
/// Ids sort like time, so the bounds are found through the hourly id index and a binary search
/// inside the boundary hour.
pub fn time_span(c: &Connection, range: &TimeRange) -> rusqlite::Result<Option<Span>> {
    let mut span = Span::ALL;
    if let Some(since) = range.since {
        let hour = since.div_euclid(HOUR_MS);
        let first: Option<i64> = c
            .prepare_cached("SELECT min(min_id) FROM time_index WHERE hour >= ?1")?
            .query_row([hour], |r| r.get(0))?;
        let Some(first) = first else { return Ok(None) };
        let end: Option<i64> = c
            .prepare_cached("SELECT max_id FROM time_index WHERE hour = ?1")?
            .query_row([hour], |r| r.get(0))
            .optional()?;
        span.lo = match end {
            Some(end) => first_at_or_after(c, first, end, since)?,
            None => first,
        };
    }
    if let Some(until) = range.until {
        let hour = (until - 1).div_euclid(HOUR_MS);
        let last: Option<i64> = c
            .prepare_cached("SELECT max(max_id) FROM time_index WHERE hour <= ?1")?
            .query_row([hour], |r| r.get(0))?;
        let Some(last) = last else { return Ok(None) };
        let start: Option<i64> = c
            .prepare_cached("SELECT min_id FROM time_index WHERE hour = ?1")?
            .query_row([hour], |r| r.get(0))
            .optional()?;
        span.hi = match start {
            Some(start) => last_before(c, start, last, until)?,
            None => last,
        };
    }
    Ok((!span.is_empty()).then_some(span))
}

fn row_at_or_after(c: &Connection, id: i64) -> rusqlite::Result<Option<(i64, i64)>> {
    c.prepare_cached("SELECT id, ts FROM log_entries WHERE id >= ?1 ORDER BY id LIMIT 1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

fn row_at_or_before(c: &Connection, id: i64) -> rusqlite::Result<Option<(i64, i64)>> {
    c.prepare_cached("SELECT id, ts FROM log_entries WHERE id <= ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// The first id in `[lo, hi]` whose entry is at or after `ts` (or `hi + 1`).
fn first_at_or_after(c: &Connection, mut lo: i64, mut hi: i64, ts: i64) -> rusqlite::Result<i64> {
    let mut answer = hi.saturating_add(1);
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        match row_at_or_after(c, mid)? {
            Some((id, t)) if id <= hi => {
                if t >= ts {
                    answer = id;
                    hi = mid - 1;
                } else {
                    lo = id + 1;
                }
            }
            _ => hi = mid - 1,
        }
    }
    Ok(answer)
}

/// The last id in `[lo, hi]` whose entry is before `ts` (or `lo - 1`).
fn last_before(c: &Connection, mut lo: i64, mut hi: i64, ts: i64) -> rusqlite::Result<i64> {
    let mut answer = lo.saturating_sub(1);
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        match row_at_or_before(c, mid)? {
            Some((id, t)) if id >= lo => {
                if t < ts {
                    answer = id;
                    lo = mid + 1;
                } else {
                    hi = id - 1;
                }
            }
            _ => lo = mid + 1,
        }
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(lo: i64, hi: i64) -> Span {
        Span { lo, hi }
    }

    #[test]
    fn spans_merge_and_subtract() {
        assert_eq!(
            merge_spans(vec![sp(5, 9), sp(1, 3), sp(4, 4), sp(20, 30)]),
            vec![sp(1, 9), sp(20, 30)]
        );
        assert_eq!(
            subtract(sp(0, 100), &[sp(10, 20), sp(50, 60)]),
            vec![sp(0, 9), sp(21, 49), sp(61, 100)]
        );
        assert_eq!(
            subtract(sp(15, 55), &[sp(10, 20), sp(50, 60)]),
            vec![sp(21, 49)]
        );
        assert_eq!(subtract(sp(0, 5), &[sp(0, 5)]), vec![]);
        assert_eq!(subtract(Span::ALL, &[]), vec![Span::ALL]);
    }
}
