//! Turns the physical lines of one log file into entries: detects the file's format from its first
//! lines, extracts timestamp, level and message, and joins continuation lines (stack traces,
//! indented lines) to the entry before them. Pure: no IO, no database.

use crate::model::Level;

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
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParserError {
    #[error("custom format {name:?}: invalid regex: {message}")]
    BadPattern { name: String, message: String },
    #[error("unknown format {0:?}")]
    UnknownFormat(String),
}

/// The stateful parser of one source.
#[derive(Debug)]
pub struct EntryParser {
    _settings: ParserSettings,
}

impl EntryParser {
    pub fn new(settings: ParserSettings) -> Result<EntryParser, ParserError> {
        Ok(EntryParser {
            _settings: settings,
        })
    }

    pub fn format_name(&self) -> Option<&str> {
        todo!()
    }

    pub fn push(&mut self, _line: RawLine<'_>, _out: &mut Vec<ParsedEntry>) {
        todo!()
    }

    pub fn finish(&mut self, _out: &mut Vec<ParsedEntry>) {
        todo!()
    }
}
