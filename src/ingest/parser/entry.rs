//! Building entries: the entry in progress, joining continuation lines to it, the caps on
//! continuation lines and message size, and the time of entries whose line had none. An entry
//! leaves only when the next one starts or the input ends, so callers can checkpoint after it.

use super::formats::Head;
use super::{ParsedEntry, RawLine};

/// Continuation lines one entry may take; the next one starts a new entry.
pub(super) const MAX_CONTINUATIONS: u32 = 10_000;
/// Message bytes kept per entry; the rest is counted, not stored.
pub const MAX_MESSAGE: usize = 1 << 20;

/// Where a physical line is in its file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub offset: u64,
    pub end: u64,
    pub number: u64,
}

impl Span {
    pub fn of(line: &RawLine<'_>) -> Span {
        Span {
            offset: line.offset,
            end: line.end,
            number: line.number,
        }
    }
}

#[derive(Debug)]
struct Pending {
    entry: ParsedEntry,
    continuations: u32,
    /// Message bytes cut off by [`MAX_MESSAGE`].
    dropped: u64,
}

#[derive(Debug)]
pub(super) struct Entries {
    pending: Option<Pending>,
    /// Time of the last entry, for entries that have none.
    last_ts: Option<i64>,
    file_mtime: i64,
}

impl Entries {
    pub fn new(file_mtime: i64) -> Entries {
        Entries {
            pending: None,
            last_ts: None,
            file_mtime,
        }
    }

    /// Starts an entry from a line the format read; `ts` is its resolved time, if any.
    pub fn start(
        &mut self,
        head: Head<'_>,
        ts: Option<i64>,
        span: Span,
        out: &mut Vec<ParsedEntry>,
    ) {
        self.flush(out);
        let (level, level_raw) = match head.level {
            Some(tok) => (tok.level, tok.raw_to_keep()),
            None => (None, None),
        };
        let (message, dropped) = capped(head.message.into_owned());
        let (ts, ts_known) = self.time(ts);
        self.pending = Some(Pending {
            entry: ParsedEntry {
                ts,
                ts_known,
                level,
                level_raw,
                message,
                job: head.job,
                fields: head.fields,
                offset: span.offset,
                line: span.number,
                end_offset: span.end,
                end_line: span.number,
                trimmed: 0,
            },
            continuations: 0,
            dropped,
        });
    }

    /// Starts an entry from a line no format read: no level, the time of the entry before.
    pub fn start_plain(&mut self, text: &str, span: Span, out: &mut Vec<ParsedEntry>) {
        self.flush(out);
        let (message, dropped) = capped(text.to_owned());
        let (ts, ts_known) = self.time(None);
        self.pending = Some(Pending {
            entry: ParsedEntry {
                ts,
                ts_known,
                level: None,
                level_raw: None,
                message,
                job: None,
                fields: None,
                offset: span.offset,
                line: span.number,
                end_offset: span.end,
                end_line: span.number,
                trimmed: 0,
            },
            continuations: 0,
            dropped,
        });
    }

    /// Joins a line to the entry in progress, or starts one when there is none or it is full.
    pub fn continue_with(&mut self, text: &str, span: Span, out: &mut Vec<ParsedEntry>) {
        match &mut self.pending {
            Some(p) if p.continuations < MAX_CONTINUATIONS => {
                p.continuations += 1;
                append(&mut p.entry.message, &mut p.dropped, text);
                p.entry.end_offset = span.end;
                p.entry.end_line = span.number;
            }
            _ => self.start_plain(text, span, out),
        }
    }

    /// Emits the entry in progress, if any.
    pub fn flush(&mut self, out: &mut Vec<ParsedEntry>) {
        if let Some(mut p) = self.pending.take() {
            if p.dropped > 0 {
                p.entry
                    .message
                    .push_str(&format!(" …[truncated {} bytes]", p.dropped));
                p.entry.trimmed = p.dropped;
            }
            out.push(p.entry);
        }
    }

    fn time(&mut self, ts: Option<i64>) -> (i64, bool) {
        match ts {
            Some(ts) => {
                self.last_ts = Some(ts);
                (ts, true)
            }
            None => (self.last_ts.unwrap_or(self.file_mtime), false),
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix_len(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

fn capped(mut message: String) -> (String, u64) {
    let keep = prefix_len(&message, MAX_MESSAGE);
    let dropped = (message.len() - keep) as u64;
    message.truncate(keep);
    (message, dropped)
}

fn append(message: &mut String, dropped: &mut u64, text: &str) {
    let wanted = 1 + text.len();
    if *dropped > 0 {
        *dropped += wanted as u64;
        return;
    }
    let room = MAX_MESSAGE.saturating_sub(message.len());
    if wanted <= room {
        message.reserve(wanted);
        message.push('\n');
        message.push_str(text);
        return;
    }
    if room == 0 {
        *dropped += wanted as u64;
        return;
    }
    message.push('\n');
    let keep = prefix_len(text, room - 1);
    message.push_str(&text[..keep]);
    *dropped += (text.len() - keep) as u64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_cut_at_char_boundaries() {
        let big = "é".repeat(MAX_MESSAGE);
        let (kept, dropped) = capped(big.clone());
        assert_eq!(kept.len(), MAX_MESSAGE);
        assert_eq!(dropped as usize, big.len() - MAX_MESSAGE);

        let mut msg = "a".repeat(MAX_MESSAGE - 2);
        let mut dropped = 0;
        append(&mut msg, &mut dropped, "éé");
        // Room for the newline and one byte: half a char is not kept.
        assert_eq!(msg.len(), MAX_MESSAGE - 1);
        assert!(msg.ends_with('\n'));
        assert_eq!(dropped, 4);
        append(&mut msg, &mut dropped, "xyz");
        assert_eq!(dropped, 8);
    }
}
