//! Timestamp-led lines: Python logging, log4j layouts (Hadoop, Spark), Zookeeper, ISO-8601,
//! OpenStack (oslo.log, possibly after a file name), nginx's error log and HDFS. They differ in
//! how the time is written and in what sits between it and the level; one level locator serves
//! them all, so a line of an unexpected layout still yields its time and whatever level it has.

use std::borrow::Cow;

use memchr::memchr;

use super::{Head, Layout};
use crate::ingest::parser::levels::{LevelTok, bracket_level, word_level};
use crate::ingest::parser::scan::{at_boundary, byte_is, digit_run, skip_blanks};
use crate::ingest::parser::stamp::{Lead, read_hdfs, read_lead};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Python,
    Zookeeper,
    Log4j,
    Iso,
    OpenStack,
    NginxError,
    Hdfs,
}

/// How far a file-name prefix may reach before the timestamp (OpenStack).
const MAX_PREFIX: usize = 256;

pub(super) fn parse(kind: Kind, line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let mut layout = Layout::default();
    let (stamp, end) = match kind {
        Kind::Hdfs => read_hdfs(b, 0)?,
        _ => {
            let start = if kind == Kind::OpenStack && !b.first()?.is_ascii_digit() {
                layout.prefix = true;
                prefix_end(b)?
            } else {
                0
            };
            let lead = read_lead(b, start)?;
            if !accepts(kind, &lead) {
                return None;
            }
            layout.t_sep = lead.t_sep == b'T';
            layout.zoned = lead.zoned;
            layout.short_year = lead.short_year;
            (lead.stamp, lead.end)
        }
    };
    let (level, message) = locate(line, end, &mut layout);
    Some(Head {
        stamp,
        level,
        message,
        job: None,
        fields: None,
        layout,
    })
}

/// The timestamp shapes each format writes.
fn accepts(kind: Kind, lead: &Lead) -> bool {
    let long_dash = lead.date_sep == b'-' && !lead.short_year;
    let space = lead.t_sep == b' ';
    match kind {
        Kind::Python | Kind::Zookeeper => {
            long_dash && space && lead.frac != Some(b'.') && !lead.zoned
        }
        Kind::Log4j => space && !lead.zoned && (lead.short_year || long_dash),
        Kind::Iso => long_dash && (lead.frac != Some(b',') || lead.t_sep == b'T'),
        Kind::OpenStack => long_dash && space && !lead.zoned,
        Kind::NginxError => {
            lead.date_sep == b'/' && !lead.short_year && space && lead.frac.is_none()
        }
        Kind::Hdfs => false,
    }
}

/// Whether a line has the layout typical of the format (see [`super::Builtin::typical`]).
pub(super) fn typical(kind: Kind, head: &Head<'_>) -> bool {
    let l = &head.layout;
    let level = head.level.is_some();
    match kind {
        Kind::Python => {
            level
                && !l.pid
                && !l.bracketed
                && (l.named || (!l.dashed && !java_logger(&head.message)))
        }
        Kind::Zookeeper => l.dashed && level && !l.named,
        Kind::Log4j => l.short_year || (level && !l.dashed && java_logger(&head.message)),
        Kind::Iso => l.t_sep || l.zoned || !java_logger(&head.message),
        Kind::OpenStack => l.prefix || (l.pid && level),
        Kind::NginxError => l.bracketed && level,
        Kind::Hdfs => l.pid && level,
    }
}

/// Index just past a leading word and its blanks, if a timestamp may follow.
fn prefix_end(b: &[u8]) -> Option<usize> {
    let space = memchr(b' ', &b[..b.len().min(MAX_PREFIX)])?;
    (space > 0).then(|| skip_blanks(b, space))
}

/// A Java logger name (`org.apache.hadoop.ipc.Client:`), perhaps after a `[thread]`, which is what
/// log4j layouts print after the level and Python's usually do not.
fn java_logger(message: &str) -> bool {
    let b = message.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'[') {
        match memchr(b']', b) {
            Some(close) => i = skip_blanks(b, close + 1),
            None => return false,
        }
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'_' | b'$')) {
        i += 1;
    }
    b[start..i].contains(&b'.') && byte_is(b, i, b':')
}

/// A level at `i`: the token, where it ends, whether it was bracketed.
struct LevelAt<'a> {
    tok: LevelTok<'a>,
    end: usize,
    bracketed: bool,
}

fn level_at(line: &str, i: usize) -> Option<LevelAt<'_>> {
    let b = line.as_bytes();
    if byte_is(b, i, b'[') {
        let close = i + 1 + b.get(i + 1..)?.iter().take(16).position(|&c| c == b']')?;
        let inner = line[i + 1..close].trim();
        let level = bracket_level(inner)?;
        let mut end = close + 1;
        if byte_is(b, end, b':') {
            end += 1;
        }
        return at_boundary(b, end).then(|| LevelAt {
            tok: LevelTok::known(level, inner),
            end,
            bracketed: true,
        });
    }
    let len = b
        .get(i..)?
        .iter()
        .take(13)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let word = &line[i..i + len];
    let mut end = i + len;
    if byte_is(b, end, b':') {
        end += 1;
    }
    if !at_boundary(b, end) {
        return None;
    }
    let level = word_level(word)?;
    Some(LevelAt {
        tok: LevelTok::known(level, word),
        end,
        bracketed: false,
    })
}

