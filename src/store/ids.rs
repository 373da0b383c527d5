//! Entry ids that sort like time. An id is the entry's second (Unix time) times
//! [`SLOTS_PER_SECOND`], plus a sequence: newest-first is then a walk down the primary key, in
//! FTS5 as in the table, and the gaps between seconds leave room for entries that arrive late.
//! Counting from 1970 rather than a recent year costs nothing in key size (today's ids take five
//! varint bytes either way) and keeps archives of old logs in time order; only times before
//! 1970, which are misparsed rather than real, share id 0's neighbourhood.

/// Ids reserved per second before entries spill into the next second's range.
pub const SLOTS_PER_SECOND: i64 = 16;

/// The first id of the second that holds `ts_ms`.
pub fn slot(ts_ms: i64) -> i64 {
    ts_ms
        .div_euclid(1000)
        .max(0)
        .saturating_mul(SLOTS_PER_SECOND)
}

/// Approximate time of an id (exact to the second unless a burst spilled over).
pub fn approx_ts(id: i64) -> i64 {
    id.div_euclid(SLOTS_PER_SECOND).saturating_mul(1000)
}

/// How much older than the newest entry an entry may be and still be appended. Files followed
/// live interleave by a few milliseconds to seconds; appending those keeps ids in arrival
/// order, so a reader that follows "ids after the last one seen" never misses one.
pub const LATE_TOLERANCE_MS: i64 = 10_000;

/// Hands out ids to entries in arrival order. Appends (the usual case, and every bulk index,
/// which merges files by time) never touch the database; an entry much older than the newest
/// one asks `free_after` for a free id in its own second or just after it.
#[derive(Debug, Clone)]
pub struct IdAllocator {
    max_id: i64,
    max_ts: i64,
}

impl IdAllocator {
    /// `newest` is the (id, ts) of the highest id stored, if any.
    pub fn new(newest: Option<(i64, i64)>) -> IdAllocator {
        let (max_id, max_ts) = newest.unwrap_or((-1, i64::MIN));
        IdAllocator { max_id, max_ts }
    }

    /// The highest id handed out so far (-1 before the first).
    pub fn newest(&self) -> i64 {
        self.max_id
    }

    /// The id for an entry at `ts`. `free_after(lo)` must return the smallest id `>= lo` that is
    /// not taken.
    pub fn next<E>(
        &mut self,
        ts: i64,
        free_after: impl FnOnce(i64) -> Result<i64, E>,
    ) -> Result<i64, E> {
        let base = slot(ts);
        let id = if base > self.max_id {
            base
        } else if ts >= self.max_ts.saturating_sub(LATE_TOLERANCE_MS) {
            self.max_id + 1
        } else {
            free_after(base)?
        };
        if id > self.max_id {
            self.max_id = id;
            self.max_ts = ts;
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn alloc_all(taken: &mut BTreeSet<i64>, a: &mut IdAllocator, ts: i64) -> i64 {
        let id = a
            .next::<()>(ts, |lo| {
                let mut x = lo;
                while taken.contains(&x) {
                    x += 1;
                }
                Ok(x)
            })
            .unwrap();
        assert!(taken.insert(id), "id {id} handed out twice");
        id
    }

    #[test]
    fn appends_follow_time_and_bursts_spill_forward() {
        let mut a = IdAllocator::new(None);
        let mut taken = BTreeSet::new();
        let t = 1_800_000_000_000;
        let first = alloc_all(&mut taken, &mut a, t);
        assert_eq!(first, slot(t));
        let ids: Vec<i64> = (0..40)
            .map(|i| alloc_all(&mut taken, &mut a, t + i))
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        // A later second still sorts after the burst.
        assert!(alloc_all(&mut taken, &mut a, t + 1_000) > *ids.last().unwrap());
    }

    #[test]
    fn late_entries_land_in_their_own_second() {
        let mut a = IdAllocator::new(None);
        let mut taken = BTreeSet::new();
        let t = 1_800_000_000_000;
        let a1 = alloc_all(&mut taken, &mut a, t);
        let a3 = alloc_all(&mut taken, &mut a, t + 60_000);
        let late = alloc_all(&mut taken, &mut a, t + 30_000);
        assert!(a1 < late && late < a3);
        assert_eq!(approx_ts(late), t + 30_000);
        // Slightly late entries (live files interleaving) are appended in arrival order.
        let slightly = alloc_all(&mut taken, &mut a, t + 59_000);
        assert!(slightly > a3);
    }

    #[test]
    fn times_before_the_epoch_still_get_distinct_ids() {
        let mut a = IdAllocator::new(None);
        let mut taken = BTreeSet::new();
        for _ in 0..5 {
            alloc_all(&mut taken, &mut a, -86_400_000);
        }
        assert_eq!(taken.len(), 5);
        assert_eq!(slot(-5_000), 0);
    }

    #[test]
    fn old_archives_keep_their_time_order() {
        // 2005 logs indexed after 2008 ones still sort before them, second by second.
        let mut a = IdAllocator::new(None);
        let mut taken = BTreeSet::new();
        let y2008 = 1_226_262_975_000;
        let y2005 = 1_133_810_157_000;
        let newer = alloc_all(&mut taken, &mut a, y2008);
        let older = alloc_all(&mut taken, &mut a, y2005);
        let older_next = alloc_all(&mut taken, &mut a, y2005 + 1_000);
        assert!(older < older_next && older_next < newer);
        assert_eq!(approx_ts(older), y2005);
    }
}
