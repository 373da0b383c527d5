//! The follower keeps the store current while files grow: it indexes what is already there, then
//! watches the sources (paths, directories, globs) and reads what is appended, following files
//! through rotation:
//! - renamed away (logrotate's default) or deleted: the old file is read on through the open
//!   handle until it has been quiet for a while (a job may still be writing to it), then retired;
//!   the new file at the path starts from its beginning;
//! - truncated in place (copytruncate): the source is retired at its checkpoint and the path
//!   starts afresh; the copy, if it is watched too, continues the retired source (see
//!   `IngestWriter::register_source`), so the lines between the last read and the truncation are
//!   found there, once;
//! - compressed later (`.1` → `.1.gz`): recognised by its first bytes as already indexed.
//!
//! A last line without its newline waits until it is complete or the file has been idle for
//! `idle_flush`; a complete entry is committed once no continuation line has followed it for
//! `settle`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::discover::{SourceSpec, expand};
use super::indexer::{IndexEvent, IndexOptions, IngestError, LogIndexer};
use super::reader::FINGERPRINT_LEN;
use super::stream::{Opened, Stream};
use super::watcher::{Wake, Watch, WatchMode};
use crate::store::{Batch, IngestWriter, Store};

/// What to follow: a path, directory or glob, and what the config says about its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePattern {
    pub pattern: String,
    pub job: Option<String>,
    pub format: Option<String>,
    pub recursive: bool,
}

/// The defined jobs' log paths, each a pattern of its job (`[jobs] follow_log_paths`).
pub fn job_log_patterns(store: &Store) -> Vec<SourcePattern> {
    match store.jobs().and_then(|j| j.definitions()) {
        Ok(defs) => defs
            .into_iter()
            .filter_map(|d| {
                Some(SourcePattern {
                    pattern: d.log_path?,
                    job: Some(d.id),
                    format: None,
                    recursive: false,
                })
            })
            .collect(),
        Err(e) => {
            tracing::warn!("the jobs' log paths could not be read: {e}");
            Vec::new()
        }
    }
}

#[derive(Debug, Clone)]
pub struct FollowOptions {
    pub mode: WatchMode,
    /// How often files are looked at without an event.
    pub poll_interval: Duration,
    /// A complete entry is committed once no continuation line has followed it for this long.
    pub settle: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            mode: WatchMode::Auto,
            poll_interval: Duration::from_secs(1),
            settle: Duration::from_millis(100),
        }
    }
}

struct Followed {
    stream: Stream,
    /// When data last arrived.
    grew: Instant,
    /// When the last complete line was read.
    last_line: Instant,
    /// The parser may hold an entry back for continuation lines.
    holding: bool,
    /// Size and modification time when last looked at.
    stamp: (u64, i64),
}

/// Follows sources until told to stop.
pub struct Follower<'w> {
    writer: &'w mut IngestWriter,
    opts: IndexOptions,
    follow: FollowOptions,
    patterns: Vec<SourcePattern>,
    live: HashMap<PathBuf, Followed>,
    /// Renamed or deleted files still read through their handle.
    draining: Vec<Followed>,
    /// Files named in a skip message already, so each is reported once.
    reported: HashSet<(String, String)>,
    /// Compressed files read to their end, by path, size and modification time.
    read_whole: HashSet<(PathBuf, u64, i64)>,
    watch: Watch,
    /// Asked at each look for new files: patterns to follow besides `patterns` (the defined
    /// jobs' log paths, which an import may change while this runs).
    more: Option<MorePatterns<'w>>,
}

/// Patterns that may change while a follower runs.
pub type MorePatterns<'w> = Box<dyn FnMut() -> Vec<SourcePattern> + 'w>;