/// Finds the level after the timestamp, in the places layouts put it: right there (`INFO`,
/// `[error]`), after `- ` (Zookeeper), after a process id (OpenStack, HDFS) or after a logger
/// name (Python's `- name - LEVEL - msg`). The message is what follows it; a line with no level
/// keeps everything after the timestamp.
fn locate<'a>(
    line: &'a str,
    from: usize,
    layout: &mut Layout,
) -> (Option<LevelTok<'a>>, Cow<'a, str>) {
    let b = line.as_bytes();
    let mut i = skip_blanks(b, from);
    if byte_is(b, i, b'-') && at_boundary(b, i + 1) {
        layout.dashed = true;
        i = skip_blanks(b, i + 1);
    }
    if let Some(at) = level_at(line, i) {
        layout.bracketed = at.bracketed;
        let mut j = skip_blanks(b, at.end);
        if layout.dashed && byte_is(b, j, b'-') && at_boundary(b, j + 1) {
            j = skip_blanks(b, j + 1);
        }
        return (Some(at.tok), Cow::Borrowed(&line[j..]));
    }
    let n = digit_run(b, i);
    if n > 0
        && at_boundary(b, i + n)
        && let Some(at) = level_at(line, skip_blanks(b, i + n))
    {
        layout.pid = true;
        layout.bracketed = at.bracketed;
        return (Some(at.tok), Cow::Borrowed(&line[skip_blanks(b, at.end)..]));
    }
    if layout.dashed
        && let Some((tok, message)) = named(line, i)
    {
        layout.named = true;
        return (Some(tok), Cow::Owned(message));
    }
    (None, Cow::Borrowed(&line[i..]))
}

