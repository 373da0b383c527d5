//! Writes entries as text, JSON, NDJSON or CSV, one at a time: what `search` prints and what
//! `export` (on the command line and in the browser) streams into a file.

use std::io::Write;

use serde_json::json;

use crate::display::{escape, format_ts, format_ts_utc};
use crate::model::LogEntry;

/// How entries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Ndjson,
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Ndjson, Format::Csv];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "log",
            other => other.name(),
        }
    }
}

use Format as OutputFormat;

/// Why writing entries stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

type Result<T, E = ExportError> = std::result::Result<T, E>;

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

pub struct EntryWriter<W: Write> {
    format: OutputFormat,
    sink: Sink<W>,
    zone: jiff::tz::TimeZone,
    /// Escape control characters in text output (off only for raw text written to a file).
    escape: bool,
    written: u64,
}

pub fn to_json(e: &LogEntry) -> serde_json::Value {
    let fields = e
        .fields
        .as_deref()
        .map(|f| serde_json::from_str(f).unwrap_or_else(|_| json!(f)));
    json!({
        "id": e.id,
        "ts": format_ts_utc(e.ts),
        "level": e.level.map(|l| l.name()),
        "level_raw": e.level_raw,
        "job": e.job,
        "source": e.source,
        "line": e.line,
        "offset": e.offset,
        "message": e.message,
        "fields": fields,
    })
}

impl<W: Write> EntryWriter<W> {
    pub fn new(
        format: OutputFormat,
        out: W,
        zone: jiff::tz::TimeZone,
        escape: bool,
    ) -> Result<Self> {
        let sink = match format {
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(["id", "ts", "level", "job", "source", "line", "message"])?;
                Sink::Csv(Box::new(w))
            }
            OutputFormat::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Sink::Plain(out)
            }
            _ => Sink::Plain(out),
        };
        Ok(EntryWriter {
            format,
            sink,
            zone,
            escape,
            written: 0,
        })
    }

    pub fn write(&mut self, e: &LogEntry) -> Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.write_record([
                e.id.to_string(),
                format_ts_utc(e.ts),
                e.level.map_or("", |l| l.name()).to_string(),
                e.job.clone(),
                e.source.clone(),
                e.line.to_string(),
                e.message.clone(),
            ])?,
            Sink::Plain(out) => match self.format {
                OutputFormat::Json => {
                    if self.written > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(b"\n")?;
                    serde_json::to_writer(&mut *out, &to_json(e))?;
                }
                OutputFormat::Ndjson => {
                    serde_json::to_writer(&mut *out, &to_json(e))?;
                    out.write_all(b"\n")?;
                }
                _ => {
                    let level = e.level.map_or("-", |l| l.label());
                    let msg = if self.escape {
                        escape(&e.message, true)
                    } else {
                        std::borrow::Cow::Borrowed(e.message.as_str())
                    };
                    writeln!(
                        out,
                        "{} {level:<5} {} {msg}",
                        format_ts(e.ts, &self.zone),
                        escape(&e.job, false)
                    )?;
                }
            },
        }
        self.written += 1;
        Ok(())
    }

    /// Pushes what is buffered to the output (tail prints as entries arrive).
    pub fn flush(&mut self) -> Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.flush()?,
            Sink::Plain(out) => out.flush()?,
        }
        Ok(())
    }

    pub fn finish(self) -> Result<u64> {
        match self.sink {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Plain(mut out) => {
                if self.format == OutputFormat::Json {
                    out.write_all(b"\n]\n")?;
                }
                out.flush()?;
            }
        }
        Ok(self.written)
    }
}
