//! Readers for the timestamp shapes logs write, by fixed-position byte reads (no regex): ISO-like
//! dates, syslog and ctime, access-log, HDFS, logcat, glog, HealthApp and Proxifier times, epoch
//! numbers. Each returns a [`Stamp`] and where the time ends; none knows about line layouts.

use super::scan::{
    byte_is, digit_run, digits, fraction_ms, is_weekday_abbr, month_abbr, var_digits,
};
use super::time::{Civil, Stamp};

/// An ISO-like leading timestamp and the details of how it was written, which the formats that
/// share this shape use to tell themselves apart.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lead {
    pub stamp: Stamp,
    pub end: usize,
    /// `-` or `/` between the date fields.
    pub date_sep: u8,
    /// `yy/MM/dd`.
    pub short_year: bool,
    /// `T` or a space between date and time.
    pub t_sep: u8,
    /// `.` or `,` before the fraction of a second, if any.
    pub frac: Option<u8>,
    pub zoned: bool,
}

/// True where a timestamp may end: the end of the line or anything but a letter or digit.
fn ends_token(b: &[u8], i: usize) -> bool {
    b.get(i).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// `HH:MM:SS` at `i`.
fn hms(b: &[u8], i: usize) -> Option<(u32, u32, u32)> {
    let h = digits(b, i, 2)?;
    let m = digits(b, i + 3, 2)?;
    let s = digits(b, i + 6, 2)?;
    (byte_is(b, i + 2, b':') && byte_is(b, i + 5, b':')).then_some((h, m, s))
}

/// An optional `.fff…` after the seconds.
fn dot_fraction(b: &[u8], i: usize) -> (u16, usize) {
    if byte_is(b, i, b'.')
        && let Some(f) = fraction_ms(b, i + 1)
    {
        return f;
    }
    (0, i)
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `yy/MM/dd`, then `T` or a space, `HH:MM:SS`, an optional
/// fraction after `.` or `,` of any length, and (four-digit years only) `Z` or `±hh[:mm]`.
pub(super) fn read_lead(b: &[u8], i: usize) -> Option<Lead> {
    let (year, month, day, date_sep, short_year, mut p) = if byte_is(b, i + 2, b'/') {
        let yy = digits(b, i, 2)?;
        let mo = digits(b, i + 3, 2)?;
        let d = digits(b, i + 6, 2)?;
        if !byte_is(b, i + 5, b'/') {
            return None;
        }
        (2000 + yy as i32, mo, d, b'/', true, i + 8)
    } else {
        let y = digits(b, i, 4)?;
        let sep = *b.get(i + 4)?;
        if !(sep == b'-' || sep == b'/') || !byte_is(b, i + 7, sep) {
            return None;
        }
        let mo = digits(b, i + 5, 2)?;
        let d = digits(b, i + 8, 2)?;
        (y as i32, mo, d, sep, false, i + 10)
    };
    let t_sep = *b.get(p)?;
    if !(t_sep == b' ' || (t_sep == b'T' && !short_year)) {
        return None;
    }
    let (h, m, s) = hms(b, p + 1)?;
    p += 9;
    let mut frac = None;
    let mut milli = 0;
    if let Some(&c) = b.get(p)
        && (c == b'.' || c == b',')
        && let Some((ms, next)) = fraction_ms(b, p + 1)
    {
        frac = Some(c);
        milli = ms;
        p = next;
    }
    let mut offset = None;
    if !short_year && let Some((o, next)) = zone_suffix(b, p) {
        offset = Some(o);
        p = next;
    }
    if !ends_token(b, p) {
        return None;
    }
    let civil = Civil::new(year, month, day, h, m, s, milli)?;
    Some(Lead {
        stamp: Stamp::Civil(civil, offset),
        end: p,
        date_sep,
        short_year,
        t_sep,
        frac,
        zoned: offset.is_some(),
    })
}

/// `Z`, `±hh:mm`, `±hhmm` or `±hh` right after the time: the offset in seconds.
fn zone_suffix(b: &[u8], i: usize) -> Option<(i32, usize)> {
    let sign = match *b.get(i)? {
        b'Z' => return Some((0, i + 1)),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = digits(b, i + 1, 2)?;
    let (m, end) = if byte_is(b, i + 3, b':') {
        (digits(b, i + 4, 2)?, i + 6)
    } else if let Some(m) = digits(b, i + 3, 2) {
        (m, i + 5)
    } else {
        (0, i + 3)
    };
    (h <= 23 && m <= 59).then(|| (sign * (h as i32 * 3600 + m as i32 * 60), end))
}

/// `yymmdd hhmmss` (HDFS).
pub(super) fn read_hdfs(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let date = b.get(i..i + 13)?;
    if date[6] != b' ' || !ends_token(b, i + 13) {
        return None;
    }
    let civil = Civil::new(
        2000 + digits(b, i, 2)? as i32,
        digits(b, i + 2, 2)?,
        digits(b, i + 4, 2)?,
        digits(b, i + 7, 2)?,
        digits(b, i + 9, 2)?,
        digits(b, i + 11, 2)?,
        0,
    )?;
    Some((Stamp::Civil(civil, None), i + 13))
}

/// `Mmm dd HH:MM:SS` with the day space-padded (`Jul  1`) or not, an optional fraction; no year.
pub(super) fn read_syslog(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let month = month_abbr(b, i)?;
    let mut p = i + 3;
    if !byte_is(b, p, b' ') {
        return None;
    }
    p += 1;
    if byte_is(b, p, b' ') {
        p += 1;
    }
    let (day, next) = var_digits(b, p, 2)?;
    if !byte_is(b, next, b' ') {
        return None;
    }
    let (h, m, s) = hms(b, next + 1)?;
    let (milli, end) = dot_fraction(b, next + 9);
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(0, month, day, h, m, s, milli)?;
    Some((Stamp::NoYear(civil), end))
}

/// `Www Mmm dd HH:MM:SS[.ffffff] YYYY` (ctime, as Apache's error log writes it).
pub(super) fn read_ctime(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    if !is_weekday_abbr(b, i) || !byte_is(b, i + 3, b' ') {
        return None;
    }
    let month = month_abbr(b, i + 4)?;
    let mut p = i + 7;
    if !byte_is(b, p, b' ') {
        return None;
    }
    p += 1;
    if byte_is(b, p, b' ') {
        p += 1;
    }
    let (day, next) = var_digits(b, p, 2)?;
    if !byte_is(b, next, b' ') {
        return None;
    }
    let (h, m, s) = hms(b, next + 1)?;
    let (milli, after) = dot_fraction(b, next + 9);
    if !byte_is(b, after, b' ') {
        return None;
    }
    let year = digits(b, after + 1, 4)?;
    let end = after + 5;
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(year as i32, month, day, h, m, s, milli)?;
    Some((Stamp::Civil(civil, None), end))
}

/// `dd/Mon/yyyy:HH:MM:SS ±hhmm` (common/combined access logs).
pub(super) fn read_access(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let day = digits(b, i, 2)?;
    let month = month_abbr(b, i + 3)?;
    let year = digits(b, i + 7, 4)?;
    if !byte_is(b, i + 2, b'/') || !byte_is(b, i + 6, b'/') || !byte_is(b, i + 11, b':') {
        return None;
    }
    let (h, m, s) = hms(b, i + 12)?;
    let (milli, mut p) = dot_fraction(b, i + 20);
    let mut offset = None;
    if byte_is(b, p, b' ')
        && let Some((o, next)) = zone_suffix(b, p + 1)
    {
        offset = Some(o);
        p = next;
    }
    if !ends_token(b, p) {
        return None;
    }
    let civil = Civil::new(year as i32, month, day, h, m, s, milli)?;
    Some((Stamp::Civil(civil, offset), p))
}

/// `MM-DD HH:MM:SS.mmm` (logcat); no year.
pub(super) fn read_logcat(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let month = digits(b, i, 2)?;
    let day = digits(b, i + 3, 2)?;
    if !byte_is(b, i + 2, b'-') || !byte_is(b, i + 5, b' ') || !byte_is(b, i + 14, b'.') {
        return None;
    }
    let (h, m, s) = hms(b, i + 6)?;
    let (milli, end) = fraction_ms(b, i + 15)?;
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(0, month, day, h, m, s, milli)?;
    Some((Stamp::NoYear(civil), end))
}

/// `MMDD HH:MM:SS.ffffff` (glog, after its level letter); no year.
pub(super) fn read_glog(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let month = digits(b, i, 2)?;
    let day = digits(b, i + 2, 2)?;
    if !byte_is(b, i + 4, b' ') {
        return None;
    }
    let (h, m, s) = hms(b, i + 5)?;
    let (milli, end) = dot_fraction(b, i + 13);
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(0, month, day, h, m, s, milli)?;
    Some((Stamp::NoYear(civil), end))
}

/// `YYYYMMDD-H:M:S:ms` with hour, minute, second and milliseconds not zero-padded (HealthApp).
pub(super) fn read_healthapp(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let year = digits(b, i, 4)?;
    let month = digits(b, i + 4, 2)?;
    let day = digits(b, i + 6, 2)?;
    if !byte_is(b, i + 8, b'-') {
        return None;
    }
    let (h, p) = var_digits(b, i + 9, 2)?;
    let (m, p) = colon_then(b, p, 2)?;
    let (s, p) = colon_then(b, p, 2)?;
    let (ms, end) = colon_then(b, p, 3)?;
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(year as i32, month, day, h, m, s, ms as u16)?;
    Some((Stamp::Civil(civil, None), end))
}

fn colon_then(b: &[u8], i: usize, max: usize) -> Option<(u32, usize)> {
    if !byte_is(b, i, b':') {
        return None;
    }
    var_digits(b, i + 1, max)
}

/// `MM.DD HH:MM:SS` (Proxifier); no year.
pub(super) fn read_month_dot_day(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let month = digits(b, i, 2)?;
    let day = digits(b, i + 3, 2)?;
    if !byte_is(b, i + 2, b'.') || !byte_is(b, i + 5, b' ') {
        return None;
    }
    let (h, m, s) = hms(b, i + 6)?;
    let end = i + 14;
    if !ends_token(b, end) {
        return None;
    }
    let civil = Civil::new(0, month, day, h, m, s, 0)?;
    Some((Stamp::NoYear(civil), end))
}

/// Seconds (10 digits), milliseconds (13) or finer since the epoch, with an optional fraction.
fn read_epoch(b: &[u8], i: usize) -> Option<(Stamp, usize)> {
    let n = digit_run(b, i);
    if !(9..=19).contains(&n) {
        return None;
    }
    let mut end = i + n;
    if byte_is(b, end, b'.') {
        end += 1 + digit_run(b, end + 1);
    }
    let text = std::str::from_utf8(b.get(i..end)?).ok()?;
    let value: f64 = text.parse().ok()?;
    Some((Stamp::Epoch(super::time::epoch_number_ms(value)?), end))
}

/// Any timestamp shape this module knows, filling the whole of `text` (surrounding blanks aside).
/// Used where a field is known to hold a time: JSON and logfmt values, custom `ts` groups.
pub(super) fn read_any(text: &str) -> Option<Stamp> {
    let t = text.trim();
    let b = t.as_bytes();
    let whole = |r: Option<(Stamp, usize)>| r.filter(|&(_, end)| end == b.len()).map(|(s, _)| s);
    if let Some(lead) = read_lead(b, 0).filter(|l| l.end == b.len()) {
        return Some(lead.stamp);
    }
    whole(read_access(b, 0))
        .or_else(|| whole(read_ctime(b, 0)))
        .or_else(|| whole(read_syslog(b, 0)))
        .or_else(|| whole(read_logcat(b, 0)))
        .or_else(|| whole(read_healthapp(b, 0)))
        .or_else(|| whole(read_hdfs(b, 0)))
        .or_else(|| whole(read_month_dot_day(b, 0)))
        .or_else(|| whole(read_glog(b, 0)))
        .or_else(|| whole(read_epoch(b, 0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(stamp: Stamp) -> (Civil, Option<i32>) {
        match stamp {
            Stamp::Civil(c, o) => (c, o),
            Stamp::NoYear(c) => (c, None),
            other => panic!("not civil: {other:?}"),
        }
    }

    fn fields(c: Civil) -> (i32, u8, u8, u8, u8, u8, u16) {
        (c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli)
    }

    #[test]
    fn lead_shapes() {
        let l = read_lead(b"2026-11-02 13:04:05,123 INFO", 0).expect("python");
        assert_eq!(fields(civil(l.stamp).0), (2026, 11, 2, 13, 4, 5, 123));
        assert_eq!(
            (l.end, l.frac, l.t_sep, l.zoned),
            (23, Some(b','), b' ', false)
        );

        let l = read_lead(b"2026-11-02T13:04:05.123456789+05:30 x", 0).expect("iso");
        let (c, off) = civil(l.stamp);
        assert_eq!(fields(c), (2026, 11, 2, 13, 4, 5, 123));
        assert_eq!(off, Some(5 * 3600 + 1800));
        assert_eq!(l.end, 35);

        let l = read_lead(b"2026-11-02T13:04:05-0800", 0).expect("compact offset");
        assert_eq!(civil(l.stamp).1, Some(-8 * 3600));
        let l = read_lead(b"2026-11-02T13:04:05Z", 0).expect("zulu");
        assert_eq!((civil(l.stamp).1, l.end), (Some(0), 20));

        let l = read_lead(b"17/06/09 20:10:40 INFO", 0).expect("spark");
        assert!(l.short_year);
        assert_eq!(fields(civil(l.stamp).0), (2017, 6, 9, 20, 10, 40, 0));

        let l = read_lead(b"2026/11/02 13:04:05 [error]", 0).expect("nginx");
        assert_eq!((l.date_sep, l.end), (b'/', 19));
    }

    #[test]
    fn lead_rejects_near_misses() {
        assert!(read_lead(b"2026-13-02 13:04:05", 0).is_none());
        assert!(read_lead(b"2026-11-02 25:04:05", 0).is_none());
        assert!(read_lead(b"2026-11-02 13:04", 0).is_none());
        assert!(read_lead(b"2026-11-0213:04:05", 0).is_none());
        assert!(read_lead(b"2026-11-02 13:04:05abc", 0).is_none());
        assert!(read_lead(b"2026-11/02 13:04:05", 0).is_none());
        assert!(read_lead(b"", 0).is_none());
    }

    #[test]
    fn other_shapes() {
        let (s, end) = read_hdfs(b"081109 203615 148 INFO", 0).expect("hdfs");
        assert_eq!(fields(civil(s).0), (2008, 11, 9, 20, 36, 15, 0));
        assert_eq!(end, 13);

        let (s, end) = read_syslog(b"Jul  1 09:00:01 host", 0).expect("padded day");
        assert_eq!(fields(civil(s).0), (0, 7, 1, 9, 0, 1, 0));
        assert_eq!(end, 15);
        assert!(read_syslog(b"Jun 14 15:16:01 gw", 0).is_some());
        assert!(read_syslog(b"Jux 14 15:16:01 gw", 0).is_none());

        let (s, end) = read_ctime(b"Wed Oct 11 14:32:52.123456 2000] [core", 0).expect("ctime");
        assert_eq!(fields(civil(s).0), (2000, 10, 11, 14, 32, 52, 123));
        assert_eq!(end, 31);

        let (s, end) = read_access(b"10/Oct/2000:13:55:36 -0700] \"GET", 0).expect("access");
        let (c, off) = civil(s);
        assert_eq!(fields(c), (2000, 10, 10, 13, 55, 36, 0));
        assert_eq!((off, end), (Some(-7 * 3600), 26));

        let (s, _) = read_logcat(b"03-17 16:13:38.811  1702", 0).expect("logcat");
        assert_eq!(fields(civil(s).0), (0, 3, 17, 16, 13, 38, 811));

        let (s, end) = read_glog(b"1102 13:04:05.123456 1234", 0).expect("glog");
        assert_eq!(fields(civil(s).0), (0, 11, 2, 13, 4, 5, 123));
        assert_eq!(end, 20);

        let (s, end) = read_healthapp(b"20171224-1:2:35:789|Step", 0).expect("healthapp");
        assert_eq!(fields(civil(s).0), (2017, 12, 24, 1, 2, 35, 789));
        assert_eq!(end, 19);
        let (s, _) = read_healthapp(b"20171224-1:1:0:5|x", 0).expect("short ms");
        assert_eq!(civil(s).0.milli, 5);

        let (s, end) = read_month_dot_day(b"07.26 12:21:41] chrome", 0).expect("proxifier");
        assert_eq!(fields(civil(s).0), (0, 7, 26, 12, 21, 41, 0));
        assert_eq!(end, 14);
    }

    #[test]
    fn any_shape_must_fill_the_text() {
        assert!(matches!(
            read_any("2026-11-02T13:04:05Z"),
            Some(Stamp::Civil(_, Some(0)))
        ));
        assert!(matches!(
            read_any(" Jun 14 15:16:01 "),
            Some(Stamp::NoYear(_))
        ));
        assert_eq!(
            read_any("1700000000"),
            Some(Stamp::Epoch(1_700_000_000_000))
        );
        assert_eq!(
            read_any("1700000000123"),
            Some(Stamp::Epoch(1_700_000_000_123))
        );
        assert!(read_any("2026-11-02T13:04:05Z trailing").is_none());
        assert!(read_any("yesterday").is_none());
        assert!(read_any("").is_none());
    }
}
