//! Syslog: BSD (RFC 3164, `Jun 14 15:16:01 host prog[pid]: msg`, optionally after `<PRI>`) and
//! RFC 5424 (`<34>1 2026-11-02T13:04:05.003Z host app pid msgid [sd] msg`). Only PRI carries a
//! level; without it the level is unknown.

use super::Head;
use crate::ingest::parser::levels::syslog_severity;
use crate::ingest::parser::scan::{at_boundary, byte_is, skip_blanks, var_digits};
use crate::ingest::parser::stamp::{read_lead, read_syslog};
use crate::ingest::parser::time::Stamp;

/// `<PRI>` at the start: its value and the index after `>`.
fn pri(b: &[u8]) -> Option<(u32, usize)> {
    if !byte_is(b, 0, b'<') {
        return None;
    }
    let (value, end) = var_digits(b, 1, 3)?;
    (byte_is(b, end, b'>') && value <= 191).then_some((value, end + 1))
}

pub(super) fn parse_rfc5424(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let (value, p) = pri(b)?;
    if !byte_is(b, p, b'1') || !byte_is(b, p + 1, b' ') {
        return None;
    }
    let p = p + 2;
    let (stamp, end) = if byte_is(b, p, b'-') && at_boundary(b, p + 1) {
        (Stamp::Missing, p + 1)
    } else {
        let lead = read_lead(b, p)?;
        if lead.t_sep != b'T' || lead.date_sep != b'-' {
            return None;
        }
        (lead.stamp, lead.end)
    };
    if !at_boundary(b, end) {
        return None;
    }
    let message = &line[skip_blanks(b, end)..];
    Some(Head::new(stamp, Some(syslog_severity(value)), message))
}

pub(super) fn parse_bsd(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let (level, start) = match pri(b) {
        Some((value, p)) => (Some(syslog_severity(value)), p),
        None => (None, 0),
    };
    let (stamp, end) = read_syslog(b, start)?;
    if !at_boundary(b, end) {
        return None;
    }
    Some(Head::new(stamp, level, &line[skip_blanks(b, end)..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    #[test]
    fn bsd_lines() {
        let head = parse_bsd("Jun 14 15:16:01 gw sshd[4121]: Invalid user test from 10.0.0.8")
            .expect("bsd");
        assert_eq!(head.level, None);
        assert_eq!(
            head.message,
            "gw sshd[4121]: Invalid user test from 10.0.0.8"
        );
        assert!(matches!(head.stamp, Stamp::NoYear(c) if c.month == 6 && c.day == 14));

        let head = parse_bsd("Jul  1 09:00:01 host cron[1]: x").expect("padded day");
        assert!(matches!(head.stamp, Stamp::NoYear(c) if c.month == 7 && c.day == 1));
        assert_eq!(head.message, "host cron[1]: x");

        let head = parse_bsd("<11>Oct 11 22:14:15 gw backupd: disk write failed").expect("pri");
        let level = head.level.expect("level from PRI");
        assert_eq!(level.level, Some(Level::Error));
        assert_eq!(level.raw, "err");

        assert!(parse_bsd("June 14 15:16:01 host x").is_none());
        assert!(parse_bsd("<34>1 2026-11-02T13:04:05Z host app - - - x").is_none());
    }

    #[test]
    fn rfc5424_lines() {
        let line =
            "<34>1 2026-11-02T13:04:05.003Z gw.example.net sudo - AUTH - authentication failure";
        let head = parse_rfc5424(line).expect("5424");
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw.as_ref()),
            (Some(Level::Fatal), "crit")
        );
        assert_eq!(
            head.message,
            "gw.example.net sudo - AUTH - authentication failure"
        );
        assert!(matches!(head.stamp, Stamp::Civil(c, Some(0)) if c.milli == 3));

        let head = parse_rfc5424("<165>1 - host app 1 - [x@1 a=\"b\"] hi").expect("nil time");
        assert_eq!(head.stamp, Stamp::Missing);
        assert_eq!(head.level.expect("level").level, Some(Level::Info));
        assert!(parse_rfc5424("<999>1 2026-11-02T13:04:05Z h a - - - x").is_none());
        assert!(parse_rfc5424("<34>2 2026-11-02T13:04:05Z h a - - - x").is_none());
    }
}
