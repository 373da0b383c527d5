//! One log file being read from its checkpoint: registration with the store (which decides
//! whether the file continues an earlier source), the reader and parser, parsed entries waiting
//! for a batch, and the checkpoint those entries will commit. Shared by the bulk indexer and the
//! follower.

use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;

use super::discover::{Skipped, SourceSpec, job_from_path};
use super::indexer::{IndexOptions, IngestError};
use super::parser::{EntryParser, MAX_MESSAGE, ParsedEntry, ParserSettings};
use super::reader::{LineReader, Probe, open_at, probe};
use crate::store::{Checkpoint, IngestWriter, NewEntry, NewSource, Registration};

/// Entries parsed ahead.
const LOOKAHEAD: usize = 256;

pub struct Stream {
    pub source_id: i64,
    /// The file as the user named it (for messages).
    pub path: String,
    /// The file as opened (canonical).
    pub real_path: PathBuf,
    pub dev: Option<u64>,
    pub inode: Option<u64>,
    pub compressed: bool,
    /// The file's first bytes as recorded, to recognise it later and to notice when its content
    /// was replaced in place.
    pub fingerprint: Vec<u8>,
    pub reader: LineReader<Box<dyn Read + Send>>,
    pub parser: EntryParser,
    pub queue: VecDeque<ParsedEntry>,
    scratch: Vec<ParsedEntry>,
    /// The reader reached the end of the data (for now).
    pub done: bool,
    /// Take an unterminated last line as complete (the file is finished or idle).
    pub take_partial: bool,
    pub size: u64,
    pub mtime: i64,
    /// End of the last entry handed to a batch: (offset, line, ts).
    pub checkpoint: Option<(u64, u64, i64)>,
    /// The checkpoint moved since the last batch.
    pub touched: bool,
    pub failure: Option<String>,
    /// Entries cut to the size limit since the last [`notes`](Stream::notes).
    trimmed: Option<Trimmed>,
}

/// Entries of a file that were cut to the size limit: how many, the bytes left out, the first.
#[derive(Debug, Clone, Copy)]
struct Trimmed {
    entries: u64,
    bytes: u64,
    first_line: u64,
}

/// What opening a file found.
pub enum Opened {
    Ready(Box<Stream>),
    /// Nothing new since the checkpoint.
    UpToDate,
    /// The file is a copy of `original`, which is still indexed where it is.
    CopyOfActive {
        original: String,
    },
    Skipped(Skipped),
}

/// The entry as the store takes it.
pub fn new_entry(source_id: i64, e: ParsedEntry) -> NewEntry {
    NewEntry {
        source_id,
        job: e.job,
        ts: e.ts,
        level: e.level,
        level_raw: e.level_raw,
        message: e.message,
        fields: e.fields,
        line: e.line,
        offset: e.offset,
    }
}

/// The year of `ms` in `zone`: formats that print none take it from the file's time.
pub fn year_of(ms: i64, zone: &jiff::tz::TimeZone) -> i16 {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(zone.clone()).year())
        .unwrap_or(2026)
}

impl Stream {
    /// Registers a file and positions a reader at its checkpoint.
    pub fn open(
        writer: &mut IngestWriter,
        spec: &SourceSpec,
        opts: &IndexOptions,
    ) -> Result<Opened, IngestError> {
        Stream::open_with(writer, spec, opts, false)
    }

    /// Like [`Stream::open`], but a file with nothing new is still opened, to be followed.
    pub fn open_following(
        writer: &mut IngestWriter,
        spec: &SourceSpec,
        opts: &IndexOptions,
    ) -> Result<Opened, IngestError> {
        Stream::open_with(writer, spec, opts, true)
    }

