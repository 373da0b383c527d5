//! Turning what a line says about its time into milliseconds since the epoch: civil dates to days,
//! the settings' zone for times written without one (its offset cached per local hour, because a
//! zone lookup per line is too slow for the hot path), and the year of year-less formats.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

const DAY_MS: i64 = 86_400_000;

/// A wall-clock time as a line wrote it. Fields are range-checked by [`Civil::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Civil {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub milli: u16,
}

impl Civil {
    /// Checks the ranges (the day against the month, a leap second allowed). `year` 0 stands for
    /// "not written": February 29 is then accepted and the year decided later.
    pub fn new(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        milli: u16,
    ) -> Option<Civil> {
        let dim = if year == 0 && month == 2 {
            29
        } else {
            days_in_month(year, month)?
        };
        if day == 0 || day > dim || hour > 23 || minute > 59 || second > 60 || milli > 999 {
            return None;
        }
        Some(Civil {
            year,
            month: month as u8,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            milli,
        })
    }

    fn with_year(self, year: i32) -> Option<Civil> {
        Civil::new(
            year,
            self.month.into(),
            self.day.into(),
            self.hour.into(),
            self.minute.into(),
            self.second.into(),
            self.milli,
        )
    }

    fn days(&self) -> i64 {
        days_from_civil(self.year, self.month.into(), self.day.into())
    }

    /// Seconds since the epoch if this wall-clock time were UTC.
    fn naive_seconds(&self) -> i64 {
        self.days() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

/// What a line says about its time, before the settings are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stamp {
    /// The line has no time: it is inferred from the entry before.
    Missing,
    /// Already absolute (an epoch number).
    Epoch(i64),
    /// A wall-clock time with its offset in seconds, or `None` for the settings' zone.
    Civil(Civil, Option<i32>),
    /// A wall-clock time in the settings' zone whose year was not written.
    NoYear(Civil),
}

/// Days from 1970-01-01 to a proleptic Gregorian date (the usual era/day-of-era arithmetic,
/// with March as the first month so leap days fall at the end of a cycle year).
pub(super) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(super) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(super) fn days_in_month(year: i32, month: u32) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    })
}

/// Converts epoch numbers of unknown unit (seconds, milliseconds, microseconds or nanoseconds,
/// as JSON loggers write them) to milliseconds, judging the unit by magnitude.
pub(super) fn epoch_number_ms(n: f64) -> Option<i64> {
    if !n.is_finite() {
        return None;
    }
    let a = n.abs();
    let ms = if a < 1e11 {
        n * 1e3
    } else if a < 1e14 {
        n
    } else if a < 1e17 {
        n / 1e3
    } else {
        n / 1e6
    };
    // Far outside any plausible log time: refuse rather than store nonsense.
    (ms.abs() < 1e16).then_some(ms.floor() as i64)
}

/// Applies the settings to stamps: the zone for zone-less times, the year for year-less ones.
#[derive(Debug)]
pub(super) struct Clock {
    zone: TimeZone,
    /// The zone's offset when it never changes (UTC, fixed offsets): no lookup at all.
    fixed: Option<i64>,
    year: i32,
    file_mtime: i64,
    /// Local hour (days × 24 + hour) of the last lookup, and its offset when the whole hour has
    /// one offset (`None` when a transition falls inside it).
    cached_hour: i64,
    cached_offset: Option<i64>,
}

impl Clock {
    pub fn new(zone: TimeZone, year: i16, file_mtime: i64) -> Clock {
        let fixed = zone.to_fixed_offset().ok().map(|o| i64::from(o.seconds()));
        Clock {
            zone,
            fixed,
            year: year.into(),
            file_mtime,
            cached_hour: i64::MIN,
            cached_offset: None,
        }
    }

