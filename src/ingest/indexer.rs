//! `LogIndexer`: reads files from their checkpoints, parses them, merges their entries by time
//! and hands batches to the store's single writer. Reading and parsing run on their own thread,
//! so one core parses while SQLite inserts (and the full-text thread indexes) on the other.
//!
//! Merging files by time means entries are appended in time order, which keeps ids (that sort
//! like time) appending too. Each batch carries, per file, the end of its last entry in the
//! batch: the checkpoint that commits with it, so a crash neither loses nor repeats an entry.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io::Read;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use super::discover::{Skipped, SourceSpec, job_from_path};
use super::parser::{CustomFormat, EntryParser, ParsedEntry, ParserError, ParserSettings};
use super::reader::{LineReader, Probe, open_at, probe};
use crate::store::{Batch, Checkpoint, IngestWriter, NewEntry, NewSource, StoreError};

/// Files merged at once; more are taken in groups, oldest first.
const MERGE_WIDTH: usize = 32;
/// Entries parsed ahead per file.
const LOOKAHEAD: usize = 256;

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
            batch_size: 50_000,
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
    /// A file that was left out or stopped early, and why.
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

/// One file being read.
struct Stream {
    source_id: i64,
    path: String,
    reader: LineReader<Box<dyn Read + Send>>,
    parser: EntryParser,
    queue: VecDeque<ParsedEntry>,
    scratch: Vec<ParsedEntry>,
    done: bool,
    take_partial: bool,
    size: u64,
    mtime: i64,
    /// End of the last entry handed to a batch.
    checkpoint: Option<(u64, u64, i64)>,
    touched: bool,
    failure: Option<String>,
}

impl Stream {
    fn fill(&mut self) {
        while self.queue.len() < LOOKAHEAD && !self.done {
            match self.reader.next_line(self.take_partial) {
                Ok(Some(line)) => self.parser.push(line, &mut self.scratch),
                Ok(None) => {
                    self.parser.finish(&mut self.scratch);
                    self.done = true;
                }
                Err(e) => {
                    self.failure = Some(format!("read error, stopped here: {e}"));
                    self.parser.finish(&mut self.scratch);
                    self.done = true;
                }
            }
            self.queue.extend(self.scratch.drain(..));
        }
    }

    fn head_ts(&self) -> Option<i64> {
        self.queue.front().map(|e| e.ts)
    }

    fn checkpoint(&self) -> Option<Checkpoint> {
        let (offset, line, ts) = self.checkpoint?;
        Some(Checkpoint {
            source_id: self.source_id,
            offset,
            line,
            last_ts: Some(ts),
            format: self.parser.format_name().map(str::to_string),
            size: self.size,
            mtime: self.mtime,
        })
    }
}

enum Msg {
    Batch(Batch, u64),
    Skipped(Skipped),
}

pub struct LogIndexer<'w> {
    writer: &'w mut IngestWriter,
    opts: IndexOptions,
}

fn year_of(ms: i64, zone: &jiff::tz::TimeZone) -> i16 {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(zone.clone()).year())
        .unwrap_or(2026)
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
        let started = Instant::now();
        let mut summary = IndexSummary::default();
        let mut streams = Vec::new();
        for spec in specs {
            match self.open_stream(spec)? {
                Ok(Some(s)) => streams.push(s),
                Ok(None) => summary.files += 1,
                Err(skip) => {
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

    /// Registers a file and positions a reader at its checkpoint. `Ok(Ok(None))`: nothing new.
    fn open_stream(
        &mut self,
        spec: &SourceSpec,
    ) -> Result<Result<Option<Stream>, Skipped>, IngestError> {
        let display = spec.path.display().to_string();
        let skip = |reason: String| {
            Ok(Err(Skipped {
                path: display.clone(),
                reason,
            }))
        };
        let path = std::fs::canonicalize(&spec.path).unwrap_or_else(|_| spec.path.clone());
        let pr: Probe = match probe(&path) {
            Ok(p) => p,
            Err(e) => {
                return skip(match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                    std::io::ErrorKind::NotFound => "no such file".into(),
                    _ => format!("cannot read: {e}"),
                });
            }
        };
        if pr.looks_binary() {
            return skip("looks like a binary file, not a log; skipped".into());
        }
        let source = NewSource {
            path: path.to_string_lossy().into_owned(),
            job: spec.job.clone().unwrap_or_else(|| job_from_path(&path)),
            format: spec.format.clone(),
            dev: pr.dev,
            inode: pr.inode,
            fingerprint: pr.fingerprint(),
            compressed: pr.compressed,
            size: pr.size,
            mtime: pr.mtime,
        };
        let rec = self.writer.register_source(&source)?;
        if !pr.compressed && rec.offset >= pr.size {
            return Ok(Ok(None));
        }
        let settings = ParserSettings {
            zone: self.opts.zone.clone(),
            year: year_of(pr.mtime, &self.opts.zone),
            file_mtime: pr.mtime,
            custom: self.opts.custom.clone(),
            format: spec.format.clone().or(rec.format.clone()),
        };
        let parser = EntryParser::new(settings).map_err(|source| IngestError::Parser {
            path: display.clone(),
            source,
        })?;
        let inner = match open_at(&path, pr.compressed, rec.offset) {
            Ok(r) => r,
            Err(e) => return skip(format!("cannot read: {e}")),
        };
        let idle =
            crate::query::time::now_ms() - pr.mtime >= self.opts.idle_flush.as_millis() as i64;
        Ok(Ok(Some(Stream {
            source_id: rec.id,
            path: display,
            reader: LineReader::new(inner, rec.offset, rec.line),
            parser,
            queue: VecDeque::new(),
            scratch: Vec::new(),
            done: false,
            take_partial: pr.compressed || idle,
            size: pr.size,
            mtime: pr.mtime,
            checkpoint: None,
            touched: false,
            failure: None,
        })))
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
                    let Some(e) = s.queue.pop_front() else {
                        continue;
                    };
                    s.checkpoint = Some((e.end_offset, e.end_line, e.ts));
                    s.touched = true;
                    batch.entries.push(NewEntry {
                        source_id: s.source_id,
                        job: e.job,
                        ts: e.ts,
                        level: e.level,
                        level_raw: e.level_raw,
                        message: e.message,
                        fields: e.fields,
                        line: e.line,
                        offset: e.offset,
                    });
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
                    let line = s.checkpoint.map_or(0, |c| c.1);
                    let pos = s.reader.position();
                    if s.reader.pending() == 0 && s.queue.is_empty() {
                        let ts = s.checkpoint.map_or(0, |c| c.2);
                        if s.checkpoint.is_none_or(|c| c.0 < pos) {
                            s.checkpoint = Some((pos, line.max(s.reader_line()), ts));
                        }
                        s.touched = true;
                    }
                    if let Some(f) = s.failure.take() {
                        let _ = tx.send(Msg::Skipped(Skipped {
                            path: s.path.clone(),
                            reason: f,
                        }));
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
        .filter_map(|s| {
            if std::mem::take(&mut s.touched) {
                s.checkpoint()
            } else {
                None
            }
        })
        .collect()
}

impl Stream {
    /// Line number of the last line read.
    fn reader_line(&self) -> u64 {
        self.reader.lines_read()
    }
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
