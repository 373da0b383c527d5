//! Deciding whether a word in a line is its level, and what to keep of the original spelling.
//! The normalisation itself is [`Level::from_raw`]; this module only adds the caution that free
//! text needs (a message may well start with "Error" or "config").

use std::borrow::Cow;

use crate::model::Level;

/// A level as a line wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LevelTok<'a> {
    /// `None` when the format names a level the table does not know (JSON `"level":"loud"`).
    pub level: Option<Level>,
    pub raw: Cow<'a, str>,
}

impl<'a> LevelTok<'a> {
    pub fn known(level: Level, raw: &'a str) -> LevelTok<'a> {
        LevelTok {
            level: Some(level),
            raw: Cow::Borrowed(raw),
        }
    }

    /// A level field's value, recognised or not.
    pub fn field(raw: Cow<'a, str>) -> LevelTok<'a> {
        LevelTok {
            level: Level::from_raw(&raw),
            raw,
        }
    }

    /// The original spelling, kept only when it says more than the canonical name does.
    pub fn raw_to_keep(&self) -> Option<String> {
        let raw = self.raw.trim();
        match self.level {
            Some(l) if raw.eq_ignore_ascii_case(l.name()) => None,
            _ if raw.is_empty() => None,
            _ => Some(raw.to_owned()),
        }
    }
}

/// Lower- or mixed-case words that are levels often enough at the start of a message to be read
/// as one; other table entries (`config`, `alert`, `fine`) count only in upper case.
const SPOKEN: [&str; 9] = [
    "trace", "debug", "info", "notice", "warn", "warning", "error", "fatal", "critical",
];

/// A bare word (a trailing `:` already removed) that reads as a level: upper-case entries of the
/// table of at least three letters, or a common level name in any case. Single letters are only
/// levels where a format puts them (glog, logcat).
pub(super) fn word_level(word: &str) -> Option<Level> {
    if word.len() < 3 || word.len() > 11 {
        return None;
    }
    let upper = word.bytes().all(|c| c.is_ascii_uppercase());
    if !upper && !SPOKEN.iter().any(|s| s.eq_ignore_ascii_case(word)) {
        return None;
    }
    Level::from_raw(word)
}

/// What a bracketed level (`[error]`, `[core:notice]` after the module) may be: any case, plus
/// Apache's `trace1`…`trace8`.
pub(super) fn bracket_level(word: &str) -> Option<Level> {
    if word.len() < 3 {
        return None;
    }
    if let Some(n) = word.strip_prefix("trace")
        && n.len() == 1
        && n.as_bytes()[0].is_ascii_digit()
    {
        return Some(Level::Trace);
    }
    Level::from_raw(word)
}

/// Syslog severities (the low three bits of PRI), by the keywords syslog uses for them.
pub(super) fn syslog_severity(pri: u32) -> LevelTok<'static> {
    const NAMES: [&str; 8] = [
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
    ];
    let raw = NAMES[(pri % 8) as usize];
    LevelTok {
        level: Level::from_raw(raw),
        raw: Cow::Borrowed(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_are_levels() {
        assert_eq!(word_level("WARNING"), Some(Level::Warn));
        assert_eq!(word_level("info"), Some(Level::Info));
        assert_eq!(word_level("Error"), Some(Level::Error));
        assert_eq!(word_level("CONFIG"), Some(Level::Info));
        assert_eq!(word_level("config"), None);
        assert_eq!(word_level("alert"), None);
        assert_eq!(word_level("E"), None);
        assert_eq!(word_level("INFOS"), None);
    }

    #[test]
    fn raw_spelling_kept_only_when_it_differs_beyond_case() {
        assert_eq!(LevelTok::known(Level::Warn, "WARN").raw_to_keep(), None);
        assert_eq!(LevelTok::known(Level::Info, "info").raw_to_keep(), None);
        assert_eq!(
            LevelTok::known(Level::Warn, "WARNING").raw_to_keep(),
            Some("WARNING".into())
        );
        assert_eq!(
            LevelTok::known(Level::Error, "E").raw_to_keep(),
            Some("E".into())
        );
        let unknown = LevelTok::field(Cow::Borrowed("loud"));
        assert_eq!(unknown.level, None);
        assert_eq!(unknown.raw_to_keep(), Some("loud".into()));
    }

    #[test]
    fn severities() {
        assert_eq!(syslog_severity(34).level, Some(Level::Fatal));
        assert_eq!(syslog_severity(34).raw_to_keep(), Some("crit".into()));
        assert_eq!(syslog_severity(14).level, Some(Level::Info));
        assert_eq!(syslog_severity(14).raw_to_keep(), None);
        assert_eq!(syslog_severity(11).level, Some(Level::Error));
        assert_eq!(bracket_level("trace3"), Some(Level::Trace));
        assert_eq!(bracket_level("notice"), Some(Level::Info));
    }
}
