//! Android logcat: `threadtime` (`03-17 16:13:38.811  1702  2395 D Tag: msg`) and `time`
//! (`03-17 16:13:38.811 D/Tag( 1702): msg`). No year; the level is one letter.

use super::Head;
use crate::ingest::parser::levels::LevelTok;
use crate::ingest::parser::scan::{at_boundary, byte_is, digit_run, skip_blanks};
use crate::ingest::parser::stamp::read_logcat;
use crate::model::Level;

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let (stamp, end) = read_logcat(b, 0)?;
    if !at_boundary(b, end) {
        return None;
    }
    let i = skip_blanks(b, end);
    let (level, start) = match threadtime(b, i).or_else(|| time_layout(b, i)) {
        Some((level, letter, start)) => (
            Some(LevelTok::known(level, &line[letter..letter + 1])),
            start,
        ),
        None => (None, i),
    };
    Some(Head::new(stamp, level, &line[start..]))
}

fn letter_level(c: u8) -> Option<Level> {
    Some(match c {
        b'V' => Level::Trace,
        b'D' => Level::Debug,
        b'I' => Level::Info,
        b'W' => Level::Warn,
        b'E' => Level::Error,
        b'F' | b'A' => Level::Fatal,
        _ => return None,
    })
}

/// `pid tid L ` at `i`: the level, where its letter is, where the tag starts.
fn threadtime(b: &[u8], i: usize) -> Option<(Level, usize, usize)> {
    let pid = digit_run(b, i);
    let j = skip_blanks(b, i + pid);
    let tid = digit_run(b, j);
    let k = skip_blanks(b, j + tid);
    if pid == 0 || tid == 0 || j == i + pid || k == j + tid || !at_boundary(b, k + 1) {
        return None;
    }
    Some((letter_level(*b.get(k)?)?, k, skip_blanks(b, k + 1)))
}

/// `L/` at `i`.
fn time_layout(b: &[u8], i: usize) -> Option<(Level, usize, usize)> {
    if !byte_is(b, i + 1, b'/') {
        return None;
    }
    Some((letter_level(*b.get(i)?)?, i, i + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logcat_layouts() {
        let head = parse("11-02 13:04:05.811  1500  1611 D InputDispatcher: dispatching key event")
            .expect("threadtime");
        let level = head.level.expect("level");
        assert_eq!((level.level, level.raw.as_ref()), (Some(Level::Debug), "D"));
        assert_eq!(head.message, "InputDispatcher: dispatching key event");

        let head = parse("11-02 13:04:05.839  1500  1612 V Choreographer: frame skipped")
            .expect("verbose");
        assert_eq!(head.level.expect("level").level, Some(Level::Trace));

        let head = parse("03-17 16:13:38.811 W/ActivityManager( 1702): slow").expect("time layout");
        assert_eq!(head.level.expect("level").level, Some(Level::Warn));
        assert_eq!(head.message, "ActivityManager( 1702): slow");

        let head = parse("03-17 16:13:38.811 --------- beginning of main").expect("banner");
        assert!(head.level.is_none());
        assert_eq!(head.message, "--------- beginning of main");
        assert!(parse("13-17 16:13:38.811  1 2 D x: y").is_none());
    }
}
