//! Domain vocabulary shared by every layer: log levels and the stored shape of an entry.
//! No IO here.

use serde::Serialize;

/// A normalised log level. The numeric values are stored in the database: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Level {
    Trace = 1,
    Debug = 2,
    Info = 3,
    Warn = 4,
    Error = 5,
    Fatal = 6,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
    ];

    /// The canonical lower-case name (`"warn"`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// Upper-case label for display (`"WARN"`).
    pub fn label(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Fatal => "FATAL",
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: i64) -> Option<Level> {
        Level::ALL
            .get(usize::try_from(code).ok()?.checked_sub(1)?)
            .copied()
    }

    /// Normalises a level as written in a log (`WARNING`, `notice`, `E`, `CRIT` …).
    /// Single letters are the glog/logcat/syslog-style abbreviations.
    pub fn from_raw(raw: &str) -> Option<Level> {
        let raw = raw.trim();
        if raw.len() > 11 {
            return None;
        }
        let mut buf = [0u8; 11];
        for (b, c) in buf.iter_mut().zip(raw.bytes()) {
            *b = c.to_ascii_uppercase();
        }
        let up = &buf[..raw.len()];
        Some(match up {
            b"TRACE" | b"T" | b"V" | b"VERBOSE" | b"FINEST" | b"FINER" => Level::Trace,
            b"DEBUG" | b"D" | b"FINE" | b"DBG" => Level::Debug,
            b"INFO" | b"I" | b"INFORMATION" | b"NOTICE" | b"N" | b"CONFIG" | b"INF" => Level::Info,
            b"WARN" | b"WARNING" | b"W" | b"WRN" => Level::Warn,
            b"ERROR" | b"ERR" | b"E" | b"SEVERE" => Level::Error,
            b"FATAL" | b"F" | b"CRITICAL" | b"CRIT" | b"ALERT" | b"EMERG" | b"EMERGENCY"
            | b"PANIC" | b"A" => Level::Fatal,
            _ => return None,
        })
    }

    /// Parses a user-supplied level name (`warn`, `ERROR`, `warning`); same table as [`Level::from_raw`].
    pub fn parse_name(s: &str) -> Option<Level> {
        Level::from_raw(s)
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One stored log entry as the repository returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// Primary key; sorts like time.
    pub id: i64,
    /// Milliseconds since the Unix epoch, UTC.
    pub ts: i64,
    pub level: Option<Level>,
    /// The level as the log wrote it, when that differs from the canonical name by more than case.
    pub level_raw: Option<String>,
    pub job: String,
    pub source: String,
    /// 1-based line number of the entry's first line in its source.
    pub line: u64,
    /// Byte offset of the entry's first line in its source (in the decompressed stream for `.gz`).
    pub offset: u64,
    /// The whole entry after its timestamp and level, continuation lines included.
    pub message: String,
    /// Structured fields (a JSON object) for JSON and logfmt lines, beyond time, level, message and job.
    pub fields: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_through_codes() {
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code() as i64), Some(l));
        }
        assert_eq!(Level::from_code(0), None);
        assert_eq!(Level::from_code(7), None);
        assert_eq!(Level::from_code(-1), None);
    }

    #[test]
    fn raw_levels_normalise() {
        assert_eq!(Level::from_raw("WARNING"), Some(Level::Warn));
        assert_eq!(Level::from_raw("notice"), Some(Level::Info));
        assert_eq!(Level::from_raw("CRITICAL"), Some(Level::Fatal));
        assert_eq!(Level::from_raw("SEVERE"), Some(Level::Error));
        assert_eq!(Level::from_raw("E"), Some(Level::Error));
        assert_eq!(Level::from_raw("V"), Some(Level::Trace));
        assert_eq!(Level::from_raw(" info "), Some(Level::Info));
        assert_eq!(Level::from_raw("bogus"), None);
        assert_eq!(Level::from_raw("INFORMATIONAL!"), None);
    }
}
