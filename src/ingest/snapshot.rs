//! The newest part of some log files, read once into memory and merged by time, answering what
//! the database answers — pages with cursors, counts, statistics, an entry's neighbours, the
//! jobs — with the same filter model. What the browser reads when the database cannot be used.
//! Ids count up in time order from 1, so cursors work as they do on the database.

use std::collections::{BTreeMap, HashMap};

use super::discover::SourceSpec;
use super::indexer::IndexOptions;
use super::scan::newest;
use crate::model::Level;
use crate::model::LogEntry;
use crate::query::{Cursor, Filter, Order, PageRequest};
use crate::store::{
    Activity, Bucket, JobCount, JobRecord, JobSummary, Page, Stats, bucket_width, fill_gaps,
    window_start,
};

/// Entries in id order (oldest first).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    entries: Vec<LogEntry>,
}

impl Snapshot {
    /// Reads the newest `tail_bytes` of each file, keeping at most the newest `max_entries`.
    pub fn read(
        specs: &[SourceSpec],
        opts: &IndexOptions,
        tail_bytes: u64,
        max_entries: usize,
    ) -> Snapshot {
        let mut entries = newest(specs, opts, &Filter::default(), max_entries, tail_bytes);
        entries.reverse();
        Snapshot { entries }
    }

    /// Entries given in time order; ids are numbered again from 1.
    pub fn from_entries(mut entries: Vec<LogEntry>) -> Snapshot {
        for (i, e) in entries.iter_mut().enumerate() {
            e.id = i as i64 + 1;
        }
        Snapshot { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where the first entry with an id of at least `id` is.
    fn at_least(&self, id: i64) -> usize {
        self.entries.partition_point(|e| e.id < id)
    }

    /// One page, with the same cursors the database gives.
    pub fn page(&self, req: &PageRequest) -> Page {
        let limit = req.limit.max(1);
        let newest_first = req.order == Order::NewestFirst;
        // Walking towards older entries (down from `hi`) or newer ones (up from `lo`).
        let (down, start, backward) = match req.cursor {
            None => (newest_first, None, false),
            Some(Cursor::Before(c)) => (true, Some(c.saturating_sub(1)), !newest_first),
            Some(Cursor::After(c)) => (false, Some(c.saturating_add(1)), newest_first),
        };
        let keep = |e: &&LogEntry| req.filter.keeps(e);
        let mut found: Vec<LogEntry> = if down {
            let end = start.map_or(self.entries.len(), |hi| self.at_least(hi.saturating_add(1)));
            self.entries[..end]
                .iter()
                .rev()
                .filter(keep)
                .take(limit + 1)
                .cloned()
                .collect()
        } else {
            let from = start.map_or(0, |lo| self.at_least(lo));
            self.entries[from..]
                .iter()
                .filter(keep)
                .take(limit + 1)
                .cloned()
                .collect()
        };
        let more = found.len() > limit;
        found.truncate(limit);
        if backward {
            found.reverse();
        }
        let (has_next, has_prev) = if backward {
            (true, more)
        } else {
            (more, req.cursor.is_some())
        };
        let past = |older: bool, id: i64| {
            if older {
                Cursor::Before(id)
            } else {
                Cursor::After(id)
            }
        };
        let next = found
            .last()
            .filter(|_| has_next)
            .map(|e| past(newest_first, e.id));
        let prev = found
            .first()
            .filter(|_| has_prev)
            .map(|e| past(!newest_first, e.id));
        Page {
            entries: found,
            next,
            prev,
        }
    }

    /// How many entries the filter keeps.
    pub fn count(&self, filter: &Filter) -> u64 {
        self.entries.iter().filter(|e| filter.keeps(e)).count() as u64
    }

    /// Counts per level and job, and a histogram of at most `max_buckets` buckets.
    pub fn stats(&self, filter: &Filter, max_buckets: usize) -> Stats {
        let kept: Vec<&LogEntry> = self.entries.iter().filter(|e| filter.keeps(e)).collect();
        let (Some(first), Some(last)) = (
            kept.iter().map(|e| e.ts).min(),
            kept.iter().map(|e| e.ts).max(),
        ) else {
            return Stats {
                bucket_ms: 3_600_000,
                ..Stats::default()
            };
        };
        let width = bucket_width(last - first + 1, max_buckets);
        let mut levels = [0u64; 7];
        let mut jobs: HashMap<&str, u64> = HashMap::new();
        let mut buckets: BTreeMap<i64, [u64; 7]> = BTreeMap::new();
        for e in &kept {
            let l = e.level.map_or(0, |l| usize::from(l.code())).min(6);
            levels[l] += 1;
            *jobs.entry(e.job.as_str()).or_default() += 1;
            buckets
                .entry(e.ts.div_euclid(width) * width)
                .or_insert([0; 7])[l] += 1;
        }
        let mut jobs: Vec<(String, u64)> = jobs.into_iter().map(|(j, n)| (j.into(), n)).collect();
        jobs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let buckets = buckets
            .into_iter()
            .map(|(start, counts)| Bucket { start, counts })
            .collect();
        Stats {
            total: kept.len() as u64,
            levels,
            jobs,
            first_ts: Some(first),
            last_ts: Some(last),
            bucket_ms: width,
            buckets: fill_gaps(buckets, width),
        }
    }

    /// Up to `before` and `after` entries of the same file around entry `id`, in id order, the
    /// entry itself included.
    pub fn context(&self, id: i64, before: usize, after: usize) -> Vec<LogEntry> {
        let i = self.at_least(id);
        let Some(entry) = self.entries.get(i).filter(|e| e.id == id) else {
            return Vec::new();
        };
        let same = |e: &&LogEntry| e.source == entry.source;
        let mut out: Vec<LogEntry> = self.entries[..i]
            .iter()
            .rev()
            .filter(same)
            .take(before)
            .cloned()
            .collect();
        out.reverse();
        out.push(entry.clone());
        out.extend(
            self.entries[i + 1..]
                .iter()
                .filter(same)
                .take(after)
                .cloned(),
        );
        out
    }

    /// The jobs and their entries, by name.
    pub fn jobs(&self) -> Vec<JobCount> {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for e in &self.entries {
            *counts.entry(e.job.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(i, (name, entries))| JobCount {
                id: i as i64 + 1,
                name: name.to_string(),
                entries,
            })
            .collect()
    }

    /// Each job seen in the entries with its activity since [`window_start`]`(now)`, the way the
    /// jobs pane shows it; none is defined (definitions live in the database).
    pub fn summaries(&self, now: i64) -> Vec<JobSummary> {
        let since = window_start(now);
        let mut by_job: BTreeMap<&str, Activity> = BTreeMap::new();
        for e in &self.entries {
            let a = by_job.entry(e.job.as_str()).or_default();
            a.last_entry = a.last_entry.max(Some(e.ts));
            let error = matches!(e.level, Some(Level::Error | Level::Fatal));
            if error && a.last_error.as_ref().is_none_or(|l| l.ts <= e.ts) {
                a.last_error = Some(e.clone());
            }
            if e.ts >= since {
                a.entries += 1;
                a.errors += u64::from(error);
                a.warnings += u64::from(e.level == Some(Level::Warn));
            }
        }
        by_job
            .into_iter()
            .enumerate()
            .map(|(i, (name, activity))| JobSummary {
                job: JobRecord {
                    id: i as i64 + 1,
                    name: name.to_string(),
                    definition: None,
                    created_at: None,
                    updated_at: None,
                },
                activity,
            })
            .collect()
    }

    /// Calls `f` with every entry the filter keeps, in `order`, until it fails.
    pub fn for_each<E>(
        &self,
        filter: &Filter,
        order: Order,
        mut f: impl FnMut(&LogEntry) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut n = 0;
        let kept = self.entries.iter().filter(|e| filter.keeps(e));
        let all: Box<dyn Iterator<Item = &LogEntry>> = match order {
            Order::OldestFirst => Box::new(kept),
            Order::NewestFirst => Box::new(kept.rev()),
        };
        for e in all {
            f(e)?;
            n += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::query::{SearchMode, TextQuery};

    fn entry(ts: i64, level: Level, job: &str, source: &str, message: &str) -> LogEntry {
        LogEntry {
            id: 0,
            ts,
            level: Some(level),
            level_raw: None,
            job: job.into(),
            source: source.into(),
            line: 0,
            offset: 0,
            message: message.into(),
            fields: None,
        }
    }

    #[test]
    fn summaries_count_the_last_day_and_keep_the_newest_error() {
        const H: i64 = 3_600_000;
        let s = Snapshot::from_entries(vec![
            entry(0, Level::Error, "a", "a.log", "old failure"),
            entry(30 * H, Level::Warn, "a", "a.log", "slow"),
            entry(30 * H + 1000, Level::Error, "b", "b.log", "new failure"),
            entry(30 * H + 2000, Level::Info, "b", "b.log", "fine"),
        ]);
        let jobs = s.summaries(30 * H + 10_000);
        let names: Vec<&str> = jobs.iter().map(|j| j.job.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(jobs.iter().all(|j| j.job.definition.is_none()));
        let (a, b) = (&jobs[0].activity, &jobs[1].activity);
        assert_eq!((a.entries, a.errors, a.warnings), (1, 0, 1));
        assert_eq!(a.last_entry, Some(30 * H));
        assert_eq!(
            a.last_error.as_ref().map(|e| e.message.as_str()),
            Some("old failure")
        );
        assert_eq!((b.entries, b.errors, b.warnings), (2, 1, 0));
        assert_eq!(b.last_error.as_ref().map(|e| e.ts), Some(30 * H + 1000));
    }

    /// Ten entries a second apart, alternating between two files.
    fn ten() -> Snapshot {
        Snapshot::from_entries(
            (0..10)
                .map(|i| {
                    let (job, file) = if i % 2 == 0 {
                        ("a", "a.log")
                    } else {
                        ("b", "b.log")
                    };
                    let level = if i % 3 == 0 {
                        Level::Error
                    } else {
                        Level::Info
                    };
                    entry(i * 1000, level, job, file, &format!("message {i}"))
                })
                .collect(),
        )
    }

    fn ids(p: &Page) -> Vec<i64> {
        p.entries.iter().map(|e| e.id).collect()
    }

    fn req(order: Order, cursor: Option<Cursor>, limit: usize) -> PageRequest {
        PageRequest {
            filter: Filter::default(),
            order,
            cursor,
            limit,
        }
    }

    #[test]
    fn pages_walk_both_ways_with_the_databases_cursors() {
        let s = ten();
        let first = s.page(&req(Order::NewestFirst, None, 4));
        assert_eq!(ids(&first), [10, 9, 8, 7]);
        assert_eq!(first.prev, None);
        assert_eq!(first.next, Some(Cursor::Before(7)));
        let second = s.page(&req(Order::NewestFirst, first.next, 4));
        assert_eq!(ids(&second), [6, 5, 4, 3]);
        assert_eq!(second.prev, Some(Cursor::After(6)));
        let last = s.page(&req(Order::NewestFirst, second.next, 4));
        assert_eq!(ids(&last), [2, 1]);
        assert_eq!(last.next, None);
        // Back up from the second page, in display order.
        let back = s.page(&req(Order::NewestFirst, second.prev, 4));
        assert_eq!(ids(&back), [10, 9, 8, 7]);
        assert_eq!(back.prev, None);
        // Oldest first, from the newest end.
        let tail = s.page(&req(Order::OldestFirst, Some(Cursor::Before(i64::MAX)), 3));
        assert_eq!(ids(&tail), [8, 9, 10]);
        assert_eq!(tail.next, Some(Cursor::After(10)));
        assert_eq!(tail.prev, Some(Cursor::Before(8)));
    }

    #[test]
    fn filters_apply_to_pages_counts_and_stats() {
        let s = ten();
        let filter = Filter {
            text: Some(TextQuery::parse(SearchMode::Regex, r"message [0-4]$").unwrap()),
            levels: crate::query::LevelSet::at_least(Level::Error),
            ..Filter::default()
        };
        let page = s.page(&PageRequest {
            filter: filter.clone(),
            order: Order::OldestFirst,
            cursor: None,
            limit: 10,
        });
        assert_eq!(ids(&page), [1, 4]);
        assert_eq!(s.count(&filter), 2);
        let stats = s.stats(&filter, 100);
        assert_eq!(stats.total, 2);
        assert_eq!(stats.level_count(Some(Level::Error)), 2);
        assert_eq!(stats.jobs, [("a".to_string(), 1), ("b".to_string(), 1)]);
        assert_eq!((stats.first_ts, stats.last_ts), (Some(0), Some(3000)));
        assert_eq!(stats.buckets.iter().map(Bucket::total).sum::<u64>(), 2);
        let words = Filter {
            text: Some(TextQuery::parse(SearchMode::Words, "message").unwrap()),
            ..Filter::default()
        };
        assert_eq!(s.count(&words), 10);
        assert_eq!(s.stats(&Filter::default(), 100).total, 10);
    }

    #[test]
    fn neighbours_come_from_the_same_file_and_jobs_are_counted() {
        let s = ten();
        let around: Vec<i64> = s.context(5, 1, 2).iter().map(|e| e.id).collect();
        assert_eq!(around, [3, 5, 7, 9]);
        assert!(s.context(42, 1, 1).is_empty());
        let jobs = s.jobs();
        assert_eq!(jobs.len(), 2);
        assert_eq!((jobs[0].name.as_str(), jobs[0].entries), ("a", 5));
        let mut seen = Vec::new();
        let n = s
            .for_each(&Filter::default(), Order::NewestFirst, |e| {
                seen.push(e.id);
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(n, 10);
        assert_eq!(seen.first(), Some(&10));
    }
}
