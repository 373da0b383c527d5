//! Formats defined in the config: a regex with named groups `ts`, `level`, `message` and `job`
//! (any other named group becomes a field), and an optional strftime-style `time_format` read
//! with jiff; without one, `ts` is read by the built-in timestamp readers. Checked when the
//! parser is built, so a bad pattern is reported once, by name, instead of matching nothing.

use std::borrow::Cow;

use regex::Regex;

use super::formats::Head;
use super::levels::LevelTok;
use super::stamp::read_any;
use super::time::{Civil, Stamp};
use super::{CustomFormat, ParserError};

#[derive(Debug)]
pub(super) struct Custom {
    name: String,
    regex: Regex,
    time_format: Option<String>,
    ts: usize,
    level: Option<usize>,
    message: Option<usize>,
    job: Option<usize>,
    /// Other named groups: field name and group index.
    extra: Vec<(String, usize)>,
}

impl Custom {
    pub fn compile(format: &CustomFormat) -> Result<Custom, ParserError> {
        let bad = |message: String| ParserError::BadPattern {
            name: format.name.clone(),
            message,
        };
        let regex = Regex::new(&format.pattern).map_err(|e| bad(e.to_string()))?;
        let index = |group: &str| regex.capture_names().position(|n| n == Some(group));
        let ts = index("ts").ok_or_else(|| {
            bad("no named group `ts`: a line starts an entry only when its time is found".into())
        })?;
        if let Some(time_format) = &format.time_format {
            check_time_format(time_format).map_err(|message| ParserError::BadTimeFormat {
                name: format.name.clone(),
                message,
            })?;
        }
        let extra = regex
            .capture_names()
            .enumerate()
            .filter_map(|(i, n)| Some((n?.to_owned(), i)))
            .filter(|(n, _)| !matches!(n.as_str(), "ts" | "level" | "message" | "job"))
            .collect();
        Ok(Custom {
            name: format.name.clone(),
            level: index("level"),
            message: index("message"),
            job: index("job"),
            regex,
            time_format: format.time_format.clone(),
            ts,
            extra,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn parse<'a>(&self, line: &'a str) -> Option<Head<'a>> {
        let caps = self.regex.captures(line)?;
        let ts = caps.get(self.ts)?.as_str();
        let stamp = match &self.time_format {
            Some(f) => with_time_format(f, ts)?,
            None => read_any(ts)?,
        };
        let group = |i: Option<usize>| {
            i.and_then(|i| caps.get(i))
                .map(|m| m.as_str())
                .filter(|s| !s.is_empty())
        };
        let level = group(self.level).map(|raw| LevelTok::field(Cow::Borrowed(raw.trim())));
        // Without a message group, the message is what follows the match.
        let message = match self.message {
            Some(_) => group(self.message).unwrap_or(""),
            None => caps
                .get(0)
                .map_or(line, |m| line[m.end()..].trim_start_matches([' ', '\t'])),
        };
        let mut head = Head::new(stamp, level, message);
        head.job = group(self.job).map(str::to_owned);
        head.fields = self.fields(&caps);
        Some(head)
    }

    fn fields(&self, caps: &regex::Captures<'_>) -> Option<String> {
        let mut map = serde_json::Map::new();
        for (name, i) in &self.extra {
            if let Some(m) = caps.get(*i) {
                map.insert(name.clone(), m.as_str().into());
            }
        }
        (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
    }
}

/// Formats a sample time with the format: jiff reports unknown directives that way.
fn check_time_format(time_format: &str) -> Result<(), String> {
    let sample = jiff::Timestamp::UNIX_EPOCH.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    jiff::fmt::strtime::format(time_format, &sample)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn with_time_format(time_format: &str, text: &str) -> Option<Stamp> {
    let mut tm = jiff::fmt::strtime::parse(time_format, text.trim()).ok()?;
    if let Some(ts) = tm.timestamp() {
        return Some(Stamp::Epoch(ts.as_millisecond()));
    }
    let year_written = tm.year().is_some();
    if !year_written {
        // A leap year stands in so that February 29 survives until the real year is chosen; a
        // weekday would then contradict the stand-in date, and says nothing the date does not.
        tm.set_year(Some(2000)).ok()?;
        tm.set_weekday(None);
    } else if tm.offset().is_some() || tm.iana_time_zone().is_some() {
        let zoned = tm.to_zoned_datetime().ok()?;
        return Some(Stamp::Epoch(zoned.timestamp().as_millisecond()));
    }
    let dt = tm.to_datetime().ok()?;
    let civil = Civil::new(
        if year_written { dt.year().into() } else { 0 },
        dt.month() as u32,
        dt.day() as u32,
        dt.hour() as u32,
        dt.minute() as u32,
        dt.second() as u32,
        (dt.subsec_nanosecond() / 1_000_000) as u16,
    )?;
    Some(if year_written {
        Stamp::Civil(civil, None)
    } else {
        Stamp::NoYear(civil)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    fn format(pattern: &str, time_format: Option<&str>) -> CustomFormat {
        CustomFormat {
            name: "mine".into(),
            pattern: pattern.into(),
            time_format: time_format.map(str::to_owned),
        }
    }

    #[test]
    fn groups_become_entry_parts() {
        let c = Custom::compile(&format(
            r"^(?P<ts>\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}) <(?P<level>\w+)> (?P<job>[\w-]+) \((?P<host>\w+)\) (?P<message>.*)$",
            Some("%d.%m.%Y %H:%M:%S"),
        ))
        .expect("compiles");
        let head = c
            .parse("02.11.2026 13:04:05 <Warning> etl-orders (db1) slow query")
            .expect("matches");
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw_to_keep()),
            (Some(Level::Warn), Some("Warning".into()))
        );
        assert_eq!(head.message, "slow query");
        assert_eq!(head.job.as_deref(), Some("etl-orders"));
        assert_eq!(head.fields.as_deref(), Some(r#"{"host":"db1"}"#));
        assert!(
            matches!(head.stamp, Stamp::Civil(c, None) if (c.year, c.day, c.second) == (2026, 2, 5))
        );
        assert!(c.parse("not a line").is_none());
        assert!(c.parse("32.11.2026 13:04:05 <x> j (h) m").is_none());
    }

    #[test]
    fn built_in_readers_without_a_time_format() {
        let c =
            Custom::compile(&format(r"^(?P<ts>\S+) \| (?P<level>\w+) \|", None)).expect("compiles");
        let head = c
            .parse("2026-11-02T13:04:05.5+02:00 | ERROR | boom")
            .expect("matches");
        assert_eq!(head.message, "boom");
        assert!(matches!(head.stamp, Stamp::Civil(c, Some(7200)) if c.milli == 500));
    }

    #[test]
    fn zones_and_missing_years_in_time_formats() {
        let c = Custom::compile(&format(
            r"^(?P<ts>.{25}) (?P<message>.*)",
            Some("%Y-%m-%d %H:%M:%S %z"),
        ))
        .expect("compiles");
        let head = c.parse("2026-11-02 13:04:05 +0100 hi").expect("matches");
        assert_eq!(head.stamp, Stamp::Epoch(1_793_621_045_000));

        let c = Custom::compile(&format(
            r"^(?P<ts>\w{3} \w{3} \d\d \S+) (?P<message>.*)",
            Some("%a %b %d %H:%M:%S"),
        ))
        .expect("compiles");
        let head = c.parse("Mon Feb 29 10:00:00 leap").expect("matches");
        assert!(matches!(head.stamp, Stamp::NoYear(c) if (c.month, c.day) == (2, 29)));
    }

    #[test]
    fn bad_definitions_are_named() {
        let err = Custom::compile(&format(r"^(?P<ts>\d+", None)).expect_err("unclosed group");
        let text = err.to_string();
        assert!(
            text.starts_with("custom format \"mine\": invalid regex: "),
            "{text}"
        );
        assert!(text.contains("unclosed group"), "{text}");

        let err =
            Custom::compile(&format(r"^(?P<time>\d+) (?P<message>.*)", None)).expect_err("no ts");
        assert!(err.to_string().contains("no named group `ts`"), "{err}");

        let err =
            Custom::compile(&format(r"^(?P<ts>\d+)", Some("%Y-%K"))).expect_err("bad directive");
        assert!(
            matches!(&err, ParserError::BadTimeFormat { name, .. } if name == "mine"),
            "{err:?}"
        );
    }
}
