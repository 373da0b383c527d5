//! How log text and times look when shown: control and escape bytes made visible (a log line
//! must never move the cursor, retitle the window or hide text), and timestamps in a zone.
//! Shared by the command line and the TUI; no IO.

use std::borrow::Cow;

use jiff::tz::TimeZone;

/// True for characters a terminal would act on rather than print.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Makes control characters visible: C0 bytes in caret notation (`^[` for ESC, `^@` for NUL),
/// DEL as `^?`, C1 controls and bidirectional overrides as `<U+XXXX>`. Tabs become a space and
/// newlines are kept only when `keep_newlines`.
pub fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_unsafe(c) && !(keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push(' '),
            '\0'..='\x1f' => {
                out.push('^');
                out.push((c as u8 + 0x40) as char);
            }
            '\x7f' => out.push_str("^?"),
            c if is_unsafe(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The first line of a message, made safe for one row of a table.
pub fn first_line(message: &str) -> Cow<'_, str> {
    let line = message.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    escape(line, false)
}

/// `2026-11-02 13:04:05.123` in `zone`.
pub fn format_ts(ms: i64, zone: &TimeZone) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t
            .to_zoned_datetime(zone.clone())
            .strftime("%Y-%m-%d %H:%M:%S%.3f")
            .to_string(),
        Err(_) => format!("@{ms}"),
    }
}

/// RFC 3339 in UTC with milliseconds, for machine-readable output.
pub fn format_ts_utc(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => ms.to_string(),
    }
}

/// A short name for a zone, to show which one times are in.
pub fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name()
        .map(str::to_string)
        .unwrap_or_else(|| "local".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_attacks_become_inert_text() {
        let attack = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07bell\x07\0end\u{202e}txt\u{9b}";
        let shown = escape(attack, false);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert_eq!(
            shown,
            "^[[2J^[]0;pwned^G^[]52;c;ZXZpbA==^Gbell^G^@end<U+202E>txt<U+009B>"
        );
    }

    #[test]
    fn plain_text_is_borrowed_and_newlines_optional() {
        assert!(matches!(escape("plain ünïcode", false), Cow::Borrowed(_)));
        assert_eq!(escape("a\nb", true), "a\nb");
        assert_eq!(escape("a\nb", false), "a^Jb");
        assert_eq!(escape("a\tb\x7f", false), "a b^?");
        assert_eq!(first_line("top\r\nsecond"), "top");
    }

    #[test]
    fn times_render_in_the_zone() {
        assert_eq!(
            format_ts(1_793_620_800_123, &TimeZone::UTC),
            "2026-11-02 12:00:00.123"
        );
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            format_ts(1_793_620_800_123, &berlin),
            "2026-11-02 13:00:00.123"
        );
        assert_eq!(format_ts_utc(1_793_620_800_123), "2026-11-02T12:00:00.123Z");
    }
}
