//! The background schedule of a process that follows files: retention at start and hourly,
//! write-ahead-log checkpoints, free pages given back and word-index segments merged when the
//! files are quiet, and an optional daily backup. Each tick does a bounded amount of work so
//! that following never stalls.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{backup, retention};
use crate::config::Config;
use crate::store::{IngestWriter, Store, StoreError};

const RETENTION_EVERY: Duration = Duration::from_secs(3600);
const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);
const TIDY_EVERY: Duration = Duration::from_secs(600);
const BACKUP_EVERY: Duration = Duration::from_secs(24 * 3600);
/// Retention work per tick; the rest continues at the next.
const PRUNE_BUDGET: Duration = Duration::from_millis(60);

pub struct Schedule {
    config: Config,
    backups: PathBuf,
    next_retention: Instant,
    retention_left: bool,
    next_checkpoint: Instant,
    next_tidy: Instant,
    next_backup: Option<Instant>,
}

impl Schedule {
    pub fn new(config: &Config, db: &std::path::Path) -> Schedule {
        let now = Instant::now();
        let backups = config.backup.dir_for(db);
        // A daily backup is due a day after the newest one (or now, if there is none).
        let next_backup = config.backup.daily.then(|| {
            let newest_age = backup::list(&backups)
                .first()
                .and_then(|b| std::fs::metadata(b).ok())
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok());
            match newest_age {
                Some(age) if age < BACKUP_EVERY => now + (BACKUP_EVERY - age),
                _ => now,
            }
        });
        Schedule {
            config: config.clone(),
            backups,
            next_retention: now,
            retention_left: false,
            next_checkpoint: now + CHECKPOINT_EVERY,
            next_tidy: now + TIDY_EVERY,
            next_backup,
        }
    }

    /// Runs what is due. `quiet`: no file grew lately (the moment for heavier tidying). Returns
    /// what it did worth telling.
    pub fn tick(
        &mut self,
        writer: &mut IngestWriter,
        store: &Store,
        quiet: bool,
    ) -> Result<Vec<String>, StoreError> {
        let now = Instant::now();
        let mut said = Vec::new();
        if self.retention_left || now >= self.next_retention {
            let sources = store.sources()?.list()?;
            let cuts = retention::cutoffs(&self.config, &sources, crate::query::time::now_ms());
            let (removed, left) = retention::prune(writer, &cuts, Some(PRUNE_BUDGET))?;
            if removed > 0 {
                tracing::info!(removed, "retention removed old entries");
            }
            self.retention_left = left;
            if !left {
                self.next_retention = now + RETENTION_EVERY;
            }
        }
        if now >= self.next_checkpoint {
            writer.checkpoint()?;
            self.next_checkpoint = now + CHECKPOINT_EVERY;
        }
        if quiet && now >= self.next_tidy {
            writer.give_back_space(2_000)?;
            writer.merge_words(500)?;
            self.next_tidy = now + TIDY_EVERY;
        }
        if let Some(due) = self.next_backup
            && now >= due
        {
            let made = backup::take(store, &self.backups, self.config.backup.keep)?;
            said.push(format!("backup written to {}", made.display()));
            self.next_backup = Some(now + BACKUP_EVERY);
        }
        Ok(said)
    }
}
