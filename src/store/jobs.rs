//! Jobs: the names entries are grouped by, with their entry counts. Definitions and per-job
//! activity extend this repository in `job_defs` and `job_summary`.

use rusqlite::Connection;

use super::Result;
use super::connection::retry;

/// A job and how many entries it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobCount {
    pub id: i64,
    pub name: String,
    pub entries: u64,
}

pub struct JobRepository<C> {
    conn: C,
}

impl<C: std::ops::Deref<Target = Connection>> JobRepository<C> {
    pub fn new(conn: C) -> Self {
        JobRepository { conn }
    }

    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Every job with its total entry count (from the per-job totals, not the entries).
    pub fn list(&self) -> Result<Vec<JobCount>> {
        Ok(retry(|| {
            let mut st = self.conn.prepare_cached(
                "SELECT j.id, j.name, coalesce(c.n, 0)
                 FROM jobs j LEFT JOIN (SELECT job_id, sum(n) AS n FROM job_levels GROUP BY job_id) c
                   ON c.job_id = j.id
                 ORDER BY j.name",
            )?;
            st.query_map([], |r| {
                Ok(JobCount {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    entries: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect()
        })?)
    }

    /// Ids of the named jobs; unknown names are left out.
    pub fn ids(&self, names: &[String]) -> Result<Vec<i64>> {
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let id: Option<i64> = retry(|| {
                use rusqlite::OptionalExtension;
                self.conn
                    .prepare_cached("SELECT id FROM jobs WHERE name = ?1")?
                    .query_row([name], |r| r.get(0))
                    .optional()
            })?;
            out.extend(id);
        }
        Ok(out)
    }
}
