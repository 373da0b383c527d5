//! Helpers for tests that store entries through the writer directly, without log files: a
//! registered source, an entry, and a seeded pseudo-random sequence for synthetic histories.
#![allow(dead_code)]

use logdex::model::Level;
use logdex::store::{IngestWriter, NewEntry, NewSource, Registration};

/// A linear congruential generator: the same sequence from the same seed, on every machine.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Registers a source at `path` for `job`; returns its id.
pub fn source(w: &mut IngestWriter, path: &str, job: &str) -> i64 {
    let reg = w.register_source(&NewSource {
        path: path.into(),
        job: job.into(),
        format: None,
        dev: None,
        inode: None,
        fingerprint: path.as_bytes().to_vec(),
        compressed: false,
        size: 0,
        mtime: 0,
    });
    match reg.expect("source") {
        Registration::Ready(rec) => rec.id,
        other => panic!("{other:?}"),
    }
}

/// An entry of the source's own job at `line`, `bytes_per_line` bytes into the file per line.
pub fn entry_at(
    source_id: i64,
    ts: i64,
    level: Option<Level>,
    message: &str,
    line: u64,
    bytes_per_line: u64,
) -> NewEntry {
    NewEntry {
        source_id,
        job: None,
        ts,
        level,
        level_raw: None,
        message: message.into(),
        fields: None,
        line,
        offset: line * bytes_per_line,
    }
}