    /// Milliseconds since the epoch, or `None` when the stamp is missing or cannot be placed.
    pub fn resolve(&mut self, stamp: &Stamp) -> Option<i64> {
        match *stamp {
            Stamp::Missing => None,
            Stamp::Epoch(ms) => Some(ms),
            Stamp::Civil(c, Some(offset)) => {
                Some((c.naive_seconds() - i64::from(offset)) * 1000 + i64::from(c.milli))
            }
            Stamp::Civil(c, None) => Some(self.local_ms(&c)),
            Stamp::NoYear(c) => self.without_year(c),
        }
    }

    /// The settings' year, or the one before when that would put the time more than a day after
    /// the file was last written (a December line read in January).
    fn without_year(&mut self, c: Civil) -> Option<i64> {
        if let Some(this) = c.with_year(self.year) {
            let ms = self.local_ms(&this);
            if ms <= self.file_mtime.saturating_add(DAY_MS) {
                return Some(ms);
            }
        }
        let before = c.with_year(self.year - 1)?;
        Some(self.local_ms(&before))
    }

    fn local_ms(&mut self, c: &Civil) -> i64 {
        let naive = c.naive_seconds();
        let offset = match self.fixed {
            Some(o) => o,
            None => self.hour_offset(c, naive),
        };
        (naive - offset) * 1000 + i64::from(c.milli)
    }

    fn hour_offset(&mut self, c: &Civil, naive: i64) -> i64 {
        let hour = naive.div_euclid(3600);
        if hour != self.cached_hour {
            self.cached_hour = hour;
            let start = self.lookup(c, 0, 0);
            let end = self.lookup(c, 59, 59);
            self.cached_offset = (start == end).then_some(start);
        }
        match self.cached_offset {
            Some(o) => o,
            None => self.lookup(c, c.minute, c.second.min(59)),
        }
    }