    fn open_with(
        writer: &mut IngestWriter,
        spec: &SourceSpec,
        opts: &IndexOptions,
        follow: bool,
    ) -> Result<Opened, IngestError> {
        let display = spec.path.display().to_string();
        let skip = |reason: String| {
            Ok(Opened::Skipped(Skipped {
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
        let rec = match writer.register_source(&source)? {
            Registration::Ready(rec) => rec,
            Registration::CopyOfActive { original } => {
                return Ok(Opened::CopyOfActive { original });
            }
        };
        if !pr.compressed && rec.offset >= pr.size && !follow {
            return Ok(Opened::UpToDate);
        }
        let settings = ParserSettings {
            zone: opts.zone.clone(),
            year: year_of(pr.mtime, &opts.zone),
            file_mtime: pr.mtime,
            custom: opts.custom.clone(),
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
        let idle = crate::query::time::now_ms() - pr.mtime >= opts.idle_flush.as_millis() as i64;
        Ok(Opened::Ready(Box::new(Stream {
            source_id: rec.id,
            path: display,
            real_path: path,
            dev: pr.dev,
            inode: pr.inode,
            compressed: pr.compressed,
            fingerprint: if source.fingerprint.len() >= rec.fingerprint.len() {
                source.fingerprint.clone()
            } else {
                rec.fingerprint.clone()
            },
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
            trimmed: None,
        })))
    }

    /// Reads and parses until `LOOKAHEAD` entries wait or the data ends. At the end of the data
    /// the parser gives up its last entry when `finish` (no continuation line can follow).
    pub fn fill_until_end(&mut self, finish: bool) {
        while self.queue.len() < LOOKAHEAD && !self.done {
            match self.reader.next_line(self.take_partial) {
                Ok(Some(line)) => self.parser.push(line, &mut self.scratch),
                Ok(None) => {
                    if finish {
                        self.parser.finish(&mut self.scratch);
                    }
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

    /// Reads on and parses until `LOOKAHEAD` entries wait or the file ends; a file read once.
    pub fn fill(&mut self) {
        self.fill_until_end(true);
    }

    /// Emits the entry the parser holds back for continuation lines.
    pub fn flush_parser(&mut self) {
        self.parser.finish(&mut self.scratch);
        self.queue.extend(self.scratch.drain(..));
    }

    /// True when the file at `real_path` still starts with the recorded first bytes.
    pub fn same_start(&self, head: &[u8]) -> bool {
        let n = self.fingerprint.len().min(head.len());
        head.len() >= self.fingerprint.len().min(self.reader.position() as usize)
            && self.fingerprint[..n] == head[..n]
    }

    pub fn head_ts(&self) -> Option<i64> {
        self.queue.front().map(|e| e.ts)
    }

    /// Takes the next parsed entry for a batch and moves the checkpoint past it.
    pub fn take(&mut self) -> Option<NewEntry> {
        let e = self.queue.pop_front()?;
        self.checkpoint = Some((e.end_offset, e.end_line, e.ts));
        self.touched = true;
        if e.trimmed > 0 {
            let t = self.trimmed.get_or_insert(Trimmed {
                entries: 0,
                bytes: 0,
                first_line: e.line,
            });
            t.entries += 1;
            t.bytes += e.trimmed;
        }
        Some(new_entry(self.source_id, e))
    }

    /// What the user should hear about this file since the last call: a read error that
    /// stopped it, entries cut to the size limit.
    pub fn notes(&mut self) -> Vec<Skipped> {
        let mut out = Vec::new();
        if let Some(t) = self.trimmed.take() {
            let what = if t.entries == 1 {
                format!("the entry at line {} is", t.first_line)
            } else {
                format!(
                    "{} entries (the first at line {}) are",
                    t.entries, t.first_line
                )
            };
            out.push(Skipped {
                path: self.path.clone(),
                reason: format!(
                    "{what} longer than {mib} MiB; kept the first {mib} MiB of each, left out {} bytes",
                    t.bytes,
                    mib = MAX_MESSAGE >> 20,
                ),
            });
        }
        if let Some(f) = self.failure.take() {
            out.push(Skipped {
                path: self.path.clone(),
                reason: f,
            });
        }
        out
    }

    /// The checkpoint to commit, if it moved since the last call.
    pub fn take_checkpoint(&mut self) -> Option<Checkpoint> {
        if !std::mem::take(&mut self.touched) {
            return None;
        }
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

    /// After the last entry: the checkpoint moves to where reading stopped (past lines that made
    /// no entry, such as a trailing empty line), unless a partial line waits there.
    pub fn settle_at_end(&mut self) {
        if self.reader.pending() == 0 && self.queue.is_empty() {
            let pos = self.reader.position();
            let (line, ts) = self.checkpoint.map_or((0, 0), |c| (c.1, c.2));
            if self.checkpoint.is_none_or(|c| c.0 < pos) {
                self.checkpoint = Some((pos, line.max(self.reader.lines_read()), ts));
                self.touched = true;
            }
        }
    }
}
