//! Reading log files directly, without the database: the fallback when the database cannot be
//! used (locked, damaged, missing, on a full or read-only disk). Entries of all files are merged
//! by time and filtered by the same filter model; searches read the newest part of each file.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::discover::{SourceSpec, job_from_path};
use super::indexer::IndexOptions;
use super::parser::{EntryParser, ParsedEntry, ParserSettings};
use super::reader::{LineReader, mtime_ms, probe};
use super::stream::year_of;
use crate::model::LogEntry;
use crate::query::Filter;

/// One file's entries in file order.
struct FileEntries {
    spec: SourceSpec,
    display: String,
    reader: LineReader<Box<dyn Read + Send>>,
    parser: EntryParser,
    queue: VecDeque<ParsedEntry>,
    scratch: Vec<ParsedEntry>,
    done: bool,
    /// Line numbers are known only when reading from the start.
    from_start: bool,
}

impl FileEntries {
    fn open(
        spec: &SourceSpec,
        opts: &IndexOptions,
        tail_bytes: Option<u64>,
    ) -> Option<FileEntries> {
        let pr = probe(&spec.path).ok()?;
        if pr.looks_binary() {
            return None;
        }
        let file = std::fs::File::open(&spec.path).ok()?;
        let mtime = file.metadata().map(|m| mtime_ms(&m)).unwrap_or(pr.mtime);
        let (inner, start): (Box<dyn Read + Send>, u64) = if pr.compressed {
            let d = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file));
            (Box::new(d), 0)
        } else {
            let mut f = file;
            let start = tail_bytes.map_or(0, |t| pr.size.saturating_sub(t));
            f.seek(SeekFrom::Start(start)).ok()?;
            (Box::new(f), start)
        };
        let parser = EntryParser::new(ParserSettings {
            zone: opts.zone.clone(),
            year: year_of(mtime, &opts.zone),
            file_mtime: mtime,
            custom: opts.custom.clone(),
            format: spec.format.clone(),
        })
        .ok()?;
        let mut me = FileEntries {
            spec: spec.clone(),
            display: spec.path.display().to_string(),
            reader: LineReader::new(inner, start, 0),
            parser,
            queue: VecDeque::new(),
            scratch: Vec::new(),
            done: false,
            from_start: start == 0,
        };
        if start > 0 {
            // Started mid-line: skip to the next line start.
            let _ = me.reader.next_line(true);
        }
        Some(me)
    }

    fn fill(&mut self) {
        while self.queue.len() < 64 && !self.done {
            match self.reader.next_line(true) {
                Ok(Some(line)) => self.parser.push(line, &mut self.scratch),
                _ => {
                    self.parser.finish(&mut self.scratch);
                    self.done = true;
                }
            }
            self.queue.extend(self.scratch.drain(..));
        }
    }

    fn entry(&self, e: ParsedEntry, id: i64) -> LogEntry {
        LogEntry {
            id,
            ts: e.ts,
            level: e.level,
            level_raw: e.level_raw,
            job: e
                .job
                .or_else(|| self.spec.job.clone())
                .unwrap_or_else(|| job_from_path(Path::new(&self.spec.path))),
            source: self.display.clone(),
            line: if self.from_start { e.line } else { 0 },
            offset: e.offset,
            message: e.message,
            fields: e.fields,
        }
    }
}

/// Calls `f` with every entry of the files that `filter` keeps, oldest first (files merged by
/// time). `tail_bytes` limits each file to its newest bytes. Ids count up from 1.
pub fn for_each(
    specs: &[SourceSpec],
    opts: &IndexOptions,
    filter: &Filter,
    tail_bytes: Option<u64>,
    f: &mut dyn FnMut(LogEntry) -> bool,
) {
    let mut files: Vec<FileEntries> = specs
        .iter()
        .filter_map(|s| FileEntries::open(s, opts, tail_bytes))
        .collect();
    let mut heap = BinaryHeap::new();
    for (i, file) in files.iter_mut().enumerate() {
        file.fill();
        if let Some(e) = file.queue.front() {
            heap.push(Reverse((e.ts, i)));
        }
    }
    let mut id = 0;
    while let Some(Reverse((_, i))) = heap.pop() {
        let file = &mut files[i];
        let Some(parsed) = file.queue.pop_front() else {
            continue;
        };
        if file.queue.is_empty() {
            file.fill();
        }
        if let Some(next) = file.queue.front() {
            heap.push(Reverse((next.ts, i)));
        }
        id += 1;
        let e = file.entry(parsed, id);
        if filter.keeps(&e) && !f(e) {
            return;
        }
    }
}

/// The newest `limit` entries the filter keeps, newest first, from the newest `tail_bytes` of
/// each file.
pub fn newest(
    specs: &[SourceSpec],
    opts: &IndexOptions,
    filter: &Filter,
    limit: usize,
    tail_bytes: u64,
) -> Vec<LogEntry> {
    let mut ring: VecDeque<LogEntry> = VecDeque::with_capacity(limit + 1);
    for_each(specs, opts, filter, Some(tail_bytes), &mut |e| {
        ring.push_back(e);
        if ring.len() > limit {
            ring.pop_front();
        }
        true
    });
    ring.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::query::{LevelSet, SearchMode, TextQuery};

    #[test]
    fn files_are_merged_by_time_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.log");
        let b = dir.path().join("b.log");
        std::fs::write(
            &a,
            "2026-11-02 10:00:00,000 INFO [m] one\n2026-11-02 10:00:02,000 ERROR [m] three boom\n",
        )
        .unwrap();
        std::fs::write(
            &b,
            "2026-11-02 10:00:01,000 WARNING [m] two boom\n2026-11-02 10:00:03,000 INFO [m] four\n",
        )
        .unwrap();
        let specs: Vec<SourceSpec> = [a, b]
            .into_iter()
            .map(|path| SourceSpec {
                path,
                job: None,
                format: None,
            })
            .collect();
        let opts = IndexOptions {
            zone: jiff::tz::TimeZone::UTC,
            ..IndexOptions::default()
        };
        let all = newest(&specs, &opts, &Filter::default(), 10, 1 << 20);
        let msgs: Vec<&str> = all.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            msgs,
            ["[m] four", "[m] three boom", "[m] two boom", "[m] one"]
        );
        assert_eq!(all[0].job, "b");
        let filter = Filter {
            text: Some(TextQuery::parse(SearchMode::Words, "boom").unwrap()),
            levels: LevelSet::at_least(Level::Error),
            ..Filter::default()
        };
        let hits = newest(&specs, &opts, &filter, 10, 1 << 20);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].message, "[m] three boom");
        // The newest part only: a tail that starts mid-line skips to the next line.
        let tail = newest(&specs, &opts, &Filter::default(), 10, 50);
        assert!(
            tail.iter().all(|e| e.line == 0) && tail.len() == 2,
            "{tail:?}"
        );
    }
}
