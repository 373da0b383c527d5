//! HealthApp: `20171223-22:15:29:606|Component|4400121|msg`, time fields not zero-padded, no level.

use super::Head;
use crate::ingest::parser::scan::byte_is;
use crate::ingest::parser::stamp::read_healthapp;

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let (stamp, end) = read_healthapp(b, 0)?;
    if !byte_is(b, end, b'|') {
        return None;
    }
    Some(Head::new(stamp, None, &line[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;

    #[test]
    fn healthapp_lines() {
        let head = parse("20171224-1:2:35:789|Screen_Monitor|4400121|screen state changed")
            .expect("healthapp");
        assert_eq!(head.level, None);
        assert_eq!(head.message, "Screen_Monitor|4400121|screen state changed");
        assert!(matches!(head.stamp, Stamp::Civil(c, None)
            if (c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli) == (2017, 12, 24, 1, 2, 35, 789)));
        assert!(parse("20171224-1:2:35:789 Screen_Monitor").is_none());
    }
}