/// Python's `name - LEVEL - msg` at `i`: the level and `name - msg`.
fn named(line: &str, i: usize) -> Option<(LevelTok<'_>, String)> {
    let b = line.as_bytes();
    let name_end = i + b.get(i..)?.iter().position(|&c| c == b' ')?;
    if name_end == i || !byte_is(b, name_end + 1, b'-') || !at_boundary(b, name_end + 2) {
        return None;
    }
    let at = level_at(line, skip_blanks(b, name_end + 2))?;
    let mut k = skip_blanks(b, at.end);
    if byte_is(b, k, b'-') && at_boundary(b, k + 1) {
        k = skip_blanks(b, k + 1);
    }
    let name = &line[i..name_end];
    let rest = &line[k..];
    let message = if rest.is_empty() {
        name.to_owned()
    } else {
        format!("{name} - {rest}")
    };
    Some((at.tok, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::formats::Builtin;
    use crate::model::Level;

    fn read(kind: Kind, line: &str) -> (Option<Level>, String, String) {
        let head = parse(kind, line).unwrap_or_else(|| panic!("{kind:?} should read {line:?}"));
        let (level, raw) = match head.level {
            Some(t) => (t.level, t.raw.into_owned()),
            None => (None, String::new()),
        };
        (level, raw, head.message.into_owned())
    }

    #[test]
    fn python_layouts() {
        let (l, raw, m) = read(Kind::Python, "2026-11-02 13:04:05,123 INFO [worker-3] done");
        assert_eq!(
            (l, raw.as_str(), m.as_str()),
            (Some(Level::Info), "INFO", "[worker-3] done")
        );
        let (l, raw, m) = read(
            Kind::Python,
            "2026-11-02 13:04:05,123 - app.db - WARNING - pool exhausted",
        );
        assert_eq!(
            (l, raw.as_str(), m.as_str()),
            (Some(Level::Warn), "WARNING", "app.db - pool exhausted")
        );
        let (l, _, m) = read(Kind::Python, "2026-11-02 13:04:05,123 CRITICAL: disk gone");
        assert_eq!((l, m.as_str()), (Some(Level::Fatal), "disk gone"));
        // No level: the message is everything after the time.
        let (l, _, m) = read(Kind::Python, "2026-11-02 13:04:05,123 started up");
        assert_eq!((l, m.as_str()), (None, "started up"));
        assert!(parse(Kind::Python, "2026-11-02T13:04:05.123Z INFO x").is_none());
    }

    #[test]
    fn zookeeper_keeps_the_thread() {
        let line = "2026-11-02 13:04:05,747 - INFO  [Peer[myid=2]/0.0.0.0:2181:Election@70] - vote timed out: 400";
        let (l, _, m) = read(Kind::Zookeeper, line);
        assert_eq!(l, Some(Level::Info));
        assert_eq!(
            m,
            "[Peer[myid=2]/0.0.0.0:2181:Election@70] - vote timed out: 400"
        );
        let head = parse(Kind::Zookeeper, line).expect("zookeeper");
        assert!(typical(Kind::Zookeeper, &head));
        let head = parse(Kind::Python, line).expect("python reads it too");
        assert!(!typical(Kind::Python, &head));
    }

    #[test]
    fn log4j_layouts() {
        let hadoop =
            "2026-11-02 13:04:05,978 INFO [main] org.example.etl.Driver: starting pipeline";
        let (l, _, m) = read(Kind::Log4j, hadoop);
        assert_eq!(l, Some(Level::Info));
        assert_eq!(m, "[main] org.example.etl.Driver: starting pipeline");
        let head = parse(Kind::Log4j, hadoop).expect("log4j");
        assert!(typical(Kind::Log4j, &head));
        assert!(!typical(
            Kind::Python,
            &parse(Kind::Python, hadoop).expect("python")
        ));

        let spark = "26/11/02 13:04:05 INFO scheduler.TaskSetManager: starting task 3.0";
        let (l, _, m) = read(Kind::Log4j, spark);
        assert_eq!(l, Some(Level::Info));
        assert_eq!(m, "scheduler.TaskSetManager: starting task 3.0");
        let (l, _, _) = read(Kind::Log4j, "2015-10-18 18:10:55,202 FATAL [main] a.B: x");
        assert_eq!(l, Some(Level::Fatal));
    }

    #[test]
    fn iso_layouts() {
        let (l, raw, m) = read(Kind::Iso, "2026-11-02T13:04:05.123Z WARN  scheduler: msg");
        assert_eq!(
            (l, raw.as_str(), m.as_str()),
            (Some(Level::Warn), "WARN", "scheduler: msg")
        );
        let (l, _, m) = read(Kind::Iso, "2026-11-02 13:04:05.1 info ready");
        assert_eq!((l, m.as_str()), (Some(Level::Info), "ready"));
        let (l, _, m) = read(Kind::Iso, "2026-11-02T13:04:05+01:00   INFO x");
        assert_eq!((l, m.as_str()), (Some(Level::Info), "x"));
        // A message that starts with a word the table knows, in lower case, is not a level.
        let (l, _, m) = read(Kind::Iso, "2026-11-02T13:04:05Z config reloaded");
        assert_eq!((l, m.as_str()), (None, "config reloaded"));
        let (l, _, m) = read(Kind::Iso, "2026-11-02T13:04:05Z host sshd[12]: ok");
        assert_eq!((l, m.as_str()), (None, "host sshd[12]: ok"));
    }

    #[test]
    fn openstack_with_and_without_a_file_name() {
        let line = "cinder-api.log.2.2026-11-02_12:00:00 2026-11-02 13:04:05.008 4242 INFO cinder.api.wsgi [req-0c1d] 10.0.0.2 \"GET /v3\" status: 200";
        let (l, _, m) = read(Kind::OpenStack, line);
        assert_eq!(l, Some(Level::Info));
        assert_eq!(
            m,
            "cinder.api.wsgi [req-0c1d] 10.0.0.2 \"GET /v3\" status: 200"
        );
        let (l, raw, m) = read(
            Kind::OpenStack,
            "2026-11-02 13:04:05.008 5151 WARNING cinder.volume.manager [-] slow",
        );
        assert_eq!(
            (l, raw.as_str(), m.as_str()),
            (
                Some(Level::Warn),
                "WARNING",
                "cinder.volume.manager [-] slow"
            )
        );
        assert!(parse(Kind::OpenStack, "Traceback (most recent call last):").is_none());
    }

    #[test]
    fn nginx_and_hdfs() {
        let (l, _, m) = read(
            Kind::NginxError,
            "2026/11/02 13:04:05 [error] 123#0: *7 open() failed",
        );
        assert_eq!(
            (l, m.as_str()),
            (Some(Level::Error), "123#0: *7 open() failed")
        );
        let (l, _, m) = read(Kind::NginxError, "2026/11/02 13:04:05 [crit] 1#1: x");
        assert_eq!((l, m.as_str()), (Some(Level::Fatal), "1#1: x"));
        let (l, _, m) = read(
            Kind::Hdfs,
            "261102 130405 311 INFO dfs.DataNode$BlockSender: sent block blk_1001",
        );
        assert_eq!(
            (l, m.as_str()),
            (
                Some(Level::Info),
                "dfs.DataNode$BlockSender: sent block blk_1001"
            )
        );
    }

    #[test]
    fn names_round_trip() {
        for b in Builtin::ALL {
            assert_eq!(Builtin::by_name(b.name()), Some(b));
        }
        assert_eq!(Builtin::by_name("nope"), None);
    }
}
