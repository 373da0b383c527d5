//! Job definitions on the `jobs` rows: read one or all, import a file's worth in one
//! transaction (added, updated, unchanged, and removed when pruning), remove one. A removed
//! definition leaves its row (and so its id) in place: entries and sources point at it, and a
//! running indexer may hold the id.

use std::ops::Deref;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::Result;
use super::connection::retry;
use super::jobs::JobRepository;
use crate::jobs::{Changes, JobDef, diff};

/// A job row: the key entries carry, its definition if it has one, and when that was stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRecord {
    pub id: i64,
    pub name: String,
    /// None for a job only seen in logs.
    pub definition: Option<JobDef>,
    /// When the definition was first stored and last changed (ms, UTC).
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// A row is shown when it is defined or anything refers to it.
const VISIBLE: &str = "(j.defined = 1
     OR EXISTS (SELECT 1 FROM job_levels l WHERE l.job_id = j.id AND l.n > 0)
     OR EXISTS (SELECT 1 FROM sources s WHERE s.job_id = j.id))";

const COLUMNS: &str =
    "j.id, j.name, j.defined, j.display_name, j.description, j.schedule, j.command,
     j.enabled, j.log_path, j.tags, j.created_at, j.updated_at";

fn record(r: &Row<'_>) -> rusqlite::Result<JobRecord> {
    let name: String = r.get(1)?;
    let defined: bool = r.get(2)?;
    let definition = if defined {
        Some(JobDef {
            id: name.clone(),
            name: r.get(3)?,
            description: r.get(4)?,
            schedule: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            command: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            enabled: r.get::<_, Option<bool>>(7)?.unwrap_or(true),
            log_path: r.get(8)?,
            tags: tags_from(r.get::<_, Option<String>>(9)?.as_deref()),
        })
    } else {
        None
    };
    Ok(JobRecord {
        id: r.get(0)?,
        name,
        definition,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// Tags are a JSON array; anything else a direct writer left there reads as its strings.
fn tags_from(json: Option<&str>) -> Vec<String> {
    match json.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()) {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn tags_json(tags: &[String]) -> String {
    serde_json::Value::from(tags.to_vec()).to_string()
}

fn stored_definitions(c: &Connection) -> rusqlite::Result<Vec<JobDef>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM jobs j WHERE j.defined = 1 ORDER BY j.name"
    ))?;
    let rows = st.query_map([], record)?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(r?.definition);
    }
    Ok(out)
}

fn write_definition(c: &Connection, job: &JobDef, now: i64) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO jobs(name, defined, display_name, description, schedule, command, enabled,
                          log_path, tags, created_at, updated_at)
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT(name) DO UPDATE SET
             defined = 1, display_name = ?2, description = ?3, schedule = ?4, command = ?5,
             enabled = ?6, log_path = ?7, tags = ?8,
             created_at = CASE WHEN jobs.defined = 1 THEN jobs.created_at ELSE ?9 END,
             updated_at = ?9",
    )?
    .execute(params![
        job.id,
        job.name,
        job.description,
        job.schedule,
        job.command,
        job.enabled,
        job.log_path,
        tags_json(&job.tags),
        now
    ])?;
    Ok(())
}

fn remove_definition(c: &Connection, name: &str) -> rusqlite::Result<bool> {
    let n = c
        .prepare_cached(
            "UPDATE jobs SET defined = 0, display_name = NULL, description = NULL, schedule = NULL,
                    command = NULL, enabled = NULL, log_path = NULL, tags = NULL,
                    created_at = NULL, updated_at = NULL
             WHERE name = ?1 AND defined = 1",
        )?
        .execute([name])?;
    Ok(n > 0)
}

impl<C: Deref<Target = Connection>> JobRepository<C> {
    /// One job by name (its definition's id), defined or not.
    pub fn get(&self, name: &str) -> Result<Option<JobRecord>> {
        Ok(retry(|| {
            self.conn()
                .prepare_cached(&format!("SELECT {COLUMNS} FROM jobs j WHERE j.name = ?1"))?
                .query_row([name], record)
                .optional()
        })?)
    }

    /// Every job that is defined or appears in the logs, by name.
    pub fn records(&self) -> Result<Vec<JobRecord>> {
        Ok(retry(|| {
            let mut st = self.conn().prepare_cached(&format!(
                "SELECT {COLUMNS} FROM jobs j WHERE {VISIBLE} ORDER BY j.name"
            ))?;
            st.query_map([], record)?.collect()
        })?)
    }

    /// Every stored definition, by id.
    pub fn definitions(&self) -> Result<Vec<JobDef>> {
        Ok(retry(|| stored_definitions(self.conn()))?)
    }

    /// What [`JobRepository::upsert`] would change, without writing.
    pub fn preview(&self, jobs: &[JobDef], prune: bool) -> Result<Changes> {
        Ok(retry(|| {
            let tx = self.conn().unchecked_transaction()?;
            let changes = diff(&stored_definitions(&tx)?, jobs, prune);
            tx.commit()?;
            Ok(changes)
        })?)
    }

    /// Stores a file's definitions in one transaction: new jobs are added (a job so far only
    /// seen in logs gains its definition), changed ones updated, equal ones left untouched;
    /// with `prune`, definitions the file lacks are removed. Needs a writable connection
    /// ([`super::Store::jobs_mut`]).
    pub fn upsert(&self, jobs: &[JobDef], prune: bool, now: i64) -> Result<Changes> {
        Ok(retry(|| {
            let tx = Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
            let changes = diff(&stored_definitions(&tx)?, jobs, prune);
            for job in &changes.added {
                write_definition(&tx, job, now)?;
            }
            for u in &changes.updated {
                write_definition(&tx, &u.job, now)?;
            }
            for name in &changes.removed {
                remove_definition(&tx, name)?;
            }
            tx.commit()?;
            Ok(changes)
        })?)
    }

    /// Removes a job's definition (its row, id and entries stay); false when it had none.
    pub fn delete(&self, name: &str) -> Result<bool> {
        Ok(retry(|| remove_definition(self.conn(), name))?)
    }
}
