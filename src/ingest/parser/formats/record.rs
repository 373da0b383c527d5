//! Structured records (JSON and logfmt lines): which keys hold the time, level, message and job,
//! and the remaining keys written out as a compact JSON object. Values stay borrowed from the
//! line where they can; only unusual values (nested objects, arrays) become `serde_json::Value`.

use std::borrow::Cow;
use std::io::Write as _;

use super::{Head, Layout};
use crate::ingest::parser::levels::LevelTok;
use crate::ingest::parser::stamp::read_any;
use crate::ingest::parser::time::{Stamp, epoch_number_ms};
use crate::model::Level;

/// A value as a record holds it.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::ingest::parser) enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Null,
    /// Boxed: rare, and keeping it out of line keeps every other value small.
    Json(Box<serde_json::Value>),
}

impl Value<'_> {
    /// Text for a message or job given as a number or other non-string.
    fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.clone().into_owned(),
            Value::Int(n) => n.to_string(),
            Value::UInt(n) => n.to_string(),
            Value::Float(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::from("null"),
            Value::Json(v) => v.to_string(),
        }
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        // Writing to a Vec cannot fail, and every value here is serialisable.
        let _ = match self {
            Value::Str(s) => serde_json::to_writer(&mut *out, s.as_ref()),
            Value::Int(n) => serde_json::to_writer(&mut *out, n),
            Value::UInt(n) => serde_json::to_writer(&mut *out, n),
            Value::Float(n) => serde_json::to_writer(&mut *out, n),
            Value::Bool(b) => serde_json::to_writer(&mut *out, b),
            Value::Null => out.write_all(b"null").map_err(serde_json::Error::io),
            Value::Json(v) => serde_json::to_writer(&mut *out, v),
        };
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The rank says which key wins when a record has several (`ts` over `time`).
    Time(u8),
    Level(u8),
    Message(u8),
    Job(u8),
    Other,
}

fn role(key: &str) -> Role {
    match key {
        "ts" => Role::Time(0),
        "time" => Role::Time(1),
        "timestamp" => Role::Time(2),
        "@timestamp" => Role::Time(3),
        "t" => Role::Time(4),
        "@t" => Role::Time(5),
        "level" => Role::Level(0),
        "lvl" => Role::Level(1),
        "severity" => Role::Level(2),
        "levelname" => Role::Level(3),
        "log.level" => Role::Level(4),
        "@l" => Role::Level(5),
        "msg" => Role::Message(0),
        "message" => Role::Message(1),
        "text" => Role::Message(2),
        "log" => Role::Message(3),
        "@m" => Role::Message(4),
        "job" => Role::Job(0),
        "job_name" => Role::Job(1),
        "jobname" => Role::Job(2),
        _ => Role::Other,
    }
}

type Slot<'a> = Option<(u8, Cow<'a, str>, Value<'a>)>;

/// Key-value pairs sorted into their roles as they are read.
#[derive(Debug, Default)]
pub(in crate::ingest::parser) struct Record<'a> {
    time: Slot<'a>,
    level: Slot<'a>,
    message: Slot<'a>,
    job: Slot<'a>,
    other: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Record<'a> {
    pub fn offer(&mut self, key: Cow<'a, str>, value: Value<'a>) {
        let scalar = matches!(
            value,
            Value::Str(_) | Value::Int(_) | Value::UInt(_) | Value::Float(_)
        );
        match role(&key) {
            Role::Time(rank) if scalar => place(&mut self.time, rank, key, value, &mut self.other),
            Role::Level(rank) if scalar => {
                place(&mut self.level, rank, key, value, &mut self.other)
            }
            Role::Message(rank) if scalar => {
                place(&mut self.message, rank, key, value, &mut self.other)
            }
            Role::Job(rank) if scalar => place(&mut self.job, rank, key, value, &mut self.other),
            Role::Message(_) if key == "log" => self.nested_log(key, value),
            _ => self.other.push((key, value)),
        }
    }

    /// ECS writes `{"log": {"level": "info", …}}`: the level is taken out, the rest stays.
    fn nested_log(&mut self, key: Cow<'a, str>, value: Value<'a>) {
        let Value::Json(json) = value else {
            self.other.push((key, value));
            return;
        };
        let serde_json::Value::Object(mut map) = *json else {
            self.other.push((key, Value::Json(json)));
            return;
        };
        if let Some(serde_json::Value::String(level)) = map.remove("level") {
            let level = Value::Str(Cow::Owned(level));
            let key = Cow::Borrowed("log.level");
            place(&mut self.level, 4, key, level, &mut self.other);
        }
        if !map.is_empty() {
            let rest = Value::Json(Box::new(serde_json::Value::Object(map)));
            self.other.push((key, rest));
        }
    }

    /// Whether any key had a known role: what makes a `key=value` line a logfmt record.
    pub fn has_known(&self) -> bool {
        self.time.is_some() || self.level.is_some() || self.message.is_some()
    }

    /// The head of the entry; `line` is the message when the record has none.
    pub fn into_head(mut self, line: &'a str) -> Head<'a> {
        let stamp = match self.time.take() {
            Some((_, key, value)) => match stamp_of(&value) {
                Some(stamp) => stamp,
                None => {
                    // An unreadable time is kept as a field rather than lost.
                    self.other.push((key, value));
                    Stamp::Missing
                }
            },
            None => Stamp::Missing,
        };
        let level = self.level.take().map(|(_, _, v)| level_of(v));
        let message = match self.message.take() {
            Some((_, _, Value::Str(s))) => trim_newline(s),
            Some((_, _, v)) => Cow::Owned(v.to_text()),
            None => Cow::Borrowed(line),
        };
        let job = self.job.take().map(|(_, _, v)| v.to_text());
        let fields = (!self.other.is_empty()).then(|| fields_json(&self.other));
        Head {
            stamp,
            level,
            message,
            job,
            fields,
            layout: Layout::default(),
        }
    }
}

