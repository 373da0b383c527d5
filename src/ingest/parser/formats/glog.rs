//! glog / klog: `I1102 13:04:05.123456 1234 file.cc:42] msg`, the level letter first and no year.

use super::Head;
use crate::ingest::parser::levels::LevelTok;
use crate::ingest::parser::scan::{at_boundary, skip_blanks};
use crate::ingest::parser::stamp::read_glog;
use crate::model::Level;

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let level = match *b.first()? {
        b'I' => Level::Info,
        b'W' => Level::Warn,
        b'E' => Level::Error,
        b'F' => Level::Fatal,
        _ => return None,
    };
    let (stamp, end) = read_glog(b, 1)?;
    if !at_boundary(b, end) {
        return None;
    }
    let message = &line[skip_blanks(b, end)..];
    Some(Head::new(
        stamp,
        Some(LevelTok::known(level, &line[..1])),
        message,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;

    #[test]
    fn glog_lines() {
        let head = parse("E1102 13:04:05.123456 1234 file.cc:42] disk full").expect("glog");
        let level = head.level.expect("level");
        assert_eq!((level.level, level.raw.as_ref()), (Some(Level::Error), "E"));
        assert_eq!(head.message, "1234 file.cc:42] disk full");
        assert!(
            matches!(head.stamp, Stamp::NoYear(c) if (c.month, c.day, c.milli) == (11, 2, 123))
        );
        assert!(parse("X1102 13:04:05.123456 1 f.cc:1] x").is_none());
        assert!(parse("I1302 13:04:05.123456 1 f.cc:1] x").is_none());
        assert!(parse("Info 13:04:05").is_none());
    }
}