/// Directories to watch for a pattern: the file's directory, the directory itself, or a glob's
/// longest directory prefix without wildcards.
fn watch_dirs(p: &SourcePattern) -> PathBuf {
    let path = Path::new(&p.pattern);
    if path.is_dir() {
        return path.to_path_buf();
    }
    let mut dir = PathBuf::new();
    for comp in path.components() {
        let s = comp.as_os_str().to_string_lossy();
        if s.contains(['*', '?', '[']) {
            break;
        }
        dir.push(comp);
    }
    if dir == path {
        dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

impl<'w> Follower<'w> {
    pub fn new(
        writer: &'w mut IngestWriter,
        opts: IndexOptions,
        follow: FollowOptions,
        patterns: Vec<SourcePattern>,
    ) -> Self {
        let mut dirs = Vec::new();
        let mut recursive = Vec::new();
        for p in &patterns {
            let d = watch_dirs(p);
            if p.recursive && Path::new(&p.pattern).is_dir() {
                recursive.push(d);
            } else {
                dirs.push(d);
            }
        }
        dirs.sort();
        dirs.dedup();
        let watch = Watch::start(&dirs, &recursive, follow.mode);
        Follower {
            writer,
            opts,
            follow,
            patterns,
            live: HashMap::new(),
            draining: Vec::new(),
            reported: HashSet::new(),
            read_whole: HashSet::new(),
            watch,
            more: None,
        }
    }

    /// Also follows what `more` returns, asked again at each look for new files.
    pub fn with_more_patterns(mut self, more: MorePatterns<'w>) -> Self {
        self.more = Some(more);
        self
    }

    /// Takes in the patterns `more` returns that are not followed yet.
    fn refresh_patterns(&mut self) {
        let Some(more) = &mut self.more else {
            return;
        };
        for p in more() {
            if self.patterns.iter().any(|q| q.pattern == p.pattern) {
                continue;
            }
            self.watch.add(&watch_dirs(&p));
            self.patterns.push(p);
        }
    }

    /// `"events"` or `"poll"`.
    pub fn watch_kind(&self) -> &'static str {
        self.watch.kind
    }

    /// Wakes the follower from another thread (to stop it promptly).
    pub fn waker(&self) -> Sender<Wake> {
        self.watch.waker()
    }

    fn specs(&mut self, events: &mut dyn FnMut(IndexEvent)) -> Vec<SourceSpec> {
        self.refresh_patterns();
        let mut out = Vec::new();
        for p in &self.patterns {
            let mut files = Vec::new();
            let mut skipped = Vec::new();
            expand(&p.pattern, p.recursive, &mut files, &mut skipped);
            for s in skipped {
                if self.reported.insert((s.path.clone(), s.reason.clone())) {
                    events(IndexEvent::Skipped(s));
                }
            }
            out.extend(files.into_iter().map(|path| SourceSpec {
                path,
                job: p.job.clone(),
                format: p.format.clone(),
            }));
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.dedup_by(|a, b| a.path == b.path);
        out
    }

    /// Indexes what is there, then follows until `stop()` says so; commits what it has read
    /// before returning.
    pub fn run(
        &mut self,
        stop: &dyn Fn() -> bool,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<(), IngestError> {
        self.run_maintained(stop, events, &mut |_, _| Ok(()))
    }

    /// Like [`Follower::run`], calling `maintain(writer, quiet)` between rounds (retention,
    /// checkpoints, backups); `quiet` when no file grew since the last round.
    pub fn run_maintained(
        &mut self,
        stop: &dyn Fn() -> bool,
        events: &mut dyn FnMut(IndexEvent),
        maintain: &mut dyn FnMut(&mut IngestWriter, bool) -> Result<(), crate::store::StoreError>,
    ) -> Result<(), IngestError> {
        let specs = self.specs(events);
        LogIndexer::new(self.writer, self.opts.clone()).index(&specs, events)?;
        self.discover(events)?;
        let mut last_scan = Instant::now();
        while !stop() {
            let timeout = if self.live.values().chain(&self.draining).any(|f| f.holding) {
                self.follow.settle.min(self.follow.poll_interval)
            } else {
                self.follow.poll_interval
            };
            let wake = self.watch.wait(timeout);
            if stop() {
                break;
            }
            if wake == Some(Wake::Files) || last_scan.elapsed() >= self.follow.poll_interval {
                self.discover(events)?;
                last_scan = Instant::now();
            }
            self.round(events)?;
            maintain(self.writer, wake.is_none())?;
        }
        self.round(events)?;
        Ok(())
    }

    /// Opens files that match a pattern and are not followed yet.
    fn discover(&mut self, events: &mut dyn FnMut(IndexEvent)) -> Result<(), IngestError> {
        for spec in self.specs(events) {
            let key = std::fs::canonicalize(&spec.path).unwrap_or_else(|_| spec.path.clone());
            if self.live.contains_key(&key) {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&key) else {
                continue;
            };
            // A file just created may not have its first bytes yet (a copy being written):
            // it is registered once it has some, so that it can be recognised.
            if meta.len() == 0 {
                continue;
            }
            let id = identity(&meta);
            // A file renamed away is still read through its handle: not a second time by name.
            if id.1.is_some()
                && self
                    .draining
                    .iter()
                    .chain(self.live.values())
                    .any(|f| (f.stream.dev, f.stream.inode) == id)
            {
                continue;
            }
            let stamp = (
                key.clone(),
                meta.len(),
                crate::ingest::reader::mtime_ms(&meta),
            );
            if self.read_whole.contains(&stamp) {
                continue;
            }
            // A compressed copy of a file still being read through its handle waits until that
            // is finished, then continues it from its checkpoint.
            if !self.draining.is_empty()
                && let Ok(p) = crate::ingest::reader::probe(&key)
                && self.draining.iter().any(|f| {
                    let n = f.stream.fingerprint.len().min(p.head.len());
                    n > 0 && f.stream.fingerprint[..n] == p.head[..n]
                })
            {
                continue;
            }
            match Stream::open_following(self.writer, &spec, &self.opts)? {
                Opened::Ready(stream) => {
                    tracing::debug!(path = %key.display(), source = stream.source_id, offset = stream.reader.position(), "following");
                    if stream.compressed {
                        // A compressed file does not grow: read it once, to its end.
                        self.read_once(*stream, events)?;
                        self.read_whole.insert(stamp);
                        continue;
                    }
                    let stamp = (stream.size, stream.mtime);
                    self.live.insert(
                        key,
                        Followed {
                            stream: *stream,
                            grew: Instant::now(),
                            last_line: Instant::now(),
                            holding: false,
                            stamp,
                        },
                    );
                }
                Opened::UpToDate => {}
                // Mid-rotation (`gzip` writes the copy before removing the original): look
                // again next round.
                Opened::CopyOfActive { .. } => {}
                Opened::Skipped(s) => {
                    if self.reported.insert((s.path.clone(), s.reason.clone())) {
                        events(IndexEvent::Skipped(s));
                    }
                }
            }
        }
        Ok(())
    }

    fn read_once(
        &mut self,
        mut stream: Stream,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<(), IngestError> {
        let mut batch = Batch::default();
        loop {
            stream.fill();
            while let Some(e) = stream.take() {
                batch.entries.push(e);
            }
            if stream.done && stream.queue.is_empty() {
                break;
            }
            if batch.entries.len() >= self.opts.batch_size {
                batch.checkpoints.extend(stream.take_checkpoint());
                self.commit(std::mem::take(&mut batch), events)?;
            }
        }
        stream.settle_at_end();
        batch.checkpoints.extend(stream.take_checkpoint());
        tell(&mut stream, events);
        self.commit(batch, events)
    }

    /// Checks every followed file for rotation and reads what is new.
    fn round(&mut self, events: &mut dyn FnMut(IndexEvent)) -> Result<(), IngestError> {
        let now = Instant::now();
        let mut truncated = Vec::new();
        let mut rotated = Vec::new();
        for (path, f) in &mut self.live {
            match std::fs::metadata(path) {
                Err(_) => rotated.push(path.clone()),
                Ok(m) => {
                    let (dev, inode) = identity(&m);
                    let seen = f.stream.reader.position() + f.stream.reader.pending() as u64;
                    let stamp = (m.len(), crate::ingest::reader::mtime_ms(&m));
                    if (dev, inode) != (f.stream.dev, f.stream.inode) {
                        rotated.push(path.clone());
                    } else if m.len() < seen {
                        truncated.push(path.clone());
                    } else if stamp != f.stamp {
                        // Truncated and written again past the old end before this look: the
                        // first bytes tell.
                        f.stamp = stamp;
                        let head = crate::ingest::reader::probe(path)
                            .map(|p| p.head)
                            .unwrap_or_default();
                        if !f.stream.same_start(&head) {
                            truncated.push(path.clone());
                        }
                    }
                }
            }
        }
        for path in rotated {
            if let Some(f) = self.live.remove(&path) {
                tracing::debug!(path = %path.display(), source = f.stream.source_id, "renamed away or deleted; reading on through the handle");
                self.draining.push(f);
            }
        }
        let mut batch = Batch::default();
        for path in truncated {
            if let Some(mut f) = self.live.remove(&path) {
                // Whatever was read before the truncation is committed; the rest is gone from
                // this file (a copy, if watched, continues the source).
                f.stream.flush_parser();
                while let Some(e) = f.stream.take() {
                    batch.entries.push(e);
                }
                batch.checkpoints.extend(f.stream.take_checkpoint());
                self.commit(std::mem::take(&mut batch), events)?;
                self.writer.retire(f.stream.source_id, "truncated")?;
                tracing::debug!(path = %path.display(), source = f.stream.source_id, "truncated; starting afresh");
            }
        }
        let reading = Reading {
            now,
            idle: self.opts.idle_flush,
            settle: self.follow.settle,
            batch_size: self.opts.batch_size.max(1),
        };
        for f in self.live.values_mut().chain(self.draining.iter_mut()) {
            reading.read(f, &mut batch, self.writer, events)?;
        }
        // A file that started small gets the fuller fingerprint a later copy will be matched by.
        for f in self.live.values_mut() {
            let s = &mut f.stream;
            if s.fingerprint.len() < FINGERPRINT_LEN
                && s.reader.position() > s.fingerprint.len() as u64
                && let Ok(p) = crate::ingest::reader::probe(&s.real_path)
                && (p.dev, p.inode) == (s.dev, s.inode)
                && s.same_start(&p.head)
            {
                let fp = p.fingerprint();
                self.writer.refresh_fingerprint(s.source_id, &fp)?;
                s.fingerprint = fp;
            }
        }
        // Entries of different files interleave by a little; commit them in time order.
        batch.entries.sort_by_key(|e| e.ts);
        commit(self.writer, batch, events)?;
        self.retire_drained(now, events)
    }

    /// Rotated-away files that stayed quiet are finished and retired.
    fn retire_drained(
        &mut self,
        now: Instant,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<(), IngestError> {
        let idle = self.opts.idle_flush;
        let (done, keep): (Vec<Followed>, Vec<Followed>) = std::mem::take(&mut self.draining)
            .into_iter()
            .partition(|f| now.duration_since(f.grew) >= idle);
        self.draining = keep;
        for mut f in done {
            let s = &mut f.stream;
            s.done = false;
            s.take_partial = true;
            let mut batch = Batch::default();
            loop {
                s.fill_until_end(true);
                while let Some(e) = s.take() {
                    batch.entries.push(e);
                }
                if s.done && s.queue.is_empty() {
                    break;
                }
            }
            s.settle_at_end();
            batch.checkpoints.extend(s.take_checkpoint());
            tell(s, events);
            let id = s.source_id;
            let moved_to = find_inode(&s.real_path, s.dev, s.inode);
            self.commit(batch, events)?;
            tracing::debug!(source = id, moved_to = ?moved_to, "finished a file renamed away");
            match moved_to {
                Some(p) => {
                    self.writer.moved(id, &p.to_string_lossy())?;
                    self.writer.retire(id, "rotated")?;
                }
                None => self.writer.retire(id, "deleted")?,
            }
        }
        Ok(())
    }

    fn commit(
        &mut self,
        batch: Batch,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<(), IngestError> {
        commit(self.writer, batch, events)
    }
}

fn commit(
    writer: &mut IngestWriter,
    batch: Batch,
    events: &mut dyn FnMut(IndexEvent),
) -> Result<(), IngestError> {
    if batch.entries.is_empty() && batch.checkpoints.is_empty() {
        return Ok(());
    }
    let done = writer.commit(batch)?;
    if done.count > 0 {
        events(IndexEvent::Committed {
            count: done.count,
            last_id: done.last_id,
        });
    }
    Ok(())
}

/// One round of reading a followed file.
struct Reading {
    now: Instant,
    idle: Duration,
    settle: Duration,
    batch_size: usize,
}

impl Reading {
    /// Reads what is new in `f` into `batch`, committing whenever the batch is full (a burst of
    /// a million lines goes through in batches, not all at once).
    fn read(
        &self,
        f: &mut Followed,
        batch: &mut Batch,
        writer: &mut IngestWriter,
        events: &mut dyn FnMut(IndexEvent),
    ) -> Result<(), IngestError> {
        let s = &mut f.stream;
        let before = s.reader.bytes_read();
        let lines_before = s.reader.lines_read();
        s.done = false;
        s.take_partial = self.now.duration_since(f.grew) >= self.idle;
        loop {
            s.fill_until_end(false);
            while let Some(e) = s.take() {
                batch.entries.push(e);
            }
            if batch.entries.len() >= self.batch_size {
                batch.checkpoints.extend(s.take_checkpoint());
                commit(writer, std::mem::take(batch), events)?;
            }
            if s.done && s.queue.is_empty() {
                break;
            }
        }
        if s.reader.bytes_read() > before {
            f.grew = self.now;
        }
        if s.reader.lines_read() > lines_before {
            f.last_line = self.now;
            f.holding = true;
        } else if f.holding && self.now.duration_since(f.last_line) >= self.settle {
            s.flush_parser();
            while let Some(e) = s.take() {
                batch.entries.push(e);
            }
            f.holding = false;
        }
        batch.checkpoints.extend(s.take_checkpoint());
        tell(s, events);
        Ok(())
    }
}

/// Passes on what a file's reading has to say (a read error, entries cut to size).
fn tell(s: &mut Stream, events: &mut dyn FnMut(IndexEvent)) {
    for note in s.notes() {
        events(IndexEvent::Skipped(note));
    }
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (Option<u64>, Option<u64>) {
    use std::os::unix::fs::MetadataExt;
    (Some(m.dev()), Some(m.ino()))
}

#[cfg(not(unix))]
fn identity(_m: &std::fs::Metadata) -> (Option<u64>, Option<u64>) {
    (None, None)
}

/// Where a renamed file went: a file with the same identity in the same directory.
fn find_inode(old: &Path, dev: Option<u64>, inode: Option<u64>) -> Option<PathBuf> {
    let dir = old.parent()?;
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let m = e.metadata().ok()?;
        (m.is_file() && identity(&m) == (dev, inode) && inode.is_some()).then(|| e.path())
    })
}