fn place<'a>(
    slot: &mut Slot<'a>,
    rank: u8,
    key: Cow<'a, str>,
    value: Value<'a>,
    other: &mut Vec<(Cow<'a, str>, Value<'a>)>,
) {
    match slot {
        Some((held, _, _)) if *held <= rank => other.push((key, value)),
        _ => {
            if let Some((_, old_key, old_value)) = slot.replace((rank, key, value)) {
                other.push((old_key, old_value));
            }
        }
    }
}

fn stamp_of(value: &Value<'_>) -> Option<Stamp> {
    let ms = match value {
        Value::Str(s) => return read_any(s),
        Value::Int(n) => epoch_number_ms(*n as f64),
        Value::UInt(n) => epoch_number_ms(*n as f64),
        Value::Float(n) => epoch_number_ms(*n),
        _ => None,
    };
    ms.map(Stamp::Epoch)
}

/// Numeric levels are bunyan's and pino's (10 trace … 60 fatal).
fn level_of(value: Value<'_>) -> LevelTok<'_> {
    match value {
        Value::Str(s) => LevelTok::field(s),
        other => {
            let raw = other.to_text();
            let level = match raw.as_str() {
                "10" => Some(Level::Trace),
                "20" => Some(Level::Debug),
                "30" => Some(Level::Info),
                "40" => Some(Level::Warn),
                "50" => Some(Level::Error),
                "60" => Some(Level::Fatal),
                _ => None,
            };
            LevelTok {
                level,
                raw: Cow::Owned(raw),
            }
        }
    }
}

/// Container loggers end messages with the newline they captured; it says nothing.
fn trim_newline(s: Cow<'_, str>) -> Cow<'_, str> {
    let trimmed = s.trim_end_matches(['\n', '\r']).len();
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(&b[..trimmed]),
        Cow::Owned(mut o) => {
            o.truncate(trimmed);
            Cow::Owned(o)
        }
    }
}

fn fields_json(pairs: &[(Cow<'_, str>, Value<'_>)]) -> String {
    let mut out = Vec::with_capacity(64);
    out.push(b'{');
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, key.as_ref());
        out.push(b':');
        value.write_json(&mut out);
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value<'_> {
        Value::Str(Cow::Borrowed(text))
    }

    #[test]
    fn roles_and_ranks() {
        let mut r = Record::default();
        r.offer("time".into(), s("2026-11-02T13:04:05Z"));
        r.offer("ts".into(), s("2026-11-02T13:04:06Z"));
        r.offer("level".into(), s("warning"));
        r.offer("message".into(), s("second choice"));
        r.offer("msg".into(), s("first choice\n"));
        r.offer("job".into(), Value::Int(7));
        r.offer("n".into(), Value::Float(1.5));
        r.offer("ok".into(), Value::Bool(true));
        assert!(r.has_known());
        let head = r.into_head("the line");
        assert!(matches!(head.stamp, Stamp::Civil(c, Some(0)) if c.second == 6));
        let level = head.level.expect("level");
        assert_eq!(level.level, Some(Level::Warn));
        assert_eq!(level.raw_to_keep(), Some("warning".into()));
        assert_eq!(head.message, "first choice");
        assert_eq!(head.job.as_deref(), Some("7"));
        assert_eq!(
            head.fields.as_deref(),
            Some(r#"{"time":"2026-11-02T13:04:05Z","message":"second choice","n":1.5,"ok":true}"#)
        );
    }

    #[test]
    fn missing_message_and_odd_values() {
        let mut r = Record::default();
        r.offer("level".into(), Value::Int(50));
        r.offer("time".into(), s("not a time"));
        r.offer(
            "t".into(),
            Value::Json(Box::new(serde_json::json!({"a": 1}))),
        );
        let head = r.into_head("{whole line}");
        assert_eq!(head.message, "{whole line}");
        assert_eq!(head.stamp, Stamp::Missing);
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw_to_keep()),
            (Some(Level::Error), Some("50".into()))
        );
        assert_eq!(
            head.fields.as_deref(),
            Some(r#"{"t":{"a":1},"time":"not a time"}"#)
        );
    }

    #[test]
    fn epoch_numbers_and_nested_log_level() {
        let mut r = Record::default();
        r.offer("ts".into(), Value::Float(1_700_000_000.5));
        r.offer(
            "log".into(),
            Value::Json(Box::new(
                serde_json::json!({"level": "ERROR", "logger": "db"}),
            )),
        );
        let head = r.into_head("x");
        assert_eq!(head.stamp, Stamp::Epoch(1_700_000_000_500));
        assert_eq!(head.level.expect("level").level, Some(Level::Error));
        assert_eq!(head.fields.as_deref(), Some(r#"{"log":{"logger":"db"}}"#));
    }
}
