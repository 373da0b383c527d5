//! Time bounds for filters: what a person types (`2h`, `7d`, `2026-11-02T12:00`, `2026-11-02`) and
//! the absolute half-open range of milliseconds it becomes once a clock and a zone are known.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// An absolute half-open range `[since, until)` in milliseconds since the epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeRange {
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl TimeRange {
    pub fn all() -> TimeRange {
        TimeRange::default()
    }

    pub fn is_all(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    pub fn contains(&self, ts: i64) -> bool {
        self.since.is_none_or(|s| ts >= s) && self.until.is_none_or(|u| ts < u)
    }

    /// The range ending at `now` and reaching back `span_ms`.
    pub fn last(now: i64, span_ms: i64) -> TimeRange {
        TimeRange {
            since: Some(now.saturating_sub(span_ms)),
            until: None,
        }
    }
}

/// A time as typed: relative to now, or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    /// That many milliseconds before now.
    Ago(i64),
    /// An absolute instant (ms since the epoch, UTC).
    At(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read {input:?} as a time: use a duration like 15m, 2h, 7d or a date like 2026-11-02 or 2026-11-02T12:00"
)]
pub struct TimeError {
    pub input: String,
}

impl TimeSpec {
    /// Parses a duration (`90s`, `15m`, `2h`, `7d`, `2w`, combinations like `1h30m`) or an absolute
    /// date/time. Absolute times without a zone are read in `zone`.
    pub fn parse(input: &str, zone: &TimeZone) -> Result<TimeSpec, TimeError> {
        let s = input.trim();
        let err = || TimeError {
            input: input.to_string(),
        };
        if s.is_empty() {
            return Err(err());
        }
        if let Some(ms) = parse_duration_ms(s) {
            return Ok(TimeSpec::Ago(ms));
        }
        if let Ok(ts) = s.parse::<Timestamp>() {
            return Ok(TimeSpec::At(ts.as_millisecond()));
        }
        let normalized = s.replacen(' ', "T", 1);
        if let Ok(dt) = normalized.parse::<DateTime>() {
            let z = dt.to_zoned_datetime(zone.clone()).map_err(|_| err())?;
            return Ok(TimeSpec::At(z.timestamp().as_millisecond()));
        }
        if let Ok(d) = s.parse::<Date>() {
            let z = d.to_zoned_datetime(zone.clone()).map_err(|_| err())?;
            return Ok(TimeSpec::At(z.timestamp().as_millisecond()));
        }
        Err(err())
    }

    pub fn resolve(self, now_ms: i64) -> i64 {
        match self {
            TimeSpec::Ago(ms) => now_ms.saturating_sub(ms),
            TimeSpec::At(t) => t,
        }
    }
}

/// `250ms`, `90s`, `15m`, `2h`, `7d`, `2w`, `1h30m`; a bare number is not a duration.
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (num, tail) = rest.split_at(digits);
        let letters = tail.len()
            - tail
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let (unit, tail) = tail.split_at(letters);
        let n: i64 = num.parse().ok()?;
        let unit: i64 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 7 * 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        rest = tail;
    }
    Some(total)
}

/// Formats a duration the way [`parse_duration_ms`] reads it (largest whole unit).
pub fn format_duration_ms(ms: i64) -> String {
    for (unit, name) in [
        (7 * 86_400_000, "w"),
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "m"),
    ] {
        if ms >= unit && ms % unit == 0 {
            return format!("{}{name}", ms / unit);
        }
    }
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Current time in ms; the one place that reads the clock for filters.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("7d"), Some(604_800_000));
        assert_eq!(parse_duration_ms("15"), None);
        assert_eq!(parse_duration_ms("h"), None);
        assert_eq!(parse_duration_ms("2x"), None);
        assert_eq!(parse_duration_ms("99999999999999999999d"), None);
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms(""), None);
        assert_eq!(parse_duration_ms("5 m"), None);
        assert_eq!(format_duration_ms(250), "250ms");
        assert_eq!(format_duration_ms(86_400_000), "1d");
        assert_eq!(format_duration_ms(900_000), "15m");
    }

    #[test]
    fn absolute_times_read_in_the_given_zone() {
        let utc = TimeZone::UTC;
        let at = |s: &str| match TimeSpec::parse(s, &utc).unwrap() {
            TimeSpec::At(t) => t,
            other => panic!("{other:?}"),
        };
        assert_eq!(at("2026-11-02T12:00"), 1_793_620_800_000);
        assert_eq!(at("2026-11-02 12:00:00"), 1_793_620_800_000);
        assert_eq!(at("2026-11-02T12:00:00Z"), 1_793_620_800_000);
        assert_eq!(at("2026-11-02T13:00:00+01:00"), 1_793_620_800_000);
        assert_eq!(at("2026-11-02"), 1_793_577_600_000);
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            TimeSpec::parse("2026-11-02T13:00", &berlin).unwrap(),
            TimeSpec::At(1_793_620_800_000)
        );
        assert!(TimeSpec::parse("yesterday-ish", &utc).is_err());
        assert!(TimeSpec::parse("", &utc).is_err());
    }

    #[test]
    fn ranges_are_half_open() {
        let r = TimeRange {
            since: Some(10),
            until: Some(20),
        };
        assert!(r.contains(10) && r.contains(19) && !r.contains(20) && !r.contains(9));
        assert!(TimeRange::all().contains(i64::MIN));
    }
}
