//! JSON lines: one object per line. Deserialised straight into a [`Record`] with borrowed keys
//! and strings, so a line costs no `serde_json::Value` unless it holds nested objects or arrays.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, MapAccess, SeqAccess, Visitor};

use super::Head;
use super::record::{Record, Value};

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let first = line.bytes().find(|c| !c.is_ascii_whitespace());
    if first != Some(b'{') {
        return None;
    }
    let Line(record) = serde_json::from_str(line).ok()?;
    Some(record.into_head(line))
}

struct Line<'a>(Record<'a>);

impl<'de> Deserialize<'de> for Line<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(LineVisitor)
    }
}

struct LineVisitor;

impl<'de> Visitor<'de> for LineVisitor {
    type Value = Line<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line<'de>, A::Error> {
        let mut record = Record::default();
        while let Some(Text(key)) = map.next_key()? {
            let Any(value) = map.next_value()?;
            record.offer(key, value);
        }
        Ok(Line(record))
    }
}

/// A string, borrowed from the line unless it had escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
}

/// Any JSON value; scalars stay cheap, containers become `serde_json::Value`.
struct Any<'a>(Value<'a>);

impl<'de> Deserialize<'de> for Any<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Any<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Any<'de>, E> {
        Ok(Any(Value::Str(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Any<'de>, E> {
        Ok(Any(Value::Str(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Any<'de>, E> {
        Ok(Any(Value::Str(Cow::Owned(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Any<'de>, E> {
        Ok(Any(Value::Int(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Any<'de>, E> {
        Ok(Any(Value::UInt(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Any<'de>, E> {
        Ok(Any(Value::Float(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Any<'de>, E> {
        Ok(Any(Value::Bool(v)))
    }

    fn visit_unit<E>(self) -> Result<Any<'de>, E> {
        Ok(Any(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Any<'de>, E> {
        Ok(Any(Value::Null))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Any<'de>, A::Error> {
        let v = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Any(Value::Json(Box::new(v))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Any<'de>, A::Error> {
        let v = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Any(Value::Json(Box::new(v))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;
    use crate::model::Level;

    #[test]
    fn genlogs_shape() {
        let line = r#"{"ts":"2026-11-02T13:04:05.123Z","level":"info","msg":"GET /healthz 200 3ms","job":"api-gateway"}"#;
        let head = parse(line).expect("json");
        assert!(matches!(head.stamp, Stamp::Civil(c, Some(0)) if c.milli == 123));
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw_to_keep()),
            (Some(Level::Info), None)
        );
        assert_eq!(head.message, "GET /healthz 200 3ms");
        assert!(matches!(head.message, Cow::Borrowed(_)));
        assert_eq!(head.job.as_deref(), Some("api-gateway"));
        assert_eq!(head.fields, None);
    }

    #[test]
    fn fields_escapes_and_nesting() {
        let line = r#"{"@timestamp":1700000000123,"log.level":"WARNING","message":"say \"hi\"\nbye","user":{"id":7,"tags":["a"]},"dur_ms":12.5,"ok":false,"none":null}"#;
        let head = parse(line).expect("json");
        assert_eq!(head.stamp, Stamp::Epoch(1_700_000_000_123));
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw_to_keep()),
            (Some(Level::Warn), Some("WARNING".into()))
        );
        assert_eq!(head.message, "say \"hi\"\nbye");
        assert_eq!(head.job, None);
        assert_eq!(
            head.fields.as_deref(),
            Some(r#"{"user":{"id":7,"tags":["a"]},"dur_ms":12.5,"ok":false,"none":null}"#)
        );
    }

    #[test]
    fn no_message_keeps_the_line() {
        let line = r#"{"time":"2026-11-02 13:04:05","event":"login","user":"ana"}"#;
        let head = parse(line).expect("json");
        assert_eq!(head.message, line);
        assert_eq!(head.level, None);
        assert_eq!(
            head.fields.as_deref(),
            Some(r#"{"event":"login","user":"ana"}"#)
        );
    }

    #[test]
    fn not_json_objects() {
        assert!(parse("Traceback (most recent call last):").is_none());
        assert!(parse("[1,2,3]").is_none());
        assert!(parse(r#"{"a":1} trailing"#).is_none());
        assert!(parse(r#"{"a":"#).is_none());
        assert!(parse("").is_none());
    }
}
