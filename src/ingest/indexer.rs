//! `LogIndexer`: reads files from their checkpoints, parses them, merges their entries by time
//! and hands batches to the store's single writer. Reading and parsing run on their own thread,
//! so one core parses while SQLite inserts (and the full-text thread indexes) on the other.
//!
//! Merging files by time means entries are appended in time order, which keeps ids (that sort
//! like time) appending too. Each batch carries, per file, the end of its last entry in the
//! batch: the checkpoint that commits with it, so a crash neither loses nor repeats an entry.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use super::discover::{Skipped, SourceSpec};
use super::parser::{CustomFormat, ParserError};
use super::stream::{Opened, Stream};
use crate::store::{Batch, Checkpoint, IngestWriter, StoreError};

/// Files merged at once; more are taken in groups, oldest first.
const MERGE_WIDTH: usize = 32;

#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub zone: jiff::tz::TimeZone,
    pub custom: Vec<CustomFormat>,
    pub batch_size: usize,
    /// A last line without newline is indexed once the file has not changed for this long.
    pub idle_flush: Duration,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            zone: jiff::tz::TimeZone::system(),
            custom: Vec::new(),
            batch_size: 20_000,
            idle_flush: Duration::from_secs(5),
        }
    }
}

/// What the indexer reports while it works.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexEvent {
    /// The files about to be read and their total size.
    Planned { files: usize, bytes: u64 },
    /// Bytes read and entries committed so far.
    Progress { bytes: u64, entries: u64 },
    /// A batch committed.
    Committed { count: usize, last_id: Option<i64> },
    /// A file that was left out or stopped early, or entries of it cut to size, and why.
    Skipped(Skipped),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexSummary {
    pub files: usize,
    pub entries: u64,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Parser { path: String, source: ParserError },
}

enum Msg {
    Batch(Batch, u64),
    Skipped(Skipped),
}

pub struct LogIndexer<'w> {
    writer: &'w mut IngestWriter,
    opts: IndexOptions,
}

impl<'w> LogIndexer<'w> {
    pub fn new(writer: &'w mut IngestWriter, opts: IndexOptions) -> Self {
        LogIndexer { writer, opts }
    }

    /// Indexes every file of `specs` from its checkpoint to its end.
    pub fn index(
        &mut self,
        specs: &[SourceSpec],
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<IndexSummary, IngestError> {
        crate::priority::background_thread();
        let started = Instant::now();
        let mut summary = IndexSummary::default();
        let mut streams = Vec::new();
        for spec in specs {
            match Stream::open(self.writer, spec, &self.opts)? {
                Opened::Ready(s) => streams.push(*s),
                Opened::UpToDate => summary.files += 1,
                Opened::CopyOfActive { original } => {
                    let skip = Skipped {
                        path: spec.path.display().to_string(),
                        reason: format!(
                            "a copy of {original}, which is indexed where it is; skipped"
                        ),
                    };
                    events(IndexEvent::Skipped(skip.clone()));
                    summary.skipped.push(skip);
                }
                Opened::Skipped(skip) => {
                    events(IndexEvent::Skipped(skip.clone()));
                    summary.skipped.push(skip);
                }
            }
        }
        summary.files += streams.len();
        let bytes: u64 = streams.iter().map(|s| s.size).sum();
        events(IndexEvent::Planned {
            files: streams.len(),
            bytes,
        });
        streams.sort_by_key(|s| s.mtime);
        let mut groups: Vec<Vec<Stream>> = Vec::new();
        let mut rest = streams.into_iter().peekable();
        while rest.peek().is_some() {
            groups.push(rest.by_ref().take(MERGE_WIDTH).collect());
        }
        let mut read_before = 0;
        for group in groups {
            read_before += self.merge(group, read_before, &mut summary, events)?;
        }
        summary.bytes = read_before;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Merges a group of files by time into batches; returns the bytes read.
    fn merge(
        &mut self,
        mut streams: Vec<Stream>,
        read_before: u64,
        summary: &mut IndexSummary,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<u64, IngestError> {
        let batch_size = self.opts.batch_size.max(1);
        let (tx, rx) = sync_channel::<Msg>(2);
        std::thread::scope(|scope| -> Result<u64, IngestError> {
            let producer = scope.spawn(move || {
                crate::priority::background_thread();
                let mut heap = BinaryHeap::new();
                for (i, s) in streams.iter_mut().enumerate() {
                    s.fill();
                    if let Some(ts) = s.head_ts() {
                        heap.push(Reverse((ts, i)));
                    }
                }
                let mut batch = Batch::default();
                let read =
                    |streams: &[Stream]| streams.iter().map(|s| s.reader.bytes_read()).sum::<u64>();
                while let Some(Reverse((_, i))) = heap.pop() {
                    let s = &mut streams[i];
                    let Some(e) = s.take() else {
                        continue;
                    };
                    batch.entries.push(e);
                    if s.queue.is_empty() {
                        s.fill();
                    }
                    if let Some(ts) = s.head_ts() {
                        heap.push(Reverse((ts, i)));
                    }
                    if batch.entries.len() >= batch_size {
                        batch.checkpoints = take_checkpoints(&mut streams);
                        let bytes = read(&streams);
                        if tx
                            .send(Msg::Batch(std::mem::take(&mut batch), bytes))
                            .is_err()
                        {
                            return;
                        }
                    }
                }
                // Every file is read to its end: its checkpoint is where reading stopped.
                for s in &mut streams {
                    s.settle_at_end();
                    for note in s.notes() {
                        let _ = tx.send(Msg::Skipped(note));
                    }
                }
                batch.checkpoints = take_checkpoints(&mut streams);
                let bytes = read(&streams);
                let _ = tx.send(Msg::Batch(batch, bytes));
            });
            let mut read = 0;
            for msg in rx {
                match msg {
                    Msg::Batch(batch, bytes) => {
                        let done = self.writer.commit(batch)?;
                        summary.entries += done.count as u64;
                        read = bytes;
                        events(IndexEvent::Committed {
                            count: done.count,
                            last_id: done.last_id,
                        });
                        events(IndexEvent::Progress {
                            bytes: read_before + bytes,
                            entries: summary.entries,
                        });
                    }
                    Msg::Skipped(s) => {
                        events(IndexEvent::Skipped(s.clone()));
                        summary.skipped.push(s);
                    }
                }
            }
            let _ = producer.join();
            Ok(read)
        })
    }
}

/// Checkpoints of the files that advanced since the last batch.
fn take_checkpoints(streams: &mut [Stream]) -> Vec<Checkpoint> {
    streams
        .iter_mut()
        .filter_map(Stream::take_checkpoint)
        .collect()
}

/// Indexes `paths` with the job and format given, or taken from the file names.
pub fn specs_for(
    paths: &[std::path::PathBuf],
    job: Option<&str>,
    format: Option<&str>,
) -> Vec<SourceSpec> {
    paths
        .iter()
        .map(|p| SourceSpec {
            path: p.clone(),
            job: job.map(str::to_string),
            format: format.map(str::to_string),
        })
        .collect()
}
