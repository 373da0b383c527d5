//! Proxifier: `[07.26 12:21:41] program.exe - msg`: month and day without a year, no level.

use super::Head;
use crate::ingest::parser::scan::{byte_is, skip_blanks};
use crate::ingest::parser::stamp::read_month_dot_day;

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    if !byte_is(b, 0, b'[') {
        return None;
    }
    let (stamp, end) = read_month_dot_day(b, 1)?;
    if !byte_is(b, end, b']') {
        return None;
    }
    Some(Head::new(stamp, None, &line[skip_blanks(b, end + 1)..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;

    #[test]
    fn proxifier_lines() {
        let head = parse("[10.30 16:49:06] browser.exe - cdn.example.org:443 open through proxy")
            .expect("proxifier");
        assert_eq!(head.level, None);
        assert_eq!(
            head.message,
            "browser.exe - cdn.example.org:443 open through proxy"
        );
        assert!(matches!(head.stamp, Stamp::NoYear(c) if (c.month, c.day, c.hour) == (10, 30, 16)));
        assert!(parse("[10.32 16:49:06] x").is_none());
        assert!(parse("[Sun Dec 04 04:47:44 2005] [notice] x").is_none());
    }
}
