//! Retention: which entries are old enough to go (per source when the config says so), removed
//! a small transaction at a time so that readers and the indexer are never held up for long.

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::store::{IngestWriter, Result, SourceRecord};

const DAY_MS: i64 = 86_400_000;
/// Entries per transaction: a few tens of milliseconds of work.
const CHUNK: usize = 2_000;

/// A cut-off time and the sources it applies to (None: every source without its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoff {
    pub before: i64,
    pub sources: Option<Vec<i64>>,
}

/// The cut-offs the config asks for at `now`: per-source retention for sources matched by a
/// `[[sources]]` entry that sets one, the default for the rest.
pub fn cutoffs(config: &Config, sources: &[SourceRecord], now: i64) -> Vec<Cutoff> {
    let mut special: Vec<(u32, Vec<i64>)> = Vec::new();
    let mut taken = Vec::new();
    for s in config.sources.iter().filter(|s| s.retention_days.is_some()) {
        let days = s.retention_days.unwrap_or_default();
        let pattern = glob::Pattern::new(&s.path).ok();
        let ids: Vec<i64> = sources
            .iter()
            .filter(|r| {
                r.path == s.path
                    || pattern.as_ref().is_some_and(|p| p.matches(&r.path))
                    || std::path::Path::new(&r.path).starts_with(&s.path)
            })
            .map(|r| r.id)
            .filter(|id| !taken.contains(id))
            .collect();
        taken.extend(ids.iter().copied());
        special.push((days, ids));
    }
    let default_before = now - config.retention_days() as i64 * DAY_MS;
    let mut out: Vec<Cutoff> = special
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(days, ids)| Cutoff {
            before: now - days as i64 * DAY_MS,
            sources: Some(ids),
        })
        .collect();
    let rest: Vec<i64> = sources
        .iter()
        .map(|r| r.id)
        .filter(|id| !taken.contains(id))
        .collect();
    out.push(Cutoff {
        before: default_before,
        sources: if taken.is_empty() { None } else { Some(rest) },
    });
    out
}

/// Removes what the cut-offs say, for at most `budget` (None: until done). Returns the entries
/// removed and whether anything is left.
pub fn prune(
    writer: &mut IngestWriter,
    cutoffs: &[Cutoff],
    budget: Option<Duration>,
) -> Result<(u64, bool)> {
    let start = Instant::now();
    let mut removed = 0u64;
    for c in cutoffs {
        loop {
            if budget.is_some_and(|b| start.elapsed() >= b) {
                return Ok((removed, true));
            }
            let n = writer.prune_chunk(c.before, c.sources.as_deref(), CHUNK)?;
            removed += n as u64;
            if n < CHUNK {
                break;
            }
        }
    }
    Ok((removed, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SourceConfig;

    fn rec(id: i64, path: &str) -> SourceRecord {
        SourceRecord {
            id,
            path: path.into(),
            job_id: 1,
            job: "j".into(),
            format: None,
            dev: None,
            inode: None,
            fingerprint: Vec::new(),
            compressed: false,
            offset: 0,
            line: 0,
            last_ts: None,
            size: 0,
            mtime: 0,
            state: "active".into(),
        }
    }

    #[test]
    fn sources_with_their_own_retention_get_their_own_cutoff() {
        let config = Config {
            retention_days: Some(10),
            sources: vec![SourceConfig {
                path: "/var/log/audit/*.log".into(),
                retention_days: Some(365),
                ..SourceConfig::default()
            }],
            ..Config::default()
        };
        let now = 1_000 * DAY_MS;
        let cuts = cutoffs(
            &config,
            &[rec(1, "/var/log/audit/a.log"), rec(2, "/var/log/app.log")],
            now,
        );
        assert_eq!(
            cuts,
            vec![
                Cutoff {
                    before: now - 365 * DAY_MS,
                    sources: Some(vec![1])
                },
                Cutoff {
                    before: now - 10 * DAY_MS,
                    sources: Some(vec![2])
                },
            ]
        );
        let plain = cutoffs(&Config::default(), &[rec(2, "/x")], now);
        assert_eq!(
            plain,
            vec![Cutoff {
                before: now - 90 * DAY_MS,
                sources: None
            }]
        );
    }
}
