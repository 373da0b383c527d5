//! Standard input as a source (`some-command | logdex index -`): lines are indexed as they
//! arrive, each complete entry committed within `settle` of its last line, so nothing read is
//! lost however the process ends afterwards. A pipe cannot be re-read, so it has no checkpoint
//! to resume from: each run is a source of its own.

use std::io::Read;
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::{Duration, Instant};

use super::indexer::{IndexEvent, IndexOptions, IngestError};
use super::parser::{EntryParser, ParsedEntry, ParserSettings, RawLine};
use super::reader::LineReader;
use super::stream::{new_entry, year_of};
use crate::store::{Batch, IngestWriter, NewSource, Registration};

/// A line read from the pipe: bytes, offset, end, number.
type Line = (Vec<u8>, u64, u64, u64);

/// Reads `input` to its end (or until `stop()`), indexing it as job `job`.
pub fn index_stream(
    writer: &mut IngestWriter,
    input: Box<dyn Read + Send>,
    job: &str,
    opts: &IndexOptions,
    settle: Duration,
    stop: &dyn Fn() -> bool,
    events: &mut dyn FnMut(IndexEvent),
) -> Result<u64, IngestError> {
    let now = crate::query::time::now_ms();
    let name = format!("<stdin {job} {}>", crate::display::format_ts_utc(now));
    let rec = match writer.register_source(&NewSource {
        path: name.clone(),
        job: job.to_string(),
        format: None,
        dev: None,
        inode: None,
        fingerprint: Vec::new(),
        compressed: false,
        size: 0,
        mtime: now,
    })? {
        Registration::Ready(rec) => rec,
        // Without a fingerprint nothing can be taken for a copy.
        Registration::CopyOfActive { original } => {
            return Err(IngestError::Store(crate::store::StoreError::Pool(format!(
                "standard input was taken for a copy of {original}"
            ))));
        }
    };
    let mut parser = EntryParser::new(ParserSettings {
        zone: opts.zone.clone(),
        year: year_of(now, &opts.zone),
        file_mtime: now,
        custom: opts.custom.clone(),
        format: None,
    })
    .map_err(|source| IngestError::Parser {
        path: name.clone(),
        source,
    })?;
    // A thread does the blocking reads, so that entries are committed while the pipe is quiet.
    let (tx, rx) = sync_channel::<Line>(4096);
    std::thread::Builder::new()
        .name("logdex-stdin".into())
        .spawn(move || {
            let mut reader = LineReader::new(input, 0, 0);
            while let Ok(Some(line)) = reader.next_line(true) {
                let item = (line.bytes.to_vec(), line.offset, line.end, line.number);
                if tx.send(item).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| IngestError::Store(crate::store::StoreError::Pool(e.to_string())))?;
    let mut out: Vec<ParsedEntry> = Vec::new();
    let mut batch = Batch::default();
    let mut last_line = Instant::now();
    let mut holding = false;
    let mut total = 0u64;
    let mut ended = false;
    while !ended && !stop() {
        match rx.recv_timeout(settle) {
            Ok(first) => {
                let push = |parser: &mut EntryParser, out: &mut Vec<ParsedEntry>, l: Line| {
                    let (bytes, offset, end, number) = l;
                    parser.push(
                        RawLine {
                            bytes: &bytes,
                            offset,
                            end,
                            number,
                        },
                        out,
                    );
                };
                push(&mut parser, &mut out, first);
                last_line = Instant::now();
                holding = true;
                // Take everything already waiting before committing.
                while out.len() < opts.batch_size {
                    match rx.try_recv() {
                        Ok(l) => push(&mut parser, &mut out, l),
                        Err(_) => break,
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => ended = true,
        }
        if ended || (holding && last_line.elapsed() >= settle) {
            parser.finish(&mut out);
            holding = false;
        }
        batch
            .entries
            .extend(out.drain(..).map(|e| new_entry(rec.id, e)));
        if !batch.entries.is_empty() {
            let done = writer.commit(std::mem::take(&mut batch))?;
            total += done.count as u64;
            events(IndexEvent::Committed {
                count: done.count,
                last_id: done.last_id,
            });
        }
    }
    // Stopped early: what was read is committed — the lines the reading thread already took
    // from the pipe, and the parser's last entry.
    while let Ok((bytes, offset, end, number)) = rx.try_recv() {
        parser.push(
            RawLine {
                bytes: &bytes,
                offset,
                end,
                number,
            },
            &mut out,
        );
    }
    parser.finish(&mut out);
    batch
        .entries
        .extend(out.drain(..).map(|e| new_entry(rec.id, e)));
    if !batch.entries.is_empty() {
        total += writer.commit(batch)?.count as u64;
    }
    Ok(total)
}
