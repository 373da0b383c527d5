//! `DataWatch`: notices commits made by other connections (another process's indexer, or this
//! process's writer) by polling `PRAGMA data_version` on one connection it keeps for that.
//! The number is only comparable on the same connection, hence a connection of its own.

use super::connection::retry;
use super::{PooledConnection, Result};

pub struct DataWatch {
    conn: PooledConnection,
    last: i64,
}

impl DataWatch {
    pub(super) fn new(conn: PooledConnection) -> Result<DataWatch> {
        let last = version(&conn)?;
        Ok(DataWatch { conn, last })
    }

    /// True when another connection committed since the last call (or since the watch began).
    pub fn changed(&mut self) -> Result<bool> {
        let now = version(&self.conn)?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}

fn version(c: &PooledConnection) -> Result<i64> {
    Ok(retry(|| {
        c.query_row("PRAGMA data_version", [], |r| r.get(0))
    })?)
}