    /// The zone's offset at a wall-clock time, resolving gaps and folds the usual way (the later
    /// side of a gap, the earlier side of a fold). Times the zone cannot place count as UTC.
    fn lookup(&self, c: &Civil, minute: u8, second: u8) -> i64 {
        let Ok(year) = i16::try_from(c.year) else {
            return 0;
        };
        let Ok(dt) = DateTime::new(
            year,
            c.month as i8,
            c.day as i8,
            c.hour as i8,
            minute as i8,
            second as i8,
            0,
        ) else {
            return 0;
        };
        let naive = days_from_civil(c.year, c.month.into(), c.day.into()) * 86_400
            + i64::from(c.hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        match self.zone.to_ambiguous_timestamp(dt).compatible() {
            Ok(ts) => naive - ts.as_second(),
            Err(_) => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u16) -> Civil {
        Civil::new(y, mo, d, h, mi, s, ms).expect("valid test date")
    }

    fn utc_ms(text: &str) -> i64 {
        let ts: jiff::Timestamp = text.parse().expect("test timestamp");
        ts.as_millisecond()
    }

    #[test]
    fn days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(
            days_from_civil(2026, 11, 2) * 86_400_000,
            utc_ms("2026-11-02T00:00:00Z")
        );
    }

    #[test]
    fn civil_rejects_impossible_dates() {
        assert!(Civil::new(2026, 2, 29, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2024, 2, 29, 0, 0, 0, 0).is_some());
        assert!(Civil::new(0, 2, 29, 0, 0, 0, 0).is_some());
        assert!(Civil::new(2026, 13, 1, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2026, 4, 31, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2026, 4, 30, 24, 0, 0, 0).is_none());
    }

    #[test]
    fn offsets_and_zones_are_applied() {
        let mut utc = Clock::new(TimeZone::UTC, 2026, 0);
        let c = civil(2026, 11, 2, 13, 4, 5, 123);
        assert_eq!(
            utc.resolve(&Stamp::Civil(c, None)),
            Some(utc_ms("2026-11-02T13:04:05.123Z"))
        );
        assert_eq!(
            utc.resolve(&Stamp::Civil(c, Some(3600))),
            Some(utc_ms("2026-11-02T12:04:05.123Z"))
        );

        let mut berlin = Clock::new(TimeZone::get("Europe/Berlin").expect("tzdb"), 2026, 0);
        // Winter (+01:00) and summer (+02:00) through the same cache.
        assert_eq!(
            berlin.resolve(&Stamp::Civil(c, None)),
            Some(utc_ms("2026-11-02T12:04:05.123Z"))
        );
        let summer = civil(2026, 7, 2, 13, 4, 5, 0);
        assert_eq!(
            berlin.resolve(&Stamp::Civil(summer, None)),
            Some(utc_ms("2026-07-02T11:04:05Z"))
        );
        // Back to winter: the cache must not keep the summer offset.
        assert_eq!(
            berlin.resolve(&Stamp::Civil(c, None)),
            Some(utc_ms("2026-11-02T12:04:05.123Z"))
        );
    }

    #[test]
    fn transitions_inside_an_hour_are_exact() {
        // Lord Howe's clocks move by 30 minutes at 02:00 local, so the hour 02:00–03:00 holds
        // two offsets and cannot be cached as one.
        let zone = TimeZone::get("Australia/Lord_Howe").expect("tzdb");
        let mut clock = Clock::new(zone.clone(), 2026, 0);
        for (h, m) in [(1, 10), (1, 50), (2, 10), (2, 40)] {
            let c = civil(2026, 10, 4, h, m, 0, 0);
            let dt = jiff::civil::date(2026, 10, 4).at(h as i8, m as i8, 0, 0);
            let want = zone
                .to_ambiguous_timestamp(dt)
                .compatible()
                .expect("placeable")
                .as_millisecond();
            assert_eq!(clock.resolve(&Stamp::Civil(c, None)), Some(want), "{h}:{m}");
        }
    }

    #[test]
    fn yearless_times_take_the_year_before_when_in_the_future() {
        let mtime = utc_ms("2027-01-03T10:00:00Z");
        let mut clock = Clock::new(TimeZone::UTC, 2027, mtime);
        let dec = Civil::new(0, 12, 31, 23, 59, 59, 0).expect("valid");
        assert_eq!(
            clock.resolve(&Stamp::NoYear(dec)),
            Some(utc_ms("2026-12-31T23:59:59Z"))
        );
        let jan = Civil::new(0, 1, 3, 9, 0, 0, 0).expect("valid");
        assert_eq!(
            clock.resolve(&Stamp::NoYear(jan)),
            Some(utc_ms("2027-01-03T09:00:00Z"))
        );
        // Less than a day ahead of the mtime is clock skew, not last year.
        let skew = Civil::new(0, 1, 4, 9, 0, 0, 0).expect("valid");
        assert_eq!(
            clock.resolve(&Stamp::NoYear(skew)),
            Some(utc_ms("2027-01-04T09:00:00Z"))
        );
        // February 29 of a year that has none goes to the year before only if that one has it.
        let leap = Civil::new(0, 2, 29, 0, 0, 0, 0).expect("valid");
        let mut in_2025 = Clock::new(TimeZone::UTC, 2025, i64::MAX / 2);
        assert_eq!(
            in_2025.resolve(&Stamp::NoYear(leap)),
            Some(utc_ms("2024-02-29T00:00:00Z"))
        );
        let mut in_2027 = Clock::new(TimeZone::UTC, 2027, i64::MAX / 2);
        assert_eq!(in_2027.resolve(&Stamp::NoYear(leap)), None);
    }

    #[test]
    fn epoch_numbers_of_any_unit() {
        assert_eq!(epoch_number_ms(1_700_000_000.0), Some(1_700_000_000_000));
        assert_eq!(epoch_number_ms(1_700_000_000.25), Some(1_700_000_000_250));
        assert_eq!(
            epoch_number_ms(1_700_000_000_123.0),
            Some(1_700_000_000_123)
        );
        assert_eq!(
            epoch_number_ms(1_700_000_000_123_456.0),
            Some(1_700_000_000_123)
        );
        assert_eq!(epoch_number_ms(f64::NAN), None);
        assert_eq!(epoch_number_ms(1e300), None);
    }
}
