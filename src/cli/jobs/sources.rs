//! The defined jobs' log paths as sources of their job (`[jobs] follow_log_paths = true`);
//! a follower of the configured sources also takes in paths that a later import defines.

use std::path::Path;

use crate::config::{Config, SourceConfig};
use crate::ingest::follow::job_log_patterns;
use crate::store::Store;

/// With `[jobs] follow_log_paths = true`, each defined job's log path becomes a source of that
/// job, after the configured sources (a path configured there keeps its settings). Jobs are read
/// from the database when it exists and is current; otherwise nothing is added.
pub fn add_log_paths(config: &mut Config, db: &Path) {
    if !config.jobs.follow_log_paths || !db.exists() {
        return;
    }
    let store = match Store::open_existing(db) {
        Ok(store) => store,
        Err(e) => {
            tracing::warn!("job log paths left out of the sources: {e}");
            return;
        }
    };
    for p in job_log_patterns(&store) {
        if config.sources.iter().any(|s| s.path == p.pattern) {
            continue;
        }
        config.sources.push(SourceConfig {
            path: p.pattern,
            job: p.job,
            format: None,
            retention_days: None,
        });
    }
}
