//! The defined jobs' log paths as sources of their job (`[jobs] follow_log_paths = true`).

use std::path::Path;

use crate::config::{Config, SourceConfig};
use crate::jobs::JobDef;
use crate::store::Store;

/// With `[jobs] follow_log_paths = true`, each defined job's log path becomes a source of that
/// job, after the configured sources (a path configured there keeps its settings). Jobs are read
/// from the database when it exists and is current; otherwise nothing is added.
pub fn add_log_paths(config: &mut Config, db: &Path) {
    if !config.jobs.follow_log_paths || !db.exists() {
        return;
    }
    let jobs: Vec<JobDef> = match Store::open_existing(db).and_then(|s| s.jobs()?.definitions()) {
        Ok(jobs) => jobs,
        Err(e) => {
            tracing::warn!("job log paths left out of the sources: {e}");
            return;
        }
    };
    for job in jobs {
        let Some(path) = job.log_path else { continue };
        if config.sources.iter().any(|s| s.path == path) {
            continue;
        }
        config.sources.push(SourceConfig {
            path,
            job: Some(job.id),
            format: None,
            retention_days: None,
        });
    }
}
