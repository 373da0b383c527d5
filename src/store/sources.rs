//! Sources: one row per log file, with the checkpoint that says how far it has been indexed.

use rusqlite::{Connection, OptionalExtension, Row};

use super::Result;
use super::connection::retry;
use super::writer::NewSource;

/// A stored source and its checkpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceRecord {
    pub id: i64,
    pub path: String,
    pub job_id: i64,
    pub job: String,
    pub format: Option<String>,
    pub dev: Option<u64>,
    pub inode: Option<u64>,
    #[serde(skip)]
    pub fingerprint: Vec<u8>,
    pub compressed: bool,
    /// Byte offset just past the last complete entry indexed.
    pub offset: u64,
    /// Line number of that entry's last line.
    pub line: u64,
    pub last_ts: Option<i64>,
    pub size: u64,
    pub mtime: i64,
    pub state: String,
}

impl SourceRecord {
    /// True when `file` is the same file this record describes, grown or not.
    pub fn same_file(&self, file: &NewSource) -> bool {
        let same_inode = match (self.dev, self.inode, file.dev, file.inode) {
            (Some(d1), Some(i1), Some(d2), Some(i2)) => d1 == d2 && i1 == i2,
            _ => true,
        };
        let n = self.fingerprint.len().min(file.fingerprint.len());
        let same_start = self.fingerprint[..n] == file.fingerprint[..n];
        let not_shrunk = file.compressed || file.size >= self.offset;
        same_inode && same_start && not_shrunk && self.compressed == file.compressed
    }
}

const COLUMNS: &str =
    "s.id, s.path, s.job_id, j.name, s.format, s.dev, s.inode, s.fingerprint, s.compressed,
     s.byte_offset, s.line_no, s.last_ts, s.size, s.mtime, s.state";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SourceRecord> {
    Ok(SourceRecord {
        id: r.get(0)?,
        path: r.get(1)?,
        job_id: r.get(2)?,
        job: r.get(3)?,
        format: r.get(4)?,
        dev: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
        inode: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
        fingerprint: r.get::<_, Option<Vec<u8>>>(7)?.unwrap_or_default(),
        compressed: r.get(8)?,
        offset: r.get::<_, i64>(9)? as u64,
        line: r.get::<_, i64>(10)? as u64,
        last_ts: r.get(11)?,
        size: r.get::<_, Option<i64>>(12)?.unwrap_or(0) as u64,
        mtime: r.get::<_, Option<i64>>(13)?.unwrap_or(0),
        state: r.get(14)?,
    })
}

pub(super) fn active_by_path(c: &Connection, path: &str) -> rusqlite::Result<Option<SourceRecord>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM sources s JOIN jobs j ON j.id = s.job_id WHERE s.path = ?1 AND s.state = 'active'"),
        [path],
        from_row,
    )
    .optional()
}

/// Sources whose stored first bytes begin `fingerprint` — at least `min` of them, or all the
/// bytes the source ever had (a small file read to its end) — oldest first.
pub(super) fn by_fingerprint_prefix(
    c: &Connection,
    fingerprint: &[u8],
    min: usize,
) -> rusqlite::Result<Vec<SourceRecord>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sources s JOIN jobs j ON j.id = s.job_id
         WHERE length(s.fingerprint) > 0
           AND (length(s.fingerprint) >= ?2 OR length(s.fingerprint) = s.byte_offset)
           AND s.fingerprint = substr(?1, 1, length(s.fingerprint))
         ORDER BY s.id"
    ))?;
    st.query_map(rusqlite::params![fingerprint, min as i64], from_row)?
        .collect()
}

/// Reads sources.
pub struct SourceRepository<C> {
    conn: C,
}

impl<C: std::ops::Deref<Target = Connection>> SourceRepository<C> {
    pub fn new(conn: C) -> Self {
        SourceRepository { conn }
    }

    pub fn list(&self) -> Result<Vec<SourceRecord>> {
        Ok(retry(|| {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sources s JOIN jobs j ON j.id = s.job_id ORDER BY s.path, s.id"
            ))?;
            st.query_map([], from_row)?.collect()
        })?)
    }

    pub fn by_path(&self, path: &str) -> Result<Option<SourceRecord>> {
        Ok(retry(|| active_by_path(&self.conn, path))?)
    }

    /// Sources whose content starts with `fingerprint` (a rotated or compressed copy of a file
    /// already indexed).
    pub fn by_fingerprint(&self, fingerprint: &[u8]) -> Result<Vec<SourceRecord>> {
        Ok(retry(|| {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sources s JOIN jobs j ON j.id = s.job_id WHERE s.fingerprint = ?1 ORDER BY s.id"
            ))?;
            st.query_map([fingerprint], from_row)?.collect()
        })?)
    }
}
