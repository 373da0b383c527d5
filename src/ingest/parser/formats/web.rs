//! Web servers: Apache/nginx access logs (common and combined, `host ident user [time] "request"
//! status size …`) and Apache's error log (1.3/2.0 `[ctime] [level] msg` and 2.4
//! `[ctime] [module:level] [pid …] msg`). Access logs carry no level.

use std::borrow::Cow;

use memchr::memchr;

use super::Head;
use crate::ingest::parser::levels::{LevelTok, bracket_level};
use crate::ingest::parser::scan::{byte_is, skip_blanks};
use crate::ingest::parser::stamp::{read_access, read_ctime};

/// How far into the line the `[time]` of an access log may start.
const MAX_CLIENT: usize = 512;

/// The message is the line without its `[time]`: client, identity and user stay, since they are
/// what one searches an access log for.
pub(super) fn parse_access(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let open = memchr(b'[', &b[..b.len().min(MAX_CLIENT)])?;
    let client = &b[..open];
    if open < 2 || client[open - 1] != b' ' || client.contains(&b'"') {
        return None;
    }
    if client.iter().filter(|&&c| c == b' ').count() < 2 {
        return None;
    }
    let (stamp, end) = read_access(b, open + 1)?;
    if !byte_is(b, end, b']') {
        return None;
    }
    let rest = &line[skip_blanks(b, end + 1)..];
    let mut head = Head::new(stamp, None, "");
    head.message = Cow::Owned(format!("{}{rest}", &line[..open]));
    Some(head)
}

pub(super) fn parse_apache_error(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    if !byte_is(b, 0, b'[') {
        return None;
    }
    let (stamp, end) = read_ctime(b, 1)?;
    if !byte_is(b, end, b']') {
        return None;
    }
    let mut start = skip_blanks(b, end + 1);
    let mut level = None;
    if byte_is(b, start, b'[')
        && let Some(len) = b[start + 1..].iter().take(48).position(|&c| c == b']')
    {
        let close = start + 1 + len;
        // 2.4 writes `module:level`; the module is not part of the level.
        let word = line[start + 1..close]
            .rsplit(':')
            .next()
            .unwrap_or("")
            .trim();
        if let Some(l) = bracket_level(word) {
            level = Some(LevelTok::known(l, word));
            start = skip_blanks(b, close + 1);
        }
    }
    Some(Head::new(stamp, level, &line[start..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;
    use crate::model::Level;

    #[test]
    fn access_lines() {
        let line = r#"192.168.7.20 - alice [10/Oct/2000:13:55:36 -0700] "GET /logo.png HTTP/1.1" 200 4410 "https://example.org/" "Lynx/2.9""#;
        let head = parse_access(line).expect("combined");
        assert_eq!(head.level, None);
        assert_eq!(
            head.message,
            r#"192.168.7.20 - alice "GET /logo.png HTTP/1.1" 200 4410 "https://example.org/" "Lynx/2.9""#
        );
        assert!(matches!(head.stamp, Stamp::Civil(_, Some(-25200))));
        assert!(parse_access("[10/Oct/2000:13:55:36 -0700] x").is_none());
        assert!(parse_access(r#"a "b c" [10/Oct/2000:13:55:36 -0700] x"#).is_none());
    }

    #[test]
    fn apache_error_lines() {
        let head = parse_apache_error(
            "[Sun Dec 04 04:47:44 2005] [notice] child pid 812 exit signal Segmentation fault (11)",
        )
        .expect("old");
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw.as_ref()),
            (Some(Level::Info), "notice")
        );
        assert_eq!(
            head.message,
            "child pid 812 exit signal Segmentation fault (11)"
        );

        let head = parse_apache_error("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 4410:tid 140221] [client 10.0.0.9] AH00128: File does not exist")
            .expect("2.4");
        let level = head.level.expect("level");
        assert_eq!(
            (level.level, level.raw.as_ref()),
            (Some(Level::Error), "error")
        );
        assert_eq!(
            head.message,
            "[pid 4410:tid 140221] [client 10.0.0.9] AH00128: File does not exist"
        );
        assert!(matches!(head.stamp, Stamp::Civil(c, None) if c.milli == 123));

        let head =
            parse_apache_error("[Sun Dec 04 04:47:44 2005] [client 1.2.3.4] x").expect("no level");
        assert_eq!(head.level, None);
        assert_eq!(head.message, "[client 1.2.3.4] x");
        assert!(parse_apache_error("[Sun Dec 34 04:47:44 2005] [notice] x").is_none());
    }
}
