//! Turns the physical lines of one log file into entries: detects the file's format from its first
//! lines, extracts timestamp, level and message, and joins continuation lines (stack traces,
//! indented lines) to the entry before them. Pure: no IO, no database.
//!
//! Map: `detect` chooses the format, `formats/` reads lines of the built-in ones (one file per
//! family), `custom` those from the config, `stamp` and `time` read and place timestamps,
//! `levels` recognises levels, `entry` groups lines into entries.

mod custom;
mod detect;
mod entry;
mod formats;
mod levels;
mod scan;
mod stamp;
mod time;

use std::borrow::Cow;

use crate::model::Level;
use custom::Custom;
use detect::{Choice, SAMPLE_BYTES, SAMPLE_LINES};
pub use entry::MAX_MESSAGE;
use entry::{Entries, Span};
use formats::Builtin;
use time::Clock;

/// How to read one source. Built by the indexer from the config and the file's metadata.
#[derive(Debug, Clone)]
pub struct ParserSettings {
    /// Zone for timestamps written without one.
    pub zone: jiff::tz::TimeZone,
    /// Year for formats that print none (syslog, logcat, Proxifier), from the file's modification time.
    pub year: i16,
    /// Modification time of the file (ms since the epoch, UTC): entries before the first timestamp get it,
    /// and year-less timestamps later than it belong to the year before.
    pub file_mtime: i64,
    /// Custom formats from the config; tried before the built-in ones.
    pub custom: Vec<CustomFormat>,
    /// A format forced by the config (a built-in name or a custom one), skipping detection.
    pub format: Option<String>,
}

/// A user-defined line format: a regex with named groups `ts`, `level`, `message`, `job` (all optional
/// but `ts` is needed for the line to start an entry), and a strftime-style time format for `ts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFormat {
    pub name: String,
    pub pattern: String,
    pub time_format: Option<String>,
}

/// One physical line handed to the parser.
#[derive(Debug, Clone, Copy)]
pub struct RawLine<'a> {
    /// The line without its `\n` (a trailing `\r` may still be there).
    pub bytes: &'a [u8],
    /// Byte offset of the line's first byte.
    pub offset: u64,
    /// Byte offset just past the line's terminator.
    pub end: u64,
    /// 1-based line number.
    pub number: u64,
}

/// A complete entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEntry {
    /// Milliseconds since the Unix epoch, UTC.
    pub ts: i64,
    /// False when the time was inferred (from the entry before, or the file's mtime).
    pub ts_known: bool,
    pub level: Option<Level>,
    pub level_raw: Option<String>,
    pub message: String,
    pub job: Option<String>,
    pub fields: Option<String>,
    pub offset: u64,
    pub line: u64,
    pub end_offset: u64,
    pub end_line: u64,
    /// Message bytes left out because the entry passed the size limit (0 for nearly all).
    pub trimmed: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParserError {
    #[error("custom format {name:?}: invalid regex: {message}")]
    BadPattern { name: String, message: String },
    #[error("custom format {name:?}: invalid time_format: {message}")]
    BadTimeFormat { name: String, message: String },
    #[error("unknown format {0:?}")]
    UnknownFormat(String),
}

/// The names of the built-in formats, in the order detection prefers them on a tie.
pub fn builtin_format_names() -> impl Iterator<Item = &'static str> {
    Builtin::ALL.into_iter().map(Builtin::name)
}

/// The stateful parser of one source.
#[derive(Debug)]
pub struct EntryParser {
    clock: Clock,
    customs: Vec<Custom>,
    /// `None` until the format is chosen.
    choice: Option<Choice>,
    /// Lines held back until the format is chosen.
    sample: Vec<(Vec<u8>, Span)>,
    sample_bytes: usize,
    entries: Entries,
}

impl EntryParser {
    pub fn new(settings: ParserSettings) -> Result<EntryParser, ParserError> {
        let customs = settings
            .custom
            .iter()
            .map(Custom::compile)
            .collect::<Result<Vec<_>, _>>()?;
        let choice = match &settings.format {
            None => None,
            Some(name) => Some(
                if let Some(i) = customs.iter().position(|c| c.name() == name) {
                    Choice::Custom(i)
                } else if let Some(b) = Builtin::by_name(name) {
                    Choice::Builtin(b)
                } else {
                    return Err(ParserError::UnknownFormat(name.clone()));
                },
            ),
        };
        Ok(EntryParser {
            clock: Clock::new(settings.zone, settings.year, settings.file_mtime),
            customs,
            choice,
            sample: Vec::new(),
            sample_bytes: 0,
            entries: Entries::new(settings.file_mtime),
        })
    }

    /// The detected or forced format; `None` until detection has run, and for plain text.
    pub fn format_name(&self) -> Option<&str> {
        match self.choice? {
            Choice::Builtin(b) => Some(b.name()),
            Choice::Custom(i) => self.customs.get(i).map(Custom::name),
            Choice::Plain => None,
        }
    }

    pub fn push(&mut self, line: RawLine<'_>, out: &mut Vec<ParsedEntry>) {
        let bytes = line.bytes.strip_suffix(b"\r").unwrap_or(line.bytes);
        let span = Span::of(&line);
        let Some(choice) = self.choice else {
            self.sample_bytes += bytes.len();
            self.sample.push((bytes.to_vec(), span));
            if self.sample.len() >= SAMPLE_LINES || self.sample_bytes >= SAMPLE_BYTES {
                self.detect(out);
            }
            return;
        };
        let text = decode(bytes);
        self.feed(choice, &text, span, out);
    }

    /// Ends the input: chooses the format if the sample was short, emits the last entry. More
    /// lines may still be pushed afterwards (a file that grew).
    pub fn finish(&mut self, out: &mut Vec<ParsedEntry>) {
        if self.choice.is_none() && !self.sample.is_empty() {
            self.detect(out);
        }
        self.entries.flush(out);
    }

    fn detect(&mut self, out: &mut Vec<ParsedEntry>) {
        let sample = std::mem::take(&mut self.sample);
        self.sample_bytes = 0;
        let texts: Vec<Cow<'_, str>> = sample.iter().map(|(bytes, _)| decode(bytes)).collect();
        let choice = detect::choose(&texts, &self.customs);
        self.choice = Some(choice);
        for (text, (_, span)) in texts.iter().zip(&sample) {
            self.feed(choice, text, *span, out);
        }
    }

    fn feed(&mut self, choice: Choice, text: &str, span: Span, out: &mut Vec<ParsedEntry>) {
        let head = match choice {
            Choice::Builtin(b) => b.parse(text),
            Choice::Custom(i) => self.customs.get(i).and_then(|c| c.parse(text)),
            Choice::Plain => return self.entries.start_plain(text, span, out),
        };
        match head {
            Some(head) => {
                let ts = self.clock.resolve(&head.stamp);
                self.entries.start(head, ts, span, out);
            }
            None => self.entries.continue_with(text, span, out),
        }
    }
}

/// The line as text, invalid UTF-8 replaced. `from_utf8` first: its validation is much faster
/// than the lossy decoder's on the clean lines that nearly every file consists of.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
